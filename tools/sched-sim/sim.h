/*
 * sim.h: the simulator's handle on the scheduling policies. The policies and
 * struct sched_entity live behind the kernel's headers, whose types.h cannot
 * share a translation unit with libc's; so sim.c (libc side) names entities
 * by index and bridge.c (kernel side) owns them and calls the policy. Times
 * are ns on the simulated clock; unsigned long is 64 bits on every host the
 * kit supports (LP64), like the kernel's uint64_t.
 */
#pragma once

#define SIM_MAX_TASKS 64 /* entities the bridge holds */

/* SCHED_QUANTUM_NS, for the simulator's timer. */
extern const unsigned long bridge_quantum_ns;

/* bridge_select: use policy name ("rr" or "joint") with no entities yet; 0, or -1 if unknown. */
int bridge_select(const char *name);

/* bridge_add: create entity i (< SIM_MAX_TASKS) with weight (>= 1) and a relative deadline (ns). */
void bridge_add(int i, unsigned weight, unsigned long rel_deadline_ns);

/* The policy calls on entity i, with the contract of sched_policy.h; pick returns -1 for none. */
void bridge_enqueue(int i, unsigned long now_ns);
int bridge_pick(unsigned long now_ns);
int bridge_tick(int i, unsigned long ran_ns, unsigned long now_ns);
void bridge_block(int i, unsigned long now_ns);
void bridge_wake(int i, unsigned long now_ns);

/* bridge_next_job: late periodic i starts its next job without blocking: set its release and deadline. */
void bridge_next_job(int i, unsigned long release_ns, unsigned long deadline_ns);

/* What the policy recorded in entity i: CPU ns in this quantum, CPU ns in all, class changes. */
unsigned long bridge_ran_ns(int i);
unsigned long bridge_total_ns(int i);
unsigned bridge_reclassified(int i);

/* bridge_latency: whether entity i is in the latency-sensitive class now. */
int bridge_latency(int i);

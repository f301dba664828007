/*
 * sim.h: the simulator's handle on the scheduling policies and the workload
 * generator. They, struct sched_entity and struct sched_wl_task live behind
 * the kernel's headers, whose types.h cannot share a translation unit with
 * libc's; so sim.c (libc side) names entities by index, gets the workload
 * in plain C types, and bridge.c (kernel side) owns the entities and calls
 * the policy and the generator. Times are ns on the simulated clock;
 * unsigned long is 64 bits on every host the kit supports (LP64), like the
 * kernel's uint64_t.
 */
#pragma once

#define SIM_MAX_TASKS 64     /* entities the bridge holds: SCHED_WL_MAX_TASKS */
#define SIM_FROM_LOAD (~0UL) /* bridge_workload's cpu_tasks, ls_util: SCHED_WL_FROM_LOAD */

/* SCHED_QUANTUM_NS, for the simulator's timer; SCHED_WL_MAX_LOAD, percent. */
extern const unsigned long bridge_quantum_ns;
extern const unsigned long bridge_max_load;

/* A task of the workload: struct sched_wl_task (sched_workload.h) in plain C types. */
struct sim_wl_task {
	int ls;			 /* periodic latency-sensitive, else CPU-bound */
	unsigned weight;	 /* CPU-bound share weight (1 for LS tasks) */
	unsigned long cost_ns;	 /* LS: C_i, CPU time per job */
	unsigned long period_ns; /* LS: P_i, also the relative deadline */
	unsigned long offset_ns; /* LS: the first release, in [0, P_i) */
};

/*
 * bridge_workload: sched_workload_make's tasks for these arguments (the
 * fields of struct sched_wl_config, same meaning) into out[], LS tasks
 * first; returns the task count, or -1 where it returns -EINVAL.
 */
int bridge_workload(unsigned long load, unsigned long seed, unsigned long cpu_tasks,
		    unsigned long ls_util, const unsigned *weights, int nweights,
		    struct sim_wl_task out[SIM_MAX_TASKS]);

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

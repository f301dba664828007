/*
 * sched_policy.h: the scheduling-policy interface of lab 3, shared by the
 * kernel (thread.c calls it) and the host simulator tools/sched-sim (which
 * compiles the same policy files), so both make the same decisions.
 *
 * A policy sees only struct sched_entity, never a thread or a stack; all
 * times are nanoseconds on one clock (arch_time_ns in the kernel, the
 * simulated clock in sched-sim). Policies:
 *   rr     round robin: one FIFO ready queue, a fixed quantum
 *   joint  classify each entity from its behaviour as latency-sensitive
 *          (blocks before its quantum ends) or CPU-bound (exhausts quanta),
 *          with hysteresis; EDF among latency-sensitive entities; stride /
 *          WFQ by weight among CPU-bound ones; the CPU-bound class keeps at
 *          least SCHED_CPU_MIN_SHARE of the CPU so it is never starved. Its
 *          two ready queues are min-heaps (heap.h), so a decision costs
 *          O(log n) in the number of ready entities.
 * Locking: the caller (the scheduler, with interrupts disabled) serializes
 * every call; policies keep no other state than their own queues.
 *
 * The caller's side of the contract (thread.c and sched-sim do the same):
 *  - a new entity is zeroed but for id, weight and rel_deadline_ns (its
 *    class is the zero value, latency-sensitive, until the policy admits
 *    it: joint puts one that declared no deadline in the CPU-bound class,
 *    so a burst of new CPU-bound threads never crowds EDF), then goes to
 *    enqueue (or, created asleep, to wake); at most SCHED_MAX_ENTITIES
 *    entities at once;
 *  - while e runs, the caller charges its CPU time with tick: at every timer
 *    interrupt (one per quantum of e's running), after every wake (so the
 *    policy can preempt e for a more urgent entity), and before block;
 *  - tick returning true means preempt: the caller calls enqueue(e) and
 *    pick_next. The policy owns ran_ns: it clears it when e blocks or is
 *    enqueued after a whole quantum; an e preempted earlier keeps the rest
 *    of its quantum for its next run;
 *  - wake sets release_ns and deadline_ns; a periodic task that starts its
 *    next job without blocking (it is late) has both set by the caller.
 */
#pragma once

#include "types.h"
#include "list.h"
#include "heap.h"

#define SCHED_QUANTUM_NS      100000 /* 100 us: a quantum (100,000 instructions under icount) */
#define SCHED_CPU_MIN_SHARE   10     /* percent of the CPU the CPU-bound class always gets */
#define SCHED_RECLASSIFY_RUNS 3	     /* consecutive quanta of the other behaviour to reclassify */
#define SCHED_MAX_ENTITIES    256    /* entities a policy holds at once (its heaps' size) */

/* EDF's relative deadline for an entity that declared none (rel_deadline_ns == 0). */
#define SCHED_DEFAULT_DEADLINE_NS (100 * SCHED_QUANTUM_NS)

/* The zero value is latency-sensitive (a new entity, before the policy admits it: see above). */
enum sched_class { SCHED_LATENCY, SCHED_CPU_BOUND };

/* The per-thread scheduling state; embedded in the thread (kernel) or the task (sched-sim). */
struct sched_entity {
	struct list_node link; /* on rr's ready queue */
	struct heap_node node; /* on one of joint's ready heaps */
	int id;		       /* for traces and tie-breaking: the lower id first */
	unsigned weight;       /* CPU-bound share weight, >= 1 */
	enum sched_class class;
	int streak;		  /* consecutive runs showing the other class's behaviour */
	uint64_t release_ns;	  /* the current job's release time (latency-sensitive) */
	uint64_t deadline_ns;	  /* its absolute deadline: release + relative deadline */
	uint64_t rel_deadline_ns; /* the relative deadline, 0 if none was declared */
	uint64_t pass;		  /* stride scheduling: virtual time (Waldspurger 1995) */
	uint64_t ran_ns;	  /* CPU time in the current quantum */
	uint64_t total_ns;	  /* CPU time since creation */
	unsigned reclassified;	  /* how many times the class changed */
};

/* The policy interface; every function is O(queue length) at most (joint: O(log n)). */
struct sched_policy {
	const char *name;
	/* init: empty the queues (called once before use, and between experiments). */
	void (*init)(void);
	/* enqueue: e became ready: created, or preempted after tick returned true (see above). */
	void (*enqueue)(struct sched_entity *e, uint64_t now_ns);
	/* dequeue: take e off the ready queue (it is exiting while ready). */
	void (*dequeue)(struct sched_entity *e);
	/* pick_next: remove and return the entity to run next, or NULL when none is ready. */
	struct sched_entity *(*pick_next)(uint64_t now_ns);
	/* tick: charge e ran_ns more of CPU (ran_ns, total_ns); true when it should be preempted now. */
	bool (*tick)(struct sched_entity *e, uint64_t ran_ns, uint64_t now_ns);
	/* block: the running e blocks (sleep, join, wait) after running e->ran_ns this quantum. */
	void (*block)(struct sched_entity *e, uint64_t now_ns);
	/* wake: blocked e becomes ready; its job is released at now_ns (sets release/deadline). */
	void (*wake)(struct sched_entity *e, uint64_t now_ns);
};

extern const struct sched_policy sched_rr;    /* lab 3 part A */
extern const struct sched_policy sched_joint; /* lab 3 part B */

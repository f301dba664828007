/*
 * sched_workload.h: lab 3's seeded scheduling workload, one generator shared
 * by tools/sched-sim and the kernel's schedbench monitor command, so both
 * run the same shape of work for the same arguments.
 *
 * The load is the demand on one CPU in percent of its capacity, split in a
 * fixed ratio between two kinds of task:
 *  - latency-sensitive (LS): SCHED_WL_LS_TASKS periodic tasks whose
 *    utilization sum(C_i / P_i) is SCHED_WL_LS_SHARE percent of the load
 *    (ls_util overrides it; 0 means no LS tasks). Task i's job cost C_i is
 *    drawn from whole us in SCHED_WL_LS_COST_MIN_NS..SCHED_WL_LS_COST_MAX_NS
 *    (below a quantum), its base period from +-10 % around the i-th of 12
 *    geometric steps over 1..8 ms (not harmonic, so the tasks' phases drift
 *    through every alignment); then every period is scaled by one factor so
 *    the utilization is as asked. A job is released every P_i from a random
 *    offset in [0, P_i) and has relative deadline P_i;
 *  - CPU-bound: tasks that never block, each asking SCHED_WL_CPU_TASK_SHARE
 *    percent of the CPU, as many as the rest of the load needs (rounded;
 *    cpu_tasks overrides the count), with the given weights in turn.
 * Load 50: LS 20 %, 3 CPU-bound tasks; 100: LS 40 %, 6; 150: LS 60 %, 9.
 * Randomness: xorshift64 (13, 7, 17) from Marsaglia, "Xorshift RNGs",
 * J. Stat. Softw. 8(14), 2003, seeded from the seed alone: the same
 * configuration always gives the same tasks. Times are ns.
 */
#pragma once

#include "types.h"

#define SCHED_WL_LS_TASKS	12
#define SCHED_WL_MAX_TASKS	255	/* all of them at once: THREAD_MAX less the idle thread */
#define SCHED_WL_MAX_LOAD	400	/* percent; also the most ls_util */
#define SCHED_WL_FROM_LOAD	(~0UL)	/* cpu_tasks / ls_util: follow load */
#define SCHED_WL_LS_SHARE	40	/* percent of the load that is latency-sensitive */
#define SCHED_WL_CPU_TASK_SHARE 10	/* percent of the CPU each CPU-bound task asks */
#define SCHED_WL_LS_COST_MIN_NS 10000UL /* an LS job's cost, C_i: 10..50 us */
#define SCHED_WL_LS_COST_MAX_NS 50000UL

struct sched_wl_task {
	bool ls;	    /* periodic latency-sensitive, else CPU-bound */
	unsigned weight;    /* CPU-bound share weight (1 for LS tasks) */
	uint64_t cost_ns;   /* LS: C_i, CPU time per job */
	uint64_t period_ns; /* LS: P_i, also the relative deadline */
	uint64_t offset_ns; /* LS: the first release, in [0, P_i) */
};

struct sched_wl_config {
	unsigned long load; /* percent of one CPU, 1..SCHED_WL_MAX_LOAD */
	unsigned long seed;
	unsigned long cpu_tasks; /* SCHED_WL_FROM_LOAD or a count */
	unsigned long ls_util;	 /* SCHED_WL_FROM_LOAD or percent, 0..SCHED_WL_MAX_LOAD */
	const unsigned *weights; /* CPU-bound weights used in turn, each >= 1; NULL: all 1 */
	int nweights;		 /* entries in weights (>= 1 unless weights is NULL) */
};

/*
 * sched_workload_make: fill out[] with c's tasks, the LS tasks first (CPU-bound
 * tasks have cost, period and offset 0), and return the task count; -EINVAL
 * for a load or ls_util out of range, a bad weight list, or more than
 * SCHED_WL_MAX_TASKS tasks. Nothing is written on an error. Pure: no state
 * outside its arguments.
 */
int sched_workload_make(const struct sched_wl_config *c,
			struct sched_wl_task out[SCHED_WL_MAX_TASKS]);

/*
 * sched_workload.c: lab 3's seeded workload generator (sched_workload.h),
 * provided code: tools/sched-sim and the kernel's schedbench both build
 * their tasks with sched_workload_make. Freestanding, and pure: the random
 * state lives on the caller's stack, so equal configurations give equal
 * tasks wherever they run.
 */
#include "types.h"
#include "errno.h"
#include "sched_workload.h"

/* Base periods, us: 1 to 8 ms in steps of 8^(1/11), one per LS task, each drawn +-10 % around. */
static const uint64_t ls_base_periods[SCHED_WL_LS_TASKS] = {1000, 1208, 1459, 1762, 2129, 2572,
							    3106, 3752, 4532, 5474, 6612, 8000};

/* rand_below: the next number of xorshift64 (13, 7, 17; Marsaglia 2003) state *s, mod n. */
static uint64_t rand_below(uint64_t *s, uint64_t n)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s % n;
}

/* rand_seed: a non-zero xorshift state for seed, mixed by eight discarded draws. */
static uint64_t rand_seed(uint64_t seed)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15UL ^ 0xd1b54a32d192ed03UL;

	if (!s)
		s = 1;
	for (int i = 0; i < 8; i++)
		rand_below(&s, 1);
	return s;
}

/* make_ls: draw the SCHED_WL_LS_TASKS periodic tasks into t[] at utilization util_permille. */
static void make_ls(struct sched_wl_task *t, uint64_t util_permille, uint64_t *rng)
{
	uint64_t sum_ppb = 0; /* sum of C_i / base P_i, parts per 10^9 */
	uint64_t steps = (SCHED_WL_LS_COST_MAX_NS - SCHED_WL_LS_COST_MIN_NS) / 1000 + 1;

	for (int i = 0; i < SCHED_WL_LS_TASKS; i++) {
		uint64_t base = ls_base_periods[i] * (900 + rand_below(rng, 201)); /* ns */

		t[i] = (struct sched_wl_task){.ls = true, .weight = 1, .period_ns = base};
		t[i].cost_ns = SCHED_WL_LS_COST_MIN_NS + rand_below(rng, steps) * 1000;
		sum_ppb += t[i].cost_ns * 1000000000UL / base;
	}
	for (int i = 0; i < SCHED_WL_LS_TASKS; i++) {
		t[i].period_ns = t[i].period_ns * sum_ppb / (util_permille * 1000000UL);
		t[i].offset_ns = rand_below(rng, t[i].period_ns);
	}
}

int sched_workload_make(const struct sched_wl_config *c,
			struct sched_wl_task out[SCHED_WL_MAX_TASKS])
{
	uint64_t ls, ncpu, nls, rng;

	if (!c->load || c->load > SCHED_WL_MAX_LOAD ||
	    (c->ls_util != SCHED_WL_FROM_LOAD && c->ls_util > SCHED_WL_MAX_LOAD) ||
	    (c->weights && c->nweights < 1))
		return -EINVAL;
	for (int i = 0; c->weights && i < c->nweights; i++)
		if (!c->weights[i])
			return -EINVAL;
	ls = c->ls_util != SCHED_WL_FROM_LOAD ? c->ls_util * 10
					      : c->load * SCHED_WL_LS_SHARE / 10; /* permille */
	ncpu = c->cpu_tasks != SCHED_WL_FROM_LOAD
		   ? c->cpu_tasks
		   : (c->load * (100 - SCHED_WL_LS_SHARE) / SCHED_WL_CPU_TASK_SHARE + 50) / 100;
	nls = ls ? SCHED_WL_LS_TASKS : 0;
	if (ncpu > SCHED_WL_MAX_TASKS - nls)
		return -EINVAL;
	rng = rand_seed(c->seed);
	if (ls)
		make_ls(out, ls, &rng);
	for (uint64_t i = 0; i < ncpu; i++)
		out[nls + i] = (struct sched_wl_task){
		    .weight = c->weights ? c->weights[i % (uint64_t)c->nweights] : 1};
	return (int)(nls + ncpu);
}

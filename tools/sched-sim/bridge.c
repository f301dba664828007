/*
 * bridge.c: the kernel-header side of sched-sim (see sim.h): the entity
 * table and the selected policy, called by index from sim.c, and the
 * workload generator's tasks copied out in plain C types.
 */
#include "types.h"
#include "list.h"
#include "sched_policy.h"
#include "sched_workload.h"
#include "sim.h"

_Static_assert(SIM_MAX_TASKS == SCHED_WL_MAX_TASKS, "sim.h: SIM_MAX_TASKS");
_Static_assert(SIM_FROM_LOAD == SCHED_WL_FROM_LOAD, "sim.h: SIM_FROM_LOAD");

const unsigned long bridge_quantum_ns = SCHED_QUANTUM_NS;
const unsigned long bridge_max_load = SCHED_WL_MAX_LOAD;

static const struct sched_policy *policy;
static struct sched_entity entities[SIM_MAX_TASKS];

int bridge_select(const char *name)
{
	static const struct sched_policy *const all[] = {&sched_rr, &sched_joint};

	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		const char *a = all[i]->name, *b = name;

		while (*a && *a == *b)
			a++, b++;
		if (*a == *b) {
			policy = all[i];
			policy->init();
			return 0;
		}
	}
	return -1;
}

void bridge_add(int i, unsigned weight, unsigned long rel_deadline_ns)
{
	entities[i] =
	    (struct sched_entity){.id = i, .weight = weight, .rel_deadline_ns = rel_deadline_ns};
}

void bridge_enqueue(int i, unsigned long now_ns)
{
	policy->enqueue(&entities[i], now_ns);
}

int bridge_pick(unsigned long now_ns)
{
	struct sched_entity *e = policy->pick_next(now_ns);

	return e ? e->id : -1;
}

int bridge_tick(int i, unsigned long ran_ns, unsigned long now_ns)
{
	return policy->tick(&entities[i], ran_ns, now_ns);
}

void bridge_block(int i, unsigned long now_ns)
{
	policy->block(&entities[i], now_ns);
}

void bridge_wake(int i, unsigned long now_ns)
{
	policy->wake(&entities[i], now_ns);
}

void bridge_next_job(int i, unsigned long release_ns, unsigned long deadline_ns)
{
	entities[i].release_ns = release_ns;
	entities[i].deadline_ns = deadline_ns;
}

unsigned long bridge_ran_ns(int i)
{
	return entities[i].ran_ns;
}

unsigned long bridge_total_ns(int i)
{
	return entities[i].total_ns;
}

unsigned bridge_reclassified(int i)
{
	return entities[i].reclassified;
}

int bridge_latency(int i)
{
	return entities[i].class == SCHED_LATENCY;
}

int bridge_workload(unsigned long load, unsigned long seed, unsigned long cpu_tasks,
		    unsigned long ls_util, const unsigned *weights, int nweights,
		    struct sim_wl_task out[SIM_MAX_TASKS])
{
	struct sched_wl_config c = {.load = load,
				    .seed = seed,
				    .cpu_tasks = cpu_tasks,
				    .ls_util = ls_util,
				    .weights = weights,
				    .nweights = nweights};
	struct sched_wl_task t[SCHED_WL_MAX_TASKS];
	int n = sched_workload_make(&c, t);

	for (int i = 0; i < n; i++)
		out[i] = (struct sim_wl_task){.ls = t[i].ls,
					      .weight = t[i].weight,
					      .cost_ns = t[i].cost_ns,
					      .period_ns = t[i].period_ns,
					      .offset_ns = t[i].offset_ns};
	return n < 0 ? -1 : n;
}

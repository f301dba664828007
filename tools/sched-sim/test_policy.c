/*
 * test_policy.c: scripted unit tests of the lab-3 policies, driven through
 * sched_policy.h exactly as sched-sim drives them: each scenario plays the
 * caller's side of sched_policy.h step by step and checks the policy's
 * choices. It covers what sched-sim's workloads do not show: hysteresis,
 * deadline postponement, limited preemption, admission, stride ratios, the
 * pass lift of a waking entity and the pass of a joining one, the CPU-bound
 * minimum share. The grader runs them on a student's policies too
 * (grader/test_lab3.py, test_policy_scenarios).
 *
 *   test-policy SCENARIO   (one of the names in scenarios[], or "all")
 *
 * Prints "PASS name" per scenario; the first failed check prints
 * "FAIL name test_policy.c:LINE: condition" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define US 1000UL
#define MS 1000000UL
#define Q  SCHED_QUANTUM_NS

static const char *scenario = "?"; /* the scenario running, for FAIL lines */

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s %s:%d: %s\n", scenario, __FILE__, __LINE__, #cond);        \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static unsigned long now; /* the scenario's clock, ns */
static const struct sched_policy *policy;
static struct sched_entity ent[SCHED_WL_MAX_TASKS]; /* entity i has id i */

/* setup: select policy name and create n entities with the given weights (NULL: 1) and deadlines. */
static void setup(const char *name, int n, const unsigned *weights, const unsigned long *rel)
{
	policy = sim_policy(name);
	CHECK(policy);
	policy->init();
	now = 0;
	for (int i = 0; i < n; i++)
		ent[i] = (struct sched_entity){.id = i,
					       .weight = weights ? weights[i] : 1,
					       .rel_deadline_ns = rel ? rel[i] : 0};
}

/* pick: the id of the entity the policy picks, or -1 for none. */
static int pick(unsigned long now_ns)
{
	struct sched_entity *e = policy->pick_next(now_ns);

	return e ? e->id : -1;
}

/* full_quantum: pick must choose i; it runs a whole quantum and is preempted. */
static void full_quantum(int i)
{
	CHECK(pick(now) == i);
	now += Q;
	CHECK(policy->tick(&ent[i], Q, now));
	policy->enqueue(&ent[i], now);
}

/* short_run_picked: i, just picked, runs ran_ns (< a quantum) and blocks. */
static void short_run_picked(int i, unsigned long ran_ns)
{
	now += ran_ns;
	CHECK(!policy->tick(&ent[i], ran_ns, now));
	policy->block(&ent[i], now);
}

/* short_run: pick must choose i; it runs ran_ns (< a quantum) and blocks. */
static void short_run(int i, unsigned long ran_ns)
{
	CHECK(pick(now) == i);
	short_run_picked(i, ran_ns);
}

/* next_quantum: whatever pick chooses runs a whole quantum and is preempted; returns it. */
static int next_quantum(void)
{
	int i = pick(now);

	CHECK(i >= 0);
	now += Q;
	CHECK(policy->tick(&ent[i], Q, now));
	policy->enqueue(&ent[i], now);
	return i;
}

/*
 * make_cpu_bound: enqueue new entity i; run quanta until it shows itself
 * CPU-bound (a policy that never reclassifies fails here, after 100 quanta
 * of other entities too). It stays ready.
 */
static void make_cpu_bound(int i)
{
	policy->enqueue(&ent[i], now);
	for (int k = 0; ent[i].class == SCHED_LATENCY; k++) {
		CHECK(k < 100);
		next_quantum();
	}
}

static void test_rr(void)
{
	setup("rr", 3, NULL, NULL);
	for (int i = 0; i < 3; i++)
		policy->enqueue(&ent[i], now);
	CHECK(pick(now) == 0);
	CHECK(!policy->tick(&ent[0], Q - 1, now));
	CHECK(policy->tick(&ent[0], 1, now));
	policy->enqueue(&ent[0], now);
	short_run(1, 10 * US);
	policy->wake(&ent[1], now);
	full_quantum(2);
	full_quantum(0);
	full_quantum(1);
	CHECK(ent[0].reclassified == 0 && ent[0].total_ns == 2 * Q);
	CHECK(pick(now) == 2); /* a yield half-way keeps the rest of the quantum, no fresh one */
	now += Q / 2;
	CHECK(!policy->tick(&ent[2], Q / 2, now));
	policy->enqueue(&ent[2], now);
	full_quantum(0);
	full_quantum(1);
	CHECK(pick(now) == 2);
	now += Q / 2;
	CHECK(policy->tick(&ent[2], Q / 2, now));
}

static void test_hysteresis(void)
{
	static const unsigned long rel[] = {1 * MS};

	setup("joint", 1, NULL, rel);
	policy->enqueue(&ent[0], now);
	CHECK(ent[0].class == SCHED_LATENCY); /* a declared deadline starts latency-sensitive */
	full_quantum(0);
	full_quantum(0);
	short_run(0, 30 * US); /* an early block breaks the streak */
	policy->wake(&ent[0], now);
	full_quantum(0);
	full_quantum(0);
	CHECK(ent[0].class == SCHED_LATENCY && ent[0].reclassified == 0);
	full_quantum(0);
	CHECK(ent[0].class != SCHED_LATENCY && ent[0].reclassified == 1);
	short_run(0, 30 * US);
	policy->wake(&ent[0], now);
	short_run(0, 30 * US);
	policy->wake(&ent[0], now);
	full_quantum(0); /* a full quantum breaks this streak */
	for (int k = 0; k < 2; k++) {
		short_run(0, 30 * US);
		policy->wake(&ent[0], now);
	}
	CHECK(ent[0].class != SCHED_LATENCY);
	short_run(0, 30 * US);
	CHECK(ent[0].class == SCHED_LATENCY && ent[0].reclassified == 2);
}

static void test_edf_order(void)
{
	static const unsigned long rel[] = {3 * MS, 1 * MS, 2 * MS, 1 * MS};

	setup("joint", 4, NULL, rel);
	for (int i = 3; i >= 0; i--)
		policy->wake(&ent[i], now);
	CHECK(pick(now) == 1); /* deadline 1 ms, lower id than 3 */
	CHECK(pick(now) == 3);
	CHECK(pick(now) == 2);
	CHECK(pick(now) == 0);
	CHECK(pick(now) == -1);
}

static void test_limited_preemption(void)
{
	static const unsigned long rel[] = {3 * MS, 1 * MS, 0};

	setup("joint", 3, NULL, rel);
	make_cpu_bound(2);
	next_quantum(); /* CPU-bound time in the share window: the latency class goes first */
	next_quantum();
	CHECK(pick(now) == 2);
	now += 10 * US;
	policy->wake(&ent[0], now);
	CHECK(policy->tick(&ent[2], 10 * US,
			   now)); /* a released LS job preempts a CPU-bound entity */
	policy->enqueue(&ent[2], now);
	CHECK(pick(now) == 0);
	now += 10 * US;
	policy->wake(&ent[1], now);		     /* an earlier deadline than 0's ... */
	CHECK(!policy->tick(&ent[0], 10 * US, now)); /* ... waits for 0 to block */
	now += Q - 10 * US;
	CHECK(policy->tick(&ent[0], Q - 10 * US, now)); /* or to use its quantum */
	policy->enqueue(&ent[0], now);
	CHECK(pick(now) == 1);
}

/*
 * test_admission: a new entity is admitted by what it declared: with a
 * relative deadline latency-sensitive, without one CPU-bound (so a burst of
 * new CPU-bound entities never waits in, or holds up, the EDF queue),
 * created ready (enqueue) or asleep (wake); nothing counts as a class change.
 */
static void test_admission(void)
{
	static const unsigned long rel[] = {1 * MS, 0, 0, 2 * MS};

	setup("joint", 4, NULL, rel);
	policy->enqueue(&ent[1], now);
	policy->enqueue(&ent[0], now);
	policy->wake(&ent[2], now);
	policy->wake(&ent[3], now);
	CHECK(ent[0].class == SCHED_LATENCY && ent[3].class == SCHED_LATENCY);
	CHECK(ent[1].class == SCHED_CPU_BOUND && ent[2].class == SCHED_CPU_BOUND);
	CHECK(pick(now) == 0 && pick(now) == 3); /* EDF's, then the CPU-bound ones */
	CHECK(pick(now) == 1);
	now += 10 * US;
	policy->wake(&ent[0], now);
	CHECK(policy->tick(&ent[1], 10 * US, now)); /* a released job preempts it at once */
	for (int i = 0; i < 4; i++)
		CHECK(ent[i].reclassified == 0);
}

static void test_deadline_postponed(void)
{
	static const unsigned long rel[] = {1 * MS, 1 * MS + 50 * US};

	setup("joint", 2, NULL, rel);
	policy->wake(&ent[0], now);
	policy->wake(&ent[1], now);
	full_quantum(0); /* its deadline moves from 1 ms to Q + 1 ms, after 1's */
	CHECK(ent[0].class == SCHED_LATENCY);
	CHECK(pick(now) == 1);
}

static void test_stride_ratio(void)
{
	static const unsigned weights[] = {1, 2, 3};
	int runs[3] = {0};

	setup("joint", 3, weights, NULL);
	for (int i = 0; i < 3; i++)
		make_cpu_bound(i);
	for (int k = 0; k < 600; k++)
		runs[next_quantum()]++;
	for (int i = 0; i < 3; i++)
		CHECK(abs(runs[i] - 100 * (int)weights[i]) <= 2);
}

static void test_stride_lift(void)
{
	int runs2 = 0;

	setup("joint", 3, NULL, NULL);
	for (int i = 0; i < 3; i++)
		make_cpu_bound(i);
	for (int i = pick(now); i != 2; i = pick(now)) {
		now += Q;
		policy->tick(&ent[i], Q, now);
		policy->enqueue(&ent[i], now);
	}
	short_run_picked(2, 30 * US);
	for (int k = 0; k < 200; k++) /* 2 sleeps through 200 quanta */
		next_quantum();
	policy->wake(&ent[2], now);
	for (int k = 0; k < 6; k++)
		runs2 += next_quantum() == 2;
	CHECK(ent[2].class != SCHED_LATENCY &&
	      runs2 <= 3); /* no burst to "catch up" on its sleep */
}

/* test_stride_join: a new CPU-bound entity joins at the class's pass, not at 0: no burst. */
static void test_stride_join(void)
{
	int runs2 = 0;

	setup("joint", 3, NULL, NULL);
	for (int i = 0; i < 2; i++)
		make_cpu_bound(i);
	for (int k = 0; k < 100; k++)
		next_quantum();
	policy->enqueue(&ent[2], now); /* no deadline: admitted CPU-bound */
	CHECK(ent[2].class == SCHED_CPU_BOUND);
	for (int k = 0; k < 6; k++)
		runs2 += next_quantum() == 2;
	CHECK(runs2 >= 1 && runs2 <= 3); /* its third of 6 quanta, give or take one */
}

static void test_min_share(void)
{
	static const unsigned long rel[] = {1 * MS, 0};
	unsigned long ls_ns = 0, cpu_ns = 0;

	setup("joint", 2, NULL, rel);
	make_cpu_bound(1);
	policy->wake(&ent[0], now);
	while (now < 50 * MS) { /* 0 is always ready again as soon as it blocks */
		int i = pick(now);

		if (i == 0) {
			short_run_picked(0, 90 * US);
			policy->wake(&ent[0], now);
			ls_ns += 90 * US;
		} else {
			CHECK(i == 1);
			now += Q;
			CHECK(policy->tick(&ent[1], Q, now));
			policy->enqueue(&ent[1], now);
			cpu_ns += Q;
		}
	}
	CHECK(cpu_ns * 100 >= 9 * (cpu_ns + ls_ns) && cpu_ns * 100 <= 20 * (cpu_ns + ls_ns));
}

static const struct {
	const char *name;
	void (*run)(void);
} scenarios[] = {
    {"rr", test_rr},
    {"hysteresis", test_hysteresis},
    {"edf_order", test_edf_order},
    {"limited_preemption", test_limited_preemption},
    {"admission", test_admission},
    {"deadline_postponed", test_deadline_postponed},
    {"stride_ratio", test_stride_ratio},
    {"stride_lift", test_stride_lift},
    {"stride_join", test_stride_join},
    {"min_share", test_min_share},
};

int main(int argc, char **argv)
{
	int found = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: test-policy SCENARIO|all\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (strcmp(argv[1], "all") && strcmp(argv[1], scenarios[i].name))
			continue;
		scenario = scenarios[i].name;
		fflush(stdout);
		scenarios[i].run();
		printf("PASS %s\n", scenarios[i].name);
		found = 1;
	}
	if (!found)
		fprintf(stderr, "test-policy: no scenario '%s'\n", argv[1]);
	return found ? 0 : 2;
}

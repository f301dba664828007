/*
 * test_policy.c: scripted unit tests of the lab-3 policies, driven through
 * bridge.c exactly as sched-sim drives them: each scenario plays the
 * caller's side of sched_policy.h step by step and checks the policy's
 * choices. It covers what sched-sim's workloads do not show: hysteresis,
 * deadline postponement, limited preemption, stride ratios and the pass
 * lift, the CPU-bound minimum share.
 *
 *   test-policy SCENARIO   (one of the names in scenarios[], or "all")
 *
 * Prints "PASS name" per scenario; the first failed check prints
 * "FAIL test_policy.c:LINE: condition" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define US 1000UL
#define MS 1000000UL
#define Q  bridge_quantum_ns

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static unsigned long now; /* the scenario's clock, ns */

/* setup: select policy and create n entities with the given weights (NULL: 1) and deadlines. */
static void setup(const char *policy, int n, const unsigned *weights, const unsigned long *rel)
{
	CHECK(bridge_select(policy) == 0);
	now = 0;
	for (int i = 0; i < n; i++)
		bridge_add(i, weights ? weights[i] : 1, rel ? rel[i] : 0);
}

/* full_quantum: pick must choose i; it runs a whole quantum and is preempted. */
static void full_quantum(int i)
{
	CHECK(bridge_pick(now) == i);
	now += Q;
	CHECK(bridge_tick(i, Q, now));
	bridge_enqueue(i, now);
}

/* short_run_picked: i, just picked, runs ran_ns (< a quantum) and blocks. */
static void short_run_picked(int i, unsigned long ran_ns)
{
	now += ran_ns;
	CHECK(!bridge_tick(i, ran_ns, now));
	bridge_block(i, now);
}

/* short_run: pick must choose i; it runs ran_ns (< a quantum) and blocks. */
static void short_run(int i, unsigned long ran_ns)
{
	CHECK(bridge_pick(now) == i);
	short_run_picked(i, ran_ns);
}

/* next_quantum: whatever pick chooses runs a whole quantum and is preempted; returns it. */
static int next_quantum(void)
{
	int i = bridge_pick(now);

	CHECK(i >= 0);
	now += Q;
	CHECK(bridge_tick(i, Q, now));
	bridge_enqueue(i, now);
	return i;
}

/*
 * make_cpu_bound: enqueue new entity i; run quanta until it shows itself
 * CPU-bound (a policy that never reclassifies fails here, after 100 quanta
 * of other entities too). It stays ready.
 */
static void make_cpu_bound(int i)
{
	bridge_enqueue(i, now);
	for (int k = 0; bridge_latency(i); k++) {
		CHECK(k < 100);
		next_quantum();
	}
}

static void test_rr(void)
{
	setup("rr", 3, NULL, NULL);
	for (int i = 0; i < 3; i++)
		bridge_enqueue(i, now);
	CHECK(bridge_pick(now) == 0);
	CHECK(!bridge_tick(0, Q - 1, now));
	CHECK(bridge_tick(0, 1, now));
	bridge_enqueue(0, now);
	short_run(1, 10 * US);
	bridge_wake(1, now);
	full_quantum(2);
	full_quantum(0);
	full_quantum(1);
	CHECK(bridge_reclassified(0) == 0 && bridge_total_ns(0) == 2 * Q);
}

static void test_hysteresis(void)
{
	setup("joint", 1, NULL, NULL);
	bridge_enqueue(0, now);
	CHECK(bridge_latency(0)); /* new entities start latency-sensitive */
	full_quantum(0);
	full_quantum(0);
	short_run(0, 30 * US); /* an early block breaks the streak */
	bridge_wake(0, now);
	full_quantum(0);
	full_quantum(0);
	CHECK(bridge_latency(0) && bridge_reclassified(0) == 0);
	full_quantum(0);
	CHECK(!bridge_latency(0) && bridge_reclassified(0) == 1);
	short_run(0, 30 * US);
	bridge_wake(0, now);
	short_run(0, 30 * US);
	bridge_wake(0, now);
	full_quantum(0); /* a full quantum breaks this streak */
	for (int k = 0; k < 2; k++) {
		short_run(0, 30 * US);
		bridge_wake(0, now);
	}
	CHECK(!bridge_latency(0));
	short_run(0, 30 * US);
	CHECK(bridge_latency(0) && bridge_reclassified(0) == 2);
}

static void test_edf_order(void)
{
	static const unsigned long rel[] = {3 * MS, 1 * MS, 2 * MS, 1 * MS};

	setup("joint", 4, NULL, rel);
	for (int i = 3; i >= 0; i--)
		bridge_wake(i, now);
	CHECK(bridge_pick(now) == 1); /* deadline 1 ms, lower id than 3 */
	CHECK(bridge_pick(now) == 3);
	CHECK(bridge_pick(now) == 2);
	CHECK(bridge_pick(now) == 0);
	CHECK(bridge_pick(now) == -1);
}

static void test_limited_preemption(void)
{
	static const unsigned long rel[] = {3 * MS, 1 * MS, 0};

	setup("joint", 3, NULL, rel);
	make_cpu_bound(2);
	next_quantum(); /* CPU-bound time in the share window: the latency class goes first */
	next_quantum();
	CHECK(bridge_pick(now) == 2);
	now += 10 * US;
	bridge_wake(0, now);
	CHECK(bridge_tick(2, 10 * US, now)); /* a released LS job preempts a CPU-bound entity */
	bridge_enqueue(2, now);
	CHECK(bridge_pick(now) == 0);
	now += 10 * US;
	bridge_wake(1, now);		      /* an earlier deadline than 0's ... */
	CHECK(!bridge_tick(0, 10 * US, now)); /* ... waits for 0 to block */
	now += Q - 10 * US;
	CHECK(bridge_tick(0, Q - 10 * US, now)); /* or to use its quantum */
	bridge_enqueue(0, now);
	CHECK(bridge_pick(now) == 1);
}

static void test_deadline_postponed(void)
{
	static const unsigned long rel[] = {1 * MS, 1 * MS + 50 * US};

	setup("joint", 2, NULL, rel);
	bridge_wake(0, now);
	bridge_wake(1, now);
	full_quantum(0); /* its deadline moves from 1 ms to Q + 1 ms, after 1's */
	CHECK(bridge_latency(0));
	CHECK(bridge_pick(now) == 1);
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
	for (int i = bridge_pick(now); i != 2; i = bridge_pick(now)) {
		now += Q;
		bridge_tick(i, Q, now);
		bridge_enqueue(i, now);
	}
	short_run_picked(2, 30 * US);
	for (int k = 0; k < 200; k++) /* 2 sleeps through 200 quanta */
		next_quantum();
	bridge_wake(2, now);
	for (int k = 0; k < 6; k++)
		runs2 += next_quantum() == 2;
	CHECK(!bridge_latency(2) && runs2 <= 3); /* no burst to "catch up" on its sleep */
}

static void test_min_share(void)
{
	static const unsigned long rel[] = {1 * MS, 0};
	unsigned long ls_ns = 0, cpu_ns = 0;

	setup("joint", 2, NULL, rel);
	make_cpu_bound(1);
	bridge_wake(0, now);
	while (now < 50 * MS) { /* 0 is always ready again as soon as it blocks */
		int i = bridge_pick(now);

		if (i == 0) {
			short_run_picked(0, 90 * US);
			bridge_wake(0, now);
			ls_ns += 90 * US;
		} else {
			CHECK(i == 1);
			now += Q;
			CHECK(bridge_tick(1, Q, now));
			bridge_enqueue(1, now);
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
    {"deadline_postponed", test_deadline_postponed},
    {"stride_ratio", test_stride_ratio},
    {"stride_lift", test_stride_lift},
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
		scenarios[i].run();
		printf("PASS %s\n", scenarios[i].name);
		found = 1;
	}
	if (!found)
		fprintf(stderr, "test-policy: no scenario '%s'\n", argv[1]);
	return found ? 0 : 2;
}

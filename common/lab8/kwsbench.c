/*
 * kwsbench.c: the monitor command
 *
 *     kwsbench rr|joint LOAD [ms=D] [period-us=P] [seed=S]
 *
 * lab 8's capstone (handout/lab8-metrics.md, "The capstone"): a
 * keyword-spotting service with deadlines next to CPU-bound background
 * work, under POLICY for D ms of virtual time (default 3600) with one
 * request every P us (default 120000, tools/experiment's: four inferences
 * of the reference's on either arch fit in it). It starts the user task kws (user/lab8/kws.c: the client and
 * the background threads; it spawns the server kwsd) with the run's
 * parameters in its start argument, then, from this thread, signals kws's
 * notification (its slot KWS_SLOT_TICK) at every release, on whole periods
 * from a start 50 ms ahead (time for kwsd's model and the calibration),
 * and once more when the run is over. kws prints the service's numbers;
 * this command then prints the kernel's over the run (the same counters
 * as schedbench's summary; overhead_pct is decisions and switches, their
 * instructions, over the run's time; utilization_pct is the time the idle
 * thread did not run):
 *     kws_scheduler policy P switches N decisions N decision_instr_mean N
 *       switch_instr_mean N overhead_pct X utilization_pct X timer_irqs N
 * The release signal comes from a kernel thread, which the policy
 * schedules as any other: under RR it waits its turn behind the running
 * quantum, and that wait counts in the request's latency (its release is
 * the nominal time).
 *
 *     policy [rr|joint]
 *
 * says which policy schedules, or switches to one for good: the capstone as
 * a static Linux program (user/lab6/linux/lxkws.c, run from lab 5's shell)
 * runs under whatever policy its processes find, and sched_use_policy
 * refuses (-EBUSY) once any other thread exists, so it is chosen before
 * `run init` (tools/experiment: `policy joint`, then `run init`, then
 * `lxkws LOAD` in the shell). Provided code (not a hole).
 */
#include "kernel.h"
#include "arch.h"
#include "string.h"
#include "errno.h"
#include "monitor.h"
#include "thread.h"
#include "task.h"
#include "cap.h"
#include "ipc.h"

/* user/lab8/kws.h's numbers (user programs and the kernel share only kit/). */
#define KWS_SLOT_TICK	 9
#define KWS_TICK_RELEASE 1UL
#define KWS_TICK_END	 2UL
#define KWS_ARG(start_ms, period_us, n, load, seed)                                                \
	((start_ms) | (period_us) << 22 | (n) << 39 | (load) << 51 | (seed) << 60)
#define START_LAG_NS (50 * NSEC_PER_MSEC)

/* tick: OR bits into t's tick notification, if it has made one (its slot holds one). */
static bool tick(struct task *t, unsigned long bits)
{
	bool was = arch_irq_save(), ok = false;
	struct cte *c = cap_lookup(t->cspace, KWS_SLOT_TICK);
	if (c && c->cap.type == KIT_CAP_NOTIFICATION) {
		ntfn_signal(c->cap.obj, bits);
		ok = true;
	}
	arch_irq_restore(was);
	return ok;
}

/* pct: 100 * num / den with two decimals, into buf. */
static const char *pct(char *buf, size_t size, uint64_t num, uint64_t den)
{
	uint64_t v = den ? 10000 * num / den : 0;
	snprintf(buf, size, "%lu.%02lu", (unsigned long)(v / 100), (unsigned long)(v % 100));
	return buf;
}

static int mon_kwsbench(int argc, char **argv)
{
	static const struct sched_policy *const policies[] = {&sched_rr, &sched_joint};
	const struct sched_policy *p = NULL;
	unsigned long load = 0, ms = 3600, period_us = 120000, seed = 1;

	for (size_t i = 0; argc >= 2 && i < ARRAY_SIZE(policies); i++)
		if (strcmp(argv[1], policies[i]->name) == 0)
			p = policies[i];
	if (argc >= 3)
		load = strtoul(argv[2], NULL, 10);
	for (int i = 3; p && i < argc; i++) {
		char *v = strchr(argv[i], '=');
		if (!v) {
			p = NULL;
			break;
		}
		*v++ = 0;
		if (strcmp(argv[i], "ms") == 0)
			ms = strtoul(v, NULL, 10);
		else if (strcmp(argv[i], "period-us") == 0)
			period_us = strtoul(v, NULL, 10);
		else if (strcmp(argv[i], "seed") == 0)
			seed = strtoul(v, NULL, 10);
		else
			p = NULL;
	}
	unsigned long n = period_us ? ms * 1000 / period_us : 0;
	if (!p || !load || load > 250 || !period_us || period_us > 0x1ffff || !n || n > 0xfff ||
	    !seed || seed > 15) {
		kprintf("usage: kwsbench rr|joint LOAD [ms=D] [period-us=P] [seed=S] (LOAD 1..250, "
			"P up to 131071, D / P requests 1..4095, S 1..15)\n");
		return -EINVAL;
	}

	const struct sched_policy *old = sched_policy_current();
	int err = sched_use_policy(p);
	if (err < 0) {
		kprintf("kwsbench: sched_use_policy(%s) returned %s\n", p->name, errstr(err));
		return err;
	}
	uint64_t start = (arch_time_ns() + START_LAG_NS) / NSEC_PER_MSEC * NSEC_PER_MSEC;
	uint64_t period = period_us * 1000, end = start + n * period;
	struct task *t;
	err = task_create(&t, boot_module_find("kws"),
			  KWS_ARG(start / NSEC_PER_MSEC, period_us, n, load, seed), false);
	if (err) {
		kprintf("kwsbench: kws: %s\n", errstr(err));
		sched_use_policy(old);
		return err;
	}
	kprintf("== kwsbench policy=%s load=%lu ms=%lu period_us=%lu seed=%lu\n", p->name, load, ms,
		period_us, seed);
	/* Counters from just before the first release: kws and kwsd are set up and waiting. */
	thread_sleep_until(start - NSEC_PER_MSEC / 100);
	sched_stats_reset();
	unsigned long lost = 0;
	for (unsigned long k = 0; k < n; k++) {
		thread_sleep_until(start + k * period);
		lost += !tick(t, KWS_TICK_RELEASE);
	}
	thread_sleep_until(end);
	struct sched_stats st;
	sched_stats_get(&st);
	uint64_t len = arch_time_ns() - start;
	tick(t, KWS_TICK_END);
	long code;
	err = task_wait(t, &code);
	sched_use_policy(old);
	if (err || code) {
		kprintf("kwsbench: kws ended with %ld (%s)\n", code, errstr(err));
		return err ? err : -EIO;
	}
	char b1[24], b2[24];
	uint64_t idle = st.idle_ns < len ? st.idle_ns : len;
	kprintf("kws_scheduler policy %s switches %lu decisions %lu decision_instr_mean %lu "
		"switch_instr_mean %lu overhead_pct %s utilization_pct %s timer_irqs %lu "
		"releases_unsignalled %lu\n",
		p->name, (unsigned long)st.switches, (unsigned long)st.decisions,
		(unsigned long)(st.decisions ? st.decision_instr / st.decisions : 0),
		(unsigned long)(st.switches ? st.switch_instr / st.switches : 0),
		pct(b1, sizeof(b1), st.decision_instr + st.switch_instr, len),
		pct(b2, sizeof(b2), len - idle, len), (unsigned long)st.timer_irqs, lost);
	return 0;
}
MONITOR_CMD("kwsbench",
	    "lab 8's keyword-spotting service against background: kwsbench rr|joint LOAD ...",
	    mon_kwsbench);

static int mon_policy(int argc, char **argv)
{
	static const struct sched_policy *const policies[] = {&sched_rr, &sched_joint};
	const struct sched_policy *p = NULL;

	if (argc == 1) {
		kprintf("policy %s\n", sched_policy_current()->name);
		return 0;
	}
	for (size_t i = 0; argc == 2 && i < ARRAY_SIZE(policies); i++)
		if (strcmp(argv[1], policies[i]->name) == 0)
			p = policies[i];
	if (!p) {
		kprintf("usage: policy [rr|joint]\n");
		return -EINVAL;
	}
	int err = sched_use_policy(p);
	if (err < 0)
		kprintf("policy: sched_use_policy(%s) returned %s (before `run init` only)\n",
			p->name, errstr(err));
	else
		kprintf("policy %s\n", p->name);
	return err;
}
MONITOR_CMD("policy", "policy [rr|joint]: the scheduling policy from now on (before run init)",
	    mon_policy);

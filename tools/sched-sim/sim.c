/*
 * sim.c: sched-sim, a discrete-event simulator of one CPU that runs the
 * lab-3 scheduling policies (sched_rr.c, sched_joint.c, through sched_policy.h)
 * on a seeded mix of CPU-bound and periodic latency-sensitive tasks, and
 * reports per-epoch and whole-run metrics. See README.md for the columns.
 *
 *   sched-sim --policy rr|joint --load PCT --seed S --duration-ms D --epoch-ms E
 *             [--csv FILE] [--cpu-tasks N] [--ls-util PCT] [--weights W1,W2,...]
 *             [--switch-ns NS]
 *
 * The machine: one CPU, a clock in ns. Dispatching a task other than the
 * one that ran last (an idle CPU counts as none) costs --switch-ns of CPU
 * time (default 2,000) in which nothing runs. A one-shot timer fires when
 * the running task has used its quantum (SCHED_SCHED_QUANTUM_NS less what it used
 * before being preempted early), and the policy's tick is called then, after
 * every job release while a task runs, and before a task blocks.
 *
 * The load: --load L is the demand on the CPU in percent of its capacity,
 * made by sched_workload_make (sched_workload.h) from
 * --load, --seed, --cpu-tasks, --ls-util and --weights: periodic
 * latency-sensitive (LS) tasks and CPU-bound ones. An LS job runs C_i, then
 * the task sleeps until its next release; a late task starts its next
 * released job at once, without sleeping; a job whose deadline passed
 * before it could start is dropped. CPU-bound tasks never block, so they
 * take whatever the LS tasks leave.
 *
 * Metrics: a job's response time is its completion minus its release; it
 * misses when it completes after release + P_i, or is dropped. Jobs still
 * unfinished at the end whose deadline has passed count as misses too
 * (summary only).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define NS_PER_MS 1000000UL

struct task {
	struct sched_entity se;	   /* the policy's state of the task; se.id is its index */
	int ls;			   /* latency-sensitive (periodic) or CPU-bound */
	unsigned weight;	   /* CPU-bound share weight */
	unsigned long cost_ns;	   /* LS: C_i, per job */
	unsigned long period_ns;   /* LS: P_i, also the relative deadline */
	unsigned long offset_ns;   /* LS: the first release */
	unsigned long released;	   /* LS: jobs released so far */
	unsigned long done;	   /* LS: jobs completed so far */
	unsigned long left_ns;	   /* LS: CPU time the current job still needs */
	int asleep;		   /* LS: blocked until the next release */
	unsigned long misses;	   /* LS: jobs completed late or dropped */
	unsigned long max_resp_ns; /* LS: the worst response */
};

/* Counters over an epoch or the whole run. */
struct stats {
	unsigned long busy_ns;	  /* tasks ran */
	unsigned long cpu_ns;	  /* CPU-bound tasks ran */
	unsigned long class_ns;	  /* entities in the policy's CPU-bound class ran */
	unsigned long switch_ns;  /* context switching */
	unsigned long jobs;	  /* LS jobs completed */
	unsigned long misses;	  /* LS jobs completed after their deadline, or dropped */
	unsigned long dropped;	  /* of those, dropped */
	unsigned long switches;	  /* context switches */
	unsigned long decisions;  /* pick_next calls */
	unsigned long reclass;	  /* class changes */
	unsigned long resp_first; /* the index in resp of the first response in this span */
};

static struct config {
	const char *policy, *csv;
	unsigned long load, seed, duration_ms, epoch_ms, cpu_tasks, ls_util, switch_ns;
	unsigned weights[SCHED_WL_MAX_TASKS];
	int nweights;
} cfg = {.policy = "joint",
	 .load = 100,
	 .seed = 1,
	 .duration_ms = 1000,
	 .epoch_ms = 100,
	 .cpu_tasks = SCHED_WL_FROM_LOAD, /* not given: follow --load */
	 .ls_util = SCHED_WL_FROM_LOAD,
	 .switch_ns = 2000,
	 .weights = {1},
	 .nweights = 1};

static struct task tasks[SCHED_WL_MAX_TASKS];
static int ntasks, nls;
static const struct sched_policy *policy; /* --policy */

/* The CPU: what runs, since when, and what the policy has not been told yet. */
static struct cpu {
	unsigned long now;   /* the simulated clock, ns */
	int run;	     /* the running task, -1 when idle */
	int last;	     /* the task that ran last, -1 after idling */
	unsigned long start; /* when run's uncharged time began (after its switch) */
	unsigned long pend;  /* run's CPU time not yet charged with tick */
	unsigned long timer; /* when run's quantum ends */
	int recheck;	     /* a release came during run's switch: tick when it starts */
	int repick;	     /* the CPU needs pick_next */
} cpu = {.run = -1, .last = -1, .repick = 1};

static struct stats epoch, run;
static unsigned long *resp; /* response times of completed jobs, ns, in completion order */
static unsigned long nresp, resp_cap;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "sched-sim: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* release_ns: when job k of LS task t is released. */
static unsigned long release_ns(const struct task *t, unsigned long k)
{
	return t->offset_ns + k * t->period_ns;
}

/* make_workload: the tasks of cfg (see sched_workload.h), registered with the policy. */
static void make_workload(void)
{
	struct sched_wl_config c = {.load = cfg.load,
				    .seed = cfg.seed,
				    .cpu_tasks = cfg.cpu_tasks,
				    .ls_util = cfg.ls_util,
				    .weights = cfg.weights,
				    .nweights = cfg.nweights};
	struct sched_wl_task wl[SCHED_WL_MAX_TASKS];

	ntasks = sched_workload_make(&c, wl);
	if (ntasks < 0)
		die("--cpu-tasks %lu: too many tasks (at most %d in all)", cfg.cpu_tasks,
		    SCHED_WL_MAX_TASKS);
	for (int i = 0; i < ntasks; i++) {
		tasks[i] = (struct task){
		    .se = {.id = i, .weight = wl[i].weight, .rel_deadline_ns = wl[i].period_ns},
		    .ls = wl[i].ls,
		    .weight = wl[i].weight,
		    .cost_ns = wl[i].cost_ns,
		    .period_ns = wl[i].period_ns,
		    .offset_ns = wl[i].offset_ns,
		    .asleep = wl[i].ls};
		nls += wl[i].ls;
		if (!tasks[i].ls)
			policy->enqueue(&tasks[i].se, 0);
	}
}

/* pick: the index of the task the policy picks to run next, or -1 for none. */
static int pick(unsigned long now_ns)
{
	struct sched_entity *e = policy->pick_next(now_ns);

	return e ? e->id : -1;
}

/* count: add n to a counter of both the epoch and the run. */
#define COUNT(field, n) (epoch.field += (n), run.field += (n))

/* record: keep response time r_ns of a completed job. */
static void record(unsigned long r_ns)
{
	if (nresp == resp_cap) {
		resp_cap = resp_cap ? 2 * resp_cap : 4096;
		resp = realloc(resp, resp_cap * sizeof(*resp));
		if (!resp)
			die("out of memory");
	}
	resp[nresp++] = r_ns;
}

/* stop: the running task left the CPU; pick_next is due. */
static void stop(void)
{
	cpu.run = -1;
	cpu.repick = 1;
	cpu.recheck = 0;
}

/* charge: tick the running task with its uncharged time; preempt it if the policy says so. */
static int charge(void)
{
	int i = cpu.run;
	unsigned long ran = cpu.pend;

	cpu.pend = 0;
	if (!policy->tick(&tasks[i].se, ran, cpu.now))
		return 0;
	policy->enqueue(&tasks[i].se, cpu.now);
	stop();
	return 1;
}

/* dispatch: run what the policy picks; a task other than the last one pays a switch. */
static void dispatch(void)
{
	int i = pick(cpu.now);
	unsigned long ran;

	COUNT(decisions, 1);
	cpu.repick = 0;
	cpu.recheck = 0;
	cpu.pend = 0;
	cpu.run = i;
	if (i < 0) {
		cpu.last = -1;
		return;
	}
	cpu.start = cpu.now;
	if (i != cpu.last) {
		COUNT(switches, 1);
		cpu.start += cfg.switch_ns;
	}
	cpu.last = i;
	ran = tasks[i].se.ran_ns;
	cpu.timer =
	    cpu.start + (ran < SCHED_QUANTUM_NS ? SCHED_QUANTUM_NS - ran : SCHED_QUANTUM_NS);
}

/* next_event: the time of the first event after now, at most limit. */
static unsigned long next_event(unsigned long limit)
{
	unsigned long t = limit, from = cpu.start > cpu.now ? cpu.start : cpu.now;

	for (int i = 0; i < nls; i++) {
		unsigned long r = release_ns(&tasks[i], tasks[i].released);

		t = r < t ? r : t;
	}
	if (cpu.run < 0)
		return t;
	t = cpu.timer < t ? cpu.timer : t;
	if (tasks[cpu.run].ls && from + tasks[cpu.run].left_ns < t)
		t = from + tasks[cpu.run].left_ns; /* the job completes */
	if (cpu.recheck && cpu.start < t)
		t = cpu.start;
	return t;
}

/* advance: move the clock to t, charging the switch and the running task's work up to t. */
static void advance(unsigned long t)
{
	unsigned long from = cpu.now, d;

	cpu.now = t;
	if (cpu.run < 0)
		return;
	if (cpu.start > from) {
		d = (t < cpu.start ? t : cpu.start) - from;
		COUNT(switch_ns, d);
		from += d;
	}
	d = t - from;
	COUNT(busy_ns, d);
	if (tasks[cpu.run].ls)
		tasks[cpu.run].left_ns -= d;
	else
		COUNT(cpu_ns, d);
	if (tasks[cpu.run].se.class != SCHED_LATENCY)
		COUNT(class_ns, d);
	cpu.pend += d;
}

/*
 * complete: the running LS task finished its job. Released jobs whose deadline
 * (the next release) has passed are dropped; it starts the next one if it is
 * released, else it sleeps.
 */
static void complete(void)
{
	int i = cpu.run;
	struct task *t = &tasks[i];
	unsigned long rel = release_ns(t, t->done), r = cpu.now - rel;

	record(r);
	COUNT(jobs, 1);
	if (r > t->period_ns) {
		COUNT(misses, 1);
		t->misses++;
	}
	t->max_resp_ns = r > t->max_resp_ns ? r : t->max_resp_ns;
	for (t->done++; t->done < t->released && release_ns(t, t->done + 1) <= cpu.now; t->done++) {
		COUNT(misses, 1);
		COUNT(dropped, 1);
		t->misses++;
	}
	if (t->done < t->released) {
		t->left_ns = t->cost_ns;
		rel = release_ns(t, t->done);
		tasks[i].se.release_ns = rel;
		tasks[i].se.deadline_ns = rel + t->period_ns;
		return;
	}
	policy->tick(&tasks[i].se, cpu.pend, cpu.now); /* charge only: it blocks either way */
	cpu.pend = 0;
	policy->block(&tasks[i].se, cpu.now);
	t->asleep = 1;
	stop();
}

/* release: LS task i's next job is released now; a sleeping task wakes, else the job waits. */
static void release(int i)
{
	struct task *t = &tasks[i];

	t->released++;
	if (!t->asleep)
		return;
	t->asleep = 0;
	t->left_ns = t->cost_ns;
	policy->wake(&tasks[i].se, cpu.now);
	if (cpu.run < 0)
		cpu.repick = 1;
	else if (cpu.start > cpu.now)
		cpu.recheck = 1;
	else
		charge();
}

/* events: handle what happens at cpu.now: a completion, the quantum timer, releases. */
static void events(void)
{
	unsigned long ran;

	if (cpu.run >= 0 && tasks[cpu.run].ls && !tasks[cpu.run].left_ns)
		complete();
	if (cpu.run >= 0 && cpu.now >= cpu.timer && !charge()) {
		ran = tasks[cpu.run].se.ran_ns;
		cpu.timer =
		    cpu.now + (ran < SCHED_QUANTUM_NS ? SCHED_QUANTUM_NS - ran : SCHED_QUANTUM_NS);
	}
	for (int i = 0; i < nls; i++)
		while (release_ns(&tasks[i], tasks[i].released) <= cpu.now)
			release(i);
	if (cpu.run >= 0 && cpu.recheck && cpu.start <= cpu.now) {
		cpu.recheck = 0;
		charge();
	}
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return (x > y) - (x < y);
}

/* resp_stats: mean and p99 (nearest rank) of resp[first..nresp), in us; sorts that span. */
static void resp_stats(unsigned long first, double *mean_us, double *p99_us)
{
	unsigned long n = nresp - first, sum = 0;

	*mean_us = *p99_us = 0;
	if (!n)
		return;
	qsort(resp + first, n, sizeof(*resp), cmp_ulong);
	for (unsigned long i = first; i < nresp; i++)
		sum += resp[i];
	*mean_us = sum / 1e3 / n;
	*p99_us = resp[first + (99 * n + 99) / 100 - 1] / 1e3;
}

static unsigned long reclass_total(void)
{
	unsigned long sum = 0;

	for (int i = 0; i < ntasks; i++)
		sum += tasks[i].se.reclassified;
	return sum;
}

static const char columns[] =
    "epoch  end_ms   util%%    cpu%%  ls_mean_us  ls_p99_us    jobs  misses  switches  "
    "decisions  reclass\n";

/* report_epoch: print (and write to csv) epoch n, which ended now and lasted len_ns; reset it. */
static void report_epoch(int n, unsigned long len_ns, FILE *csv)
{
	static unsigned long reclass_seen;
	unsigned long reclass = reclass_total();
	double mean, p99, util = 100.0 * epoch.busy_ns / len_ns,
			  cpu_pct = 100.0 * epoch.cpu_ns / len_ns;
	char m[32] = "-", p[32] = "-";

	COUNT(reclass, reclass - reclass_seen);
	reclass_seen = reclass;
	resp_stats(epoch.resp_first, &mean, &p99);
	if (epoch.jobs) {
		snprintf(m, sizeof(m), "%.2f", mean);
		snprintf(p, sizeof(p), "%.2f", p99);
	}
	printf("%5d  %6lu  %6.2f  %6.2f  %10s  %9s  %6lu  %6lu  %8lu  %9lu  %7lu\n", n,
	       cpu.now / NS_PER_MS, util, cpu_pct, m, p, epoch.jobs, epoch.misses, epoch.switches,
	       epoch.decisions, epoch.reclass);
	if (csv)
		fprintf(csv, "%d,%lu,%.2f,%.2f,%s,%s,%lu,%lu,%lu,%lu,%lu\n", n, cpu.now / NS_PER_MS,
			util, cpu_pct, epoch.jobs ? m : "", epoch.jobs ? p : "", epoch.jobs,
			epoch.misses, epoch.switches, epoch.decisions, epoch.reclass);
	epoch = (struct stats){.resp_first = nresp};
}

/* late_unfinished: jobs released but not completed by now whose deadline has passed. */
static unsigned long late_unfinished(void)
{
	unsigned long late = 0;

	for (int i = 0; i < nls; i++)
		for (unsigned long k = tasks[i].done; k < tasks[i].released; k++)
			late += release_ns(&tasks[i], k) + tasks[i].period_ns <= cpu.now;
	return late;
}

/* report_tasks: one line per task: CPU-bound share against its weighted fair share; LS jobs. */
static void report_tasks(void)
{
	unsigned long cpu_total = 0, weights = 0;

	for (int i = nls; i < ntasks; i++) {
		cpu_total += tasks[i].se.total_ns;
		weights += tasks[i].weight;
	}
	printf("cpu_task id weight cpu_ms share_pct fair_pct error_pct\n");
	for (int i = nls; i < ntasks; i++) {
		double share = cpu_total ? 100.0 * tasks[i].se.total_ns / cpu_total : 0;
		double fair = 100.0 * tasks[i].weight / weights;

		printf("cpu_task %d %u %.3f %.3f %.3f %.3f\n", i, tasks[i].weight,
		       tasks[i].se.total_ns / 1e6, share, fair,
		       100.0 * (share > fair ? share - fair : fair - share) / fair);
	}
	printf("ls_task id cost_us period_us jobs misses max_us class\n");
	for (int i = 0; i < nls; i++)
		printf("ls_task %d %lu %.3f %lu %lu %.2f %s\n", i, tasks[i].cost_ns / 1000,
		       tasks[i].period_ns / 1e3, tasks[i].done, tasks[i].misses,
		       tasks[i].max_resp_ns / 1e3,
		       tasks[i].se.class == SCHED_LATENCY ? "latency" : "cpu-bound");
}

/* report_run: the summary block over the whole run. */
static void report_run(void)
{
	double len = cpu.now, mean, p99;
	unsigned long late = late_unfinished(), judged = run.jobs + run.dropped + late;
	double other = len - run.busy_ns - run.switch_ns;

	resp_stats(0, &mean, &p99);
	printf("== summary policy=%s load=%lu seed=%lu duration_ms=%lu\n", cfg.policy, cfg.load,
	       cfg.seed, cfg.duration_ms);
	printf("utilization_pct %.2f cpu_bound %.2f latency %.2f switching %.2f idle %.2f\n",
	       100.0 * run.busy_ns / len, 100.0 * run.cpu_ns / len,
	       100.0 * (run.busy_ns - run.cpu_ns) / len, 100.0 * run.switch_ns / len,
	       100.0 * other / len);
	printf("class_share_pct cpu_bound %.2f latency %.2f\n",
	       run.busy_ns ? 100.0 * run.class_ns / run.busy_ns : 0.0,
	       run.busy_ns ? 100.0 - 100.0 * run.class_ns / run.busy_ns : 0.0);
	printf("ls_response_us mean %.2f p99 %.2f max %.2f\n", mean, p99,
	       nresp ? resp[nresp - 1] / 1e3 : 0.0);
	printf("ls_response_cdf_us");
	for (unsigned long pct = 0, rank; pct <= 100; pct++) {
		rank = (pct * nresp + 99) / 100;
		printf(" p%lu %.2f", pct, nresp ? resp[rank ? rank - 1 : 0] / 1e3 : 0.0);
	}
	printf("\n");
	printf("ls_deadlines jobs %lu misses %lu dropped %lu late_unfinished %lu miss_pct %.3f\n",
	       run.jobs, run.misses, run.dropped, late,
	       judged ? 100.0 * (run.misses + late) / judged : 0.0);
	printf("scheduler switches %lu decisions %lu reclassifications %lu\n", run.switches,
	       run.decisions, run.reclass);
	report_tasks();
}

/* simulate: run the workload for the configured duration, reporting each epoch. */
static void simulate(FILE *csv)
{
	unsigned long end = cfg.duration_ms * NS_PER_MS, step = cfg.epoch_ms * NS_PER_MS;
	unsigned long next = step < end ? step : end, begun = 0;
	int n = 0;

	while (cpu.now < end) {
		if (cpu.run < 0 && cpu.repick)
			dispatch();
		advance(next_event(next));
		events();
		if (cpu.now < next)
			continue;
		report_epoch(n++, cpu.now - begun, csv);
		begun = cpu.now;
		next = next + step < end ? next + step : end;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: sched-sim --policy rr|joint --load PCT --seed S --duration-ms D "
			"--epoch-ms E [--csv FILE]\n"
			"                 [--cpu-tasks N] [--ls-util PCT] [--weights W1,W2,...] "
			"[--switch-ns NS]\n");
	exit(2);
}

/* number: the decimal number s, or die naming option name. */
static unsigned long number(const char *name, const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || *s == '-')
		die("--%s: not a number: '%s'", name, s);
	return v;
}

/* parse_weights: the comma-separated weights in s, each >= 1. */
static void parse_weights(const char *s)
{
	char buf[256], *tok, *save;

	if (strlen(s) >= sizeof(buf))
		die("--weights: too long");
	strcpy(buf, s);
	cfg.nweights = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (cfg.nweights == SCHED_WL_MAX_TASKS)
			die("--weights: at most %d", SCHED_WL_MAX_TASKS);
		cfg.weights[cfg.nweights] = number("weights", tok);
		if (!cfg.weights[cfg.nweights++])
			die("--weights: a weight is at least 1");
	}
	if (!cfg.nweights)
		die("--weights: none given");
}

/* parse: fill cfg from the command line and select the policy; die on a bad one. */
static void parse(int argc, char **argv)
{
	static const struct option opts[] = {{"policy", 1, 0, 0},   {"csv", 1, 0, 0},
					     {"weights", 1, 0, 0},  {"load", 1, 0, 0},
					     {"seed", 1, 0, 0},	    {"duration-ms", 1, 0, 0},
					     {"epoch-ms", 1, 0, 0}, {"cpu-tasks", 1, 0, 0},
					     {"ls-util", 1, 0, 0},  {"switch-ns", 1, 0, 0},
					     {0, 0, 0, 0}};
	unsigned long *const numbers[] = {&cfg.load,	 &cfg.seed,	 &cfg.duration_ms,
					  &cfg.epoch_ms, &cfg.cpu_tasks, &cfg.ls_util,
					  &cfg.switch_ns};
	int c, i;

	while ((c = getopt_long(argc, argv, "", opts, &i)) != -1) {
		if (c)
			usage(); /* getopt_long has said what is wrong */
		if (i == 0)
			cfg.policy = optarg;
		else if (i == 1)
			cfg.csv = optarg;
		else if (i == 2)
			parse_weights(optarg);
		else
			*numbers[i - 3] = number(opts[i].name, optarg);
	}
	if (optind != argc || !cfg.load || !cfg.duration_ms || !cfg.epoch_ms)
		usage();
	if (cfg.load > SCHED_WL_MAX_LOAD ||
	    (cfg.ls_util != SCHED_WL_FROM_LOAD && cfg.ls_util > SCHED_WL_MAX_LOAD))
		die("--load and --ls-util: at most %d", SCHED_WL_MAX_LOAD);
	policy = sim_policy(cfg.policy);
	if (!policy)
		die("--policy: '%s' is neither rr nor joint", cfg.policy);
	policy->init();
}

/* print_config: the two comment lines that head the output: the parameters and the workload. */
static void print_config(void)
{
	double util = 0;

	for (int i = 0; i < nls; i++)
		util += 100.0 * tasks[i].cost_ns / tasks[i].period_ns;
	printf("# sched-sim policy=%s load=%lu seed=%lu duration_ms=%lu epoch_ms=%lu "
	       "switch_ns=%lu quantum_ns=%d\n",
	       cfg.policy, cfg.load, cfg.seed, cfg.duration_ms, cfg.epoch_ms, cfg.switch_ns,
	       SCHED_QUANTUM_NS);
	printf("# workload: %d latency-sensitive tasks (utilization %.2f %%), %d CPU-bound tasks "
	       "(weights",
	       nls, util, ntasks - nls);
	for (int i = nls; i < ntasks; i++)
		printf("%c%u", i == nls ? ' ' : ',', tasks[i].weight);
	printf(")\n");
}

int main(int argc, char **argv)
{
	FILE *csv = NULL;

	parse(argc, argv);
	make_workload();
	if (cfg.csv) {
		csv = fopen(cfg.csv, "w");
		if (!csv)
			die("--csv: cannot write %s", cfg.csv);
		fprintf(csv, "epoch,end_ms,util_pct,cpu_pct,ls_mean_us,ls_p99_us,jobs,misses,"
			     "switches,decisions,reclassifications\n");
	}
	print_config();
	printf(columns);
	simulate(csv);
	report_run();
	if (csv && fclose(csv))
		die("--csv: cannot write %s", cfg.csv);
	free(resp);
	return 0;
}

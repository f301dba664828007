/*
 * lxkws.c: lab 8's capstone, the keyword-spotting service with deadlines,
 * as one static Linux program (handout/lab8-metrics.md, "The capstone"):
 * the same network as the native service (user/lab8/kws_model.c, included
 * below), but every clock read and sleep is a Linux system call that the
 * kernel forwards to lab 6's server linuxd, and the background is forked
 * processes instead of kit threads.
 *
 *     lxkws N     N = LOAD, or REQUESTS * 1000 + LOAD (lab 5's shell
 *                 passes one number): LOAD 1..250 percent, REQUESTS 1..999
 *                 (default 30, one every PERIOD_NS, 120 ms)
 *
 * It builds the model (seed 1), times one inference on its own (C, by
 * CLOCK_MONOTONIC: instructions under the kit's -icount shift=0), forks
 * CPU-bound children that never block, as many as bring the load to LOAD
 * percent after the service's own U = C / period, each counted as 25 %
 * (user/lab8/kws.c's convention), then serves request k (frame window k)
 * at release start + k * period: clock_nanosleep(TIMER_ABSTIME) until the
 * release, one inference, latency = completion - release, deadline one
 * period after the release. A request still unstarted at its deadline is
 * dropped and counted a miss; a later completion is a miss too. At the end
 * it kills and reaps the children and prints native kws's summary lines
 * (their format: user/lab8/kws.c) and one of its own, after kws_deadlines:
 *     kws_start_us p50 A p99 B max X
 * the time from a release to its inference's start (the end of the sleep,
 * through linuxd's timer; for a late request, the end of the one before),
 * then exits 0; 1 on a bad argument or a failed call. Under Linux it runs the same way in real time (its numbers
 * are the host's: nothing to compare).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lab8/kws_model.c"

enum {
	SEED = 1,
	LOAD_MAX = 250,
	REQUESTS_DEFAULT = 30,
	REQUESTS_MAX = 999,
	BACKGROUND_MAX = 12,   /* processes: a load of 300 % and more */
	BACKGROUND_SHARE = 25, /* percent of the CPU a background process counts as */
};
#define PERIOD_NS    120000000ULL /* tools/experiment's KWS_PERIOD_US */
#define START_LAG_NS 10000000ULL  /* from the last fork to the first release */

static struct kws_model model;
static uint64_t lat[REQUESTS_MAX], begin[REQUESTS_MAX], sorted[REQUESTS_MAX];
static unsigned char missed[REQUESTS_MAX];
static unsigned frame_of[REQUESTS_MAX], classes[KWS_CLASSES];
static volatile uint64_t spins;

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* sleep_until: CLOCK_MONOTONIC's ns at least t; 0, or -1 when the call fails. */
static int sleep_until(uint64_t t)
{
	struct timespec ts = {.tv_sec = (time_t)(t / 1000000000ULL),
			      .tv_nsec = (long)(t % 1000000000ULL)};
	int r;

	while ((r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR)
		;
	errno = r;
	return r ? -1 : 0;
}

/* infer: frame window frame through the network; its class. */
static int infer(uint64_t frame)
{
	static int8_t in[KWS_IN_T * KWS_IN_F];

	kws_input(in, SEED, frame);
	return kws_infer(&model, in, NULL);
}

/* us: ns as microseconds with three decimals, into buf. */
static const char *us(char *buf, size_t size, uint64_t ns)
{
	snprintf(buf, size, "%lu.%03lu", (unsigned long)(ns / 1000), (unsigned long)(ns % 1000));
	return buf;
}

static void sort_u64(uint64_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t v = a[i];
		size_t j = i;
		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* percentile: nearest rank of sorted a[0..n), as kws.c's. */
static uint64_t percentile(const uint64_t *a, size_t n, unsigned pct)
{
	size_t rank = (pct * n + 99) / 100;
	return n ? a[rank ? rank - 1 : 0] : 0;
}

static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0, b = 1ULL << 62;
	while (b > x)
		b >>= 2;
	for (; b; b >>= 2) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* summary: kws.c's lines for done completed requests out of nreq. */
static void summary(unsigned long load, unsigned long nreq, unsigned long nbg, uint64_t instr,
		    uint64_t util, unsigned long done, unsigned long misses, unsigned long dropped)
{
	char b1[24], b2[24], b3[24], b4[24], b5[24], b6[24];
	uint64_t sum = 0, sq = 0;

	for (unsigned long i = 0; i < done; i++)
		sorted[i] = lat[i], sum += lat[i];
	sort_u64(sorted, done);
	uint64_t mean = done ? sum / done : 0;
	for (unsigned long i = 0; i < done; i++) {
		uint64_t d = lat[i] > mean ? lat[i] - mean : mean - lat[i];
		sq += d / 16 * (d / 16); /* in 16 ns units: no overflow below 68 s */
	}
	uint64_t sd = done ? isqrt(sq / done) * 16 : 0, p50 = percentile(sorted, done, 50),
		 p99 = percentile(sorted, done, 99);
	printf("== kws summary load=%lu seed=%d period_us=%lu requests=%lu background=%lu\n", load,
	       SEED, (unsigned long)(PERIOD_NS / 1000), nreq, nbg);
	printf("kws_inference instr %lu util_pct %lu classes", (unsigned long)instr,
	       (unsigned long)util);
	for (int k = 0; k < KWS_CLASSES; k++)
		printf("%c%u", k ? ',' : ' ', classes[k]);
	printf("\nkws_latency_us mean %s p50 %s p99 %s max %s jitter_p99_p50 %s stddev %s\n",
	       us(b1, sizeof(b1), mean), us(b2, sizeof(b2), p50), us(b3, sizeof(b3), p99),
	       us(b4, sizeof(b4), percentile(sorted, done, 100)), us(b5, sizeof(b5), p99 - p50),
	       us(b6, sizeof(b6), sd));
	printf("kws_latency_cdf_us");
	for (unsigned pct = 0; pct <= 100; pct++)
		printf(" p%u %s", pct, us(b1, sizeof(b1), percentile(sorted, done, pct)));
	unsigned long pm = nreq ? 100000UL * misses / nreq : 0;
	printf("\nkws_deadlines requests %lu completed %lu misses %lu dropped %lu miss_pct "
	       "%lu.%03lu\n",
	       nreq, done, misses, dropped, pm / 1000, pm % 1000);
	for (unsigned long i = 0; i < done; i++)
		sorted[i] = begin[i];
	sort_u64(sorted, done);
	printf("kws_start_us p50 %s p99 %s max %s\n",
	       us(b1, sizeof(b1), percentile(sorted, done, 50)),
	       us(b2, sizeof(b2), percentile(sorted, done, 99)),
	       us(b3, sizeof(b3), percentile(sorted, done, 100)));
	for (unsigned long i = 0; i < done; i++)
		printf("kws_req %u %lu %u\n", frame_of[i], (unsigned long)lat[i], missed[i]);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	unsigned long load = n % 1000, nreq = n / 1000 ? n / 1000 : REQUESTS_DEFAULT;
	pid_t child[BACKGROUND_MAX];

	if (argc != 2 || !load || load > LOAD_MAX || nreq > REQUESTS_MAX) {
		printf("usage: lxkws N (N = LOAD or REQUESTS * 1000 + LOAD; LOAD 1..%d, REQUESTS "
		       "1..%d)\n",
		       LOAD_MAX, REQUESTS_MAX);
		return 1;
	}
	kws_model_init(&model, SEED);
	uint64_t t0 = now_ns();
	infer(0);
	uint64_t instr = now_ns() - t0, util = (100 * instr + PERIOD_NS / 2) / PERIOD_NS;
	unsigned long nbg =
	    load > util ? (load - util + BACKGROUND_SHARE / 2) / BACKGROUND_SHARE : 0;
	if (nbg > BACKGROUND_MAX)
		nbg = BACKGROUND_MAX;
	fflush(stdout);
	int bad = 0;
	for (unsigned long i = 0; i < nbg && !bad; i++)
		if ((child[i] = fork()) == 0)
			for (;;)
				spins++;
		else if (child[i] < 0)
			perror("lxkws: fork"), bad = 1, nbg = i;

	uint64_t start = (now_ns() + START_LAG_NS) / 1000000ULL * 1000000ULL;
	unsigned long done = 0, misses = 0, dropped = 0;
	for (unsigned long k = 0; k < nreq && !bad; k++) {
		uint64_t release = start + k * PERIOD_NS, t = now_ns();
		if (t >= release + PERIOD_NS) { /* unstarted at its deadline */
			dropped++, misses++;
			continue;
		}
		if (t < release && sleep_until(release) < 0) {
			perror("lxkws: clock_nanosleep");
			bad = 1;
			break;
		}
		begin[done] = now_ns() - release;
		classes[infer(k)]++;
		lat[done] = now_ns() - release;
		frame_of[done] = (unsigned)k;
		missed[done] = lat[done] > PERIOD_NS;
		misses += missed[done++];
	}
	for (unsigned long i = 0; i < nbg; i++) {
		kill(child[i], SIGKILL);
		waitpid(child[i], NULL, 0);
	}
	if (!bad)
		summary(load, nreq, nbg, instr, util, done, misses, dropped);
	return bad;
}

/*
 * kws.c: lab 8's capstone, a keyword-spotting service with deadlines next
 * to CPU-bound background work. The kernel's `kwsbench POLICY LOAD` starts
 * this task (start argument: kws.h) and signals its notification
 * (KWS_SLOT_TICK) at every release, one per period from the run's start.
 * This task
 *  - spawns the inference server kwsd (a task of its own, an endpoint
 *    between them) and asks it for one calibration inference: C, the
 *    instructions one takes (-icount: 1 instruction = 1 ns);
 *  - starts the background: CPU-bound threads that never block, as many as
 *    bring the load to LOAD percent (rounded) after the service's own
 *    U = C / period, each counted as BACKGROUND_SHARE percent (schedbench
 *    counts 10; with jobs of many quanta the service gets about a fair
 *    share, 1 / (threads + 1), under either policy, so with 10 % threads it
 *    could meet no deadline at any load worth the name);
 *  - for each release k (frame window k, released at start + k * period,
 *    deadline one period later) Calls kwsd with k and takes the reply's
 *    time: latency = completion - release; a request still unstarted at its
 *    deadline is dropped (a miss), a later completion is a miss too;
 *  - prints the summary (below) and one line per request, and exits 0 (its
 *    threads and kwsd end with it); 1 on a setup error or a wrong reply.
 *      == kws summary load=L seed=S period_us=P requests=N background=H
 *      kws_inference instr C util_pct U classes c0,c1,...
 *      kws_latency_us mean M p50 A p99 B max X jitter_p99_p50 J stddev D
 *      kws_latency_cdf_us p0 .. p100
 *      kws_deadlines requests N completed K misses M dropped D miss_pct X
 *      kws_req K LATENCY_NS MISSED   (one per completed request)
 * The clock is the kernel's arch_time_ns read from user mode: riscv64's
 * time CSR (scounteren.TM is set; QEMU virt's timebase is 10 MHz, 100 ns a
 * tick, its device tree's timebase-frequency), x86_64's TSC (ns under
 * -icount), aarch64's virtual counter CNTVCT_EL0 at CNTFRQ_EL0 Hz (the
 * kernel sets CNTKCTL_EL1.EL0VCTEN and CNTVOFF_EL2 = 0, so it is
 * arch_time_ns's CNTPCT_EL0; 62.5 MHz, 16 ns a tick, under QEMU). Where
 * there is none it says so and exits 1.
 */
#include "user.h"
#include "kit/syscall.h"
#include "kws.h"

enum {
	EP = 8,
	TCB0 = 16,
	BACKGROUND_MAX = 12,   /* threads: a load of 300 % and more */
	BACKGROUND_SHARE = 25, /* percent of the CPU a background thread counts as */
	STACK = 4096,
	REQUESTS_MAX = 4095,
};
#define IPCBUF(i) (0x20000000UL + (unsigned long)(i)*0x1000UL)

static char stacks[BACKGROUND_MAX][STACK] __attribute__((aligned(16)));
static volatile bool stop;
static volatile uint64_t spins[BACKGROUND_MAX];
static uint64_t lat[REQUESTS_MAX + 1];
static unsigned char missed[REQUESTS_MAX + 1];
static uint32_t frame_of[REQUESTS_MAX + 1];
static unsigned classes[16];

static uint64_t now_ns(void)
{
#if defined(__riscv)
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t * 100;
#elif defined(__x86_64__)
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#elif defined(__aarch64__)
	uint64_t t, hz;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tmrs %1, cntfrq_el0" : "=r"(t), "=r"(hz));
	if (hz && 1000000000 % hz == 0)
		return t * (1000000000 / hz);
	return hz ? t / hz * 1000000000 + t % hz * 1000000000 / hz : 0;
#else
	return 0;
#endif
}

/* background: a CPU-bound thread: count until the run is over. */
static void background(unsigned long i)
{
	while (!stop)
		spins[i]++;
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

/* percentile: nearest rank of sorted a[0..n), as schedbench's. */
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

int main(void)
{
	static const char server[] = "kwsd";
	unsigned long a = kit_start_arg;
	uint64_t start = KWS_ARG_START_MS(a) * 1000000ULL, period = KWS_ARG_PERIOD_US(a) * 1000ULL;
	unsigned long nreq = KWS_ARG_REQUESTS(a), load = KWS_ARG_LOAD(a), seed = KWS_ARG_SEED(a);
	struct kit_msg m;
	char b1[24], b2[24], b3[24], b4[24], b5[24], b6[24];

	if (!now_ns()) {
		puts("kws: no user-mode clock on this arch");
		return 1;
	}
	if (!period || !nreq) {
		puts("kws: start me with the kernel's kwsbench command");
		return 1;
	}
	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, KWS_SLOT_TICK, 1) != 0 ||
	    sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1) != 0 ||
	    sys_task_spawn(server, sizeof(server) - 1, EP, seed) != 0) {
		puts("kws: no server");
		return 1;
	}
	m = (struct kit_msg){.info = KIT_MSGINFO(KWS_CALIBRATE, 0, 0)};
	if (kit_call(EP, &m) != 0) {
		puts("kws: calibration failed");
		return 1;
	}
	uint64_t instr = m.mr[2], util = (100 * instr + period / 2) / period;
	unsigned long nbg =
	    load > util ? (load - util + BACKGROUND_SHARE / 2) / BACKGROUND_SHARE : 0;
	if (nbg > BACKGROUND_MAX)
		nbg = BACKGROUND_MAX;
	if (nbg && sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_TCB, 0, TCB0, nbg) != 0) {
		puts("kws: no TCBs for the background");
		return 1;
	}
	for (unsigned long i = 0; i < nbg; i++)
		if (kit_thread_start(TCB0 + i, background, stacks[i] + STACK, IPCBUF(i), i) != 0) {
			puts("kws: a background thread did not start");
			return 1;
		}

	unsigned long next = 0, done = 0, misses = 0, dropped = 0, bad = 0;
	bool over = false;
	while (!over) {
		unsigned long word = 0;
		if (sys_wait(KWS_SLOT_TICK, &word) < 0) {
			puts("kws: wait failed");
			return 1;
		}
		over = word & KWS_TICK_END;
		for (uint64_t t = now_ns(); next < nreq && start + next * period <= t;
		     t = now_ns()) {
			uint64_t release = start + next * period;
			if (t >= release + period) { /* unstarted at its deadline */
				dropped++, misses++, next++;
				continue;
			}
			m = (struct kit_msg){.info = KIT_MSGINFO(KWS_INFER, 0, 1), .mr = {next}};
			bad |= kit_call(EP, &m) != 0 || m.mr[0] >= 16;
			uint64_t l = now_ns() - release;
			classes[m.mr[0] & 15]++;
			frame_of[done] = next;
			lat[done] = l;
			missed[done] = l > period;
			misses += l > period;
			done++, next++;
		}
	}
	stop = true;

	static uint64_t sorted[REQUESTS_MAX + 1];
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
	printf("== kws summary load=%lu seed=%lu period_us=%lu requests=%lu background=%lu\n", load,
	       seed, (unsigned long)(period / 1000), nreq, nbg);
	printf("kws_inference instr %lu util_pct %lu classes", (unsigned long)instr,
	       (unsigned long)util);
	for (int k = 0; k < 12; k++)
		printf("%c%u", k ? ',' : ' ', classes[k]);
	printf("\n");
	printf("kws_latency_us mean %s p50 %s p99 %s max %s jitter_p99_p50 %s stddev %s\n",
	       us(b1, sizeof(b1), mean), us(b2, sizeof(b2), p50), us(b3, sizeof(b3), p99),
	       us(b4, sizeof(b4), percentile(sorted, done, 100)), us(b5, sizeof(b5), p99 - p50),
	       us(b6, sizeof(b6), sd));
	printf("kws_latency_cdf_us");
	for (unsigned pct = 0; pct <= 100; pct++)
		printf(" p%u %s", pct, us(b1, sizeof(b1), percentile(sorted, done, pct)));
	printf("\n");
	unsigned long pm = nreq ? 100000UL * misses / nreq : 0;
	printf(
	    "kws_deadlines requests %lu completed %lu misses %lu dropped %lu miss_pct %lu.%03lu\n",
	    nreq, done, misses, dropped, pm / 1000, pm % 1000);
	for (unsigned long i = 0; i < done; i++)
		printf("kws_req %u %lu %u\n", frame_of[i], (unsigned long)lat[i], missed[i]);
	return bad ? 1 : 0;
}

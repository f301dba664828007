/*
 * trace_export.c: lab 8's provided half of the trace (trace.h): the rings'
 * memory, the run-time switch with the kernel's counters around it, the
 * fastpath and system-call tracepoints, and the dump to the host.
 *
 * The dump is text-safe framed binary on the console, printed after the
 * run (tracing off), so it perturbs nothing the trace measured: each line
 *     @T d <cpu> <first index> <n> <hex of n 32-byte records> <crc32>
 * carries up to TRACE_DUMP_PER_LINE records exactly as they lie in memory
 * (little-endian), hex-encoded, with the CRC-32 (IEEE 802.3, zlib's) of
 * those bytes; header lines give the rings' state, the clock and the
 * counters, "@T end" the number of data lines and the CRC of all records.
 * tools/trace reads it from a console log. Entry points: trace_start,
 * trace_stop, trace_dump, trace_syscall, trace_fastpath_call,
 * trace_fastpath_reply_recv; the monitor's `trace`.
 */
#include "kernel.h"
#include "arch.h"
#include "errno.h"
#include "init.h"
#include "ipc.h"
#include "irq.h"
#include "mm.h"
#include "monitor.h"
#include "platform.h"
#include "string.h"
#include "syscall.h"
#include "thread.h"
#include "trace.h"

#define TRACE_DUMP_PER_LINE 8

struct trace_cpu trace_cpus[TRACE_NCPU];
volatile bool trace_on;
uint32_t trace_mask = ~0u;
unsigned trace_last_miss = TRACE_IPC_NOFAST;

/* The kernel's own counters, as deltas over the traced run: what the trace must agree with. */
struct trace_counters {
	uint64_t switches, decisions, timer_irqs, dev_irqs;
	uint64_t fast_call, fast_reply_recv, slow_call, slow_reply_recv;
};
static struct trace_counters at_start, traced;
static uint64_t c_start, ns_start, c_stop, ns_stop; /* the clock pairs: cycles and ns */

/* counters_now: the counters' values now (interrupts off). */
static void counters_now(struct trace_counters *k)
{
	struct sched_stats s;

	sched_stats_get(&s);
	*k = (struct trace_counters){.switches = s.switches,
				     .decisions = s.decisions,
				     .timer_irqs = s.timer_irqs,
				     .fast_call = ipc_stats.fast_call,
				     .fast_reply_recv = ipc_stats.fast_reply_recv,
				     .slow_call = ipc_stats.slow_call,
				     .slow_reply_recv = ipc_stats.slow_reply_recv};
	for (unsigned i = 0; i < PLATFORM_IRQ_COUNT; i++)
		k->dev_irqs += irq_count(i);
}

int trace_start(unsigned size, uint32_t mask)
{
	if (!size)
		size = TRACE_RING_MAX;
	if (size > TRACE_RING_MAX || (size & (size - 1)))
		return -EINVAL;
	bool irq = arch_irq_save();

	for (int i = 0; i < TRACE_NCPU; i++) {
		struct trace_cpu *c = &trace_cpus[i];
		c->mask = size - 1;
		c->tail = c->head;
		c->lost = 0;
	}
	trace_mask = mask;
	counters_now(&at_start);
	traced = (struct trace_counters){0};
	c_start = arch_cycles(), ns_start = arch_time_ns();
	trace_on = true;
	arch_irq_restore(irq);
	return 0;
}

void trace_stop(void)
{
	bool irq = arch_irq_save();

	if (trace_on) {
		trace_on = false;
		c_stop = arch_cycles(), ns_stop = arch_time_ns();
		counters_now(&traced);
		uint64_t *d = (uint64_t *)&traced, *s = (uint64_t *)&at_start;
		for (size_t i = 0; i < sizeof(traced) / sizeof(uint64_t); i++)
			d[i] -= s[i];
	}
	arch_irq_restore(irq);
}

void trace_stats_reset(const struct sched_stats *s)
{
	at_start.switches -= s->switches;
	at_start.decisions -= s->decisions;
	at_start.timer_irqs -= s->timer_irqs;
}

/* crc32: the CRC-32 of n bytes at p, continuing from crc (0 to start). */
static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* dump_line: one "@T d" line of n records from index first of cpu; returns the CRC of them. */
static uint32_t dump_line(int cpu, uint64_t first, const struct trace_rec *recs, int n)
{
	static char buf[64 + TRACE_DUMP_PER_LINE * sizeof(struct trace_rec) * 2];
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = (const uint8_t *)recs;
	size_t bytes = n * sizeof(struct trace_rec);
	int len = snprintf(buf, sizeof(buf), "@T d %d %lu %d ", cpu, (unsigned long)first, n);

	for (size_t i = 0; i < bytes; i++) {
		buf[len++] = hex[b[i] >> 4];
		buf[len++] = hex[b[i] & 15];
	}
	buf[len] = 0;
	console_puts(buf);
	uint32_t crc = crc32(0, b, bytes);
	kprintf(" %08x\n", crc);
	return crc;
}

void trace_dump(void)
{
	static struct trace_rec line[TRACE_DUMP_PER_LINE];
	const struct trace_counters *k = &traced;
	unsigned lines = 0;
	uint32_t crc = 0;

	trace_stop();
	kprintf("@T begin v1 cpus=%d rec=%lu mask=0x%x\n", TRACE_NCPU,
		(unsigned long)sizeof(struct trace_rec), trace_mask);
	kprintf("@T clock c0=%lu ns0=%lu c1=%lu ns1=%lu\n", (unsigned long)c_start,
		(unsigned long)ns_start, (unsigned long)c_stop, (unsigned long)ns_stop);
	kprintf("@T counters switches=%lu decisions=%lu timer_irqs=%lu dev_irqs=%lu fast_call=%lu "
		"fast_reply_recv=%lu slow_call=%lu slow_reply_recv=%lu\n",
		(unsigned long)k->switches, (unsigned long)k->decisions,
		(unsigned long)k->timer_irqs, (unsigned long)k->dev_irqs,
		(unsigned long)k->fast_call, (unsigned long)k->fast_reply_recv,
		(unsigned long)k->slow_call, (unsigned long)k->slow_reply_recv);
	for (int cpu = 0; cpu < TRACE_NCPU; cpu++) {
		struct trace_cpu *c = &trace_cpus[cpu];
		uint64_t size = c->mask + 1, head = c->head;
		uint64_t first = head - c->tail > size ? head - size : c->tail;
		uint64_t torn = 0, line_first = first;
		int n = 0;

		kprintf("@T cpu %d size=%lu reserved=%lu lost=%lu\n", cpu, (unsigned long)size,
			(unsigned long)(head - c->tail), (unsigned long)c->lost);
		for (uint64_t i = first; i < head; i++) {
			const struct trace_rec *r = &c->ring[i & c->mask];
			if (r->seq !=
			    (uint32_t)(i + 1)) { /* never committed: a writer stopped midway */
				torn++;
				continue;
			}
			if (!n)
				line_first = i;
			line[n++] = *r;
			if (n == TRACE_DUMP_PER_LINE || i + 1 == head) {
				crc ^= dump_line(cpu, line_first, line, n);
				lines++, n = 0;
			}
		}
		if (n)
			crc ^= dump_line(cpu, line_first, line, n), lines++;
		c->tail = head; /* consumed */
		kprintf("@T cpu %d torn=%lu\n", cpu, (unsigned long)torn);
	}
	kprintf("@T end lines=%u crc=%08x\n", lines, crc);
}

void trace_syscall(unsigned long nr, uint64_t a0)
{
	static const int8_t ops[] = {[SYS_SEND] = TRACE_IPC_SEND + 1,
				     [SYS_NBSEND] = TRACE_IPC_SEND + 1,
				     [SYS_CALL] = TRACE_IPC_CALL + 1,
				     [SYS_RECV] = TRACE_IPC_RECV + 1,
				     [SYS_NBRECV] = TRACE_IPC_RECV + 1,
				     [SYS_REPLY] = TRACE_IPC_REPLY + 1,
				     [SYS_REPLY_RECV] = TRACE_IPC_REPLY_RECV + 1};

	trace_emit(TRACE_SYS_ENTER, nr, a0);
	if (nr < sizeof(ops) && ops[nr]) {
		unsigned op = ops[nr] - 1;
		bool tried =
		    fastpath_call_hook != fastpath_none && (nr == SYS_CALL || nr == SYS_REPLY_RECV);
		unsigned why = tried ? trace_last_miss : TRACE_IPC_NOFAST;
		trace_emit(TRACE_IPC, op | TRACE_IPC_SLOW << 8 | why << 16, 0);
	}
	trace_last_miss = TRACE_IPC_NOFAST;
}

struct trapframe *trace_fastpath_call(unsigned long slot, unsigned long info)
{
	/* A sibling call: tracing off costs a load and a branch. */
	if (!TRACE_ON())
		return fastpath_call(slot, info);
	struct thread *self = thread_current();
	struct trapframe *r = fastpath_call(slot, info);

	if (r)
		trace_emit(TRACE_IPC, TRACE_IPC_CALL | TRACE_IPC_FAST << 8, self->tid);
	return r;
}

struct trapframe *trace_fastpath_reply_recv(unsigned long slot, unsigned long info)
{
	/* A sibling call: tracing off costs a load and a branch. */
	if (!TRACE_ON())
		return fastpath_reply_recv(slot, info);
	struct thread *self = thread_current();
	struct trapframe *r = fastpath_reply_recv(slot, info);

	if (r)
		trace_emit(TRACE_IPC, TRACE_IPC_REPLY_RECV | TRACE_IPC_FAST << 8, self->tid);
	return r;
}

/* cost: instructions per tracepoint with tracing on and off (n calls, the loop's own taken out). */
static void trace_cost(void)
{
	enum { N = 256 };
	uint64_t c0, loop, on, off;
	int err = trace_start(0, ~0u);

	if (err < 0)
		return;
	trace_stop();
	c0 = arch_cycles();
	for (int i = 0; i < N; i++)
		__asm__ volatile("" ::"r"(i) : "memory");
	loop = arch_cycles() - c0;
	c0 = arch_cycles();
	for (int i = 0; i < N; i++)
		TRACEPOINT(TRACE_MARK, i, 0);
	off = arch_cycles() - c0;
	trace_start(0, ~0u);
	c0 = arch_cycles();
	for (int i = 0; i < N; i++)
		TRACEPOINT(TRACE_MARK, i, 0);
	on = arch_cycles() - c0;
	trace_stop();
	struct trace_cpu *c = &trace_cpus[0];
	int written = 0;
	for (uint64_t i = c->tail; i < c->head && i - c->tail <= c->mask; i++)
		written += c->ring[i & c->mask].seq == (uint32_t)(i + 1) &&
			   c->ring[i & c->mask].type == TRACE_MARK;
	c->tail = c->head;
	kprintf("trace: cost %lu instructions per tracepoint on, %lu off, %d/%d written\n",
		(unsigned long)((on - loop) / N),
		(unsigned long)((off > loop ? off - loop : 0) / N), written, N);
}

/* event_mask: "switch,job,..." as a mask of (1 << enum trace_event); unknown names count none. */
static uint32_t event_mask(const char *list)
{
	static const char *const names[TRACE_EVENTS] = {
	    "none",	 "switch",  "wake",	 "reclass",  "decision",
	    "timer_irq", "dev_irq", "sys_enter", "sys_exit", "ipc",
	    "fault",	 "thread",  "job",	 "mark",     "task"};
	uint32_t mask = 0;

	while (*list) {
		size_t n = 0;
		while (list[n] && list[n] != ',')
			n++;
		for (int i = 0; i < TRACE_EVENTS; i++)
			if (strlen(names[i]) == n && !strncmp(list, names[i], n))
				mask |= 1u << i;
		list += n + (list[n] == ',');
	}
	return mask;
}

/* trace start [size [events]] | stop | dump | cost | overflow N [size] | mark A: the trace (lab 8). */
static int mon_trace(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "status";
	unsigned long v = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	if (!strcmp(cmd, "start")) {
		int err = trace_start(v, argc > 3 ? event_mask(argv[3]) : ~0u);
		kprintf(err ? "trace: size must be a power of 2 up to %d\n" : "trace: on\n",
			TRACE_RING_MAX);
	} else if (!strcmp(cmd, "stop")) {
		trace_stop();
		kprintf("trace: off\n");
	} else if (!strcmp(cmd, "dump")) {
		trace_dump();
	} else if (!strcmp(cmd, "cost")) {
		trace_cost();
	} else if (!strcmp(cmd, "mark")) {
		TRACEPOINT(TRACE_MARK, v, 0);
	} else if (!strcmp(cmd, "overflow") && argc > 2) {
		/* v records into a ring of size (64 unless given): the first v - size are lost */
		if (trace_start(argc > 3 ? strtoul(argv[3], NULL, 0) : 64, ~0u) < 0)
			return -EINVAL;
		for (unsigned long i = 0; i < v; i++)
			TRACEPOINT(TRACE_MARK, i, 1);
		trace_stop();
		kprintf("trace: %lu records written, %lu lost\n", v,
			(unsigned long)trace_cpus[0].lost);
	} else {
		struct trace_cpu *c = &trace_cpus[0];
		kprintf("trace: %s, ring %lu records, %lu reserved, %lu lost\n",
			trace_on ? "on" : "off", (unsigned long)(c->mask + 1),
			(unsigned long)(c->head - c->tail), (unsigned long)c->lost);
	}
	return 0;
}
MONITOR_CMD("trace", "trace start [size [ev,..]]|stop|dump|cost|overflow N [size]|mark A (lab 8)",
	    mon_trace);

/* trace_init: each CPU's ring (TRACE_RING_MAX records from the frame allocator), tracing off. */
static int trace_init(void)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < TRACE_RING_MAX * sizeof(struct trace_rec))
		order++;
	for (int i = 0; i < TRACE_NCPU; i++) {
		trace_cpus[i].ring = frame_alloc(order);
		if (!trace_cpus[i].ring)
			return -ENOMEM;
		trace_cpus[i].mask = TRACE_RING_MAX - 1;
	}
	return 0;
}
KERNEL_INIT(INIT_SCHED, trace_init);

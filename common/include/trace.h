/*
 * trace.h: lab 8's kernel trace (ftrace's idea, small): per-CPU rings of
 * fixed-size binary records, written lock-free by tracepoints in the
 * scheduler, the interrupt layer, the system-call path and IPC, dumped
 * to the host after the run (common/lab8/trace_export.c, tools/trace).
 *
 * Two switches. Compile time: CONFIG_TRACE, defined from stage 8 on by
 * common/lab8/rules.mk; without it every tracepoint below is an empty
 * macro, so labs 1-7 build and measure exactly as they did. Run time:
 * trace_on, off at boot (the monitor's `trace start` / `trace stop`); a
 * tracepoint with tracing off costs one load and one branch.
 *
 * Entry points: trace_reserve, trace_commit (the ring, solutions/common/trace.c),
 * trace_emit, the tracepoint macros, trace_start/trace_stop/trace_dump.
 */
#pragma once

#include "types.h"

/* The event types (struct trace_rec.type); tools/trace knows them by these numbers. */
enum trace_event {
	TRACE_NONE,
	TRACE_SWITCH,	 /* a0 prev tid, a1 next tid | reason << 32 (TRACE_WHY_*) */
	TRACE_WAKE,	 /* a0 the tid woken, a1 its class (0 CPU-bound, 1 latency) */
	TRACE_RECLASS,	 /* a0 tid, a1 the new class */
	TRACE_DECISION,	 /* a0 the tid picked, a1 instructions the decision took */
	TRACE_TIMER_IRQ, /* a0 0, a1 0 */
	TRACE_DEV_IRQ,	 /* a0 the interrupt line, a1 0 */
	TRACE_SYS_ENTER, /* a0 the system-call number, a1 its first argument */
	TRACE_SYS_EXIT,	 /* a0 the system-call number, a1 the result */
	TRACE_IPC,    /* a0 op | path << 8 | miss reason << 16 (TRACE_IPC_*), a1 the partner tid */
	TRACE_FAULT,  /* a0 the faulting address, a1 the pc | user << 63 */
	TRACE_THREAD, /* a0 tid, a1 the first 8 bytes of its name (a new thread) */
	TRACE_JOB,    /* a0 release time ns, a1 response ns (schedbench's latency tasks) */
	TRACE_MARK,   /* a0 a0, a1 a1 of `trace mark` and `trace overflow` */
	TRACE_TASK,   /* a0 its root thread's tid | TRACE_TASK_* << 32 | how << 40 (an end:
		       * KIT_TASK_EXITED, _FAULTED, _KILLED), a1 the first 8 bytes of its name */
	TRACE_EVENTS
};

/* TRACE_TASK's event: a task started (lab 4's loader) or ended (lab 5's supervisor restarts a
 * server: an end, then a start of the same name; tools/trace measures the gap). */
enum { TRACE_TASK_START, TRACE_TASK_END };

/* Why a thread left the CPU (TRACE_SWITCH): its state as it left. */
enum { TRACE_WHY_PREEMPT, TRACE_WHY_BLOCK, TRACE_WHY_SLEEP, TRACE_WHY_EXIT, TRACE_WHY_DIRECT };

/* TRACE_IPC's op and path. A slowpath's reason is the fastpath's last miss (KIT_FP_MISS_*),
 * or TRACE_IPC_NOFAST when the fastpath does not take the call at all (off, another op). */
enum { TRACE_IPC_CALL, TRACE_IPC_REPLY_RECV, TRACE_IPC_SEND, TRACE_IPC_RECV, TRACE_IPC_REPLY };
enum { TRACE_IPC_FAST, TRACE_IPC_SLOW };
#define TRACE_IPC_NOFAST 15

/* One record: 32 bytes, little-endian on every arch the kit runs. seq is the record's index in
 * its CPU's stream plus 1 (low 32 bits), written last: a reader trusts a slot only when seq
 * says it holds the record it expects (trace_commit). */
struct trace_rec {
	uint64_t ts; /* arch_cycles() (instructions under -icount) */
	uint32_t seq;
	uint16_t type; /* enum trace_event */
	uint16_t tid;  /* the thread running when it was written */
	uint64_t a0, a1;
};
_Static_assert(sizeof(struct trace_rec) == 32, "trace records are 32 bytes");

#define TRACE_NCPU     1     /* the kit's kernels run one CPU (aarch64 parks the others) */
#define TRACE_RING_MAX 16384 /* records per CPU, a power of 2: 512 KiB */

/* One CPU's ring. head counts records reserved since boot (never reset), tail the first
 * record not yet consumed (trace_start and a dump move it to head); lost the records
 * overwritten before they were consumed; mask is the ring's size - 1 (a power of 2). */
struct trace_cpu {
	struct trace_rec *ring;
	uint64_t head, tail, lost;
	uint64_t mask;
};

extern struct trace_cpu trace_cpus[TRACE_NCPU];
extern volatile bool trace_on;
extern uint32_t trace_mask; /* the events recorded: 1 << enum trace_event each */

/*
 * trace_reserve: claim the next record of c (lock-free: one atomic add on head, so a
 * tracepoint in an interrupt handler that interrupts another gets its own slot). When the
 * slot still holds a record not consumed (the ring is full), the oldest is overwritten and
 * counted in c->lost. Returns the slot; *seq gets its seq value (index + 1).
 */
struct trace_rec *trace_reserve(struct trace_cpu *c, uint32_t *seq);
/* trace_commit: publish r, filled, by storing seq last (a release store). */
void trace_commit(struct trace_rec *r, uint32_t seq);

/* trace_emit: one record of type with a0, a1, now, by the current thread (tracing on). */
void trace_emit(unsigned type, uint64_t a0, uint64_t a1);

struct thread;
/* The tracepoints students write (solutions/common/trace.c). */
void trace_switch(const struct thread *prev, const struct thread *next, bool direct);
void trace_wake(const struct thread *t);
void trace_decision(const struct thread *next, uint64_t instr);

/* trace_start: empty the rings (size records each, a power of 2 <= TRACE_RING_MAX; 0: the
 * whole ring), record only the events in mask (1 << enum trace_event each), snapshot the kernel's counters and turn tracing on. trace_stop: off, the
 * counters' deltas kept for the dump. Both with interrupts off inside. */
int trace_start(unsigned size, uint32_t mask);
void trace_stop(void);
/* trace_dump: print what the rings hold (and the counters) as framed, checksummed lines. */
void trace_dump(void);

/* trace_syscall: TRACE_SYS_ENTER for system call nr (first argument a0), and TRACE_IPC for an
 * IPC call the fastpath did not take (the slowpath, with the reason). */
void trace_syscall(unsigned long nr, uint64_t a0);
/* The fastpath hooks with tracing compiled in: the fastpath, then a TRACE_IPC when it took
 * the call (fastpath_set installs them). */
struct trapframe;
struct trapframe *trace_fastpath_call(unsigned long slot, unsigned long info);
struct trapframe *trace_fastpath_reply_recv(unsigned long slot, unsigned long info);

struct sched_stats;
/* trace_stats_reset: the scheduler's counters s are about to be zeroed (sched_stats_reset):
 * the trace's deltas keep counting across (interrupts off). */
void trace_stats_reset(const struct sched_stats *s);

/* The last fastpath miss reason (set by fastpath_miss), for the slowpath's TRACE_IPC. */
extern unsigned trace_last_miss;

#ifdef CONFIG_TRACE
#define TRACE_ON()		 unlikely(trace_on)
#define TRACEPOINT(type, a0, a1) (TRACE_ON() ? trace_emit((type), (a0), (a1)) : (void)0)
#define TRACE_SWITCH_POINT(prev, next, direct)                                                     \
	(TRACE_ON() ? trace_switch((prev), (next), (direct)) : (void)0)
#define TRACE_WAKE_POINT(t)	       (TRACE_ON() ? trace_wake(t) : (void)0)
#define TRACE_DECISION_POINT(n, instr) (TRACE_ON() ? trace_decision((n), (instr)) : (void)0)
#define TRACE_NOTE_MISS(reason)	       (trace_last_miss = (reason))
#define TRACE_SYSCALL_POINT(nr, a0)    (TRACE_ON() ? trace_syscall((nr), (a0)) : (void)0)
#define FASTPATH_CALL_FN	       trace_fastpath_call
#define FASTPATH_REPLY_RECV_FN	       trace_fastpath_reply_recv
#else
#define TRACEPOINT(type, a0, a1)	       ((void)0)
#define TRACE_SWITCH_POINT(prev, next, direct) ((void)0)
#define TRACE_WAKE_POINT(t)		       ((void)0)
#define TRACE_DECISION_POINT(n, instr)	       ((void)0)
#define TRACE_NOTE_MISS(reason)		       ((void)0)
#define TRACE_SYSCALL_POINT(nr, a0)	       ((void)0)
#define FASTPATH_CALL_FN		       fastpath_call
#define FASTPATH_REPLY_RECV_FN		       fastpath_reply_recv
#endif

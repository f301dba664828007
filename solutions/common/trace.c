// @file lab8
/*
 * trace.c: lab 8's trace ring and three of its tracepoints (trace.h). The
 * ring is per CPU and lock-free: a writer claims a slot with one atomic add
 * on head (trace_reserve), fills it, and publishes it by storing its seq
 * last (trace_commit); when the ring is full the oldest record is
 * overwritten and counted as lost, so a trace always ends with the newest
 * events (ftrace's overwrite mode). The rest of the trace (the switches,
 * the dump, the monitor command) is provided: common/lab8/trace_export.c.
 * Entry points: trace_reserve, trace_commit, trace_emit, trace_switch,
 * trace_wake, trace_decision.
 */
#include "kernel.h"
#include "arch.h"
#include "thread.h"
#include "trace.h"

struct trace_rec *trace_reserve(struct trace_cpu *c, uint32_t *seq)
{
	// @lab8 solution
	uint64_t idx = __atomic_fetch_add(&c->head, 1, __ATOMIC_RELAXED);

	if (idx - c->tail > c->mask)
		__atomic_fetch_add(&c->lost, 1, __ATOMIC_RELAXED);
	*seq = (uint32_t)(idx + 1);
	return &c->ring[idx & c->mask];
	// @lab8 stub
	// TODO(lab8): part A. claim record c->head (one atomic add: __atomic_fetch_add), the
	// slot it falls in (the ring has c->mask + 1 slots), its seq (index + 1). A record
	// more than the ring's size past c->tail overwrites one not yet consumed: count it in
	// c->lost. Hint: head and tail never wrap; only the slot index does.
	(void)c, (void)seq;
	return NULL;
	// @lab8 end
}

void trace_commit(struct trace_rec *r, uint32_t seq)
{
	// @lab8 solution
	__atomic_store_n(&r->seq, seq, __ATOMIC_RELEASE);
	// @lab8 stub
	// TODO(lab8): part A. publish r: its seq, stored last with release order.
	(void)r, (void)seq;
	// @lab8 end
}

void trace_emit(unsigned type, uint64_t a0, uint64_t a1)
{
	if (!(trace_mask >> type & 1))
		return;
	bool irq = arch_irq_save(); /* the timestamp and the slot in the same order */
	uint32_t seq;
	struct trace_rec *r = trace_reserve(&trace_cpus[0], &seq);

	if (r) {
		r->ts = arch_cycles();
		r->type = (uint16_t)type;
		r->tid = (uint16_t)thread_current()->tid;
		r->a0 = a0;
		r->a1 = a1;
		trace_commit(r, seq);
	}
	arch_irq_restore(irq);
}

/* trace_switch: TRACE_SWITCH for prev giving the CPU to next; direct: lab 4's direct switch. */
void trace_switch(const struct thread *prev, const struct thread *next, bool direct)
{
	// @lab8 solution
	static const uint8_t why[] = {[THREAD_READY] = TRACE_WHY_PREEMPT,
				      [THREAD_SLEEPING] = TRACE_WHY_SLEEP,
				      [THREAD_BLOCKED] = TRACE_WHY_BLOCK,
				      [THREAD_EXITED] = TRACE_WHY_EXIT,
				      [THREAD_RUNNING] = TRACE_WHY_PREEMPT};
	uint64_t reason = direct ? TRACE_WHY_DIRECT : why[prev->state];

	trace_emit(TRACE_SWITCH, prev->tid, (uint64_t)next->tid | reason << 32);
	// @lab8 stub
	// TODO(lab8): part B. one TRACE_SWITCH record (trace.h: its arguments): the reason is
	// TRACE_WHY_DIRECT for a direct switch, else what prev's state says (ready: preempted
	// or yielding; sleeping; blocked; exited).
	(void)prev, (void)next, (void)direct;
	// @lab8 end
}

/* trace_wake: TRACE_WAKE for t, made ready. */
void trace_wake(const struct thread *t)
{
	// @lab8 solution
	trace_emit(TRACE_WAKE, t->tid, t->se.class == SCHED_LATENCY);
	// @lab8 stub
	// TODO(lab8): part B. one TRACE_WAKE record: t and its class (1: latency-sensitive).
	(void)t;
	// @lab8 end
}

/* trace_decision: TRACE_DECISION: the policy picked next in instr instructions. */
void trace_decision(const struct thread *next, uint64_t instr)
{
	// @lab8 solution
	trace_emit(TRACE_DECISION, next->tid, instr);
	// @lab8 stub
	// TODO(lab8): part B. one TRACE_DECISION record: the thread picked, the instructions.
	(void)next, (void)instr;
	// @lab8 end
}

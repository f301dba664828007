/*
 * sched_rr.c: lab 3 part A, round robin (the classic time-sharing
 * scheduler; Arpaci-Dusseau, OSTEP ch. 7). One FIFO ready queue; the entity
 * at its head runs until it blocks or has run SCHED_QUANTUM_NS, then goes to
 * the tail. It ignores weights, classes and deadlines.
 * Entry point: sched_rr (struct sched_policy, sched_policy.h). Freestanding:
 * the kernel compiles this file unchanged, and tools/sched-sim compiles the
 * file labgen generates.
 */
#include "types.h"
#include "list.h"
#include "sched_policy.h"

static struct list_node rr_queue = LIST_INIT(rr_queue);

static void rr_init(void)
{
	list_init(&rr_queue);
}

/* rr_enqueue: e goes to the tail; a whole quantum used up starts a new one. */
static void rr_enqueue(struct sched_entity *e, uint64_t now_ns)
{
	// TODO(lab3): part A. Put e at the tail of rr_queue. If it used up
	// its whole quantum (ran_ns >= SCHED_QUANTUM_NS), clear ran_ns so its
	// next run starts a new one; an e preempted earlier keeps the rest.
	// Hint: list.h (list_add_tail); sched_policy.h says who owns ran_ns.
	(void)e, (void)now_ns;
}

static void rr_dequeue(struct sched_entity *e)
{
	list_del(&e->link);
}

/* rr_pick_next: the head of the queue, or NULL. */
static struct sched_entity *rr_pick_next(uint64_t now_ns)
{
	// TODO(lab3): part A. Remove the entity at the head of rr_queue and
	// return it; NULL when the queue is empty (the caller then idles, or
	// keeps running the current thread).
	// Hint: list_first, list_del, container_of.
	(void)now_ns;
	return NULL;
}

/* rr_tick: charge ran_ns; preempt once the quantum is used up. */
static bool rr_tick(struct sched_entity *e, uint64_t ran_ns, uint64_t now_ns)
{
	// TODO(lab3): part A. Charge e: add ran_ns to its CPU time in this
	// quantum (e->ran_ns) and in all (e->total_ns). Return true, preempt
	// it, once it has used its whole quantum (SCHED_QUANTUM_NS).
	(void)e, (void)ran_ns, (void)now_ns;
	return false;
}

/* rr_block: the running e blocks; its next run starts a new quantum. */
static void rr_block(struct sched_entity *e, uint64_t now_ns)
{
	// TODO(lab3): part A. e blocks: its next run starts a new quantum.
	(void)e, (void)now_ns;
}

/* rr_wake: record the job's release (for the caller's metrics), then queue e at the tail. */
static void rr_wake(struct sched_entity *e, uint64_t now_ns)
{
	// TODO(lab3): part A. e becomes ready: queue it at the tail. First set
	// its release_ns (now_ns) and deadline_ns (release + rel_deadline_ns),
	// as sched_policy.h's wake asks of every policy, though RR ignores them.
	(void)e, (void)now_ns;
}

const struct sched_policy sched_rr = {
    .name = "rr",
    .init = rr_init,
    .enqueue = rr_enqueue,
    .dequeue = rr_dequeue,
    .pick_next = rr_pick_next,
    .tick = rr_tick,
    .block = rr_block,
    .wake = rr_wake,
};

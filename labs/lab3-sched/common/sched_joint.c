/*
 * sched_joint.c: lab 3 part B, the joint scheduler. Each entity is
 * classified from what it does, not from what it declares:
 *  - a run that ends in a block before the quantum is used up is evidence of
 *    a latency-sensitive entity, a run that uses the whole quantum evidence of
 *    a CPU-bound one; the class changes after SCHED_RECLASSIFY_RUNS
 *    consecutive runs of the other kind (hysteresis), and each change is
 *    counted in e->reclassified;
 *  - latency-sensitive entities are ordered by earliest absolute deadline
 *    (EDF; Liu & Layland, "Scheduling Algorithms for Multiprogramming in a
 *    Hard-Real-Time Environment", JACM 20(1), 1973) with limited preemption
 *    (Baruah, "The limited-preemption uniprocessor scheduling of sporadic
 *    task systems", ECRTS 2005): a released job preempts a CPU-bound entity
 *    at once, but a latency-sensitive one only when it blocks or ends its
 *    quantum. Their jobs are shorter than a quantum, so this bounds the
 *    wait to one quantum and saves the switches that would push the
 *    long-deadline jobs further back (sched-sim: a lower p99 and no more
 *    misses). One that uses a whole quantum has its deadline postponed by
 *    its relative deadline, as a constant bandwidth server does when its
 *    budget runs out (Abeni & Buttazzo, "Integrating Multimedia Applications
 *    in Hard Real-Time Systems", RTSS 1998), so it cannot hold the CPU with
 *    an old deadline while its class changes;
 *  - CPU-bound entities share what is left by stride scheduling
 *    (Waldspurger & Weihl, "Stride Scheduling: Deterministic
 *    Proportional-Share Resource Management", MIT/LCS/TM-528, 1995): pass
 *    grows by STRIDE1 / weight per quantum of CPU used, in proportion for a
 *    partial quantum, and the lowest pass runs; an entity that joins the
 *    class or wakes has its pass lifted to the class's minimum, so sleeping
 *    banks no credit;
 *  - the latency class runs first, unless the CPU-bound class got less than
 *    SCHED_CPU_MIN_SHARE percent of the CPU over the last JOINT_WINDOW
 *    quanta while it had work ready; then a CPU-bound entity runs next.
 * Any entity that runs a whole quantum is preempted.
 * Entry point: sched_joint (struct sched_policy, sched_policy.h).
 * Freestanding: the kernel compiles this file unchanged, and tools/sched-sim
 * compiles the file labgen generates.
 */
#include "types.h"
#include "list.h"
#include "sched_policy.h"

#define STRIDE1	     (1UL << 20) /* the stride of weight 1, per quantum */
#define JOINT_WINDOW 10		 /* quanta in the sliding window of the CPU-bound share */

static struct list_node ls_queue = LIST_INIT(ls_queue);	  /* latency-sensitive, ready */
static struct list_node cpu_queue = LIST_INIT(cpu_queue); /* CPU-bound, ready */
static uint64_t vtime; /* the highest pass picked so far: the CPU-bound class's virtual time */

/*
 * The CPU-share window: one slot per quantum of wall time (now / quantum),
 * JOINT_WINDOW slots, each the ns the CPU-bound class and the latency class
 * ran in it (latency time counts only while CPU-bound work was ready).
 */
static struct share_window {
	uint64_t slot; /* the quantum number of the newest slot */
	uint64_t cpu_ns[JOINT_WINDOW], ls_ns[JOINT_WINDOW];
} window;

static void joint_init(void)
{
	list_init(&ls_queue);
	list_init(&cpu_queue);
	vtime = 0;
	window = (struct share_window){0};
}

/* window_advance: make now_ns's quantum the newest slot, clearing the slots that aged out. */
static void window_advance(uint64_t now_ns)
{
	// TODO(lab3): part B. Slot q of the window (q = now / quantum) lives
	// in cpu_ns[q % JOINT_WINDOW] and ls_ns[q % JOINT_WINDOW]. Move
	// window.slot forward to now_ns's quantum, zeroing each slot it
	// passes (at most JOINT_WINDOW of them: after that all are zero).
	// Hint: the clock never goes back; a gap of idle quanta is possible.
	(void)now_ns;
}

/* ls_first: whether the latency class goes first now (the CPU-bound class has its minimum share). */
static bool ls_first(uint64_t now_ns)
{
	// TODO(lab3): part B. Over the window's slots (advance it to now_ns
	// first), true while the CPU-bound class got at least
	// SCHED_CPU_MIN_SHARE percent of the time both classes ran; false
	// when it is owed its share. Hint: integer arithmetic only.
	(void)now_ns;
	return true;
}

/* edf_first: the ready latency-sensitive entity with the earliest deadline (lower id on ties). */
static struct sched_entity *edf_first(void)
{
	// TODO(lab3): part B. EDF: the entity on ls_queue with the earliest
	// absolute deadline (deadline_ns), the lower id on a tie; NULL when
	// the queue is empty. Leave it on the queue: pick_next removes it.
	// Hint: list_for_each, container_of.
	return NULL;
}

/* stride_first: the ready CPU-bound entity with the lowest pass (lower id on ties). */
static struct sched_entity *stride_first(void)
{
	// TODO(lab3): part B. Stride: the entity on cpu_queue with the lowest
	// pass, the lower id on a tie; NULL when the queue is empty. Leave it
	// on the queue.
	return NULL;
}

/* stride_join: e joins the CPU-bound competition: lift its pass to the class's minimum. */
static void stride_join(struct sched_entity *e)
{
	// TODO(lab3): part B. An entity that joins the class (new, woken,
	// reclassified) must not bring a low pass that lets it run ahead of
	// the others for as long as it slept: lift e->pass to the lowest pass
	// ready, or to vtime when none is. Never lower it.
	(void)e;
}

/* insert: put ready e on its class's queue; joining (new, woken, reclassified) lifts its pass. */
static void insert(struct sched_entity *e, bool joining)
{
	if (e->class == SCHED_LATENCY) {
		list_add_tail(&ls_queue, &e->link);
		return;
	}
	if (joining)
		stride_join(e);
	list_add_tail(&cpu_queue, &e->link);
}

/* observe: one run of e behaved like class seen; reclassify after enough in a row. */
static bool observe(struct sched_entity *e, enum sched_class seen)
{
	// TODO(lab3): part B. Hysteresis: a run like e's own class resets
	// e->streak; SCHED_RECLASSIFY_RUNS runs of the other class in a row
	// move e to it (count the change in e->reclassified). Return true
	// exactly when e's class changed.
	(void)e, (void)seen;
	return false;
}

/* release: a job (or a quantum's worth of work) of e starts at now_ns: set its EDF deadline. */
static void release(struct sched_entity *e, uint64_t now_ns)
{
	uint64_t rel = e->rel_deadline_ns ? e->rel_deadline_ns : SCHED_DEFAULT_DEADLINE_NS;

	e->release_ns = now_ns;
	e->deadline_ns = now_ns + rel;
}

/*
 * joint_enqueue: e is new (latency-sensitive, released now), or was preempted: a whole quantum
 * used is CPU-bound evidence, and a new deadline if e stays latency-sensitive.
 */
static void joint_enqueue(struct sched_entity *e, uint64_t now_ns)
{
	// TODO(lab3): part B. A new e has no deadline yet (deadline_ns 0):
	// release it now. An e that used its whole quantum is CPU-bound
	// evidence (observe), starts a new quantum, and, if it is still
	// latency-sensitive, has its deadline postponed (a new release now:
	// the CBS rule in the header). Then queue it (insert); it joins the
	// stride competition if it has just become CPU-bound.
	(void)e, (void)now_ns, (void)observe, (void)release, (void)insert;
}

static void joint_dequeue(struct sched_entity *e)
{
	list_del(&e->link);
}

/* joint_pick_next: EDF's first unless the CPU-bound class is owed its share; then stride's. */
static struct sched_entity *joint_pick_next(uint64_t now_ns)
{
	// TODO(lab3): part B. Remove and return the entity to run next: EDF's
	// first latency-sensitive one, unless a CPU-bound one is ready and its
	// class is owed its minimum share (ls_first); then stride's first,
	// whose pass becomes vtime if higher. NULL when nothing is ready.
	(void)now_ns, (void)edf_first, (void)stride_first, (void)ls_first;
	return NULL;
}

/* charge: account ran_ns of e's CPU time: its quantum, its pass, the share window. */
static void charge(struct sched_entity *e, uint64_t ran_ns, uint64_t now_ns)
{
	e->ran_ns += ran_ns;
	e->total_ns += ran_ns;
	// TODO(lab3): part B. A CPU-bound e's pass grows by its stride,
	// STRIDE1 / weight, per quantum of CPU, in proportion for ran_ns
	// (a weight of 0 counts as 1). Add ran_ns to now_ns's slot of the
	// window: to cpu_ns for a CPU-bound e, to ls_ns for a
	// latency-sensitive one but only while CPU-bound work is ready (a
	// class with nothing to run is owed nothing).
	(void)now_ns, (void)window_advance;
}

/*
 * joint_tick: charge e; preempt it when its quantum is used up, or when it is
 * CPU-bound while a latency-sensitive entity is ready and its class goes first.
 */
static bool joint_tick(struct sched_entity *e, uint64_t ran_ns, uint64_t now_ns)
{
	charge(e, ran_ns, now_ns);
	// TODO(lab3): part B. Preempt (return true) an e that used its whole
	// quantum, and a CPU-bound e when a latency-sensitive entity is ready
	// and its class goes first. A latency-sensitive e keeps the CPU until
	// it blocks or its quantum ends (limited preemption).
	return false;
}

/* joint_block: blocking before the quantum ends is latency-sensitive evidence. */
static void joint_block(struct sched_entity *e, uint64_t now_ns)
{
	// TODO(lab3): part B. Blocking before the quantum is used up is
	// latency-sensitive evidence, after a whole one CPU-bound evidence
	// (observe). e's next run starts a new quantum.
	(void)e, (void)now_ns;
}

/* joint_wake: release e's job at now_ns (deadline: declared, else the default), queue it. */
static void joint_wake(struct sched_entity *e, uint64_t now_ns)
{
	// TODO(lab3): part B. Release e's job now (its deadline) and queue
	// it; a CPU-bound e joins the stride competition.
	(void)e, (void)now_ns;
}

const struct sched_policy sched_joint = {
    .name = "joint",
    .init = joint_init,
    .enqueue = joint_enqueue,
    .dequeue = joint_dequeue,
    .pick_next = joint_pick_next,
    .tick = joint_tick,
    .block = joint_block,
    .wake = joint_wake,
};

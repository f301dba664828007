// @file lab3
/*
 * sched_joint.c: lab 3 part B, the joint scheduler. Each entity is
 * admitted by what it declares and then classified from what it does:
 *  - a new entity that declared a relative deadline starts latency-sensitive,
 *    one that declared none CPU-bound (admit): a burst of new CPU-bound
 *    threads never enters EDF, and a thread that wants EDF's service says
 *    so, as a task asks a constant bandwidth server (below) for a reservation;
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
 * Any entity that runs a whole quantum is preempted. Each class's ready
 * entities are in a min-heap (heap.h) keyed by deadline or by pass, so a
 * decision is O(log n) in the number of ready entities.
 * Entry point: sched_joint (struct sched_policy, sched_policy.h).
 * Freestanding: the kernel compiles this file unchanged, and tools/sched-sim
 * compiles the file labgen generates.
 */
#include "types.h"
#include "heap.h"
#include "sched_policy.h"

#define STRIDE1	     (1UL << 20) /* the stride of weight 1, per quantum */
#define JOINT_WINDOW 10		 /* quanta in the sliding window of the CPU-bound share */

static struct heap_node *ls_slot[SCHED_MAX_ENTITIES], *cpu_slot[SCHED_MAX_ENTITIES];
static struct heap ls_heap = HEAP_INIT(ls_slot);   /* latency-sensitive, ready, by deadline */
static struct heap cpu_heap = HEAP_INIT(cpu_slot); /* CPU-bound, ready, by pass */
static uint64_t vtime; /* the highest pass picked so far: the CPU-bound class's virtual time */

/*
 * The CPU-share window: one slot per quantum of wall time (now / quantum),
 * JOINT_WINDOW slots, each the ns the CPU-bound class and the latency class
 * ran in it (latency time counts only while CPU-bound work was ready), and
 * their sums over the window, kept as slots change so reading them is O(1).
 */
static struct share_window {
	uint64_t slot; /* the quantum number of the newest slot */
	uint64_t cpu_ns[JOINT_WINDOW], ls_ns[JOINT_WINDOW];
	uint64_t cpu_sum, ls_sum; /* the sums of cpu_ns[] and ls_ns[] */
} window;

static void joint_init(void)
{
	ls_heap.n = 0;
	cpu_heap.n = 0;
	vtime = 0;
	window = (struct share_window){0};
}

/* window_advance: make now_ns's quantum the newest slot, clearing the slots that aged out. */
static inline void window_advance(uint64_t now_ns)
{
	// @lab3 solution
	uint64_t slot = now_ns / SCHED_QUANTUM_NS;

	for (unsigned i = 0; window.slot < slot && i < JOINT_WINDOW; i++) {
		unsigned k = ++window.slot % JOINT_WINDOW;

		window.cpu_sum -= window.cpu_ns[k];
		window.ls_sum -= window.ls_ns[k];
		window.cpu_ns[k] = window.ls_ns[k] = 0;
	}
	window.slot = slot > window.slot ? slot : window.slot;
	// @lab3 stub
	// TODO(lab3): part B. Slot q of the window (q = now / quantum) lives
	// in cpu_ns[q % JOINT_WINDOW] and ls_ns[q % JOINT_WINDOW]. Move
	// window.slot forward to now_ns's quantum, zeroing each slot it
	// passes (at most JOINT_WINDOW of them: after that all are zero), and
	// take what each held out of cpu_sum and ls_sum.
	// Hint: the clock never goes back; a gap of idle quanta is possible.
	(void)now_ns;
	// @lab3 end
}

/* ls_first: whether the latency class goes first now (the CPU-bound class has its minimum share). */
static bool ls_first(uint64_t now_ns)
{
	// @lab3 solution
	window_advance(now_ns);
	return window.cpu_sum * 100 >= SCHED_CPU_MIN_SHARE * (window.cpu_sum + window.ls_sum);
	// @lab3 stub
	// TODO(lab3): part B. Over the window (advance it to now_ns first),
	// true while the CPU-bound class got at least SCHED_CPU_MIN_SHARE
	// percent of the time both classes ran; false when it is owed its
	// share. Hint: integer arithmetic only; cpu_sum and ls_sum are the
	// window's totals, so no loop is needed.
	(void)now_ns;
	return true;
	// @lab3 end
}

/* edf_first: the ready latency-sensitive entity with the earliest deadline (lower id on ties). */
static inline struct sched_entity *edf_first(void)
{
	// @lab3 solution
	struct heap_node *n = heap_first(&ls_heap);

	return n ? container_of(n, struct sched_entity, node) : NULL;
	// @lab3 stub
	// TODO(lab3): part B. EDF: the entity with the earliest absolute
	// deadline, the lower id on a tie, is the first of ls_heap if insert
	// keyed it so; NULL when the heap is empty. Leave it in the heap:
	// pick_next removes it. Hint: heap_first, container_of(n, struct
	// sched_entity, node).
	return NULL;
	// @lab3 end
}

/* stride_first: the ready CPU-bound entity with the lowest pass (lower id on ties). */
static inline struct sched_entity *stride_first(void)
{
	// @lab3 solution
	struct heap_node *n = heap_first(&cpu_heap);

	return n ? container_of(n, struct sched_entity, node) : NULL;
	// @lab3 stub
	// TODO(lab3): part B. Stride: the entity with the lowest pass, the
	// lower id on a tie: the first of cpu_heap; NULL when it is empty.
	// Leave it in the heap. Hint: as edf_first.
	return NULL;
	// @lab3 end
}

/* stride_join: e joins the CPU-bound competition: lift its pass to the class's minimum. */
static void stride_join(struct sched_entity *e)
{
	// @lab3 solution
	struct sched_entity *first = stride_first();
	uint64_t floor = first ? first->pass : vtime;

	if (e->pass < floor)
		e->pass = floor;
	// @lab3 stub
	// TODO(lab3): part B. An entity that joins the class (new, woken,
	// reclassified) must not bring a low pass that lets it run ahead of
	// the others for as long as it slept: lift e->pass to the lowest pass
	// ready, or to vtime when none is. Never lower it.
	(void)e;
	// @lab3 end
}

/*
 * insert: put ready e in its class's heap, keyed so that the heap's first is
 * the one to run; joining (new, woken, reclassified) lifts its pass. The
 * heaps hold SCHED_MAX_ENTITIES, every entity there can be: heap_push cannot fail.
 */
static void insert(struct sched_entity *e, bool joining)
{
	// @lab3 solution
	e->node.tie = e->id;
	if (e->class == SCHED_LATENCY) {
		e->node.key = e->deadline_ns;
		heap_push(&ls_heap, &e->node);
		return;
	}
	if (joining)
		stride_join(e);
	e->node.key = e->pass;
	heap_push(&cpu_heap, &e->node);
	// @lab3 stub
	// TODO(lab3): part B. Key e's node (node.key, node.tie) so that the
	// first of its class's heap is the one to run: by deadline_ns in
	// ls_heap (EDF), by pass in cpu_heap (stride), the lower id first on
	// a tie. A joining CPU-bound e has its pass lifted (stride_join)
	// before it is keyed. Hint: heap_push; a key must not change while
	// the node is in a heap.
	(void)e, (void)joining, (void)stride_join;
	// @lab3 end
}

/* observe: one run of e behaved like class seen; reclassify after enough in a row. */
static inline bool observe(struct sched_entity *e, enum sched_class seen)
{
	// @lab3 solution
	if (seen == e->class) {
		e->streak = 0;
		return false;
	}
	if (++e->streak < SCHED_RECLASSIFY_RUNS)
		return false;
	e->class = seen;
	e->streak = 0;
	e->reclassified++;
	return true;
	// @lab3 stub
	// TODO(lab3): part B. Hysteresis: a run like e's own class resets
	// e->streak; SCHED_RECLASSIFY_RUNS runs of the other class in a row
	// move e to it (count the change in e->reclassified). Return true
	// exactly when e's class changed.
	(void)e, (void)seen;
	return false;
	// @lab3 end
}

/* release: a job (or a quantum's worth of work) of e starts at now_ns: set its EDF deadline. */
static inline void release(struct sched_entity *e, uint64_t now_ns)
{
	uint64_t rel = e->rel_deadline_ns ? e->rel_deadline_ns : SCHED_DEFAULT_DEADLINE_NS;

	e->release_ns = now_ns;
	e->deadline_ns = now_ns + rel;
}

/*
 * admit: new e (never released: deadline_ns 0) is admitted by what it
 * declared: with a relative deadline to the latency class; without, to the
 * CPU-bound class, whence it reaches the
 * latency class only by blocking (SCHED_RECLASSIFY_RUNS runs). Then its
 * first job is released. Returns whether e joins the CPU-bound class.
 */
static bool admit(struct sched_entity *e, uint64_t now_ns)
{
	// @lab3 solution
	e->class = e->rel_deadline_ns ? SCHED_LATENCY : SCHED_CPU_BOUND;
	release(e, now_ns);
	return e->class == SCHED_CPU_BOUND;
	// @lab3 stub
	// TODO(lab3): part B. Set e's class from what it declared: a
	// relative deadline (rel_deadline_ns) makes it latency-sensitive,
	// none CPU-bound. Then release its first job now. Return true when
	// it is CPU-bound (it joins the stride competition).
	(void)e, (void)now_ns;
	return false;
	// @lab3 end
}

/*
 * joint_enqueue: e is new (latency-sensitive, released now), or was preempted: a whole quantum
 * used is CPU-bound evidence, and a new deadline if e stays latency-sensitive.
 */
static void joint_enqueue(struct sched_entity *e, uint64_t now_ns)
{
	// @lab3 solution
	bool joining = !e->deadline_ns && admit(e, now_ns);

	if (e->ran_ns >= SCHED_QUANTUM_NS) {
		joining |= observe(e, SCHED_CPU_BOUND);
		e->ran_ns = 0;
		if (e->class == SCHED_LATENCY)
			release(e, now_ns);
	}
	insert(e, joining);
	// @lab3 stub
	// TODO(lab3): part B. A new e has no deadline yet (deadline_ns 0):
	// admit it (its class, its first release). An e that used its whole quantum is CPU-bound
	// evidence (observe), starts a new quantum, and, if it is still
	// latency-sensitive, has its deadline postponed (a new release now:
	// the CBS rule in the header). Then queue it (insert); it joins the
	// stride competition if it is new and CPU-bound or has just become
	// CPU-bound.
	(void)e, (void)now_ns, (void)observe, (void)release, (void)admit, (void)insert;
	// @lab3 end
}

static void joint_dequeue(struct sched_entity *e)
{
	heap_remove(e->class == SCHED_LATENCY ? &ls_heap : &cpu_heap, &e->node);
}

/* joint_pick_next: EDF's first unless the CPU-bound class is owed its share; then stride's. */
static struct sched_entity *joint_pick_next(uint64_t now_ns)
{
	// @lab3 solution
	struct sched_entity *ls = edf_first(), *cpu = stride_first();

	if (ls && (!cpu || ls_first(now_ns))) {
		heap_pop(&ls_heap);
		return ls;
	}
	if (!cpu)
		return NULL;
	heap_pop(&cpu_heap);
	if (cpu->pass > vtime)
		vtime = cpu->pass;
	return cpu;
	// @lab3 stub
	// TODO(lab3): part B. Remove and return the entity to run next: EDF's
	// first latency-sensitive one, unless a CPU-bound one is ready and its
	// class is owed its minimum share (ls_first); then stride's first,
	// whose pass becomes vtime if higher. NULL when nothing is ready.
	// Hint: heap_pop takes the first of a heap.
	(void)now_ns, (void)edf_first, (void)stride_first, (void)ls_first;
	return NULL;
	// @lab3 end
}

/* charge: account ran_ns of e's CPU time: its quantum, its pass, the share window. */
static void charge(struct sched_entity *e, uint64_t ran_ns, uint64_t now_ns)
{
	e->ran_ns += ran_ns;
	e->total_ns += ran_ns;
	// @lab3 solution
	unsigned weight = e->weight ? e->weight : 1;

	window_advance(now_ns);
	if (e->class == SCHED_CPU_BOUND) {
		e->pass += STRIDE1 / weight * ran_ns / SCHED_QUANTUM_NS;
		window.cpu_ns[window.slot % JOINT_WINDOW] += ran_ns;
		window.cpu_sum += ran_ns;
	} else if (!heap_empty(&cpu_heap)) {
		window.ls_ns[window.slot % JOINT_WINDOW] += ran_ns;
		window.ls_sum += ran_ns;
	}
	// @lab3 stub
	// TODO(lab3): part B. A CPU-bound e's pass grows by its stride,
	// STRIDE1 / weight, per quantum of CPU, in proportion for ran_ns
	// (a weight of 0 counts as 1). Add ran_ns to now_ns's slot of the
	// window: to cpu_ns (and cpu_sum) for a CPU-bound e, to ls_ns (and
	// ls_sum) for a latency-sensitive one but only while CPU-bound work
	// is ready (a class with nothing to run is owed nothing).
	(void)now_ns, (void)window_advance;
	// @lab3 end
}

/*
 * joint_tick: charge e; preempt it when its quantum is used up, or when it is
 * CPU-bound while a latency-sensitive entity is ready and its class goes first.
 */
static bool joint_tick(struct sched_entity *e, uint64_t ran_ns, uint64_t now_ns)
{
	charge(e, ran_ns, now_ns);
	// @lab3 solution
	if (e->ran_ns >= SCHED_QUANTUM_NS)
		return true;
	return e->class == SCHED_CPU_BOUND && !heap_empty(&ls_heap) && ls_first(now_ns);
	// @lab3 stub
	// TODO(lab3): part B. Preempt (return true) an e that used its whole
	// quantum, and a CPU-bound e when a latency-sensitive entity is ready
	// and its class goes first. A latency-sensitive e keeps the CPU until
	// it blocks or its quantum ends (limited preemption).
	// Hint: heap_empty.
	return false;
	// @lab3 end
}

/* joint_block: blocking before the quantum ends is latency-sensitive evidence. */
static void joint_block(struct sched_entity *e, uint64_t now_ns)
{
	// @lab3 solution
	(void)now_ns;
	observe(e, e->ran_ns < SCHED_QUANTUM_NS ? SCHED_LATENCY : SCHED_CPU_BOUND);
	e->ran_ns = 0;
	// @lab3 stub
	// TODO(lab3): part B. Blocking before the quantum is used up is
	// latency-sensitive evidence, after a whole one CPU-bound evidence
	// (observe). e's next run starts a new quantum.
	(void)e, (void)now_ns;
	// @lab3 end
}

/* joint_wake: release e's job at now_ns (deadline: declared, else the default), queue it. */
static void joint_wake(struct sched_entity *e, uint64_t now_ns)
{
	// @lab3 solution
	if (!e->deadline_ns)
		admit(e, now_ns);
	release(e, now_ns);
	insert(e, true);
	// @lab3 stub
	// TODO(lab3): part B. Release e's job now (its deadline) and queue
	// it; a CPU-bound e joins the stride competition. A new e (created
	// asleep: deadline_ns 0) is admitted first.
	(void)e, (void)now_ns;
	// @lab3 end
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

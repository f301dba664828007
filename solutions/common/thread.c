// @file lab3
/*
 * thread.c: lab 3's kernel threads and the scheduler core (thread.h): the
 * TCBs and their guarded stacks, the boot and idle threads, and the one
 * place where the CPU changes hands, reschedule(). Which thread runs next
 * is the policy's business (sched_policy.h: sched_rr, sched_joint); this
 * file keeps the caller's side of the policy contract and the one-shot
 * timer. Part A of the lab is the thread life cycle (create, exit, join),
 * yield, sleep and preemption; the stack area, init, the idle loop, the
 * counters and the threads command are provided.
 */
#include "kernel.h"
#include "arch.h"
#include "string.h"
#include "errno.h"
#include "init.h"
#include "monitor.h"
#include "trap.h"
#include "mm.h"
#include "kmalloc.h"
#include "pt.h"
// @lab4 provided
#include "ipc.h"
// @lab4 end
#include "thread.h"
#include "trace.h"

struct thread main_thread; /* the boot thread, kcpu.cur at boot (panic.c) */
static struct thread idle_thread;
/* idle_kick: an interrupt made a thread ready while idle ran (a device's notification): idle
 * switches to it when the interrupt returns, not at a next tick, which idle does not arm. */
static volatile bool idle_kick;
static const struct sched_policy *policy = &sched_rr;
static struct list_node all_threads = LIST_INIT(all_threads);
static struct list_node sleepers = LIST_INIT(sleepers); /* earliest wake_ns first */
static unsigned threads_alive;				/* not exited, idle not counted */
static uint64_t run_start; /* when current began running, or was last charged */
static int next_tid = 2;   /* 0 main, 1 idle */
static struct sched_stats stats;
// @lab4 provided
uint64_t thread_direct_base; /* thread.h: the fastpath hits that are no switch since the reset */
// @lab4 end
static uint64_t switch_c0;		      /* arch_cycles() as the last switch began */
static uint64_t stack_slots[THREAD_MAX / 64]; /* stack-area slots in use, a bit each */
_Static_assert(THREAD_MAX % 64 == 0, "stack_slots holds THREAD_MAX bits");

/* How the running thread leaves the CPU in reschedule(). */
enum leave { LEAVE_PREEMPT, LEAVE_BLOCK, LEAVE_EXIT };

/* -- stacks: THREAD_STACK_PAGES mapped at the top of a slot, guard pages below (provided) -- */

/* kstack_free_pages: unmap and free the stack pages mapped at [lo, lo + n pages). */
static void kstack_free_pages(uintptr_t lo, int n)
{
	for (int i = 0; i < n; i++) {
		paddr_t pa;
		if (pt_translate(&kernel_pt, lo + i * PAGE_SIZE, &pa, NULL, NULL) == 0) {
			pt_unmap(&kernel_pt, lo + i * PAGE_SIZE, PAGE_SIZE);
			frame_free(pa_to_kva(pa));
		}
	}
}

/*
 * kstack_alloc: map a new stack for t: a free slot, THREAD_STACK_PAGES
 * frames one by one (contiguity is not needed behind the page table, and
 * lab 2's stack allocator hands out order 0 only). Returns 0, -EAGAIN (no
 * slot) or -ENOMEM. Interrupts are off inside: the slots, frame_alloc and
 * pt_map have no lock of their own, and a preempting thread may create too.
 */
static int kstack_alloc(struct thread *t)
{
	bool irq = arch_irq_save();
	int slot = -1, err = 0, n = 0;

	for (int i = 0; i < THREAD_MAX && slot < 0; i++)
		if (!(stack_slots[i / 64] & 1UL << (i % 64)))
			slot = i;
	uintptr_t hi =
	    ARCH_KSTACK_AREA_BASE + (uintptr_t)(slot + 1) * THREAD_SLOT_PAGES * PAGE_SIZE;
	uintptr_t lo = hi - THREAD_STACK_PAGES * PAGE_SIZE;
	for (; slot >= 0 && !err && n < THREAD_STACK_PAGES; n++) {
		void *frame = frame_alloc(0);
		err = frame ? pt_map(&kernel_pt, lo + n * PAGE_SIZE, kva_to_pa(frame), PAGE_SIZE,
				     VM_READ | VM_WRITE | VM_GLOBAL)
			    : -ENOMEM;
		if (err < 0 && frame)
			frame_free(frame);
	}
	if (slot < 0 || err < 0) {
		if (slot >= 0)
			kstack_free_pages(lo, n);
		arch_irq_restore(irq);
		return slot < 0 ? -EAGAIN : err;
	}
	stack_slots[slot / 64] |= 1UL << (slot % 64);
	arch_irq_restore(irq);
	t->slot = slot;
	t->stack_lo = lo;
	t->stack_hi = hi;
	return 0;
}

/* kstack_free: unmap t's stack and give its frames back (t is not running on it). */
static void kstack_free(struct thread *t)
{
	bool irq = arch_irq_save();

	kstack_free_pages(t->stack_lo, THREAD_STACK_PAGES);
	stack_slots[t->slot / 64] &= ~(1UL << (t->slot % 64));
	arch_irq_restore(irq);
}

/* thread_init_tcb: fill a new TCB (zeroed by the caller) with its identity. */
static void thread_init_tcb(struct thread *t, int tid, const char *name, unsigned weight,
			    uint64_t rel_deadline_ns)
{
	t->tid = tid;
	strlcpy(t->name, name, sizeof(t->name));
	t->se.id = tid;
	t->se.weight = weight;
	t->se.rel_deadline_ns = rel_deadline_ns;
	list_add_tail(&all_threads, &t->all_link);
	// @lab8 provided
	uint64_t name8 = 0;
	memcpy(&name8, t->name, sizeof(name8));
	TRACEPOINT(TRACE_THREAD, tid, name8);
	// @lab8 end
}

/* switch_end: a switch that began at switch_c0 has ended (in the thread switched to). */
static void switch_end(void)
{
	stats.switch_instr += arch_cycles() - switch_c0;
}

/* thread_start: where every new thread begins (arch_context_init's entry), interrupts off. */
static noreturn void thread_start(void *arg)
{
	struct thread *t = arg;

	switch_end();
	arch_irq_enable();
	t->entry(t->arg);
	thread_exit(0);
}

/* -- the scheduler core (part A) ------------------------------------------------------ */

/*
 * timer_program: arm the one-shot timer for the earlier of the first
 * sleeper's wake_ns and the end of current's quantum (what the policy has
 * not charged yet: SCHED_QUANTUM_NS - se.ran_ns after run_start). No
 * quantum timer while current is idle or the only thread alive.
 */
static void timer_program(void)
{
	// @lab3 solution
	uint64_t when = ~0UL;

	if (!list_empty(&sleepers))
		when = container_of(list_first(&sleepers), struct thread, sleep_link)->wake_ns;
	if (current != &idle_thread && threads_alive > 1) {
		uint64_t ran = current->se.ran_ns;
		uint64_t end = run_start + (ran < SCHED_QUANTUM_NS ? SCHED_QUANTUM_NS - ran : 1);
		if (end < when)
			when = end;
	}
	arch_timer_set(when);
	// @lab3 stub
	// TODO(lab3): part A. arch_timer_set the earlier of the first sleeper's wake_ns and
	// the end of current's quantum. Hint: the policy keeps se.ran_ns.
	// @lab3 end
}

/* charge: tell the policy what current ran since run_start (tick); true: preempt it. */
static bool charge(uint64_t now)
{
	// @lab3 solution
	uint64_t ran = now - run_start;

	run_start = now;
	if (current == &idle_thread) {
		stats.idle_ns += ran;
		return false;
	}
	return policy->tick(&current->se, ran, now);
	// @lab3 stub
	// TODO(lab3): part A. charge current's CPU time since run_start with policy->tick.
	(void)now;
	return false;
	// @lab3 end
}

/*
 * thread_switch: give the CPU from prev to next, which is already current:
 * count the switch, point the stack bounds (kstack_limit, kstack_top) and
 * the stack traps from user mode use (arch_set_kernel_stack) at next's
 * stack, switch registers. Returns when prev runs again. Interrupts
 * off. The instructions from here to next running (switch_end, here or in
 * thread_start) are counted in stats.switch_instr. Provided: the one place
 * later labs extend a switch (lab 4 switches the address space here: next's
 * page table, pt_root).
 */
static void thread_switch(struct thread *prev, struct thread *next)
{
	stats.switches++;
	next->switches_in++;
	// @lab8 provided
	TRACE_SWITCH_POINT(prev, next, false);
	// @lab8 end
	kcpu.kstack = &next->kstack; /* kstack_limit, kstack_top */
	arch_set_kernel_stack(next->stack_hi);
	switch_c0 = arch_cycles();
	// @lab4 provided
	/* next's address space: its task's, or the kernel's for a kernel thread (which must not
	 * keep a user page table that its task may free). */
	paddr_t root = next->pt_root ? next->pt_root : kernel_pt.root_pa;
	if (root != arch_mmu_active())
		arch_mmu_activate(root);
	if (unlikely(next->ustate)) /* lab 6: a Linux thread's FP registers, thread pointer */
		ustate_switch(next->ustate);
	// @lab4 end
	arch_context_switch(&prev->ctx, &next->ctx);
	switch_end();
}

/*
 * pick: the policy's decision as prev leaves the CPU (how: preempted or
 * yielding, so still ready; blocked, its state already set; exited): hand
 * prev over (enqueue or block; never the idle thread), then pick_next.
 * Returns the thread to run next: idle when pick_next returns NULL.
 */
static struct thread *pick(struct thread *prev, enum leave how, uint64_t now)
{
	// @lab3 solution
	if (prev != &idle_thread) {
		if (how == LEAVE_PREEMPT) {
			prev->state = THREAD_READY;
			policy->enqueue(&prev->se, now);
		} else if (how == LEAVE_BLOCK) {
			policy->block(&prev->se, now);
		}
	}
	struct sched_entity *e = policy->pick_next(now);

	return e ? container_of(e, struct thread, se) : &idle_thread;
	// @lab3 stub
	// TODO(lab3): part A. hand prev to the policy (enqueue when preempted, block
	// when blocked, nothing when it exits or is idle), then pick_next.
	// Hint: container_of(e, struct thread, se); idle_thread when pick_next returns NULL.
	(void)how, (void)now;
	return prev;
	// @lab3 end
}

/*
 * reschedule: current leaves the CPU (how, as for pick) and the thread
 * pick chooses runs. Call with interrupts disabled, after charge(now).
 * Returns when current runs again (never for an exit). The instructions
 * pick takes are one decision in the counters (arch_cycles() counts
 * instructions under -icount).
 */
static void reschedule(enum leave how, uint64_t now)
{
	struct thread *prev = current;
	// @lab8 provided
	enum sched_class class = prev->se.class;
	// @lab8 end
	uint64_t c0 = arch_cycles();
	struct thread *next = pick(prev, how, now);
	uint64_t instr = arch_cycles() - c0;

	// @lab8 provided
	if (prev->se.class != class)
		TRACEPOINT(TRACE_RECLASS, prev->tid, prev->se.class == SCHED_LATENCY);
	TRACE_DECISION_POINT(next, instr);
	// @lab8 end
	stats.decisions++;
	stats.decision_instr += instr;
	if (instr > stats.decision_max)
		stats.decision_max = instr;
	// @lab3 solution
	next->state = THREAD_RUNNING;
	current = next;
	run_start = now;
	timer_program();
	if (next != prev)
		thread_switch(prev, next);
	// @lab3 stub
	// TODO(lab3): part A. next becomes current: its state, current, run_start, the
	// timer; then thread_switch(prev, next) unless next is prev.
	(void)next, (void)thread_switch;
	// @lab3 end
}

/* wake: blocked or sleeping t becomes ready; its job is released now (the policy's wake). */
static void wake(struct thread *t, uint64_t now)
{
	// @lab3 solution
	t->state = THREAD_READY;
	policy->wake(&t->se, now);
	// @lab3 stub
	// TODO(lab3): part A. mark t ready and tell the policy.
	(void)t;
	(void)now;
	// @lab3 end
}

// @lab8 provided
/* wake_traced: wake, then a TRACE_WAKE record (lab 8): every wake below this line is traced,
 * and your wake stays as you wrote it. */
static void wake_traced(struct thread *t, uint64_t now)
{
	wake(t, now);
	TRACE_WAKE_POINT(t);
}
#define wake(t, now) wake_traced((t), (now))
// @lab8 end

/*
 * sched_timer_irq (timer_irq_hook): wake the sleepers whose time has come,
 * then charge current (after a wake, so the policy can preempt it for a
 * more urgent thread) and reschedule if the policy says so.
 */
static void sched_timer_irq(void)
{
	// @lab3 solution
	uint64_t now = arch_time_ns();

	stats.timer_irqs++;
	while (!list_empty(&sleepers)) {
		struct thread *t = container_of(list_first(&sleepers), struct thread, sleep_link);
		if (t->wake_ns > now)
			break;
		list_del(&t->sleep_link);
		wake(t, now);
	}
	if (current == &idle_thread) {
		charge(now);
		reschedule(LEAVE_PREEMPT, now);
	} else if (charge(now)) {
		stats.preemptions++;
		reschedule(LEAVE_PREEMPT, now);
	} else {
		timer_program();
	}
	// @lab3 stub
	// TODO(lab3): part A. wake every sleeper whose wake_ns has passed, then charge
	// current and reschedule when the policy says preempt.
	(void)reschedule;
	// @lab3 end
}

int thread_create(struct thread **out, const char *name, void (*entry)(void *arg), void *arg,
		  const struct thread_attr *attr)
{
	// @lab3 solution
	unsigned weight = attr ? attr->weight : 1;
	uint64_t rel = attr ? attr->rel_deadline_ns : 0;

	if (!entry || !weight)
		return -EINVAL;
	bool irq = arch_irq_save(); /* kmalloc has no lock of its own */
	struct thread *t = kmalloc(sizeof(*t));
	arch_irq_restore(irq);
	if (!t)
		return -ENOMEM;
	memset(t, 0, sizeof(*t));
	int err = kstack_alloc(t);
	if (err < 0) {
		irq = arch_irq_save();
		kfree(t);
		arch_irq_restore(irq);
		return err;
	}
	t->entry = entry;
	t->arg = arg;
	arch_context_init(&t->ctx, t->stack_hi, thread_start, t);

	irq = arch_irq_save();
	thread_init_tcb(t, next_tid++, name, weight, rel);
	t->state = THREAD_READY;
	threads_alive++;
	policy->enqueue(&t->se, arch_time_ns());
	timer_program(); /* current may no longer be alone: start its quantum */
	arch_irq_restore(irq);
	*out = t;
	return 0;
	// @lab3 stub
	// TODO(lab3): part A. a TCB (kmalloc, zeroed), a stack (kstack_alloc), the first
	// context (arch_context_init with thread_start), thread_init_tcb with
	// tid next_tid++, then hand it to the policy (enqueue).
	(void)out, (void)name, (void)entry, (void)arg, (void)attr, (void)next_tid;
	return -ENOSYS;
	// @lab3 end
}

noreturn void thread_exit(int code)
{
	// @lab3 solution
	arch_irq_save();
	struct thread *t = current;
	uint64_t now = arch_time_ns();

	if (t == &main_thread || t == &idle_thread)
		panic("thread_exit: the %s thread cannot exit", t->name);
	charge(now);
	t->exit_code = code;
	t->state = THREAD_EXITED;
	threads_alive--;
	if (t->joiner && t->joiner->state == THREAD_BLOCKED)
		wake(t->joiner, now);
	reschedule(LEAVE_EXIT, now);
	// @lab3 stub
	// TODO(lab3): part A. mark current exited, wake its joiner, and switch away for good.
	// Hint: wake() and reschedule(LEAVE_EXIT, ...).
	(void)code, (void)wake;
	// @lab3 end
	panic("thread_exit: thread %d ran again after exiting", current->tid);
}

int thread_join(struct thread *t, int *code)
{
	// @lab3 solution
	if (!t || t == current || t == &main_thread || t == &idle_thread)
		return -EINVAL;
	bool irq = arch_irq_save();
	if (t->joiner && t->joiner != current) {
		arch_irq_restore(irq);
		return -EBUSY;
	}
	t->joiner = current;
	while (t->state != THREAD_EXITED) {
		uint64_t now = arch_time_ns();
		charge(now);
		current->state = THREAD_BLOCKED;
		reschedule(LEAVE_BLOCK, now);
	}
	list_del(&t->all_link);
	if (code)
		*code = t->exit_code;
	kstack_free(t);
	kfree(t);
	arch_irq_restore(irq);
	return 0;
	// @lab3 stub
	// TODO(lab3): part A. block until t has exited (thread_exit wakes you), then free it.
	// Hint: kstack_free and kfree, once t is off all_threads.
	(void)t, (void)code, (void)kstack_free;
	return -ENOSYS;
	// @lab3 end
}

void thread_yield(void)
{
	// @lab3 solution
	bool irq = arch_irq_save();
	uint64_t now = arch_time_ns();

	charge(now);
	reschedule(LEAVE_PREEMPT, now);
	arch_irq_restore(irq);
	// @lab3 stub
	// TODO(lab3): part A. charge current and reschedule; it stays ready.
	// @lab3 end
}

void thread_sleep_until(uint64_t deadline_ns)
{
	// @lab3 solution
	bool irq = arch_irq_save();
	uint64_t now = arch_time_ns();

	if (deadline_ns > now) {
		struct list_node *pos = &sleepers;
		struct list_node *n;

		list_for_each(n, &sleepers)
		{
			if (container_of(n, struct thread, sleep_link)->wake_ns > deadline_ns)
				break;
			pos = n;
		}
		charge(now);
		current->wake_ns = deadline_ns;
		list_add(pos, &current->sleep_link); /* after pos */
		current->state = THREAD_SLEEPING;
		reschedule(LEAVE_BLOCK, now);
	}
	arch_irq_restore(irq);
	// @lab3 stub
	// TODO(lab3): part A. put current on the sleep queue (sorted by wake_ns) and block.
	(void)deadline_ns;
	// @lab3 end
}

/* -- provided --------------------------------------------------------------------------- */

// @lab4 provided
void thread_block(void)
{
	uint64_t now = arch_time_ns();

	charge(now);
	current->state = THREAD_BLOCKED;
	reschedule(LEAVE_BLOCK, now);
}

void thread_unblock(struct thread *t)
{
	if (t->state != THREAD_BLOCKED)
		return;
	wake(t, arch_time_ns());
	if (current == &idle_thread)
		idle_kick = true;
}

// @lab4 end

void thread_sleep_ns(uint64_t ns)
{
	thread_sleep_until(arch_time_ns() + ns);
}

uint64_t thread_cpu_ns(const struct thread *t)
{
	bool irq = arch_irq_save();
	uint64_t ns = t->se.total_ns + (t == current ? arch_time_ns() - run_start : 0);

	arch_irq_restore(irq);
	return ns;
}

void thread_next_job(uint64_t release_ns, uint64_t deadline_ns)
{
	bool irq = arch_irq_save();

	current->se.release_ns = release_ns;
	current->se.deadline_ns = deadline_ns;
	arch_irq_restore(irq);
}

/*
 * policy_works: whether p's pick_next returns the one entity enqueued. A
 * policy still stubbed would never run anything again, main included, so
 * sched_use_policy refuses it instead of hanging. The caller re-inits p
 * afterwards (the probe may still be on its queue). Interrupts disabled.
 */
static bool policy_works(const struct sched_policy *p, uint64_t now)
{
	struct sched_entity probe = {.id = -1, .weight = 1};

	p->init();
	p->enqueue(&probe, now);
	return p->pick_next(now) == &probe;
}

int sched_use_policy(const struct sched_policy *p)
{
	bool irq = arch_irq_save();
	struct list_node *n;

	list_for_each(n, &all_threads)
	{
		struct thread *t = container_of(n, struct thread, all_link);
		if (t != current && t != &idle_thread) {
			arch_irq_restore(irq);
			return -EBUSY;
		}
	}
	uint64_t now = arch_time_ns();
	bool works = policy_works(p, now);

	p->init(); /* empty again, whether the probe got its entity back or not */
	if (!works) {
		arch_irq_restore(irq);
		return -ENOSYS;
	}
	charge(now); /* current's time so far stays in its total */
	policy = p;
	struct sched_entity *se = &current->se;
	*se = (struct sched_entity){.id = se->id,
				    .weight = se->weight,
				    .rel_deadline_ns = se->rel_deadline_ns,
				    .total_ns = se->total_ns,
				    .reclassified = se->reclassified};
	timer_program();
	arch_irq_restore(irq);
	return 0;
}

const struct sched_policy *sched_policy_current(void)
{
	return policy;
}

// @lab4 provided
/* direct_switches: lab 4's direct switches since the last sched_stats_reset: one per fastpath
 * hit (thread_switch_direct keeps no counter of its own, thread.h). */
static uint64_t direct_switches(void)
{
	return ipc_stats.fast_call + ipc_stats.fast_reply_recv - thread_direct_base;
}
// @lab4 end

void sched_stats_get(struct sched_stats *s)
{
	bool irq = arch_irq_save();

	*s = stats;
	// @lab4 provided
	s->switches += direct_switches(); /* counted apart, thread.h */
	// @lab4 end
	arch_irq_restore(irq);
}

void sched_stats_reset(void)
{
	bool irq = arch_irq_save();

	// @lab8 provided
	struct sched_stats now = stats;
	now.switches += direct_switches(); /* lab 8 has lab 4's */
	trace_stats_reset(&now);
	// @lab8 end
	stats = (struct sched_stats){0};
	// @lab4 provided
	thread_direct_base = ipc_stats.fast_call + ipc_stats.fast_reply_recv;
	// @lab4 end
	arch_irq_restore(irq);
}

/* idle_main: the idle thread: wait for interrupts; the timer hook switches away from it. */
static noreturn void idle_main(void *arg)
{
	(void)arg;
	for (;;) {
		/* Only an interrupt makes a thread ready while idle runs:
		 * sched_timer_irq switches to it from inside the interrupt; after
		 * another (lab 5's device interrupts, thread_unblock) idle does. */
		arch_irq_save();
		arch_idle();
		if (idle_kick) {
			idle_kick = false;
			thread_yield();
		}
	}
}

// @lab8 provided
/* sched_timer_irq_traced: the timer hook with tracing compiled in (lab 8): a TRACE_TIMER_IRQ
 * record first. */
static void sched_timer_irq_traced(void)
{
	TRACEPOINT(TRACE_TIMER_IRQ, 0, 0);
	sched_timer_irq();
}
// @lab8 end

/* sched_init: the boot thread becomes "main", an idle thread, the timer hook; interrupts on. */
static int sched_init(void)
{
	thread_init_tcb(&main_thread, 0, "main", 1, 0);
	main_thread.slot = -1; /* the boot stack */
	main_thread.stack_lo = kstack_limit;
	main_thread.stack_hi = kstack_top;
	main_thread.state = THREAD_RUNNING;
	threads_alive = 1;

	thread_init_tcb(&idle_thread, 1, "idle", 1, 0);
	int err = kstack_alloc(&idle_thread);
	if (err < 0)
		return err;
	idle_thread.entry = idle_main;
	idle_thread.state = THREAD_READY;
	arch_context_init(&idle_thread.ctx, idle_thread.stack_hi, thread_start, &idle_thread);

	policy->init();
	run_start = arch_time_ns();
	timer_irq_hook = sched_timer_irq;
	// @lab8 provided
	timer_irq_hook = sched_timer_irq_traced;
	// @lab8 end
	arch_irq_enable();
	kprintf("sched: %s policy, quantum %lu us, thread stacks %lu KiB at 0x%lx\n", policy->name,
		(unsigned long)SCHED_QUANTUM_NS / 1000, THREAD_STACK_PAGES * PAGE_SIZE / 1024,
		(unsigned long)ARCH_KSTACK_AREA_BASE);
	return 0;
}
KERNEL_INIT(INIT_SCHED, sched_init);

static const char *const state_names[] = {"running", "ready", "sleeping", "blocked", "exited"};

/* threads: list every thread with its state, class and CPU time. */
static int mon_threads(int argc, char **argv)
{
	(void)argc, (void)argv;
	kprintf("tid name             state    class   weight cpu_us     switches\n");
	bool irq = arch_irq_save();
	struct list_node *n;

	list_for_each(n, &all_threads)
	{
		struct thread *t = container_of(n, struct thread, all_link);
		kprintf("%3d %-16s %-8s %-7s %6u %-10lu %lu\n", t->tid, t->name,
			state_names[t->state],
			t == &idle_thread	       ? "-"
			: t->se.class == SCHED_LATENCY ? "latency"
						       : "cpu",
			t->se.weight, (unsigned long)(thread_cpu_ns(t) / 1000),
			(unsigned long)t->switches_in);
	}
	arch_irq_restore(irq);
	kprintf("policy %s\n", policy->name);
	return 0;
}
MONITOR_CMD("threads", "list the kernel threads", mon_threads);

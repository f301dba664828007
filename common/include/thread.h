/*
 * thread.h: lab 3's kernel threads and the scheduler core (thread.c).
 *
 * One CPU. Every thread has a TCB (struct thread, from kmalloc) and a kernel
 * stack of THREAD_STACK_PAGES pages, mapped in the thread-stack area with an
 * unmapped guard page below it, so an overflow is a named panic, not silent
 * corruption. The boot thread ("main", the monitor) becomes a thread at
 * INIT_SCHED; an idle thread (not seen by the policy) runs when no other
 * thread is ready.
 *
 * Scheduling goes through one struct sched_policy (sched_policy.h): round
 * robin (sched_rr, part A) or the joint scheduler (sched_joint, part B),
 * switched with sched_use_policy. thread.c keeps the caller's side of the
 * policy contract: it charges the running thread's CPU time with tick at
 * every timer interrupt, after every wake-up and before it blocks, and
 * programs the one-shot timer (arch_timer_set) for the earlier of the end of
 * the running thread's quantum and the first sleeper's wake-up time.
 *
 * Locking: one CPU, so the scheduler's state is protected by disabling
 * interrupts (arch_irq_save/restore). Every function here may be called
 * from any thread with interrupts enabled or not; none may be called from
 * an interrupt handler except through timer_irq_hook.
 * Times are ns on the arch_time_ns clock (1 ns per instruction under QEMU
 * -icount shift=0).
 */
#pragma once

#include "types.h"
#include "list.h"
#include "arch.h"
#include "sched_policy.h"
#include "trace.h"
#include "trap.h"

#define THREAD_STACK_PAGES 4 /* 16 KiB of kernel stack per thread */
#define THREAD_SLOT_PAGES  8 /* stack area stride: the stack at a slot's top, unmapped pages below */
#define THREAD_MAX	   256 /* stack slots; idle holds one, main runs on the boot stack */
#define THREAD_NAME_LEN	   16
_Static_assert(THREAD_MAX <= SCHED_MAX_ENTITIES, "a policy can hold every thread");

enum thread_state {
	THREAD_RUNNING,	 /* on the CPU (current) */
	THREAD_READY,	 /* on the policy's ready queue */
	THREAD_SLEEPING, /* in thread_sleep_until, on the sleep queue */
	THREAD_BLOCKED,	 /* in thread_join */
	THREAD_EXITED,	 /* called thread_exit; its joiner frees it */
};

/* The TCB. */
struct thread {
	struct sched_entity se;	 /* what the policy sees (se.id is the tid) */
	struct arch_context ctx; /* saved registers while not running */
	enum thread_state state;
	int tid;		      /* 0 main, 1 idle, then 2, 3, ... in creation order */
	char name[THREAD_NAME_LEN];   /* for the threads command, panics and traces */
	union {			      /* the usable stack [lo, hi): its guard page is below lo */
		struct kstack kstack; /* what kcpu.kstack points at while it runs */
		struct {
			uintptr_t stack_lo, stack_hi;
		};
	};
	int slot;		  /* the stack slot, -1 for main (the boot stack) */
	void (*entry)(void *arg); /* what the thread runs, with arg */
	void *arg;
	int exit_code;		     /* set by thread_exit */
	struct thread *joiner;	     /* the thread waiting in thread_join for this one, or NULL */
	uint64_t wake_ns;	     /* sleeping: when to wake */
	struct list_node sleep_link; /* on the sleep queue, earliest wake_ns first */
	struct list_node all_link;   /* on the list of all threads */
	uint64_t switches_in;	     /* times it was switched to */
	struct task *task;	     /* lab 4: the user task it runs, or NULL (a kernel thread) */
	paddr_t pt_root;     /* lab 4: its page table's root (thread_switch), 0: kernel_pt */
	uintptr_t mmu_token; /* lab 4: arch_mmu_token(pt_root), what the direct switch loads */
	struct tcb *tcb;     /* lab 4: a user thread's TCB (ipc.h), or NULL */
	bool stack_dropped;  /* lab 4: blocked by thread_switch_direct, no kernel context kept */
	struct arch_ustate *ustate; /* lab 6: a Linux-ABI thread's FP registers and thread
				     * pointer (its TCB's, ustate_switch), or NULL */
};

/*
 * ustate_switch (lab 6, common/lab4/ustate.c): make u (a Linux-ABI thread's
 * struct arch_ustate, arch.h) the user state in the CPU: lazily, by owner:
 * the CPU keeps the last one loaded until another is needed, so nothing is
 * saved or loaded when a Linux thread runs again after kit threads only
 * (the kit's programs and the kernel never touch FP/SIMD registers).
 * thread_switch calls it for every next thread that has a ustate, the
 * only cost kit threads pay (one load and branch in the slow switch; lab
 * 4's direct switch pays nothing: no Linux thread takes it, linux.c).
 * Interrupts disabled.
 */
void ustate_switch(struct arch_ustate *u);

#define current (kcpu.cur) /* the running thread (kcpu.h; read it with thread_current) */

/* thread_attr: optional scheduling parameters for thread_create (NULL: weight 1, no deadline). */
struct thread_attr {
	unsigned weight;	  /* CPU-bound share weight, >= 1 (joint's stride scheduling) */
	uint64_t rel_deadline_ns; /* a periodic thread's relative deadline (joint's EDF); 0: none */
};

/*
 * thread_create: a new thread that runs entry(arg) with interrupts enabled,
 * ready at once (the policy's enqueue). Returning from entry is
 * thread_exit(0). On success *out is the new thread, which must be
 * reclaimed with thread_join. Returns 0, -ENOMEM (no memory for the TCB or
 * the stack), -EAGAIN (every stack slot taken: THREAD_MAX - 1
 * threads besides main and idle, counting exited ones not yet joined) or -EINVAL (entry NULL,
 * weight 0).
 */
int thread_create(struct thread **out, const char *name, void (*entry)(void *arg), void *arg,
		  const struct thread_attr *attr);

/* thread_exit: end the current thread with code (given to its joiner); never returns. */
noreturn void thread_exit(int code);

/*
 * thread_join: wait until t has exited, store its exit code in *code (if
 * code is not NULL) and free t (TCB and stack). Returns 0, -EINVAL (t is
 * NULL, the current thread, main or idle) or -EBUSY (another thread is already joining t).
 */
int thread_join(struct thread *t, int *code);

/*
 * thread_block (lab 4): block the current thread (THREAD_BLOCKED, the
 * policy's block) until thread_unblock; it may also wake for another
 * reason (thread_exit wakes a blocked joiner), so callers loop on their own
 * condition. Call with interrupts disabled. thread_unblock: a blocked t
 * becomes ready (the policy's wake); nothing for a thread in another state.
 */
void thread_block(void);
void thread_unblock(struct thread *t);

/*
 * thread_switch_direct (lab 4, the IPC fastpath): the current thread
 * blocks (THREAD_BLOCKED) and blocked next becomes the current thread, to
 * resume straight from its saved user registers tf (on its own kernel
 * stack) in user mode: no policy operation, no decision, no timer change,
 * no kernel context saved or loaded; next runs on the rest of the current
 * thread's quantum (lazy scheduling: the policy sees neither the block nor
 * the wake-up). The switch is counted in next's switches_in; lab 3's
 * switches (sched_stats_get) counts it from the fastpath's hits (ipc.h's
 * ipc_stats: one direct switch each, less thread_direct_base), so the
 * switch itself keeps no counter of its own. The current thread's
 * kernel stack is dropped (stack_dropped): whoever wakes it later must
 * give it a context first (arch_context_init). Returns tf, for the
 * caller's trap return (the fastpath's: next's page table and kernel stack
 * are already in place). Inline: the fastpath is the one caller, and a
 * call costs a fifth of the switch. Interrupts disabled, and nothing but
 * that return may follow; both threads user threads (pt_root and
 * mmu_token set). thread_switch_direct_from: the same, with prev the
 * current thread as the caller read it (thread_current) before its stores,
 * which the compiler would otherwise read again after them.
 */
extern uint64_t thread_direct_base; /* thread.c: ipc_stats hits at sched_stats_reset */
static inline struct trapframe *thread_switch_direct_from(struct thread *prev, struct thread *next,
							  struct trapframe *tf)
{
	/* Every load before the first store: the compiler cannot tell the stores do not alias
	 * them, and would load again after each. */
	uintptr_t hi = next->stack_hi, token = next->mmu_token;
	uintptr_t prev_token = prev->mmu_token;
	uint64_t in = next->switches_in;

	prev->state = THREAD_BLOCKED;
	prev->stack_dropped = true;
	next->state = THREAD_RUNNING;
	next->stack_dropped = false;
	current = next;
	next->switches_in = in + 1;
	TRACE_SWITCH_POINT(prev, next, true); /* trace.h: nothing before lab 8 */
	kcpu.kstack = &next->kstack;	      /* kstack_limit, kstack_top */
	arch_direct_kernel_stack(hi); /* arch_set_kernel_stack, or nothing when not needed */
	if (token != prev_token)      /* a user thread runs on its own pt_root */
		arch_mmu_switch(token);
	return tf;
}

static inline struct trapframe *thread_switch_direct(struct thread *next, struct trapframe *tf)
{
	return thread_switch_direct_from(current, next, tf);
}

/* thread_yield: give up the CPU; the current thread stays ready (the policy's enqueue). */
void thread_yield(void);

/*
 * thread_sleep_until: block the current thread until arch_time_ns() >=
 * deadline_ns; returns at once if that time has passed. The timer fires at
 * the deadline, so the thread is ready within the timer's resolution
 * (riscv64 100 ns; x86_64 about 1 us) and runs when the policy picks it.
 */
void thread_sleep_until(uint64_t deadline_ns);

/* thread_sleep_ns: thread_sleep_until(now + ns). */
void thread_sleep_ns(uint64_t ns);

/* thread_current: the running thread (thread.c's current; inline: the IPC fastpath and every
 * system call ask for it). */
static inline struct thread *thread_current(void)
{
	return current;
}

/* thread_cpu_ns: CPU time t has used since it was created, ns, including the current run. */
uint64_t thread_cpu_ns(const struct thread *t);

/*
 * thread_next_job: the current (periodic) thread starts its next job at
 * once without blocking, because it is late: the job was released at
 * release_ns and is due at deadline_ns (sched_policy.h, the caller's side).
 */
void thread_next_job(uint64_t release_ns, uint64_t deadline_ns);

/*
 * sched_use_policy: schedule with p from now on (its init is called and the
 * current thread re-enters as new, keeping its CPU time). Returns 0; -EBUSY
 * while any thread but the current one and idle exists; -ENOSYS when p's
 * pick_next does not return an entity just enqueued (a stub: it would never
 * run anything again), and the policy in use stays.
 */
int sched_use_policy(const struct sched_policy *p);

/* sched_policy_current: the policy in use (sched_rr at boot). */
const struct sched_policy *sched_policy_current(void);

/* Scheduler counters since boot or the last sched_stats_reset. */
struct sched_stats {
	uint64_t decisions; /* policy decisions (one pick_next each) */
	uint64_t
	    decision_instr;    /* instructions in them, in all: enqueue or block, then pick_next */
	uint64_t decision_max; /* the longest one, instructions */
	uint64_t switches;     /* context switches */
	uint64_t switch_instr; /* instructions in them, in all: thread_switch to the next running */
	uint64_t preemptions;  /* tick said preempt */
	uint64_t timer_irqs;   /* timer interrupts */
	uint64_t idle_ns;      /* time the idle thread ran */
};

void sched_stats_get(struct sched_stats *s);
void sched_stats_reset(void);

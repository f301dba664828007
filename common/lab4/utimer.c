/*
 * utimer.c: lab 6, a timer for user space: SYS_TIMER_SIGNAL (kit/abi.h)
 * signals a notification when the kernel's clock (arch_time_ns) reaches a
 * deadline, one pending timer per thread (struct tcb's timer_*), so that a
 * server (lab 6's linuxd, for nanosleep) waits in Recv while other tasks
 * run and wakes by a badge bit instead of spinning.
 *
 * Lab 3's threads give the kernel a sleep (thread_sleep_until) but no way
 * to wake a sleeper early, so the pending timers are served by a few kernel
 * threads ("utimer"), each asleep until the earliest deadline that no
 * other one covers: a timer due before every sleeping worker wakes starts
 * (or unblocks) another. A worker sleeps at most UTIMER_SLICE_NS at a time,
 * so one left waiting for a deadline that was cancelled is free again
 * soon, and a timer armed while all UTIMER_WORKERS sleep for later ones
 * fires at most that late. Workers never exit (sched_use_policy then says
 * -EBUSY, as for any other kernel thread).
 * Entry points: sys_timer_signal, utimer_cancel. Locking: one CPU,
 * interrupts disabled.
 */
#include "kernel.h"
#include "cap.h"
#include "ipc.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"

#define UTIMER_WORKERS	4
#define UTIMER_SLICE_NS 100000000ULL /* 100 ms */

/* A worker: its thread, and until when it sleeps (0: blocked with nothing to do). */
static struct utimer_worker {
	struct thread *thread;
	uint64_t until;
} workers[UTIMER_WORKERS];

static struct list_node pending = LIST_INIT(pending); /* struct tcb.timer_link, earliest first */

void utimer_cancel(struct tcb *t)
{
	struct cap n = t->timer_ntfn;

	if (n.type != KIT_CAP_NOTIFICATION)
		return;
	list_del(&t->timer_link);
	t->timer_ntfn = (struct cap){0};
	obj_unref(&n);
}

/* first: the earliest pending timer's TCB, or NULL. */
static struct tcb *first(void)
{
	return list_empty(&pending) ? NULL
				    : container_of(list_first(&pending), struct tcb, timer_link);
}

/* fire_due: signal every pending timer whose deadline is at or before now. */
static void fire_due(uint64_t now)
{
	struct tcb *t;

	while ((t = first()) && t->timer_ns <= now) {
		struct cap n = t->timer_ntfn;
		list_del(&t->timer_link);
		t->timer_ntfn = (struct cap){0};
		ntfn_signal(n.obj, n.badge);
		obj_unref(&n);
	}
}

/* covered: a worker other than self is asleep until deadline or before (it will fire it). */
static bool covered(uint64_t deadline, const struct utimer_worker *self)
{
	for (int i = 0; i < UTIMER_WORKERS; i++)
		if (&workers[i] != self && workers[i].until && workers[i].until <= deadline)
			return true;
	return false;
}

/* worker_main: fire what is due, then sleep until the next deadline nobody else covers, or
 * block when there is none. */
static void worker_main(void *arg)
{
	struct utimer_worker *w = arg;

	arch_irq_save();
	for (;;) {
		uint64_t now = arch_time_ns();
		fire_due(now);
		struct tcb *t = first();
		if (!t || covered(t->timer_ns, w)) {
			w->until = 0;
			thread_block();
			continue;
		}
		w->until =
		    t->timer_ns - now > UTIMER_SLICE_NS ? now + UTIMER_SLICE_NS : t->timer_ns;
		thread_sleep_until(w->until);
	}
}

/* start: worker w's thread (w->until deadline: it runs at once and sleeps as it must). 0, or
 * thread_create's error. */
static int start(struct utimer_worker *w, uint64_t deadline)
{
	int err = thread_create(&w->thread, "utimer", worker_main, w, NULL);

	if (!err)
		w->until = deadline;
	return err;
}

/* kick: a timer at deadline was added: make sure a worker wakes by then (an idle one, a new
 * one; with none left, the earliest sleeper fires it within UTIMER_SLICE_NS). */
static void kick(uint64_t deadline)
{
	if (covered(deadline, NULL))
		return;
	for (int i = 0; i < UTIMER_WORKERS; i++)
		if (workers[i].thread && !workers[i].until) {
			workers[i].until = deadline;
			thread_unblock(workers[i].thread);
			return;
		}
	for (int i = 0; i < UTIMER_WORKERS; i++)
		if (!workers[i].thread) {
			start(&workers[i], deadline);
			return;
		}
}

/* sys_timer_signal (notification, deadline_ns): kit/abi.h SYS_TIMER_SIGNAL. */
long sys_timer_signal(const struct syscall_args *a)
{
	struct tcb *self = tcb_current();
	uint64_t now = arch_time_ns(), deadline = a->arg[1];

	if (!a->arg[0])
		return (long)now;
	struct cte *c = cap_resolve(task_current()->cspace, a->arg[0]);
	if (!c || c->cap.type != KIT_CAP_NOTIFICATION)
		return -EINVAL;
	if (!(c->cap.rights & KIT_RIGHT_WRITE))
		return -EPERM;
	if (deadline > now && deadline != KIT_TIME_NEVER && !workers[0].thread &&
	    start(&workers[0], 0) < 0)
		return -ENOMEM;
	utimer_cancel(self);
	if (deadline <= now) {
		ntfn_signal(c->cap.obj, c->cap.badge);
		return (long)now;
	}
	if (deadline == KIT_TIME_NEVER)
		return (long)now;
	self->timer_ntfn = c->cap;
	obj_ref(&self->timer_ntfn);
	self->timer_ns = deadline;
	struct list_node *n = &pending; /* after the last timer due at or before deadline */
	while (n->next != &pending &&
	       container_of(n->next, struct tcb, timer_link)->timer_ns <= deadline)
		n = n->next;
	list_add(n, &self->timer_link);
	kick(deadline);
	return (long)now;
}

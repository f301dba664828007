/*
 * tcb.c: lab 4 part C, the provided half of IPC (ipc.h): threads as
 * objects (the root thread's TCB, TCBs made by retype and started with
 * SYS_TCB_START), blocking and waking, moving a message into registers and
 * IPC buffers, fault endpoints and fault messages, bound notifications,
 * and the end of a task's threads.
 * Entry points: the ipc.h functions, tcb_create_root, tcb_finalize,
 * task_stop_threads, ipc_fault, ipc_syscall_exit, and the TCB system calls.
 */
#include "kernel.h"
#include "arch.h"
#include "kmalloc.h"
#include "mm.h"
#include "monitor.h"
#include "string.h"
#include "ipc.h"
#include "irq.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"
#include "trace.h"

long tcb_block(enum ipc_state state, void *obj)
{
	struct tcb *self = tcb_current();

	self->state = state;
	self->blocked_on = obj;
	while (self->state != IPC_RUNNING)
		thread_block();
	self->blocked_on = NULL;
	return self->result;
}

static noreturn void tcb_user_resume(void *tf);

void tcb_wake(struct tcb *t)
{
	struct thread *th = t->thread;

	if (th->stack_dropped) { /* blocked by a direct switch: no kernel context to go back to */
		struct trapframe *tf = arch_user_frame(th->stack_hi);
		arch_ipc_frame_complete(tf); /* the fastpath's entry saved only what IPC keeps */
		arch_context_init(&th->ctx, (uintptr_t)tf, tcb_user_resume, tf);
		th->stack_dropped = false;
	}
	thread_unblock(th);
}

void ipc_copy_mrs(struct tcb *from, struct tcb *to, unsigned len)
{
	if (len > KIT_MSG_MAX_MRS)
		len = KIT_MSG_MAX_MRS;
	for (unsigned i = KIT_MSG_REG_MRS; i < len && to->ipcbuf; i++)
		to->ipcbuf->mr[i] = from->ipcbuf ? from->ipcbuf->mr[i] : 0;
}

void ipc_user_regs(struct trapframe *tf, long result, const struct ipc_msg *m)
{
	arch_syscall_set_ret(tf, result);
	arch_syscall_set_out(tf, 1, m->info);
	for (int i = 0; i < KIT_MSG_REG_MRS; i++)
		arch_syscall_set_out(tf, 2 + i, m->mr[i]);
	arch_syscall_set_out(tf, 6, m->badge);
}

/* tcb_cancel: end t's IPC wait at once with result: off any queue, its caller or replier
 * told, running. */
static void tcb_cancel(struct tcb *t, long result)
{
	if (t->state == IPC_BLOCKED_SEND || t->state == IPC_BLOCKED_RECV ||
	    t->state == IPC_BLOCKED_NTFN) {
		list_del(&t->wait_link);
		if (t->state != IPC_BLOCKED_NTFN) {
			struct endpoint *ep = t->blocked_on;
			if (list_empty(&ep->queue))
				ep->state = EP_IDLE;
		}
	}
	if (t->state == IPC_BLOCKED_REPLY && t->replier && t->replier->caller == t)
		t->replier->caller = NULL;
	if (t->state != IPC_RUNNING) {
		t->state = IPC_RUNNING;
		t->result = result;
		tcb_wake(t);
	}
}

/* tcb_thread_start: a user thread's first kernel code (the root's too): take the task's
 * address space, then user mode at the start registers its TCB holds (lab 6's fork: a copy of
 * another thread's user registers, start_regs, and its thread pointer). */
static noreturn void tcb_thread_start(void *arg)
{
	struct tcb *tcb = arg;
	struct trapframe tf;

	arch_irq_save(); /* until user mode: a switch now must find pt_root set */
	struct thread *self = thread_current();
	self->task = tcb->task;
	self->tcb = tcb;
	self->pt_root = tcb->task->pt.root_pa;
	self->mmu_token = arch_mmu_token(self->pt_root);
	tcb->thread = self;
	arch_mmu_activate(self->pt_root);
	if (tcb->start_regs) {
		tf = *tcb->start_regs;
		kfree(tcb->start_regs);
		tcb->start_regs = NULL;
		arch_user_tls_set(&tf, tcb->start_tls);
		if (tcb->linux_ep.type == KIT_CAP_ENDPOINT)
			linux_child_start(tcb, &tf);
	} else
		arch_user_frame_init(&tf, tcb->start_pc, tcb->start_sp, tcb->start_arg);
	ipc_syscall_exit(&tf); /* killed before it ever ran: it leaves now */
	arch_user_return(&tf);
}

int tcb_create_root(struct task *t)
{
	struct tcb_obj *o = kmalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	memset(o, 0, sizeof(*o));
	o->hdr.type = KIT_CAP_TCB;
	o->hdr.refs = 1; /* the task's: the root thread's TCB ends with the task */
	struct tcb *tcb = &o->tcb;
	tcb->task = t;
	tcb->obj = o;
	tcb->start_pc = t->entry;
	tcb->start_sp = t->stack_top;
	tcb->ipcbuf_user = KIT_IPC_BUFFER_ROOT;
	int err = vspace_map_new(&t->pt, KIT_IPC_BUFFER_ROOT, 1, VM_READ | VM_WRITE, 0, NULL, 0);
	paddr_t pa;
	if (!err)
		err = pt_translate(&t->pt, KIT_IPC_BUFFER_ROOT, &pa, NULL, NULL);
	if (err) {
		kfree(o);
		return err;
	}
	tcb->ipcbuf = pa_to_kva(pa);
	t->root_tcb = o;
	return 0;
}

int tcb_start_root(struct task *t)
{
	int err = thread_create(&t->thread, t->name, tcb_thread_start, &t->root_tcb->tcb, NULL);
	if (!err)
		t->root_tcb->tcb.thread = t->thread;
	return err;
}

unsigned long ipc_exiting;

/* mark_exiting: t's thread is to leave at its next way back to user mode. */
static void mark_exiting(struct tcb *t)
{
	if (!t->exiting)
		ipc_exiting++;
	t->exiting = true;
}

/* leave: the current thread, marked exiting, exits (a root thread stops its task's other
 * threads and children first). */
static noreturn void leave(struct tcb *t, int code)
{
	if (t->exiting)
		ipc_exiting--;
	t->exiting = false;
	if (t->task && t == &t->task->root_tcb->tcb) {
		task_stop_threads(t->task);
		task_ending(t->task, code);
	}
	struct tcb *c = t->caller; /* may be stale: the fastpath's reply leaves it set */
	if (c && c->state == IPC_BLOCKED_REPLY && c->replier == t) /* a server ended mid-call */
		tcb_cancel(c, -EPIPE);
	t->caller = NULL;
	thread_exit(code);
}

/* tcb_stop: end started TCB t's thread and reap it (unless it is the caller's own, which
 * leaves at the end of this system call and is reaped with its task). */
static void tcb_stop(struct tcb *t)
{
	struct thread *th = t->thread;
	if (!th || t->exiting)
		return;
	mark_exiting(t);
	if (t == tcb_current())
		return;
	tcb_cancel(t, -EINTR);
	struct task *task = t->task;
	for (int i = 0; i < TASK_MAX_THREADS; i++)
		if (task->threads[i] == th && thread_join(th, NULL) == 0)
			task->threads[i] = NULL;
	t->thread = NULL;
}

/* reap_child: end spawned task c (its root thread leaves, taking its threads and children
 * along) and free it. */
static void reap_child(struct task *c)
{
	struct thread *th = c->thread;

	if (th->state != THREAD_EXITED) {
		mark_exiting(&c->root_tcb->tcb);
		tcb_cancel(&c->root_tcb->tcb, -EINTR);
	}
	thread_join(th, NULL);
	task_free(c);
}

void task_stop_threads(struct task *task)
{
	for (int i = 0; i < TASK_MAX_CHILDREN; i++) {
		if (task->children[i])
			reap_child(task->children[i]);
		task->children[i] = NULL;
	}
	for (int i = 0; i < TASK_MAX_THREADS; i++) {
		struct thread *th = task->threads[i];
		if (!th)
			continue;
		if (th->state != THREAD_EXITED) { /* an exited thread's TCB may be gone */
			mark_exiting(th->tcb);
			tcb_cancel(th->tcb, -EINTR);
		}
		if (thread_join(th, NULL) == 0)
			task->threads[i] = NULL;
	}
}

void task_kill(struct task *task)
{
	struct tcb *t = &task->root_tcb->tcb;

	if (task->thread->state == THREAD_EXITED)
		return;
	mark_exiting(t);
	if (t != tcb_current())
		tcb_cancel(t, -EINTR);
}

/* tcb_unbind: t's bound notification, if any, is unbound. */
static void tcb_unbind(struct tcb *t)
{
	if (t->bound)
		t->bound->bound = NULL;
	t->bound = NULL;
}

/* tcb_drop_fault_ep: t's fault endpoint and Linux server endpoint, if any, go (their
 * references too). */
static void tcb_drop_fault_ep(struct tcb *t)
{
	struct cap old = t->fault_ep, lx = t->linux_ep;

	t->fault_ep = (struct cap){0};
	t->linux_ep = (struct cap){0};
	obj_unref(&old);
	obj_unref(&lx);
}

void tcb_finalize(struct tcb_obj *o)
{
	struct tcb *t = &o->tcb;

	tcb_stop(t);
	tcb_unbind(t);
	tcb_drop_fault_ep(t);
	utimer_cancel(t);
	if (t->caller) /* whoever waits for this thread's reply waits for nothing */
		tcb_cancel(t->caller, -EPIPE);
	t->caller = NULL;
	if (t->ipcbuf_user && t->obj != t->task->root_tcb)
		pt_unmap(&t->task->pt, t->ipcbuf_user, PAGE_SIZE);
	t->ipcbuf = NULL;
	t->ipcbuf_user = 0;
}

void tcb_free_root(struct task *task)
{
	struct tcb_obj *o = task->root_tcb;

	if (!o)
		return;
	tcb_unbind(&o->tcb);
	tcb_drop_fault_ep(&o->tcb);
	utimer_cancel(&o->tcb);
	kfree(o->tcb.start_regs); /* a task that ended before it ever ran */
	ustate_free(o->tcb.ustate);
	kfree(o);
	task->root_tcb = NULL;
}

void ipc_syscall_exit(struct trapframe *tf)
{
	struct tcb *t = tcb_current();

	(void)tf;
	if (t && unlikely(t->exiting))
		leave(t, 0);
}

noreturn void ipc_fault(const struct user_fault *f)
{
	struct tcb *t = tcb_current();

	if (t->fault_ep.type == KIT_CAP_ENDPOINT) {
		struct ipc_msg m = {
		    .info = KIT_MSGINFO(KIT_LABEL_FAULT, 0, 3),
		    .badge = t->fault_ep.badge,
		    .mr = {f->memory ? KIT_FAULT_MEMORY : KIT_FAULT_OTHER, f->pc, f->addr},
		};
		ep_send(t->fault_ep.obj, &m, false, false, 0);
	}
	bool root = t == &t->task->root_tcb->tcb;
	if (!root || !t->task->obj) /* a created task's root (lab 5) ends now, reported */
		tcb_block(IPC_INACTIVE, NULL); /* stopped until its task ends */
	if (root)
		t->task->killed = true;
	leave(t, TASK_KILLED);
}

/* -- the TCB system calls (syscall.h) -------------------------------------------------- */

/* tcb_cap: the TCB in the caller's slot, or NULL. */
static struct tcb *tcb_cap(unsigned long slot)
{
	struct cte *c = cap_resolve(task_current()->cspace, slot);
	return c && c->cap.type == KIT_CAP_TCB ? &((struct tcb_obj *)c->cap.obj)->tcb : NULL;
}

/* free_thread_slot: an unused index in task->threads, or -1. */
static int free_thread_slot(struct task *task)
{
	for (int i = 0; i < TASK_MAX_THREADS; i++)
		if (!task->threads[i])
			return i;
	return -1;
}

long sys_tcb_start(const struct syscall_args *a)
{
	struct task *task = task_current();
	struct tcb *t = tcb_cap(a->arg[0]);
	uintptr_t pc = a->arg[1], sp = a->arg[2], buf = a->arg[3];

	if (!t || !user_range_ok(pc, 1) || !user_range_ok(sp, 0) || buf % PAGE_SIZE || !buf ||
	    !user_range_ok(buf, PAGE_SIZE))
		return -EINVAL;
	if (t->thread || t->exiting || t->obj == task->root_tcb)
		return -EBUSY;
	int i = free_thread_slot(task);
	if (i < 0)
		return -EAGAIN;
	void *page = (char *)t->obj + PAGE_SIZE;
	paddr_t pa;
	if (pt_translate(&task->pt, buf, &pa, NULL, NULL) == 0)
		return -EEXIST; /* user input: pt_map would report it as kernel misuse */
	int err = pt_map(&task->pt, buf, kva_to_pa(page), PAGE_SIZE, VM_READ | VM_WRITE | VM_USER);
	if (err)
		return err;
	t->task = task;
	t->ipcbuf = page;
	t->ipcbuf_user = buf;
	t->start_pc = pc;
	t->start_sp = sp;
	t->start_arg = a->arg[4];
	t->state = IPC_RUNNING;
	err = thread_create(&task->threads[i], task->name, tcb_thread_start, t, NULL);
	t->thread = err ? NULL : task->threads[i];
	if (err) {
		pt_unmap(&task->pt, buf, PAGE_SIZE);
		t->ipcbuf = NULL;
		t->ipcbuf_user = 0;
		return err;
	}
	return 0;
}

long sys_tcb_set_fault_ep(const struct syscall_args *a)
{
	struct tcb *t = tcb_cap(a->arg[0]);
	struct cte *ep = a->arg[1] ? cap_resolve(task_current()->cspace, a->arg[1]) : NULL;

	if (!t || (a->arg[1] && (!ep || ep->cap.type != KIT_CAP_ENDPOINT)))
		return -EINVAL;
	if (ep && !(ep->cap.rights & KIT_RIGHT_WRITE))
		return -EPERM;
	tcb_drop_fault_ep(t);
	if (ep) {
		t->fault_ep = ep->cap;
		obj_ref(&t->fault_ep);
	}
	return 0;
}

long sys_tcb_bind(const struct syscall_args *a)
{
	struct tcb *t = tcb_cap(a->arg[0]);
	struct cte *c = a->arg[1] ? cap_resolve(task_current()->cspace, a->arg[1]) : NULL;

	if (!t || (a->arg[1] && (!c || c->cap.type != KIT_CAP_NOTIFICATION)))
		return -EINVAL;
	if (!c) {
		tcb_unbind(t);
		return 0;
	}
	struct notification *n = c->cap.obj;
	if (!(c->cap.rights & KIT_RIGHT_READ))
		return -EPERM;
	if (n->bound || t->bound)
		return -EBUSY;
	n->bound = t;
	t->bound = n;
	return 0;
}

/* -- part D's provided half: the direct switch, the counters -------------------------------- */

/* fastpath_set: the fastpath on (the arch trap code's hooks set) or off (fastpath_none: every
 * Call and ReplyRecv takes the slowpath). */
void fastpath_set(bool on)
{
	fastpath_call_hook = on ? FASTPATH_CALL_FN : fastpath_none; /* trace.h: traced from lab 8 */
	fastpath_reply_recv_hook = on ? FASTPATH_REPLY_RECV_FN : fastpath_none;
}

/* tcb_user_resume: where a thread blocked by a direct switch resumes once woken (tcb_wake):
 * the slowpath's result into its saved user registers tf, back to user mode (unless its task
 * is ending). */
static noreturn void tcb_user_resume(void *tf)
{
	ipc_resume_slow(tf);
	ipc_syscall_exit(tf);
	arch_user_return(tf);
}

void ipc_resume_slow(struct trapframe *tf)
{
	struct tcb *self = tcb_current();

	while (self->state != IPC_RUNNING)
		thread_block();
	self->blocked_on = NULL;
	if (self->result >= 0)
		ipc_user_regs(tf, self->result, &self->msg);
	else
		arch_syscall_set_ret(tf, self->result);
}

long sys_ipc_stats(const struct syscall_args *a)
{
	unsigned irq;

	if (a->arg[1] < sizeof(ipc_stats))
		return -EINVAL;
	ipc_stats.irq_cycles = irq_last(&irq);
	ipc_stats.irq_line = irq;
	return copy_to_user(a->arg[0], &ipc_stats, sizeof(ipc_stats));
}

/* fastpath [on|off]: the fastpath's switch (off: every Call and ReplyRecv takes the slowpath). */
static int mon_fastpath(int argc, char **argv)
{
	if (argc == 2)
		fastpath_set(strcmp(argv[1], "off") != 0);
	kprintf("fastpath %s\n", fastpath_call_hook != fastpath_none ? "on" : "off");
	return 0;
}
MONITOR_CMD("fastpath", "fastpath [on|off]: the IPC fastpath (part D)", mon_fastpath);

/* ipcstat [reset]: the IPC counters (SYS_IPC_STATS's), or reset them. */
static int mon_ipcstat(int argc, char **argv)
{
	const struct kit_ipc_stats *s = &ipc_stats;

	if (argc == 2 && strcmp(argv[1], "reset") == 0) {
		bool irq = arch_irq_save();
		/* the hits counted lab 3's direct switches (thread.h): keep those */
		thread_direct_base -= ipc_stats.fast_call + ipc_stats.fast_reply_recv;
		ipc_stats = (struct kit_ipc_stats){0};
		arch_irq_restore(irq);
	}
	kprintf("ipc: fast call %lu, fast reply_recv %lu, slow call %lu, slow reply_recv %lu\n",
		s->fast_call, s->fast_reply_recv, s->slow_call, s->slow_reply_recv);
	kprintf("ipc: misses cap %lu, msg %lu, partner %lu, state %lu\n", s->miss[KIT_FP_MISS_CAP],
		s->miss[KIT_FP_MISS_MSG], s->miss[KIT_FP_MISS_PARTNER], s->miss[KIT_FP_MISS_STATE]);
	return 0;
}
MONITOR_CMD("ipcstat", "ipcstat [reset]: IPC fastpath and slowpath counters", mon_ipcstat);

// @file lab4
/*
 * fastpath.c: lab 4 part D, the IPC fastpath (ipc.h): Call and ReplyRecv
 * in the common case, where the message fits in the registers, no
 * capability goes with it and the other side is already waiting, done in
 * one straight line: check everything with unlikely() branches that fall
 * back to the slowpath (fastpath_miss, counted by reason), then write the
 * other thread's result and badge into its saved user registers (the trap
 * code hands the tag and MRs 0..3 on in the registers they came in) and
 * switch to it directly (tcb_switch_to, whose result the arch trap code
 * returns to user mode with): no queue of the scheduler, no decision, no
 * timer, no kernel context; the callee runs on the caller's time (seL4's
 * fastpath_call and fastpath_reply_recv). Entry points: fastpath_call,
 * fastpath_reply_recv (fastpath_hook: the arch trap code calls them before
 * it saves the whole register file, task.c).
 */
#include "kernel.h"
#include "ipc.h"
#include "task.h"
#include "thread.h"

// @lab4 solution
/* fastpath_lookup: cap_lookup in self's root CNode, inline (a call costs more than the lookup);
 * a path through other CNodes (cap_resolve) is NULL here: a miss, for the slowpath. */
static inline struct cte *fastpath_lookup(struct tcb *self, unsigned long slot)
{
	struct cnode *cs = self->task->cspace;

	return likely(!(slot >> cs->size_bits)) ? &cs->slots[slot] : NULL;
}
// @lab4 end

struct trapframe *fastpath_call(struct trapframe *tf)
{
	// @lab4 solution
	struct tcb *self = tcb_current();
	unsigned long info = arch_syscall_arg(tf, 1);
	struct cte *c = fastpath_lookup(self, arch_syscall_arg(tf, 0));

	if (unlikely(!c || c->cap.type != KIT_CAP_ENDPOINT || !(c->cap.rights & KIT_RIGHT_WRITE)))
		return fastpath_miss(KIT_FP_MISS_CAP);
	if (unlikely(KIT_MSGINFO_LEN(info) > KIT_MSG_REG_MRS || KIT_MSGINFO_CAPS(info)))
		return fastpath_miss(KIT_FP_MISS_MSG);
	struct endpoint *ep = c->cap.obj;
	if (unlikely(ep->state != EP_RECV))
		return fastpath_miss(KIT_FP_MISS_PARTNER);
	struct tcb *r = container_of(list_first(&ep->queue), struct tcb, wait_link);
	if (unlikely(r->exiting || r->thread->state != THREAD_BLOCKED))
		return fastpath_miss(KIT_FP_MISS_STATE);

	list_del(&r->wait_link);
	if (list_empty(&ep->queue))
		ep->state = EP_IDLE;
	struct trapframe *rtf = arch_user_frame(r->thread->stack_hi);
	arch_syscall_set_ret(rtf, KIT_RECV_MESSAGE);
	arch_syscall_set_out(rtf, 6, c->cap.badge);
	r->caller = self;
	self->replier = r;
	r->state = IPC_RUNNING;
	self->state = IPC_BLOCKED_REPLY;
	self->blocked_on = r;
	ipc_stats.fast_call++;
	return tcb_switch_to(r);
	// @lab4 stub
	// TODO(lab4): part D. every check unlikely() and a fastpath_miss(reason) (the
	// capability; the message fits in registers, no capability; a receiver waiting and
	// able to run now), then the Call's delivery: the result and the badge into the
	// receiver's saved registers (arch_user_frame; trap.S carries the tag and MRs 0..3),
	// the reply capability, and return tcb_switch_to(receiver).
	// Hint: return nothing else once anything changed; no loop over MRs.
	(void)tf;
	return NULL;
	// @lab4 end
}

struct trapframe *fastpath_reply_recv(struct trapframe *tf)
{
	// @lab4 solution
	struct tcb *self = tcb_current(), *caller = self->caller;
	unsigned long info = arch_syscall_arg(tf, 1);
	struct cte *c = fastpath_lookup(self, arch_syscall_arg(tf, 0));

	if (unlikely(!c || c->cap.type != KIT_CAP_ENDPOINT || !(c->cap.rights & KIT_RIGHT_READ)))
		return fastpath_miss(KIT_FP_MISS_CAP);
	if (unlikely(KIT_MSGINFO_LEN(info) > KIT_MSG_REG_MRS || KIT_MSGINFO_CAPS(info)))
		return fastpath_miss(KIT_FP_MISS_MSG);
	struct endpoint *ep = c->cap.obj;
	if (unlikely(!caller || ep->state == EP_SEND))
		return fastpath_miss(KIT_FP_MISS_PARTNER);
	if (unlikely(caller->exiting || caller->thread->state != THREAD_BLOCKED ||
		     (self->bound && self->bound->word)))
		return fastpath_miss(KIT_FP_MISS_STATE);

	self->caller = NULL;
	caller->replier = NULL;
	struct trapframe *ctf = arch_user_frame(caller->thread->stack_hi);
	arch_syscall_set_ret(ctf, 0);
	arch_syscall_set_out(ctf, 6, 0);
	caller->state = IPC_RUNNING;
	caller->blocked_on = NULL;
	list_add_tail(&ep->queue, &self->wait_link);
	ep->state = EP_RECV;
	self->state = IPC_BLOCKED_RECV;
	self->blocked_on = ep;
	ipc_stats.fast_reply_recv++;
	return tcb_switch_to(caller);
	// @lab4 stub
	// TODO(lab4): part D. the checks (the capability; the message; a caller waiting for
	// this reply, no sender already queued on the endpoint, no notification pending),
	// then the reply's result and badge (0) into the caller's saved registers, this thread
	// queued on the endpoint as a receiver, and return tcb_switch_to(caller).
	(void)tf;
	return NULL;
	// @lab4 end
}

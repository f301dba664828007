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

/* fastpath_cap_ok: c holds an endpoint capability with the rights in rights: the capability's
 * type and rights bytes (adjacent, struct cap) read and compared as one little-endian 16-bit
 * word, one load and one compare instead of two of each. */
_Static_assert(offsetof(struct cap, rights) == offsetof(struct cap, type) + 1 &&
		   __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "struct cap: the type byte, then the rights byte");
static inline bool fastpath_cap_ok(const struct cte *c, unsigned rights)
{
	uint16_t tr = *(const uint16_t *)&c->cap.type;

	return (tr & (0xffu | rights << 8)) == (KIT_CAP_ENDPOINT | rights << 8);
}

/* fastpath_msg_ok: the tag's length fits in the registers and its caps bit is clear, in one
 * compare: the caps bit (7) lies just above the length's bits (kit/abi.h, KIT_MSGINFO). */
_Static_assert(KIT_MSGINFO_LEN(~0UL) == 0x7f && KIT_MSGINFO_CAPS(~0UL) << 7 == 0x80,
	       "the tag's low byte: the length, then the caps bit");
static inline bool fastpath_msg_ok(unsigned long info)
{
	return (info & 0xff) <= KIT_MSG_REG_MRS;
}
// @lab4 end

struct trapframe *fastpath_call(unsigned long slot, unsigned long info)
{
	// @lab4 solution
	struct thread *me = thread_current();
	struct tcb *self = me->tcb;
	struct cte *c = fastpath_lookup(self, slot);

	if (unlikely(!c || !fastpath_cap_ok(c, KIT_RIGHT_WRITE)))
		return fastpath_miss(KIT_FP_MISS_CAP);
	if (unlikely(!fastpath_msg_ok(info)))
		return fastpath_miss(KIT_FP_MISS_MSG);
	struct endpoint *ep = c->cap.obj;
	if (unlikely(ep->state != EP_RECV))
		return fastpath_miss(KIT_FP_MISS_PARTNER);
	/* EP_RECV: the queue holds a receiver (no list_first's empty check) */
	struct list_node *first = ep->queue.next;
	struct tcb *r = container_of(first, struct tcb, wait_link);
	struct thread *rt = r->thread;
	if (unlikely(r->exiting || rt->state != THREAD_BLOCKED))
		return fastpath_miss(KIT_FP_MISS_STATE);

	/* r off the queue (list_del without clearing its links: only a queued wait_link is read) */
	struct list_node *next = first->next;
	ep->queue.next = next;
	next->prev = &ep->queue;
	if (next == &ep->queue)
		ep->state = EP_IDLE;
	struct trapframe *rtf = arch_user_frame(rt->stack_hi);
	arch_syscall_set_ret(rtf, KIT_RECV_MESSAGE);
	arch_syscall_set_out(rtf, 6, c->cap.badge);
	r->caller = self;
	self->replier = r;
	r->state = IPC_RUNNING;
	self->state = IPC_BLOCKED_REPLY;
	self->blocked_on = r;
	ipc_stats.fast_call++;
	return thread_switch_direct_from(me, rt, rtf); /* tcb_switch_to(r), no load repeated */
	// @lab4 stub
	// TODO(lab4): part D. every check unlikely() and a fastpath_miss(reason) (the
	// capability; the message fits in registers, no capability; a receiver waiting and
	// able to run now), then the Call's delivery: the result and the badge into the
	// receiver's saved registers (arch_user_frame; trap.S carries the tag and MRs 0..3),
	// the reply capability, and return tcb_switch_to(receiver).
	// Hint: return nothing else once anything changed; no loop over MRs.
	(void)slot;
	(void)info;
	return NULL;
	// @lab4 end
}

struct trapframe *fastpath_reply_recv(unsigned long slot, unsigned long info)
{
	// @lab4 solution
	struct thread *me = thread_current();
	struct tcb *self = me->tcb, *caller = self->caller;
	struct cte *c = fastpath_lookup(self, slot);

	if (unlikely(!c || !fastpath_cap_ok(c, KIT_RIGHT_READ)))
		return fastpath_miss(KIT_FP_MISS_CAP);
	if (unlikely(!fastpath_msg_ok(info)))
		return fastpath_miss(KIT_FP_MISS_MSG);
	struct endpoint *ep = c->cap.obj;
	if (unlikely(!caller || ep->state == EP_SEND))
		return fastpath_miss(KIT_FP_MISS_PARTNER);
	struct thread *ct = caller->thread;
	if (unlikely(caller->exiting || ct->state != THREAD_BLOCKED ||
		     (self->bound && self->bound->word)))
		return fastpath_miss(KIT_FP_MISS_STATE);

	self->caller = NULL;
	caller->replier = NULL;
	struct trapframe *ctf = arch_user_frame(ct->stack_hi);
	arch_syscall_set_ret(ctf, 0);
	arch_syscall_set_out(ctf, 6, 0);
	caller->state = IPC_RUNNING;
	caller->blocked_on = NULL;
	/* self at the queue's tail (list_add_tail, with its one load first) */
	struct list_node *tail = ep->queue.prev;
	self->wait_link.next = &ep->queue;
	self->wait_link.prev = tail;
	tail->next = &self->wait_link;
	ep->queue.prev = &self->wait_link;
	ep->state = EP_RECV;
	self->state = IPC_BLOCKED_RECV;
	self->blocked_on = ep;
	ipc_stats.fast_reply_recv++;
	return thread_switch_direct_from(me, ct, ctf); /* tcb_switch_to(caller) */
	// @lab4 stub
	// TODO(lab4): part D. the checks (the capability; the message; a caller waiting for
	// this reply, no sender already queued on the endpoint, no notification pending),
	// then the reply's result and badge (0) into the caller's saved registers, this thread
	// queued on the endpoint as a receiver, and return tcb_switch_to(caller).
	(void)slot;
	(void)info;
	return NULL;
	// @lab4 end
}

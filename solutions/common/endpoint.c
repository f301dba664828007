// @file lab4
/*
 * endpoint.c: lab 4 part C, endpoints (ipc.h): Send, NBSend, Call, Recv,
 * NBRecv and Reply with seL4's semantics. An endpoint queues the threads
 * that wait on it, all senders or all receivers, first come first served;
 * a message goes from the sender to the receiver when the second of the
 * two arrives. A Call's sender then waits for the reply, and its receiver
 * holds the one-shot right to answer it (tcb.caller).
 * Entry points: ep_send, ep_recv, ep_reply, ep_cancel_all.
 */
#include "kernel.h"
#include "ipc.h"
#include "task.h"

// @lab4 solution
/* transfer_cap: the capability in from's cspace at its IPC buffer's cap_slot to the empty
 * slot its receiver named (recv_slot); whether it arrived. */
static bool transfer_cap(struct tcb *from, struct tcb *to)
{
	if (!from->ipcbuf || !to->ipcbuf)
		return false;
	struct cte *src = cap_resolve(from->task->cspace, from->ipcbuf->cap_slot);
	struct cte *dest = cap_resolve(to->task->cspace, to->ipcbuf->recv_slot);
	return src && dest && cap_copy(dest, src, KIT_RIGHTS_ALL, 0) == 0;
}

/* deliver: msg from sender from to receiver to (its msg, IPC buffer, a capability). */
static void deliver(struct tcb *from, struct tcb *to, const struct ipc_msg *msg, bool grant)
{
	to->msg = *msg;
	ipc_copy_mrs(from, to, KIT_MSGINFO_LEN(msg->info));
	if (KIT_MSGINFO_CAPS(msg->info) && !(grant && transfer_cap(from, to)))
		to->msg.info &= ~KIT_MSGINFO(0, 1, 0);
	if (to->ipcbuf) {
		to->ipcbuf->tag = to->msg.info;
		to->ipcbuf->badge = to->msg.badge;
	}
}

/* dequeue: the first thread waiting on ep. */
static struct tcb *dequeue(struct endpoint *ep)
{
	struct tcb *t = container_of(list_first(&ep->queue), struct tcb, wait_link);
	list_del(&t->wait_link);
	if (list_empty(&ep->queue))
		ep->state = EP_IDLE;
	return t;
}

/* enqueue: the current thread waits on ep as state (EP_SEND or EP_RECV). */
static void enqueue(struct endpoint *ep, struct tcb *self, int state)
{
	list_add_tail(&ep->queue, &self->wait_link);
	ep->state = state;
}
// @lab4 end

long ep_send(struct endpoint *ep, const struct ipc_msg *msg, bool is_call, bool nonblocking,
	     bool grant)
{
	// @lab4 solution
	struct tcb *self = tcb_current();

	if (ep->state == EP_RECV) {
		struct tcb *r = dequeue(ep);
		deliver(self, r, msg, grant);
		r->result = KIT_RECV_MESSAGE;
		r->state = IPC_RUNNING;
		if (is_call) {
			r->caller = self;
			self->replier = r;
		}
		tcb_wake(r);
		return is_call ? tcb_block(IPC_BLOCKED_REPLY, r) : 0;
	}
	if (nonblocking)
		return -EAGAIN;
	self->msg = *msg;
	self->is_call = is_call;
	self->can_grant = grant;
	enqueue(ep, self, EP_SEND);
	return tcb_block(IPC_BLOCKED_SEND, ep);
	// @lab4 stub
	// TODO(lab4): part C. a receiver waiting: deliver to the first, wake it (a Call: it
	// becomes the caller's replier, and the caller waits for the reply); else queue
	// (or -EAGAIN). Hint: tcb_block and tcb_wake (ipc.h) do the scheduling.
	(void)ep, (void)msg, (void)is_call, (void)nonblocking, (void)grant;
	return -ENOSYS;
	// @lab4 end
}

long ep_recv(struct endpoint *ep, struct ipc_msg *out, bool nonblocking)
{
	// @lab4 solution
	struct tcb *self = tcb_current();

	if (self->bound && self->bound->word) {
		*out = (struct ipc_msg){.badge = self->bound->word};
		self->bound->word = 0;
		return KIT_RECV_NOTIFICATION;
	}
	if (ep->state == EP_SEND) {
		struct tcb *s = dequeue(ep);
		deliver(s, self, &s->msg, s->can_grant);
		*out = self->msg;
		if (s->is_call) {
			self->caller = s;
			s->replier = self;
			s->state = IPC_BLOCKED_REPLY; /* it sleeps on, now for the reply */
		} else {
			s->result = 0;
			s->state = IPC_RUNNING;
			tcb_wake(s);
		}
		return KIT_RECV_MESSAGE;
	}
	if (nonblocking)
		return -EAGAIN;
	enqueue(ep, self, EP_RECV);
	long r = tcb_block(IPC_BLOCKED_RECV, ep);
	*out = self->msg;
	return r;
	// @lab4 stub
	// TODO(lab4): part C. a bound notification's pending bits first; then the first
	// sender waiting (its message; a Call's sender now waits for the reply, and you are
	// its replier); else queue (or -EAGAIN) until a sender or a signal wakes you.
	(void)ep, (void)out, (void)nonblocking;
	return -ENOSYS;
	// @lab4 end
}

long ep_reply(const struct ipc_msg *msg)
{
	// @lab4 solution
	struct tcb *self = tcb_current(), *c = self->caller;

	if (!c)
		return -ENOENT;
	self->caller = NULL;
	c->replier = NULL;
	deliver(self, c, msg, false);
	c->result = 0;
	c->state = IPC_RUNNING;
	tcb_wake(c);
	return 0;
	// @lab4 stub
	// TODO(lab4): part C. deliver msg to the current thread's caller, once.
	(void)msg;
	return -ENOSYS;
	// @lab4 end
}

void ep_cancel_all(struct endpoint *ep)
{
	// @lab4 solution
	while (!list_empty(&ep->queue)) {
		struct tcb *t = dequeue(ep);
		t->result = -EPIPE;
		t->state = IPC_RUNNING;
		tcb_wake(t);
	}
	// @lab4 stub
	// TODO(lab4): part C. wake every thread queued on ep with -EPIPE.
	(void)ep;
	// @lab4 end
}

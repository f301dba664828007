// @file lab4
/*
 * notification.c: lab 4 part C, notifications (ipc.h): Signal ORs a badge
 * into a word, Wait takes the whole word (blocking until it is not zero),
 * Poll takes it without blocking; a notification bound to a TCB also wakes
 * that thread out of a Recv on an endpoint (how lab 5's drivers get their
 * interrupts while they serve requests).
 * Entry points: ntfn_signal, ntfn_wait, ntfn_cancel_all.
 */
#include "kernel.h"
#include "ipc.h"

void ntfn_signal(struct notification *n, unsigned long badge)
{
	// @lab4 solution
	unsigned long word = n->word | (badge ? badge : 1);
	struct tcb *t = NULL;

	if (!list_empty(&n->queue)) {
		t = container_of(list_first(&n->queue), struct tcb, wait_link);
		list_del(&t->wait_link);
		t->result = 0;
	} else if (n->bound && n->bound->state == IPC_BLOCKED_RECV) {
		t = n->bound;
		struct endpoint *ep = t->blocked_on;
		list_del(&t->wait_link);
		if (list_empty(&ep->queue))
			ep->state = EP_IDLE;
		t->result = KIT_RECV_NOTIFICATION;
	}
	if (!t) {
		n->word = word;
		return;
	}
	n->word = 0;
	t->msg = (struct ipc_msg){.badge = word};
	t->state = IPC_RUNNING;
	tcb_wake(t);
	// @lab4 stub
	// TODO(lab4): part C. OR the badge (0 counts as 1) into the word; a waiter, or the
	// bound TCB blocked in ep_recv, takes the word at once and wakes.
	(void)n, (void)badge;
	// @lab4 end
}

long ntfn_wait(struct notification *n, bool nonblocking, unsigned long *word)
{
	// @lab4 solution
	struct tcb *self = tcb_current();

	if (n->word || nonblocking) {
		*word = n->word;
		n->word = 0;
		return 0;
	}
	list_add_tail(&n->queue, &self->wait_link);
	long r = tcb_block(IPC_BLOCKED_NTFN, n);
	*word = self->msg.badge;
	return r;
	// @lab4 stub
	// TODO(lab4): part C. take the word when it is not zero (Poll: whatever it is);
	// else wait on n's queue until ntfn_signal hands you one.
	(void)n, (void)nonblocking, (void)word;
	return -ENOSYS;
	// @lab4 end
}

void ntfn_cancel_all(struct notification *n)
{
	// @lab4 solution
	while (!list_empty(&n->queue)) {
		struct tcb *t = container_of(list_first(&n->queue), struct tcb, wait_link);
		list_del(&t->wait_link);
		t->result = -EPIPE;
		t->state = IPC_RUNNING;
		tcb_wake(t);
	}
	if (n->bound)
		n->bound->bound = NULL;
	n->bound = NULL;
	// @lab4 stub
	// TODO(lab4): part C. wake every waiter with -EPIPE; unbind the bound TCB.
	(void)n;
	// @lab4 end
}

/*
 * ipc.c: part C's IPC semantics, between threads of one task (retyped TCBs
 * started with kit_thread_start): Send/Recv with label, length, badge and
 * MRs beyond the registers; blocking and FIFO wake-up order; NBSend/NBRecv;
 * Call, Reply (once) and ReplyRecv; rights; capability transfer with grant;
 * notifications (OR of badges, Wait, Poll, a notification bound to a TCB
 * blocked in Recv); a fault message; waiters woken with -EPIPE when their
 * object's last capability goes. Checks are named by group (send-, nb-,
 * call-, rights-, cap-, ntfn-, bound-, fault-, gone-, bad-); the grader
 * scores groups. Helper threads synchronize with main by IPC, or main lets
 * them run until they block (settle).
 */
#include "user.h"
#include "check.h"

enum {
	EP = 8,
	EP_R,
	EP_W,
	EP_B,
	NT,
	NT_B1,
	NT_B2,
	NT_B4,
	TCB0 = 16, /* 16..30 */
	EP2 = 40,
	EP2_B,
	EP3,
	NT2,
	NT2_B8,
	FEP,
	FEP_B,
	SUB_UT,
	EP_SUB,
	NT_SUB,
	NT_R,
	RECV_SLOT = 70,
	THREADS = 15,
	STACK = 8192,
};
#define IPCBUF(i) (0x20000000UL + (unsigned long)(i)*0x1000UL)
#define BUF(i)	  ((struct kit_ipc_buffer *)IPCBUF(i))
#define ROOTBUF	  ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)
#define PENDING	  (-999L) /* a helper's result before it has one */

static char stacks[THREADS][STACK] __attribute__((aligned(16)));
static int nstarted;

/* start: run fn(its thread index) in the next TCB; the index. */
static int start(void (*fn)(unsigned long))
{
	int i = nstarted++;
	long r = kit_thread_start(TCB0 + i, fn, stacks[i] + STACK, IPCBUF(i), i);

	if (r != 0)
		printf("ipc: starting thread %d: %s\n", i, errstr(r));
	return i;
}

/* settle: let the helpers run until they block. */
static void settle(void)
{
	for (int i = 0; i < 8; i++)
		sys_yield();
}

static struct kit_cap_info info(unsigned long slot)
{
	struct kit_cap_info i;

	if (sys_cap_identify(slot, &i) != 0)
		i.type = 99;
	return i;
}

static struct kit_msg msg(unsigned long label, unsigned long len, unsigned long mr0)
{
	struct kit_msg m = {.info = KIT_MSGINFO(label, 0, len)};

	for (int i = 0; i < KIT_MSG_REG_MRS; i++)
		m.mr[i] = mr0 + i;
	return m;
}

/* -- send- and nb-: Send, Recv, blocking, FIFO ------------------------------------------- */

static volatile long recv_r = PENDING, recv_long;
static struct kit_msg recv_m;

static void receiver(unsigned long i)
{
	struct kit_msg m = {0};

	recv_r = kit_recv(EP, &m);
	recv_m = m;
	recv_long = BUF(i)->mr[11];
}

static volatile long sender_r[3] = {PENDING, PENDING, PENDING};

static void sender(unsigned long i)
{
	struct kit_msg m = msg(1, 1, i);

	sender_r[m.mr[0] % 3] = kit_send(EP, &m);
}

static void send_recv(void)
{
	struct kit_msg m = msg(0x77, 12, 1);

	start(receiver);
	settle();
	check_eq("send-receiver-blocks", recv_r, PENDING);
	for (int i = 4; i < 12; i++)
		ROOTBUF->mr[i] = 100 + i;
	check_eq("send", kit_send(EP_B, &m), 0);
	settle();
	check_eq("send-received", recv_r, KIT_RECV_MESSAGE);
	check_eq("send-label", KIT_MSGINFO_LABEL(recv_m.info), 0x77);
	check_eq("send-length", KIT_MSGINFO_LEN(recv_m.info), 12);
	check_eq("send-mr0", recv_m.mr[0], 1);
	check_eq("send-mr3", recv_m.mr[3], 4);
	check_eq("send-badge", recv_m.badge, 0x11);
	check_eq("send-mr11-in-buffer", recv_long, 111);

	/* Three senders block in turn; receives take them first come, first served. */
	int first = nstarted;
	for (int k = 0; k < 3; k++)
		start(sender);
	settle();
	check_eq("send-senders-block", sender_r[0] + sender_r[1] + sender_r[2], 3 * PENDING);
	for (int k = 0; k < 3; k++) {
		struct kit_msg r = {0};
		long got = k == 0 ? kit_nbrecv(EP, &r) : kit_recv(EP, &r);
		check_eq(k == 0 ? "nb-recv-sender-waiting" : "send-recv-sender-waiting", got,
			 KIT_RECV_MESSAGE);
		check_eq(k == 0	  ? "send-fifo-1"
			 : k == 1 ? "send-fifo-2"
				  : "send-fifo-3",
			 r.mr[0], (unsigned long)(first + k));
	}
	settle();
	check_eq("send-senders-woken", sender_r[0] + sender_r[1] + sender_r[2], 0);

	struct kit_msg n = msg(1, 1, 0);
	check_eq("nb-send-nobody", kit_nbsend(EP, &n), -EAGAIN);
	check_eq("nb-recv-nobody", kit_nbrecv(EP, &n), -EAGAIN);
}

/* -- call-: Call, Reply, ReplyRecv ---------------------------------------------------------- */

static volatile long server_badge, second_reply = PENDING;

static void server(unsigned long i)
{
	struct kit_msg m = {0};

	kit_recv(EP2, &m);
	for (;;) {
		unsigned long label = KIT_MSGINFO_LABEL(m.info), len = KIT_MSGINFO_LEN(m.info);
		server_badge = m.badge;
		if (label == 50) { /* reply twice: the second has nobody to go to */
			kit_reply(&m);
			second_reply = kit_reply(&m);
			kit_recv(EP2, &m);
			continue;
		}
		for (int k = 0; k < KIT_MSG_REG_MRS; k++)
			m.mr[k] += 100;
		for (unsigned long k = KIT_MSG_REG_MRS; k < len; k++)
			BUF(i)->mr[k] += 100;
		m.info = KIT_MSGINFO(label + 1, 0, len);
		if (label == 99) {
			kit_reply(&m);
			return;
		}
		kit_reply_recv(EP2, &m);
	}
}

static volatile long once_r = PENDING;

/* reply_once_server: takes a Call, answers it with ReplyRecv, then Replies once more after the
 * Send that ReplyRecv received (which brings no reply capability). */
static void reply_once_server(unsigned long i)
{
	struct kit_msg m = {0};

	(void)i;
	kit_recv(EP, &m);
	m = msg(5, 1, 0);
	kit_reply_recv(EP, &m);
	once_r = kit_reply(&m);
}

static void call_reply(void)
{
	struct kit_msg m = msg(7, 4, 1);

	start(server);
	check_eq("call", kit_call(EP2_B, &m), 0);
	check_eq("call-reply-label", KIT_MSGINFO_LABEL(m.info), 8);
	check_eq("call-reply-mr0", m.mr[0], 101);
	check_eq("call-reply-mr3", m.mr[3], 104);
	check_eq("call-badge-at-server", server_badge, 0x22);
	check_eq("call-reply-no-badge", m.badge, 0);
	m = msg(50, 1, 0);
	check_eq("call-once", kit_call(EP2_B, &m), 0);
	check_eq("call-reply-single-use", second_reply, -ENOENT);
	long ok = 0;
	for (int k = 0; k < 5; k++) {
		m = msg(10 + k, 2, k);
		ok += kit_call(EP2, &m) == 0 && KIT_MSGINFO_LABEL(m.info) == 11UL + k &&
		      m.mr[0] == 100UL + k;
	}
	check_eq("call-reply-recv-5", ok, 5);
	m = msg(30, 1, 0); /* the server waits in ReplyRecv: the fastpath's Call */
	check_eq("call-badge-server-waiting", kit_call(EP2_B, &m) == 0 ? (long)server_badge : -1,
		 0x22);
	m = msg(20, 20, 0);
	ROOTBUF->mr[19] = 19;
	check_eq("call-long", kit_call(EP2, &m), 0);
	check_eq("call-long-mr19", ROOTBUF->mr[19], 119);
	check_eq("call-server-untouched-badge", server_badge, 0);
	m = msg(99, 0, 0);
	check_eq("call-last", kit_call(EP2, &m), 0);
	check_eq("call-no-caller", kit_reply(&m), -ENOENT);

	/* A ReplyRecv's reply (the fastpath's, the caller waiting) uses the reply capability up:
	 * a Send next leaves none, so the server's Reply after it is -ENOENT. */
	start(reply_once_server);
	settle();
	m = msg(7, 1, 0);
	check_eq("call-reply-recv-reply",
		 kit_call(EP, &m) == 0 ? (long)KIT_MSGINFO_LABEL(m.info) : -1, 5);
	m = msg(8, 1, 0);
	kit_send(EP, &m);
	settle();
	check_eq("call-reply-recv-used-up", once_r, -ENOENT);
}

/* -- rights- and cap-: rights and capability transfer -------------------------------------- */

static volatile long cap_r = PENDING, rights_r = PENDING, rr_r = PENDING;
static struct kit_msg cap_m;

/* rights_receiver: waits in Recv while main Calls through a read-only capability (the
 * fastpath's case: a receiver waiting); answers a Call that got through, so main goes on. */
static void rights_receiver(unsigned long i)
{
	struct kit_msg m = {0};

	(void)i;
	rights_r = kit_recv(EP, &m);
	if (KIT_MSGINFO_LABEL(m.info) == 2)
		kit_reply(&m);
}

/* rr_server: takes main's Call, then tries ReplyRecv through a write-only capability while main
 * waits for the reply (the fastpath's case): -EPERM, nothing sent, main still waiting; then the
 * real Reply (label 5). */
static void rr_server(unsigned long i)
{
	struct kit_msg m = {0};

	(void)i;
	kit_recv(EP, &m);
	m = msg(6, 1, 0);
	rr_r = kit_reply_recv(EP_W, &m);
	m = msg(5, 1, 0);
	kit_reply(&m);
}

static void cap_receiver(unsigned long i)
{
	struct kit_msg m = {0};

	BUF(i)->recv_slot = RECV_SLOT;
	cap_r = kit_recv(EP, &m);
	cap_m = m;
	kit_recv(EP, &m); /* the second: into a full slot */
	cap_m.badge = m.info;
	kit_recv(EP, &m); /* the third: a Call with a capability, into the emptied slot */
	m.info = KIT_MSGINFO(4, 0, 0);
	kit_reply(&m);
}

static void rights_caps(void)
{
	struct kit_msg m = msg(1, 1, 0);

	check_eq("rights-send-read-only", kit_send(EP_R, &m), -EPERM);
	check_eq("rights-recv-write-only", kit_recv(EP_W, &m), -EPERM);
	m = (struct kit_msg){.info = KIT_MSGINFO(1, 1, 0)};
	check_eq("rights-grant-needed", kit_send(EP_W, &m), -EPERM);
	check_eq("rights-signal-read-only", sys_signal(NT_R), 0);
	unsigned long w;
	check_eq("rights-wait-write-only", sys_wait(NT_B1, &w) == 0 ? 0 : 1, 0);
	check_eq("rights-signal-needs-write",
		 sys_cap_copy(60, NT, KIT_RIGHT_READ) == 0 ? sys_signal(60) : 1, -EPERM);
	check_eq("rights-wait-needs-read",
		 sys_cap_copy(61, NT, KIT_RIGHT_WRITE) == 0 ? sys_wait(61, &w) : 1, -EPERM);
	sys_cap_delete(60);
	sys_cap_delete(61);

	start(rights_receiver);
	settle();
	m = msg(2, 1, 0);
	check_eq("rights-call-read-only-receiver-waiting", kit_call(EP_R, &m), -EPERM);
	check_eq("rights-receiver-still-waiting", rights_r, PENDING);
	m = msg(1, 1, 0);
	kit_nbsend(EP, &m); /* let it go (a Call that got through was answered) */
	settle();

	start(rr_server);
	settle();
	m = msg(7, 1, 0);
	long r = kit_call(EP, &m);
	check_eq("rights-reply-recv-write-only", rr_r, -EPERM);
	check_eq("rights-reply-recv-sends-nothing", r == 0 ? (long)KIT_MSGINFO_LABEL(m.info) : r,
		 5);
	m = msg(1, 1, 0);
	kit_nbsend(EP, &m); /* a server left waiting in Recv goes on */
	settle();

	start(cap_receiver);
	settle();
	ROOTBUF->cap_slot = NT;
	m = (struct kit_msg){.info = KIT_MSGINFO(3, 1, 0)};
	check_eq("cap-send", kit_send(EP_B, &m), 0);
	settle();
	check_eq("cap-received", cap_r, KIT_RECV_MESSAGE);
	check_eq("cap-tag-caps", KIT_MSGINFO_CAPS(cap_m.info), 1);
	check_eq("cap-in-recv-slot", info(RECV_SLOT).type, KIT_CAP_NOTIFICATION);
	m = (struct kit_msg){.info = KIT_MSGINFO(3, 1, 0)};
	check_eq("cap-send-full-slot", kit_send(EP_B, &m), 0);
	settle();
	check_eq("cap-dropped", KIT_MSGINFO_CAPS(cap_m.badge), 0);
	/* a Call with a capability to a receiver waiting: the slowpath's (no fastpath for caps) */
	sys_cap_delete(RECV_SLOT);
	m = (struct kit_msg){.info = KIT_MSGINFO(3, 1, 0)};
	check_eq("cap-call", kit_call(EP_B, &m), 0);
	check_eq("cap-call-in-recv-slot", info(RECV_SLOT).type, KIT_CAP_NOTIFICATION);
}

/* -- ntfn- and bound-: notifications ------------------------------------------------------- */

static volatile long waiter_r = PENDING;
static volatile unsigned long waiter_word;

static void ntfn_waiter(unsigned long i)
{
	unsigned long w = 0;

	(void)i;
	waiter_r = sys_wait(NT, &w);
	waiter_word = w;
}

static volatile long bound_r[5] = {PENDING, PENDING, PENDING, PENDING, PENDING};
static volatile unsigned long bound_badge[5];

/* Three Recvs, then a Call served with a signal arriving before its ReplyRecv: the
 * ReplyRecv must reply and then take the pending notification at once (a fastpath that
 * ignores the bound notification leaves the server blocked with the signal pending). */
static void bound_server(unsigned long i)
{
	struct kit_msg m = {0};

	(void)i;
	for (int k = 0; k < 4; k++) {
		m = (struct kit_msg){0};
		bound_r[k] = kit_recv(EP3, &m);
		bound_badge[k] = m.badge;
	}
	sys_signal(NT2_B8);
	m = (struct kit_msg){0};
	bound_r[4] = kit_reply_recv(EP3, &m);
	bound_badge[4] = m.badge;
}

static void notifications(void)
{
	unsigned long w = 0;

	check_eq("ntfn-signal-1", sys_signal(NT_B1), 0);
	check_eq("ntfn-signal-4", sys_signal(NT_B4), 0);
	check_eq("ntfn-wait", sys_wait(NT, &w), 0);
	check_eq("ntfn-or", w, 5);
	check_eq("ntfn-poll-empty", sys_poll(NT, &w), 0);
	check_eq("ntfn-poll-empty-word", w, 0);
	sys_signal(NT_B2);
	check_eq("ntfn-poll", sys_poll(NT, &w) == 0 ? (long)w : -1, 2);
	start(ntfn_waiter);
	settle();
	check_eq("ntfn-waiter-blocks", waiter_r, PENDING);
	sys_signal(NT_B2);
	settle();
	check_eq("ntfn-waiter-woken", waiter_r, 0);
	check_eq("ntfn-waiter-word", waiter_word, 2);
	sys_signal(NT);
	check_eq("ntfn-unbadged-is-1", sys_poll(NT, &w) == 0 ? (long)w : -1, 1);

	int b = nstarted;
	check_eq("bound-bind", sys_tcb_bind(TCB0 + b, NT2), 0);
	check_eq("bound-bind-busy", sys_tcb_bind(TCB0 + b, NT2), -EBUSY);
	sys_signal(NT2_B8); /* pending before the Recv: taken at once */
	start(bound_server);
	settle();
	check_eq("bound-pending", bound_r[0], KIT_RECV_NOTIFICATION);
	check_eq("bound-pending-badge", bound_badge[0], 8);
	check_eq("bound-blocks", bound_r[1], PENDING);
	sys_signal(NT2_B8);
	settle();
	check_eq("bound-wakes-recv", bound_r[1], KIT_RECV_NOTIFICATION);
	check_eq("bound-wakes-badge", bound_badge[1], 8);
	struct kit_msg m = msg(5, 0, 0);
	check_eq("bound-then-message-send", kit_send(EP3, &m), 0);
	settle();
	check_eq("bound-then-message", bound_r[2], KIT_RECV_MESSAGE);
	m = msg(6, 0, 0);
	check_eq("bound-call", kit_call(EP3, &m), 0);
	settle();
	check_eq("bound-reply-recv-pending", bound_r[4], KIT_RECV_NOTIFICATION);
	check_eq("bound-reply-recv-badge", bound_badge[4], 8);
}

/* -- fault- and gone-: fault messages, objects going away --------------------------------- */

static void faulter(unsigned long i)
{
	(void)i;
	*(volatile int *)0 = 1;
}

static volatile long gone_r[2] = {PENDING, PENDING};

static void gone_recv(unsigned long i)
{
	struct kit_msg m = {0};

	(void)i;
	gone_r[0] = kit_recv(EP_SUB, &m);
}

static void gone_wait(unsigned long i)
{
	unsigned long w;

	(void)i;
	gone_r[1] = sys_wait(NT_SUB, &w);
}

static void faults_and_gone(void)
{
	struct kit_msg m = {0};

	int f = nstarted;
	check_eq("fault-set", sys_tcb_set_fault(TCB0 + f, FEP_B), 0);
	start(faulter);
	check_eq("fault-recv", kit_recv(FEP, &m), KIT_RECV_MESSAGE);
	check_eq("fault-label", KIT_MSGINFO_LABEL(m.info), KIT_LABEL_FAULT);
	check_eq("fault-kind", m.mr[0], KIT_FAULT_MEMORY);
	check_eq("fault-pc-in-text", m.mr[1] >= 0x400000 && m.mr[1] < 0x500000, 1);
	check_eq("fault-addr", m.mr[2], 0);
	check_eq("fault-badge", m.badge, 0xfa);

	check_eq("gone-retype", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_UNTYPED, 12, SUB_UT, 1), 0);
	check_eq("gone-retype-ep", sys_retype(SUB_UT, KIT_CAP_ENDPOINT, 0, EP_SUB, 1), 0);
	check_eq("gone-retype-ntfn", sys_retype(SUB_UT, KIT_CAP_NOTIFICATION, 0, NT_SUB, 1), 0);
	start(gone_recv);
	start(gone_wait);
	settle();
	check_eq("gone-blocked", gone_r[0] + gone_r[1], 2 * PENDING);
	check_eq("gone-delete-ntfn", sys_cap_delete(NT_SUB), 0);
	settle();
	check_eq("gone-wait-epipe", gone_r[1], -EPIPE);
	check_eq("gone-revoke-untyped", sys_cap_revoke(SUB_UT), 0);
	settle();
	check_eq("gone-recv-epipe", gone_r[0], -EPIPE);
}

/* -- bad-: arguments ------------------------------------------------------------------------ */

static void bad(void)
{
	struct kit_msg m = {.info = KIT_MSGINFO(1, 0, KIT_MSG_MAX_MRS + 1)};
	unsigned long w;

	check_eq("bad-length", kit_send(EP, &m), -EINVAL);
	m = msg(1, 0, 0);
	check_eq("bad-send-to-ntfn", kit_send(NT, &m), -EINVAL);
	check_eq("bad-recv-slot", kit_recv(300, &m), -EINVAL);
	check_eq("bad-recv-empty-slot", kit_recv(60, &m), -EINVAL);
	check_eq("bad-signal-ep", sys_signal(EP), -EINVAL);
	check_eq("bad-wait-ep", sys_wait(EP, &w), -EINVAL);
	check_eq("bad-start-started", sys_tcb_start(TCB0, 0x400000, 0x10000, IPCBUF(20), 0),
		 -EBUSY);
	check_eq("bad-start-not-tcb", sys_tcb_start(EP, 0x400000, 0x10000, IPCBUF(20), 0), -EINVAL);
	check_eq("bad-start-ipcbuf",
		 sys_tcb_start(TCB0 + THREADS - 1, 0x400000, 0x10000, IPCBUF(20) + 8, 0), -EINVAL);
	check_eq("bad-start-ipcbuf-mapped",
		 sys_tcb_start(TCB0 + THREADS - 1, 0x400000, 0x10000, IPCBUF(0), 0), -EEXIST);
	check_eq("bad-bind-not-ntfn", sys_tcb_bind(TCB0 + THREADS - 1, EP), -EINVAL);
	check_eq("bad-fault-not-ep", sys_tcb_set_fault(TCB0 + THREADS - 1, NT), -EINVAL);
}

/* setup: the objects every group uses. */
static int setup(void)
{
	long r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1);
	r |= sys_cap_copy(EP_R, EP, KIT_RIGHT_READ);
	r |= sys_cap_copy(EP_W, EP, KIT_RIGHT_WRITE);
	r |= sys_cap_mint(EP_B, EP, KIT_RIGHT_WRITE | KIT_RIGHT_GRANT, 0x11);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NT, 1);
	r |= sys_cap_mint(NT_B1, NT, KIT_RIGHTS_ALL, 1);
	r |= sys_cap_mint(NT_B2, NT, KIT_RIGHTS_ALL, 2);
	r |= sys_cap_mint(NT_B4, NT, KIT_RIGHTS_ALL, 4);
	r |= sys_cap_copy(NT_R, NT_B1, KIT_RIGHTS_ALL);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_TCB, 0, TCB0, THREADS);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP2, 1);
	r |= sys_cap_mint(EP2_B, EP2, KIT_RIGHT_WRITE, 0x22);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP3, 1);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NT2, 1);
	r |= sys_cap_mint(NT2_B8, NT2, KIT_RIGHTS_ALL, 8);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, FEP, 1);
	r |= sys_cap_mint(FEP_B, FEP, KIT_RIGHT_WRITE, 0xfa);
	return check_eq("setup", r, 0);
}

int main(void)
{
	check_suite = "ipc";
	if (!setup())
		return check_done();
	send_recv();
	call_reply();
	rights_caps();
	notifications();
	faults_and_gone();
	bad();
	return check_done();
}

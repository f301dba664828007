/*
 * ipcrand.c: a seeded random IPC workload checked against a model (suite
 * "rand"; `run ipcrand SEED`). CLIENTS client threads each make OPS random
 * operations: a Call to a random server (a random length, MRs in registers
 * and in the IPC buffer), a one-way Send, a Signal of the client's bit on a
 * shared notification, or a yield. Each client keeps the model: what every
 * reply must be (computed from what it sent) and how many messages and
 * which payload sum each server must have received from it. Servers
 * (ReplyRecv loops) record what they received per client, by badge; a
 * collector thread ORs up the notification's words. At the end main
 * checks the servers' records against the clients' models, FIFO order per
 * client and server (sequence numbers), and the notification bits.
 */
#include "user.h"
#include "check.h"

enum {
	SERVERS = 2,
	CLIENTS = 4,
	OPS = 60,
	QUIT = 0xdead,
	CALL = 1,
	ONEWAY = 2,
	EP0 = 8,    /* 8, 9: the servers' endpoints */
	CAPS0 = 16, /* 16..23: client c's badged capability to server s at 16 + c * SERVERS + s */
	NT = 30,
	NT_C0 = 31, /* 31..34: client c's badged notification capability */
	DONE = 40,
	TCB0 = 48,
	THREADS = SERVERS + CLIENTS + 1,
	STACK = 8192,
};
#define IPCBUF(i) (0x20000000UL + (unsigned long)(i)*0x1000UL)
#define BUF(i)	  ((struct kit_ipc_buffer *)IPCBUF(i))

static char stacks[THREADS][STACK] __attribute__((aligned(16)));

/* What server s received from client c (by badge c + 1), and what c says it sent. */
struct tally {
	unsigned long calls, sends, sum, last_seq;
	unsigned long out_of_order;
};
static struct tally got[SERVERS][CLIENTS], sent[SERVERS][CLIENTS];
static unsigned long bad_replies[CLIENTS], signalled_bits, seen_bits;
static unsigned long seed;

/* rng: xorshift64 (Marsaglia 2003) on *s. */
static unsigned long rng(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void server(unsigned long s)
{
	struct kit_msg m = {0};

	kit_recv(EP0 + s, &m);
	for (;;) {
		unsigned long label = KIT_MSGINFO_LABEL(m.info), len = KIT_MSGINFO_LEN(m.info);
		unsigned long c = m.badge - 1, sum = 0;
		if (label == QUIT) {
			kit_reply(&m);
			return;
		}
		for (unsigned long k = KIT_MSG_REG_MRS; k < len; k++)
			sum += BUF(s)->mr[k];
		if (c < CLIENTS) {
			struct tally *t = &got[s][c];
			t->out_of_order += m.mr[1] <= t->last_seq;
			t->last_seq = m.mr[1];
			t->sum += m.mr[2] + sum;
			if (label == CALL)
				t->calls++;
			else
				t->sends++;
		}
		if (label != CALL) {
			kit_recv(EP0 + s, &m);
			continue;
		}
		m.info = KIT_MSGINFO(label + 1, 0, 4);
		m.mr[0] = m.badge;
		m.mr[3] = sum;
		m.mr[2] = m.mr[2] * 3 + len;
		kit_reply_recv(EP0 + s, &m);
	}
}

static void client(unsigned long c)
{
	unsigned long r = seed * (c + 1) * 0x9e3779b97f4a7c15UL | 1, seq[SERVERS] = {0};
	unsigned long i = SERVERS + c; /* the thread index: its IPC buffer */

	for (int op = 0; op < OPS; op++) {
		unsigned long kind = rng(&r) % 8, s = rng(&r) % SERVERS;
		unsigned long len = 3 + rng(&r) % 10, x = rng(&r) % 1000, sum = 0;
		if (kind >= 6) {
			sys_signal(NT_C0 + c);
			__atomic_or_fetch(&signalled_bits, 1UL << c, __ATOMIC_RELAXED);
			continue;
		}
		if (kind == 5) {
			sys_yield();
			continue;
		}
		for (unsigned long k = KIT_MSG_REG_MRS; k < len; k++)
			sum += BUF(i)->mr[k] = rng(&r) % 100;
		struct kit_msg m = {.info = KIT_MSGINFO(kind < 3 ? CALL : ONEWAY, 0, len),
				    .mr = {c, ++seq[s], x, 0}};
		struct tally *t = &sent[s][c];
		t->sum += x + sum;
		if (kind >= 3) {
			t->sends++;
			kit_send(CAPS0 + c * SERVERS + s, &m);
			continue;
		}
		t->calls++;
		long res = kit_call(CAPS0 + c * SERVERS + s, &m);
		bad_replies[c] += res != 0 || KIT_MSGINFO_LABEL(m.info) != CALL + 1 ||
				  m.mr[0] != c + 1 || m.mr[2] != x * 3 + len || m.mr[3] != sum;
	}
	struct kit_msg done = {.info = KIT_MSGINFO(1, 0, 0)};
	kit_send(DONE, &done);
}

static void collector(unsigned long i)
{
	unsigned long w;

	(void)i;
	while (sys_wait(NT, &w) == 0) {
		seen_bits |= w;
		if (w & (1UL << 63))
			break;
	}
	struct kit_msg done = {.info = KIT_MSGINFO(1, 0, 0)};
	kit_send(DONE, &done);
}

int main(void)
{
	long r = 0;
	struct kit_msg m;

	check_suite = "rand";
	seed = kit_start_arg ? kit_start_arg : 1;
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP0, SERVERS);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NT, 1);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, DONE, 1);
	r |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_TCB, 0, TCB0, THREADS);
	for (int c = 0; c < CLIENTS; c++) {
		r |= sys_cap_mint(NT_C0 + c, NT, KIT_RIGHT_WRITE, 1UL << c);
		for (int s = 0; s < SERVERS; s++)
			r |= sys_cap_mint(CAPS0 + c * SERVERS + s, EP0 + s, KIT_RIGHT_WRITE, c + 1);
	}
	if (!check_eq("rand-setup", r, 0))
		return check_done();
	for (int i = 0; i < THREADS; i++) {
		void (*fn)(unsigned long) = i < SERVERS	      ? server
					    : i < THREADS - 1 ? client
							      : collector;
		unsigned long arg = i < SERVERS ? (unsigned long)i : (unsigned long)(i - SERVERS);
		r |= kit_thread_start(TCB0 + i, fn, stacks[i] + STACK, IPCBUF(i), arg);
	}
	check_eq("rand-start", r, 0);
	for (int c = 0; c < CLIENTS; c++)
		r |= kit_recv(DONE, &m);
	check_eq("rand-clients-done", r, 0);
	for (int s = 0; s < SERVERS; s++) {
		m = (struct kit_msg){.info = KIT_MSGINFO(QUIT, 0, 0)};
		r |= kit_call(EP0 + s, &m);
	}
	m = (struct kit_msg){0};
	r |= sys_cap_mint(60, NT, KIT_RIGHT_WRITE, 1UL << 63) | sys_signal(60);
	r |= kit_recv(DONE, &m); /* the collector has seen the last bit */
	check_eq("rand-servers-quit", r, 0);

	unsigned long calls = 0, sends = 0, mism = 0, order = 0, replies = 0;
	for (int s = 0; s < SERVERS; s++)
		for (int c = 0; c < CLIENTS; c++) {
			struct tally *g = &got[s][c], *w = &sent[s][c];
			calls += w->calls, sends += w->sends;
			mism += g->calls != w->calls || g->sends != w->sends || g->sum != w->sum;
			order += g->out_of_order;
		}
	for (int c = 0; c < CLIENTS; c++)
		replies += bad_replies[c];
	printf("rand: seed %lu, %lu calls, %lu sends, notification bits %lx\n", seed, calls, sends,
	       signalled_bits);
	check_eq("rand-replies", replies, 0);
	check_eq("rand-received-as-sent", mism, 0);
	check_eq("rand-fifo-per-sender", order, 0);
	check_eq("rand-notification-bits", seen_bits & ~(1UL << 63), signalled_bits);
	check_eq("rand-enough-work", calls > 50 && sends > 30, 1);
	return check_done();
}

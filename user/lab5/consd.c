/*
 * consd.c: lab 5's console server, the UART driver in user space (an
 * ns16550a: riscv64 virt's at a register page it maps, x86_64 pc's COM1
 * through I/O ports; user/lab4/device.c shows both): output for every
 * program (CONS_WRITE), line input with echo and backspace (CONS_READ),
 * its receive interrupt a notification bound to its thread, so one Recv
 * waits for requests and keystrokes at once. Protocol: kit/ns.h.
 *
 * How a read waits: the IPC answers only the last Call (a one-shot reply,
 * no way to keep one), so consd never holds a reader's reply. A CONS_READ
 * before a whole line has arrived is answered at once with -EAGAIN; the
 * reader sent a notification along, which consd keeps and signals when a
 * line is complete, and the reader asks again (cons_readline, user/lib/ns.c).
 * No kernel change, and a reader that dies or never asks again cannot
 * block the server (seL4 would save the reply capability in a slot, a
 * kernel object we do not have). The cost: two Calls per line. A reader
 * waiting while consd restarts is not told (the new consd does not know
 * its notification); it waits for the line typed after the restart.
 *
 * Output is polled (the transmit register is free at once under QEMU);
 * the kernel's console stays for kernel messages and panics, on the same
 * UART, so lines of both may interleave.
 *
 * Echo latency: for each receive interrupt whose first byte is echoed,
 * the instructions (kit_cycles) from the kernel's irq_dispatch of it (the
 * line and counter SYS_IPC_STATS reports) to just before the echo's first
 * write to the transmit register: the kernel's dispatch and signal, the
 * switch to consd, its Recv's return, the register reads, the line edit.
 * Only a key that came while consd waited in Recv counts: one typed while
 * consd still ran for the last is read in that loop, or interrupts user
 * mode, another path (the grader types a key at a time, after an echo).
 * CONS_ECHO_STATS answers their least, median and most (kit/ns.h).
 */
#include "user.h"
#include "kit/ns.h"

#define IPCBUF ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)

#define EP	8  /* consd's endpoint (registered as "consd") */
#define NTFN	9  /* the receive interrupt, bound to its thread */
#define REGS	10 /* the UART's registers: a frame or I/O ports */
#define IRQ	11 /* its IRQ handler */
#define WAITER	12 /* the notification of the reader waiting for a line, or empty */
#define RECV	13 /* where a reader's notification arrives */
#define REGS_VA 0x30000000UL

/* ns16550 registers and bits (common/include/ns16550.h). */
#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_LSR 5
#define IER_RDA	 0x01
#define LSR_DR	 0x01
#define LSR_THRE 0x20

#define NLINES 8 /* complete lines kept until read */

static struct kit_device_info dev;
static bool ports;

static struct {
	char buf[CONS_LINE_MAX];
	unsigned len;
} lines[NLINES];
static unsigned head, count;	/* the oldest complete line, how many */
static char cur[CONS_LINE_MAX]; /* the line being typed */
static unsigned cur_len;
static bool last_cr; /* the last byte was '\r': a '\n' right after it ends nothing */

static bool echo_stamp;	 /* putc_raw: note when the next byte goes out (an interrupt's first) */
static uint64_t echo_at; /* kit_cycles just before that byte's write, 0: none yet */
static unsigned long echo_n, echo_min, echo_max; /* keystrokes measured since the last query */
static unsigned long echo_keep[CONS_ECHO_KEEP];	 /* the last CONS_ECHO_KEEP of them */
static uint64_t recv_at;			 /* kit_cycles just before consd's last Recv */

static void reg_write(unsigned reg, unsigned char v)
{
	if (ports)
		sys_ioport_out(REGS, dev.port + reg, v, 1);
	else
		((volatile unsigned char *)REGS_VA)[reg] = v;
}

static long reg_read(unsigned reg)
{
	if (ports)
		return sys_ioport_in(REGS, dev.port + reg, 1);
	return ((volatile unsigned char *)REGS_VA)[reg];
}

static void putc_raw(char c)
{
	while (!(reg_read(UART_LSR) & LSR_THRE))
		;
	if (echo_stamp)
		echo_at = kit_cycles(), echo_stamp = false;
	reg_write(UART_THR, (unsigned char)c);
}

/* put: one byte of output ("\n" as "\r\n", a terminal's newline). */
static void put(char c)
{
	if (c == '\n')
		putc_raw('\r');
	putc_raw(c);
}

/* line_done: the typed line is complete: queue it, wake the reader. */
static void line_done(void)
{
	put('\n');
	if (count < NLINES) {
		unsigned t = (head + count++) % NLINES;
		memcpy(lines[t].buf, cur, cur_len);
		lines[t].len = cur_len;
	}
	cur_len = 0;
	sys_signal(WAITER); /* -EINVAL when nobody waits: fine */
}

/* input: one received byte: edit the line, echo. */
static void input(char c)
{
	bool cr = last_cr;

	last_cr = c == '\r';
	if (c == '\n' && cr)
		return;
	if (c == '\r' || c == '\n') {
		line_done();
	} else if (c == 0x7f || c == '\b') {
		if (cur_len > 0) {
			cur_len--;
			putc_raw('\b'), putc_raw(' '), putc_raw('\b');
		}
	} else if (c >= ' ' && cur_len < CONS_LINE_MAX) {
		cur[cur_len++] = c;
		putc_raw(c);
	}
}

/* echo_measure: the first byte of this interrupt was echoed at echo_at: keep the
 * instructions since the kernel's dispatch of the interrupt, when it was this line's and came
 * while consd waited in Recv (a key that came while consd still ran, before it was back in
 * Recv, takes another path: not counted). */
static void echo_measure(void)
{
	struct kit_ipc_stats s;

	if (sys_ipc_stats(&s, sizeof(s)) != 0 || s.irq_line != dev.irq || s.irq_cycles < recv_at ||
	    s.irq_cycles >= echo_at)
		return;
	unsigned long n = echo_at - s.irq_cycles;
	echo_min = echo_n == 0 || n < echo_min ? n : echo_min;
	echo_max = n > echo_max ? n : echo_max;
	echo_keep[echo_n++ % CONS_ECHO_KEEP] = n;
}

/* echo_stats_call: CONS_ECHO_STATS into *m: how many, the least, the median, the most; the
 * count starts again. */
static void echo_stats_call(struct kit_msg *m)
{
	unsigned k = echo_n < CONS_ECHO_KEEP ? (unsigned)echo_n : CONS_ECHO_KEEP;

	for (unsigned i = 1; i < k; i++) /* insertion sort: at most CONS_ECHO_KEEP */
		for (unsigned j = i; j > 0 && echo_keep[j - 1] > echo_keep[j]; j--) {
			unsigned long t = echo_keep[j];
			echo_keep[j] = echo_keep[j - 1], echo_keep[j - 1] = t;
		}
	m->mr[0] = echo_n, m->mr[1] = echo_min, m->mr[2] = k ? echo_keep[k / 2] : 0;
	m->mr[3] = echo_max;
	echo_n = echo_min = echo_max = 0;
}

/* interrupt: take every byte waiting, then let the line interrupt again. */
static void interrupt(void)
{
	echo_stamp = true, echo_at = 0;
	while (reg_read(UART_LSR) & LSR_DR) {
		input((char)reg_read(UART_RBR));
		if (echo_at)
			echo_measure(), echo_at = 0;
		echo_stamp = false; /* only the first byte's echo */
	}
	echo_stamp = false;
	sys_irq_ack(IRQ);
}

/* cons_write_call: CONS_WRITE of *m; its result. */
static long cons_write_call(const struct kit_msg *m)
{
	unsigned long n = m->mr[0], w[KIT_MSG_MAX_MRS];

	if (n > CONS_WRITE_MAX || KIT_MSGINFO_LEN(m->info) < 1 + (n + 7) / 8)
		return -EINVAL;
	w[0] = m->mr[1], w[1] = m->mr[2], w[2] = m->mr[3];
	for (unsigned i = KIT_MSG_REG_MRS; i < KIT_MSGINFO_LEN(m->info); i++)
		w[i - 1] = IPCBUF->mr[i];
	const char *s = (const char *)w;
	for (unsigned long i = 0; i < n; i++)
		put(s[i]);
	return (long)n;
}

/* cons_read_call: CONS_READ: the oldest line into *m (its length in MR 0), or -EAGAIN with
 * the reader's notification kept. Returns the reply's length in MRs. */
static unsigned cons_read_call(struct kit_msg *m)
{
	if (KIT_MSGINFO_CAPS(m->info)) {
		sys_cap_delete(WAITER);
		sys_cap_move(WAITER, RECV);
	}
	if (!count) {
		m->mr[0] = (unsigned long)-EAGAIN;
		return 1;
	}
	unsigned long w[CONS_LINE_MAX / 8];
	unsigned n = lines[head].len;
	memcpy(w, lines[head].buf, n);
	head = (head + 1) % NLINES, count--;
	m->mr[0] = n;
	m->mr[1] = w[0], m->mr[2] = w[1], m->mr[3] = w[2];
	for (unsigned i = KIT_MSG_REG_MRS; i < 1 + (n + 7) / 8; i++)
		IPCBUF->mr[i] = w[i - 1];
	return 1 + (n + 7) / 8;
}

/* setup: the UART's capabilities from init, its receive interrupt as a notification. */
static long setup(void)
{
	long r = ns_device(0, NS_DEVICE_REGS, REGS, &dev);

	if (r == 0)
		r = ns_device(0, NS_DEVICE_IRQ, IRQ, NULL);
	if (r == 0 && !(ports = dev.mmio == 0))
		r = sys_frame_map(REGS, REGS_VA, KIT_RIGHTS_ALL);
	if (r == 0)
		r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1);
	if (r == 0)
		r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1);
	if (r == 0)
		r = sys_tcb_bind(KIT_SLOT_TCB, NTFN);
	if (r == 0)
		r = sys_irq_set_notification(IRQ, NTFN);
	if (r < 0)
		return r;
	while (reg_read(UART_LSR) & LSR_DR) /* what was typed before consd: the monitor's */
		reg_read(UART_RBR);
	reg_write(UART_IER, IER_RDA);
	sys_irq_ack(IRQ); /* a line masked by an interrupt a dead consd never acknowledged */
	return ns_register("consd", EP);
}

int main(void)
{
	struct kit_msg m;
	long r = setup();

	if (r < 0) {
		printf("consd: setup: %s\n", errstr((int)r));
		return 1;
	}
	IPCBUF->recv_slot = RECV;
	recv_at = kit_cycles();
	r = kit_recv(EP, &m);
	for (;;) {
		bool reply = r == KIT_RECV_MESSAGE;
		if (r == KIT_RECV_NOTIFICATION) {
			interrupt();
		} else if (r == KIT_RECV_MESSAGE) {
			unsigned long label = KIT_MSGINFO_LABEL(m.info);
			unsigned len = 1;
			if (label == CONS_WRITE)
				m.mr[0] = (unsigned long)cons_write_call(&m);
			else if (label == CONS_READ)
				len = cons_read_call(&m);
			else if (label == CONS_FAULT) /* kit/ns.h: the tests' fault */
				*(volatile unsigned long *)0x10 = 1;
			else if (label == CONS_ECHO_STATS)
				echo_stats_call(&m), len = 4;
			else
				m.mr[0] = (unsigned long)-ENOSYS;
			if (KIT_MSGINFO_CAPS(m.info) && label != CONS_READ)
				sys_cap_delete(RECV);
			m.info = KIT_MSGINFO(0, 0, len);
		}
		IPCBUF->recv_slot = RECV;
		recv_at = kit_cycles();
		r = reply ? kit_reply_recv(EP, &m) : kit_recv(EP, &m);
	}
}

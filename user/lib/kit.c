/*
 * kit.c: the user runtime's portable part (kit/syscall.h): the system-call
 * wrappers over kit_syscall, a small printf over SYS_DEBUG_PUTS, and the
 * string functions the compiler may call.
 */
#include "user.h"
#include "kit/syscall.h"

unsigned long kit_start_arg;

long sys_null(void)
{
	return kit_syscall(SYS_NULL, 0, 0, 0, 0, 0, 0);
}

long sys_debug_puts(const char *buf, size_t len)
{
	return kit_syscall(SYS_DEBUG_PUTS, (long)buf, (long)len, 0, 0, 0, 0);
}

void sys_exit(long code)
{
	kit_syscall(SYS_EXIT, code, 0, 0, 0, 0, 0);
	for (;;) /* only a kernel without exit gets here: fault, so it stops the task */
		__builtin_trap();
}

long sys_yield(void)
{
	return kit_syscall(SYS_YIELD, 0, 0, 0, 0, 0, 0);
}

long sys_task_info(struct kit_task_info *out, size_t len)
{
	return kit_syscall(SYS_TASK_INFO, (long)out, (long)len, 0, 0, 0, 0);
}

long sys_cap_identify(unsigned long slot, struct kit_cap_info *out)
{
	return kit_syscall(SYS_CAP_IDENTIFY, (long)slot, (long)out, 0, 0, 0, 0);
}

long sys_cap_copy(unsigned long dest, unsigned long src, unsigned long rights)
{
	return kit_syscall(SYS_CAP_COPY, (long)dest, (long)src, (long)rights, 0, 0, 0);
}

long sys_cap_mint(unsigned long dest, unsigned long src, unsigned long rights, unsigned long badge)
{
	return kit_syscall(SYS_CAP_MINT, (long)dest, (long)src, (long)rights, (long)badge, 0, 0);
}

long sys_cap_move(unsigned long dest, unsigned long src)
{
	return kit_syscall(SYS_CAP_MOVE, (long)dest, (long)src, 0, 0, 0, 0);
}

long sys_cap_delete(unsigned long slot)
{
	return kit_syscall(SYS_CAP_DELETE, (long)slot, 0, 0, 0, 0, 0);
}

long sys_cap_revoke(unsigned long slot)
{
	return kit_syscall(SYS_CAP_REVOKE, (long)slot, 0, 0, 0, 0, 0);
}

long sys_retype(unsigned long untyped, unsigned long type, unsigned long size_bits,
		unsigned long dest, unsigned long count)
{
	return kit_syscall(SYS_RETYPE, (long)untyped, (long)type, (long)size_bits, (long)dest,
			   (long)count, 0);
}

long sys_signal(unsigned long ntfn)
{
	return kit_syscall(SYS_SIGNAL, (long)ntfn, 0, 0, 0, 0, 0);
}

long sys_wait(unsigned long ntfn, unsigned long *word)
{
	struct kit_msg m = {0};
	long r = kit_ipc(SYS_WAIT, ntfn, &m);

	*word = r < 0 ? 0 : m.badge;
	return r;
}

long sys_poll(unsigned long ntfn, unsigned long *word)
{
	struct kit_msg m = {0};
	long r = kit_ipc(SYS_POLL, ntfn, &m);

	*word = r < 0 ? 0 : m.badge;
	return r;
}

long sys_tcb_start(unsigned long tcb, unsigned long pc, unsigned long sp, unsigned long ipcbuf,
		   unsigned long arg)
{
	return kit_syscall(SYS_TCB_START, (long)tcb, (long)pc, (long)sp, (long)ipcbuf, (long)arg,
			   0);
}

long sys_tcb_set_fault(unsigned long tcb, unsigned long ep)
{
	return kit_syscall(SYS_TCB_SET_FAULT, (long)tcb, (long)ep, 0, 0, 0, 0);
}

long sys_tcb_bind(unsigned long tcb, unsigned long ntfn)
{
	return kit_syscall(SYS_TCB_BIND, (long)tcb, (long)ntfn, 0, 0, 0, 0);
}

long sys_task_spawn(const char *name, size_t len, unsigned long slot, unsigned long arg)
{
	return kit_syscall(SYS_TASK_SPAWN, (long)name, (long)len, (long)slot, (long)arg, 0, 0);
}

long sys_ipc_stats(struct kit_ipc_stats *out, size_t len)
{
	return kit_syscall(SYS_IPC_STATS, (long)out, (long)len, 0, 0, 0, 0);
}

/* The threads kit_thread_start started: what each runs. */
static struct {
	void (*fn)(unsigned long);
	unsigned long arg;
} threads[32];
static unsigned nthreads;

void kit_thread_entry(void);
__attribute__((noreturn)) void kit_thread_main(unsigned long i);

void kit_thread_main(unsigned long i)
{
	threads[i].fn(threads[i].arg);
	sys_exit(0);
}

long kit_thread_start(unsigned long tcb, void (*fn)(unsigned long), void *stack_top,
		      unsigned long ipcbuf, unsigned long arg)
{
	if (nthreads >= sizeof(threads) / sizeof(threads[0]))
		return -EAGAIN;
	threads[nthreads].fn = fn;
	threads[nthreads].arg = arg;
	long r = sys_tcb_start(tcb, (unsigned long)kit_thread_entry, (unsigned long)stack_top,
			       ipcbuf, nthreads);
	if (r == 0)
		nthreads++;
	return r;
}

/* A vsnprintf output cursor: writes what fits, counts everything. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* put_field: s (n chars) padded to width with pad, on the left unless left. */
static void put_field(struct out *o, const char *s, size_t n, int width, char pad, int left)
{
	int fill = width > (int)n ? width - (int)n : 0;

	while (!left && fill-- > 0)
		put(o, pad);
	while (n--)
		put(o, *s++);
	while (left && fill-- > 0)
		put(o, ' ');
}

/* put_num: v in base, with a '-' when neg, padded to width. */
static void put_num(struct out *o, unsigned long v, unsigned base, int neg, int width, char pad,
		    int left)
{
	char tmp[24];
	int n = sizeof(tmp);

	do
		tmp[--n] = "0123456789abcdef"[v % base];
	while (v /= base);
	if (neg) {
		if (pad == '0') {
			put(o, '-');
			width--;
		} else {
			tmp[--n] = '-';
		}
	}
	put_field(o, tmp + n, sizeof(tmp) - n, width, pad, left);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		if (*++fmt == '-')
			left = 1, fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l' || *fmt == 'z')
			lng = 1, fmt++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(&o, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, width,
				pad, left);
			break;
		}
		case 'u':
		case 'x':
			put_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned),
				*fmt == 'u' ? 10 : 16, 0, width, pad, left);
			break;
		case 'p':
			put(&o, '0'), put(&o, 'x');
			put_num(&o, (unsigned long)va_arg(ap, void *), 16, 0, width, pad, left);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			s = s ? s : "(null)";
			put_field(&o, s, strlen(s), width, ' ', left);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

long (*kit_write_hook)(const char *s, size_t n);

/* write_all: s[0..n) through kit_write_hook when it takes them, else SYS_DEBUG_PUTS,
 * KIT_DEBUG_PUTS_MAX bytes at a time. */
static void write_all(const char *s, size_t n)
{
	if (kit_write_hook && kit_write_hook(s, n) >= 0)
		return;
	while (n) {
		size_t k = n < KIT_DEBUG_PUTS_MAX ? n : KIT_DEBUG_PUTS_MAX;
		if (sys_debug_puts(s, k) < 0)
			return;
		s += k, n -= k;
	}
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write_all(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int puts(const char *s)
{
	write_all(s, strlen(s));
	write_all("\n", 1);
	return 0;
}

long sys_frame_map(unsigned long frame, unsigned long va, unsigned long rights)
{
	return kit_syscall(SYS_FRAME_MAP, (long)frame, (long)va, (long)rights, 0, 0, 0);
}

long sys_frame_unmap(unsigned long frame)
{
	return kit_syscall(SYS_FRAME_UNMAP, (long)frame, 0, 0, 0, 0, 0);
}

long sys_irq_get(unsigned long irq_control, unsigned long irq, unsigned long dest)
{
	return kit_syscall(SYS_IRQ_GET, (long)irq_control, (long)irq, (long)dest, 0, 0, 0);
}

long sys_irq_set_notification(unsigned long handler, unsigned long ntfn)
{
	return kit_syscall(SYS_IRQ_SET_NOTIFICATION, (long)handler, (long)ntfn, 0, 0, 0, 0);
}

long sys_irq_ack(unsigned long handler)
{
	return kit_syscall(SYS_IRQ_ACK, (long)handler, 0, 0, 0, 0, 0);
}

long sys_cnode_guard(unsigned long dest, unsigned long src, unsigned long guard,
		     unsigned long guard_bits)
{
	return kit_syscall(SYS_CNODE_GUARD, (long)dest, (long)src, (long)guard, (long)guard_bits, 0,
			   0);
}

long sys_ioport_in(unsigned long ports, unsigned long port, unsigned long size)
{
	return kit_syscall(SYS_IOPORT_IN, (long)ports, (long)port, (long)size, 0, 0, 0);
}

long sys_ioport_out(unsigned long ports, unsigned long port, unsigned long value,
		    unsigned long size)
{
	return kit_syscall(SYS_IOPORT_OUT, (long)ports, (long)port, (long)value, (long)size, 0, 0);
}

long sys_device_get(unsigned long irq_control, unsigned long index, unsigned long dest,
		    struct kit_device_info *out)
{
	return kit_syscall(SYS_DEVICE_GET, (long)irq_control, (long)index, (long)dest, (long)out, 0,
			   0);
}

long sys_frame_addr(unsigned long frame)
{
	return kit_syscall(SYS_FRAME_ADDR, (long)frame, 0, 0, 0, 0, 0);
}

long sys_task_create(const struct kit_task_spec *spec, unsigned long dest)
{
	return kit_syscall(SYS_TASK_CREATE, (long)spec, sizeof(*spec), (long)dest, 0, 0, 0);
}

long sys_task_kill(unsigned long task)
{
	return kit_syscall(SYS_TASK_KILL, (long)task, 0, 0, 0, 0, 0);
}

long sys_task_status(unsigned long task, struct kit_task_status *out)
{
	return kit_syscall(SYS_TASK_STATUS, (long)task, (long)out, sizeof(*out), 0, 0, 0);
}

long sys_task_cap_copy(unsigned long task, unsigned long dest, unsigned long src,
		       unsigned long rights, unsigned long badge)
{
	return kit_syscall(SYS_TASK_CAP_COPY, (long)task, (long)dest, (long)src, (long)rights,
			   (long)badge, 0);
}

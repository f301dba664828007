/*
 * linuxd.c: lab 6's Linux server: it answers a Linux program's system
 * calls, each forwarded by the kernel as a Call (kit/abi.h
 * KIT_LABEL_LINUX_SYSCALL: MR 0 the number, MRs 1..6 the arguments), with
 * a Reply whose MR 0 is the result (>= 0, or -errno). One dispatch table
 * maps the arch's numbers (linux_nr.h) to handlers (MINIX 3's shape). The
 * program's memory is reached through the kernel (SYS_TASK_MEM_READ,
 * SYS_TASK_MEM_WRITE); its brk and anonymous mmap are carved out of the heap
 * window the kernel mapped when it made the task (KIT_LINUX_HEAP_BASE). Its
 * output goes to lab 5's console server (printf's kit_write_hook). A call
 * nobody implemented is -ENOSYS, logged once. Entry point: linuxd_serve.
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

#define LX_IO_CHUNK KIT_TASK_MEM_MAX /* bytes moved per SYS_TASK_MEM_* call */
#define LX_IOV_MAX  64		     /* iovecs of one writev */
#define LX_NR_MAX   1024	     /* numbers the log-once bitmap covers (the rest: one flag) */

/* One call: its arguments (a[0..5]), what the reply carries besides the result. */
struct lx_call {
	unsigned long nr, a[6];
	bool tls; /* the reply sets the thread pointer to tls_value */
	unsigned long tls_value;
};

static char iobuf[LX_IO_CHUNK];
static const char zeros[LX_IO_CHUNK];

/* mem_read / mem_write: n bytes between the program's address addr and buf. 0 or -EFAULT. */
static long mem_read(struct lx_proc *p, void *buf, unsigned long addr, unsigned long n)
{
	return kit_syscall(SYS_TASK_MEM_READ, (long)p->task, (long)buf, (long)addr, (long)n, 0, 0)
		   ? -LX_EFAULT
		   : 0;
}

static long mem_write(struct lx_proc *p, unsigned long addr, const void *buf, unsigned long n)
{
	return kit_syscall(SYS_TASK_MEM_WRITE, (long)p->task, (long)buf, (long)addr, (long)n, 0, 0)
		   ? -LX_EFAULT
		   : 0;
}

/* mem_zero: n bytes of the program's memory at addr become 0 (memory Linux hands out is). */
static long mem_zero(struct lx_proc *p, unsigned long addr, unsigned long n)
{
	for (unsigned long k; n; addr += k, n -= k) {
		k = n < LX_IO_CHUNK ? n : LX_IO_CHUNK;
		if (mem_write(p, addr, zeros, k))
			return -LX_EFAULT;
	}
	return 0;
}

/* console_out: n bytes of the program's memory at buf to the console; n or -EFAULT. */
static long console_out(struct lx_proc *p, unsigned long buf, unsigned long n)
{
	for (unsigned long done = 0, k; done < n; done += k) {
		k = n - done < LX_IO_CHUNK ? n - done : LX_IO_CHUNK;
		if (mem_read(p, iobuf, buf + done, k))
			return done ? (long)done : -LX_EFAULT;
		if (kit_write_hook && kit_write_hook(iobuf, k) >= 0)
			continue;
		for (unsigned long i = 0; i < k; i += KIT_DEBUG_PUTS_MAX)
			sys_debug_puts(iobuf + i,
				       k - i < KIT_DEBUG_PUTS_MAX ? k - i : KIT_DEBUG_PUTS_MAX);
	}
	return (long)n;
}

static bool is_console(unsigned long fd)
{
	return fd <= 2;
}

static long lx_write(struct lx_proc *p, struct lx_call *c)
{
	return c->a[0] == 1 || c->a[0] == 2 ? console_out(p, c->a[1], c->a[2]) : -LX_EBADF;
}

/* writev (fd, iov, iovcnt): struct iovec {void *base; size_t len;}, each to the console. */
static long lx_writev(struct lx_proc *p, struct lx_call *c)
{
	unsigned long iov[2 * LX_IOV_MAX], cnt = c->a[2];
	long total = 0;

	if (c->a[0] != 1 && c->a[0] != 2)
		return -LX_EBADF;
	if (cnt > LX_IOV_MAX)
		return -LX_EINVAL;
	if (mem_read(p, iov, c->a[1], cnt * 2 * sizeof(long)))
		return -LX_EFAULT;
	for (unsigned long i = 0; i < cnt; i++) {
		long r = console_out(p, iov[2 * i], iov[2 * i + 1]);
		if (r < 0)
			return total ? total : r;
		total += r;
	}
	return total;
}

/* ioctl (fd, TCGETS, struct termios *): the console is a terminal (isatty); 0 termios. */
static long lx_ioctl(struct lx_proc *p, struct lx_call *c)
{
	if (!is_console(c->a[0]))
		return -LX_EBADF;
	if (c->a[1] != LX_TCGETS)
		return -LX_ENOTTY;
	return mem_zero(p, c->a[2], LX_TERMIOS_SIZE);
}

/* fstat_console: struct stat of a terminal (a character device, major 136: a pty) at st. */
static long fstat_console(struct lx_proc *p, unsigned long st)
{
	unsigned char s[LX_STAT_SIZE] = {0};
	uint32_t mode = LX_S_IFCHR | 0620, nlink = 1, blksize = 1024;
	uint64_t rdev = 136 << 8;

	memcpy(s + LX_STAT_MODE, &mode, 4);
	memcpy(s + LX_STAT_NLINK, &nlink, 4);
	memcpy(s + LX_STAT_RDEV, &rdev, 8);
	memcpy(s + LX_STAT_BLKSIZE, &blksize, 4);
	return mem_write(p, st, s, sizeof(s));
}

static long lx_fstat(struct lx_proc *p, struct lx_call *c)
{
	return is_console(c->a[0]) ? fstat_console(p, c->a[1]) : -LX_EBADF;
}

/* newfstatat (dirfd, path, st, flags): only fstat's form (path "", AT_EMPTY_PATH). */
static long lx_newfstatat(struct lx_proc *p, struct lx_call *c)
{
	char path0;

	if (!(c->a[3] & LX_AT_EMPTY_PATH) || mem_read(p, &path0, c->a[1], 1) || path0)
		return -LX_ENOENT;
	return is_console(c->a[0]) ? fstat_console(p, c->a[2]) : -LX_EBADF;
}

/* brk (addr): the break moves to addr when it lies in the window below the mmap'd pages;
 * the new break either way (Linux's brk returns the old one on failure). */
static long lx_brk(struct lx_proc *p, struct lx_call *c)
{
	unsigned long addr = c->a[0];

	if (addr >= KIT_LINUX_HEAP_BASE && addr <= p->mmap_low) {
		if (addr < p->brk) /* memory given back comes back zeroed */
			mem_zero(p, addr, p->brk - addr);
		p->brk = addr;
	}
	return (long)p->brk;
}

/* mmap (addr, len, prot, flags, fd, off): anonymous private memory, pages below the lowest
 * mapped so far; -ENOMEM when they would meet the break, -EINVAL for a file or MAP_FIXED. */
static long lx_mmap(struct lx_proc *p, struct lx_call *c)
{
	unsigned long len = (c->a[1] + 4095) & ~4095UL;

	if (!(c->a[3] & LX_MAP_ANONYMOUS) || (c->a[3] & LX_MAP_FIXED) || !len)
		return -LX_EINVAL;
	if (len > p->mmap_low - p->brk)
		return -LX_ENOMEM;
	p->mmap_low -= len;
	return (long)p->mmap_low;
}

/* munmap (addr, len): the pages are zeroed (reused zeroed); the lowest ones are reused. */
static long lx_munmap(struct lx_proc *p, struct lx_call *c)
{
	unsigned long addr = c->a[0], len = (c->a[1] + 4095) & ~4095UL;

	if (addr % 4096 || addr < p->mmap_low || len > p->heap_end - addr)
		return -LX_EINVAL;
	mem_zero(p, addr, len);
	if (addr == p->mmap_low)
		p->mmap_low += len;
	return 0;
}

/* prlimit64 (pid, resource, new, old): old limits as Linux's defaults; new ones ignored. */
static long lx_prlimit64(struct lx_proc *p, struct lx_call *c)
{
	unsigned long lim[2] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY};

	if (c->a[1] == LX_RLIMIT_STACK)
		lim[0] = 8UL << 20;
	else if (c->a[1] == LX_RLIMIT_NOFILE)
		lim[0] = 1024, lim[1] = 4096;
	return c->a[3] ? mem_write(p, c->a[3], lim, sizeof(lim)) : 0;
}

/* getrandom (buf, len, flags): xorshift64 bytes (Marsaglia 2003), not cryptographic. */
static long lx_getrandom(struct lx_proc *p, struct lx_call *c)
{
	static uint64_t x;
	unsigned long n = c->a[1] < LX_IO_CHUNK ? c->a[1] : LX_IO_CHUNK;

	if (!x)
		x = kit_cycles() | 1;
	for (unsigned long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		iobuf[i] = (char)x;
	}
	return mem_write(p, c->a[0], iobuf, n) ? -LX_EFAULT : (long)n;
}

/* uname (struct utsname *): six fields of LX_UTS_LEN bytes. */
static long lx_uname(struct lx_proc *p, struct lx_call *c)
{
	static const char *const f[6] = {"Linux",	 "kit",	     "6.1.0-kit",
					 "#1 kit lab 6", LX_MACHINE, "(none)"};
	char u[6 * LX_UTS_LEN] = {0};

	for (int i = 0; i < 6; i++)
		memcpy(u + i * LX_UTS_LEN, f[i], strlen(f[i]));
	return mem_write(p, c->a[0], u, sizeof(u));
}

/* clock_gettime (clock, struct timespec *): every clock counts instructions as ns (the
 * kit_cycles counter: under -icount shift=0, 1 instruction = 1 ns of virtual time). */
static long lx_clock_gettime(struct lx_proc *p, struct lx_call *c)
{
	uint64_t ns = kit_cycles();
	unsigned long ts[2] = {ns / 1000000000, ns % 1000000000};

	return mem_write(p, c->a[1], ts, sizeof(ts));
}

static long lx_exit(struct lx_proc *p, struct lx_call *c)
{
	p->exited = true;
	p->code = (long)(c->a[0] & 0xff);
	return 0;
}

static long lx_pid(struct lx_proc *p, struct lx_call *c)
{
	(void)c;
	return (long)p->pid;
}

static long lx_zero(struct lx_proc *p, struct lx_call *c)
{
	(void)p, (void)c;
	return 0;
}

static long lx_enosys(struct lx_proc *p, struct lx_call *c)
{
	(void)p, (void)c;
	return -LX_ENOSYS;
}

static long lx_enoent(struct lx_proc *p, struct lx_call *c)
{
	(void)p, (void)c;
	return -LX_ENOENT;
}

/* arch_prctl (ARCH_SET_FS, addr): the reply sets the thread pointer (x86_64's FS base). */
static long lx_arch_prctl(struct lx_proc *p, struct lx_call *c)
{
	(void)p;
	if (c->a[0] != LX_ARCH_SET_FS)
		return -LX_EINVAL;
	c->tls = true;
	c->tls_value = c->a[1];
	return 0;
}

struct lx_entry {
	long nr;
	const char *name;
	long (*fn)(struct lx_proc *, struct lx_call *);
};

#define LX(n, f)                                                                                   \
	{                                                                                          \
		LNR_##n, #n, f                                                                     \
	}
static const struct lx_entry table[] = {
    LX(write, lx_write),
    LX(writev, lx_writev),
    LX(ioctl, lx_ioctl),
    LX(fstat, lx_fstat),
    LX(newfstatat, lx_newfstatat),
    LX(brk, lx_brk),
    LX(mmap, lx_mmap),
    LX(munmap, lx_munmap),
    LX(mprotect, lx_zero), /* the window is read-write; nothing to change */
    LX(prlimit64, lx_prlimit64),
    LX(getrandom, lx_getrandom),
    LX(uname, lx_uname),
    LX(clock_gettime, lx_clock_gettime),
    LX(exit, lx_exit),
    LX(exit_group, lx_exit),
    LX(getpid, lx_pid),
    LX(gettid, lx_pid),
    LX(set_tid_address, lx_pid),
    LX(getppid, lx_zero),
    LX(set_robust_list, lx_zero),
    LX(rseq, lx_enosys), /* glibc then goes on without restartable sequences */
    LX(readlinkat, lx_enoent),
    LX(readlink, lx_enoent),
    LX(arch_prctl, lx_arch_prctl),
};

/* A few numbers not implemented, by name for the log (the rest are logged by number). */
static const struct lx_entry unnamed[] = {
    LX(read, NULL),
    LX(close, NULL),
};

/* unknown: log a number nobody implemented, once. */
static void unknown(unsigned long nr)
{
	static uint8_t logged[LX_NR_MAX / 8];
	static bool logged_past; /* any number from LX_NR_MAX on */
	const char *name = NULL;

	if (nr < LX_NR_MAX ? logged[nr / 8] >> (nr % 8) & 1 : logged_past)
		return;
	if (nr < LX_NR_MAX)
		logged[nr / 8] |= (uint8_t)(1 << (nr % 8));
	else
		logged_past = true;
	for (size_t i = 0; i < sizeof(unnamed) / sizeof(unnamed[0]); i++)
		if (unnamed[i].nr == (long)nr)
			name = unnamed[i].name;
	if (name)
		printf("linuxd: %s (%lu) not implemented: -ENOSYS\n", name, nr);
	else
		printf("linuxd: syscall %lu not implemented: -ENOSYS\n", nr);
}

/* dispatch: c's handler's result (-ENOSYS, logged, for a number without one). */
static long dispatch(struct lx_proc *p, struct lx_call *c)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].nr == (long)c->nr)
			return table[i].fn(p, c);
	unknown(c->nr);
	return -LX_ENOSYS;
}

/* ended: the task ended without exit (a fault, a kill): its status as a shell shows it. */
static long ended(struct lx_proc *p, const char *name)
{
	struct kit_task_status st;

	while (sys_task_status(p->task, &st) == -EBUSY)
		sys_yield();
	if (st.state == KIT_TASK_FAULTED) {
		printf("linux: %s: Segmentation fault (pc %p, address %p)\n", name,
		       (void *)st.fault_pc, (void *)st.fault_addr);
		return 128 + 11;
	}
	return st.state == KIT_TASK_EXITED ? st.code : 128 + 9;
}

long linuxd_serve(struct lx_proc *p, unsigned long ep)
{
	struct kit_ipc_buffer *buf = (struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT;
	struct kit_task_info self;
	struct kit_msg m;
	long r = kit_recv(ep, &m);

	sys_task_info(&self, sizeof(self));
	for (;;) {
		if (r == KIT_RECV_NOTIFICATION || KIT_MSGINFO_LABEL(m.info) == KIT_LABEL_FAULT)
			return ended(p, self.name);
		if (r < 0 || KIT_MSGINFO_LABEL(m.info) != KIT_LABEL_LINUX_SYSCALL ||
		    KIT_MSGINFO_LEN(m.info) != KIT_LINUX_SYSCALL_MRS) {
			r = kit_recv(ep, &m); /* not from the program: ignored */
			continue;
		}
		struct lx_call c = {
		    .nr = m.mr[0],
		    .a = {m.mr[1], m.mr[2], m.mr[3], buf->mr[4], buf->mr[5], buf->mr[6]}};
		long res = dispatch(p, &c);
		if (p->exited) { /* no reply: it never runs again */
			sys_task_kill(p->task);
			return p->code;
		}
		m.info = KIT_MSGINFO(c.tls ? KIT_LINUX_REPLY_TLS : 0, 0, c.tls ? 2 : 1);
		m.mr[0] = (unsigned long)res;
		m.mr[1] = c.tls_value;
		kit_reply(
		    &m); /* never kit_reply_recv: its fastpath would answer in IPC registers */
		r = kit_recv(ep, &m);
	}
}

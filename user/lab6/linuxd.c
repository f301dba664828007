/*
 * linuxd.c: lab 6's Linux server: it answers a Linux program's system
 * calls, each forwarded by the kernel as a Call (kit/abi.h
 * KIT_LABEL_LINUX_SYSCALL: MR 0 the number, MRs 1..6 the arguments), with
 * a Reply whose MR 0 is the result (>= 0, or -errno). One dispatch table
 * maps the arch's numbers (linux_nr.h) to handlers (MINIX 3's shape) in the
 * lx_*.c files (linuxd.h). The program's memory is reached through the
 * kernel (SYS_TASK_MEM_READ, SYS_TASK_MEM_WRITE). A call nobody implemented
 * is -ENOSYS, logged once. Entry point: linuxd_serve.
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

#define LX_NR_MAX 1024 /* numbers the log-once bitmap covers (the rest: one flag) */

long lx_mem_read(struct lx_proc *p, void *buf, unsigned long addr, unsigned long n)
{
	for (unsigned long k; n; addr += k, buf = (char *)buf + k, n -= k) {
		k = n < KIT_TASK_MEM_MAX ? n : KIT_TASK_MEM_MAX;
		if (kit_syscall(SYS_TASK_MEM_READ, (long)p->task, (long)buf, (long)addr, (long)k, 0,
				0))
			return -LX_EFAULT;
	}
	return 0;
}

long lx_mem_write(struct lx_proc *p, unsigned long addr, const void *buf, unsigned long n)
{
	for (unsigned long k; n; addr += k, buf = (const char *)buf + k, n -= k) {
		k = n < KIT_TASK_MEM_MAX ? n : KIT_TASK_MEM_MAX;
		if (kit_syscall(SYS_TASK_MEM_WRITE, (long)p->task, (long)buf, (long)addr, (long)k,
				0, 0))
			return -LX_EFAULT;
	}
	return 0;
}

long lx_mem_zero(struct lx_proc *p, unsigned long addr, unsigned long n)
{
	static const char zeros[KIT_TASK_MEM_MAX];

	for (unsigned long k; n; addr += k, n -= k) {
		k = n < sizeof(zeros) ? n : sizeof(zeros);
		if (lx_mem_write(p, addr, zeros, k))
			return -LX_EFAULT;
	}
	return 0;
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
    LX(read, lx_read),
    LX(write, lx_write),
    LX(close, lx_close),
    LX(writev, lx_writev),
    LX(ioctl, lx_ioctl),
    LX(fstat, lx_fstat),
    LX(newfstatat, lx_newfstatat),
    LX(brk, lx_brk),
    LX(mmap, lx_mmap),
    LX(munmap, lx_munmap),
    LX(mprotect, lx_mprotect),
    LX(mremap, lx_enosys), /* glibc's realloc then allocates, copies and frees (lx_mem.c) */
    LX(prlimit64, lx_prlimit64),
    LX(getrandom, lx_getrandom),
    LX(uname, lx_uname),
    LX(clock_gettime, lx_clock_gettime),
    LX(clock_getres, lx_clock_getres),
    LX(gettimeofday, lx_gettimeofday),
    LX(time, lx_time),
    LX(times, lx_times),
    LX(nanosleep, lx_nanosleep),
    LX(clock_nanosleep, lx_clock_nanosleep),
    LX(exit, lx_exit),
    LX(exit_group, lx_exit),
    LX(getpid, lx_getpid),
    LX(gettid, lx_getpid),
    LX(set_tid_address, lx_getpid),
    LX(getppid, lx_getppid),
    LX(set_robust_list, lx_zero),
    LX(rseq, lx_enosys), /* glibc then goes on without restartable sequences */
    LX(readlinkat, lx_enoent),
    LX(readlink, lx_enoent),
    LX(arch_prctl, lx_arch_prctl),
    LX(openat, lx_openat),
    LX(open, lx_open),
    LX(readv, lx_readv),
    LX(lseek, lx_lseek),
    LX(getdents64, lx_getdents64),
    LX(dup, lx_dup),
    LX(dup2, lx_dup2),
    LX(dup3, lx_dup3),
    LX(fcntl, lx_fcntl),
    LX(stat, lx_stat),
    LX(lstat, lx_lstat),
    LX(mkdirat, lx_mkdirat),
    LX(mkdir, lx_mkdir),
    LX(unlinkat, lx_unlinkat),
    LX(unlink, lx_unlink),
    LX(rmdir, lx_rmdir),
    LX(linkat, lx_linkat),
    LX(link, lx_link),
    LX(chdir, lx_chdir),
    LX(getcwd, lx_getcwd),
    LX(faccessat, lx_faccessat),
    LX(faccessat2, lx_faccessat2),
    LX(access, lx_access),
};

/* A few numbers not implemented, by name for the log (the rest are logged by number). */
static const struct lx_entry unnamed[] = {
    LX(ioctl, NULL), /* a placeholder: every name here is also in table[] today */
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
		while (res ==
		       LX_BLOCKED) { /* until lx_proc.c defers calls: the one program waits */
			unsigned long events = 0;
			sys_wait(LX_SLOT_EVENTS, &events);
			if (events & ~LX_EVENT_TIMER) /* it ended (killed) */
				return ended(p, self.name);
			res = dispatch(p, &c);
		}
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

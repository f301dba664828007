/*
 * linuxd.c: lab 6's Linux server: it answers a Linux program's system
 * calls, each forwarded by the kernel as a Call (kit/abi.h
 * KIT_LABEL_LINUX_SYSCALL: MR 0 the number, MRs 1..6 the arguments), with
 * a Reply whose MR 0 is the result (>= 0, or -errno). One dispatch table
 * maps the arch's numbers (linux_nr.h) to handlers (MINIX 3's shape) in the
 * lx_*.c files (linuxd.h). The program's memory is reached through the
 * kernel (SYS_TASK_MEM_READ, SYS_TASK_MEM_WRITE). A call nobody implemented
 * is -ENOSYS, logged once. One linuxd serves a tree of processes (lx_proc.c),
 * each call's badge naming its process. A call that must wait (LX_BLOCKED) is
 * set aside (SYS_LINUX_DEFER) and kept in its process's pending; after every
 * call and every event (a task ended, a bit of LX_SLOT_EVENTS) the kept calls
 * run again, and each that finishes is answered (SYS_LINUX_REPLY). Entry
 * point: linuxd_serve.
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
    LX(clone, lx_clone),
    LX(fork, lx_fork),
    LX(vfork, lx_fork),
    LX(wait4, lx_wait4),
    LX(execve, lx_execve),
    LX(kill, lx_kill),
    LX(sched_yield, lx_zero), /* the caller runs again after its reply, others meanwhile */
    LX(pipe2, lx_pipe2),
    LX(pipe, lx_pipe),
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

/* Calls linuxd does not implement that programs are known to make, by name for the log (any
 * other number is logged as a number). */
static const struct lx_entry unnamed[] = {
    LX(rt_sigaction, NULL), LX(rt_sigprocmask, NULL), LX(futex, NULL),	 LX(madvise, NULL),
    LX(rename, NULL),	    LX(renameat2, NULL),      LX(poll, NULL),	 LX(ppoll, NULL),
    LX(statx, NULL),	    LX(getuid, NULL),	      LX(geteuid, NULL), LX(getgid, NULL),
    LX(getegid, NULL),	    LX(sigaltstack, NULL),    LX(socket, NULL),	 LX(tgkill, NULL),
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
		if (unnamed[i].nr >= 0 && unnamed[i].nr == (long)nr)
			name = unnamed[i].name;
	if (name)
		printf("linuxd: %s (%lu) not implemented: -ENOSYS\n", name, nr);
	else
		printf("linuxd: syscall %lu not implemented: -ENOSYS\n", nr);
}

/* dispatch: c's handler's result (-ENOSYS, logged, for a number without one; the table's -1s
 * are calls this arch does not have, never syscall(-1)'s). */
static long dispatch(struct lx_proc *p, struct lx_call *c)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].nr == (long)c->nr && table[i].nr >= 0)
			return table[i].fn(p, c);
	unknown(c->nr);
	return -LX_ENOSYS;
}

/* answer: reply res to p's call c, the caller's (now) or a set-aside one (later); the reply
 * to an arch_prctl(ARCH_SET_FS) also sets the thread pointer (c->tls: KIT_LINUX_REPLY_TLS).
 * Other replies leave it: the kernel keeps each Linux thread's FS base with its FP state and
 * switches it with the thread (ustate.c). */
static void answer(struct lx_proc *p, const struct lx_call *c, long res, bool now)
{
	struct kit_msg m = {
	    .info = KIT_MSGINFO(c->tls ? KIT_LINUX_REPLY_TLS : 0, 0, c->tls ? 2 : 1),
	    .mr = {(unsigned long)res, c->tls_value},
	};

	if (res == LX_NOREPLY)
		return;
	if (now)
		kit_reply(
		    &m); /* never kit_reply_recv: its fastpath would answer in IPC registers */
	else
		kit_syscall(SYS_LINUX_REPLY, (long)p->task, (long)m.info, (long)m.mr[0],
			    (long)m.mr[1], 0, 0);
}

/* retry: every set-aside call runs again, those that finish answered, until a round finishes
 * none (one that finishes may let another go on: a pipe's reader makes room for its writer).
 * deferred: how many calls are set aside, at most (one whose process ended counts until the
 * next round), so that a server with none spends nothing here. */
static unsigned deferred;
static void retry(void)
{
	for (bool again = deferred > 0; again;) {
		again = false;
		deferred = 0;
		for (int i = 0; i < LX_PROC_MAX; i++) {
			struct lx_proc *p = &lx_procs[i];
			if (!p->used || p->state != LX_RUNNING || !p->blocked)
				continue;
			long res = dispatch(p, &p->pending);
			if (res == LX_BLOCKED) {
				deferred++;
				continue;
			}
			p->blocked = false;
			answer(p, &p->pending, res, false);
			again = true;
		}
	}
}

long linuxd_serve(void)
{
	struct kit_ipc_buffer *buf = (struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT;
	struct kit_msg m;

	while (lx_proc_live()) {
		long r = kit_recv(LX_SLOT_EP, &m);
		if (r == KIT_RECV_NOTIFICATION) {
			lx_proc_events(m.badge);
			retry();
			continue;
		}
		struct lx_proc *p = lx_proc_of(m.badge);
		/* a fault message (the task's end follows as an event), or not from a process */
		if (r < 0 || !p || KIT_MSGINFO_LABEL(m.info) != KIT_LABEL_LINUX_SYSCALL ||
		    KIT_MSGINFO_LEN(m.info) != KIT_LINUX_SYSCALL_MRS)
			continue;
		p->pending = (struct lx_call){
		    .nr = m.mr[0],
		    .a = {m.mr[1], m.mr[2], m.mr[3], buf->mr[4], buf->mr[5], buf->mr[6]}};
		long res = dispatch(p, &p->pending);
		if (res == LX_BLOCKED) {
			kit_syscall(SYS_LINUX_DEFER, 0, 0, 0, 0, 0, 0);
			p->blocked = true;
			deferred++;
		} else {
			answer(p, &p->pending, res, true);
		}
		retry();
	}
	return lx_proc_status();
}

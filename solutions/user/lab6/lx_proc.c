// @file lab6
/*
 * lx_proc.c: linuxd's processes: the process table (each process a task
 * of its own, its calls arriving with its badge, its end signalling its
 * bit of linuxd's event notification), and the calls that make, change and
 * end them: clone (fork's flags), x86_64's fork and vfork, execve, wait4,
 * exit and exit_group, kill (signal 0 and SIGKILL), getpid, getppid,
 * arch_prctl.
 *
 * The launcher is pid 1's stand-in: the first process's parent is pid 1,
 * and a process whose parent ends before it (an orphan) gets parent 1 too,
 * as Linux gives it to init (or a subreaper); the launcher reaps those at
 * once (no zombie stays) and exits when no process runs any more. There
 * are no signals yet: a process ends by exit, a fault (SIGSEGV in its wait
 * status) or a kill, and nobody is sent SIGCHLD.
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

#define LX_PID_INIT 1 /* the launcher, as every parentless process's parent */
#define LX_SIGKILL  9
#define LX_SIGSEGV  11
#define LX_SIGCHLD  17
#define LX_NSIG	    64
/* clone's flags (include/uapi/linux/sched.h) */
#define LX_CSIGNAL		0x000000ff
#define LX_CLONE_VM		0x00000100
#define LX_CLONE_VFORK		0x00004000
#define LX_CLONE_PARENT_SETTID	0x00100000
#define LX_CLONE_CHILD_CLEARTID 0x00200000
#define LX_CLONE_CHILD_SETTID	0x01000000
/* wait4's options (include/uapi/linux/wait.h) */
#define LX_WNOHANG     0x00000001
#define LX_WUNTRACED   0x00000002
#define LX_WCONTINUED  0x00000008
#define LX_WAIT_ANY    (LX_WNOHANG | LX_WUNTRACED | LX_WCONTINUED | 0xe0000000) /* __W* too */
#define LX_RUSAGE_SIZE 144 /* struct rusage: 2 timevals, 14 longs */
#define LX_ARG_MAX     64  /* argv + envp strings execve takes */

struct lx_proc lx_procs[LX_PROC_MAX];
static unsigned long next_pid = LX_PID_INIT + 1, first_pid;
static long first_status; /* as a shell shows it */
static unsigned live;	  /* processes whose state is LX_RUNNING */

/* proc_new: a free slot of the table as a new process with a fresh pid (none used by a
 * process or zombie), its task slot named; NULL when the table is full. */
static struct lx_proc *proc_new(void)
{
	for (int i = 0; i < LX_PROC_MAX; i++) {
		struct lx_proc *p = &lx_procs[i];
		if (p->used)
			continue;
		*p = (struct lx_proc){.used = true, .task = LX_SLOT_TASK + (unsigned long)i};
		for (bool clash = true; clash;) {
			p->pid = next_pid++;
			clash = false;
			for (int k = 0; k < LX_PROC_MAX; k++)
				clash |= k != i && lx_procs[k].used && lx_procs[k].pid == p->pid;
		}
		return p;
	}
	return NULL;
}

struct lx_proc *lx_proc_first(void)
{
	struct lx_proc *p = proc_new();

	if (p) {
		p->ppid = LX_PID_INIT;
		first_pid = p->pid;
	}
	return p;
}

struct lx_proc *lx_proc_of(unsigned long badge)
{
	if (badge < 1 || badge > LX_PROC_MAX)
		return NULL;
	struct lx_proc *p = &lx_procs[badge - 1];
	return p->used && p->state == LX_RUNNING ? p : NULL;
}

void lx_proc_run(struct lx_proc *p)
{
	p->state = LX_RUNNING;
	live++;
}

bool lx_proc_live(void)
{
	return live > 0;
}

long lx_proc_status(void)
{
	return first_status;
}

/* wait_status: the wait status of a process that exited with code (sig 0), or that signal sig
 * ended, as wait4 reports it (man 2 wait's WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG). */
static unsigned long wait_status(unsigned long code, unsigned long sig)
{
	// @lab6 solution
	return sig ? sig & 0x7f : (code & 0xff) << 8;
	// @lab6 stub
	// TODO(lab6): exercise 5. Linux's encoding of a wait status: an exit code's low 8 bits
	// in bits 8..15 (bits 0..7 zero: WIFEXITED), or for a process a signal ended, the signal
	// number in bits 0..6 (WIFSIGNALED, WTERMSIG).
	// Hint: glibc's <bits/waitstatus.h> decodes it; lx_proc_end turns it back into what a
	// shell shows (128 + the signal).
	(void)code, (void)sig;
	printf("linuxd: wait_status: TODO(lab6) exercise 5\n");
	return 0;
	// @lab6 end
}

void lx_proc_end(struct lx_proc *p, unsigned long ws)
{
	sys_cap_delete(p->task); /* its last task capability: the task ends, its memory goes */
	p->blocked = false;
	lx_fd_close_all(p);
	lx_image_put(p->image);
	for (int i = 0; i < LX_PROC_MAX; i++) {
		struct lx_proc *q = &lx_procs[i];
		if (q->used && q != p && q->ppid == p->pid) {
			q->ppid = LX_PID_INIT;
			if (q->state == LX_ZOMBIE) /* the launcher reaps it */
				q->used = false;
		}
	}
	if (p->pid == first_pid)
		first_status = ws & 0x7f ? 128 + (long)(ws & 0x7f) : (long)(ws >> 8 & 0xff);
	p->state = LX_ZOMBIE;
	live--;
	p->wstatus = ws;
	if (p->ppid == LX_PID_INIT)
		p->used = false;
}

void lx_proc_events(unsigned long bits)
{
	struct kit_task_status st;

	for (int i = 0; i < LX_PROC_MAX; i++) {
		struct lx_proc *p = &lx_procs[i];
		/* a bit of a task linuxd ended itself (exit, execve's old task) finds the slot
		 * free, a zombie, or a new task that still runs (-EBUSY): nothing to do */
		if (!(bits >> i & 1) || !p->used || p->state != LX_RUNNING ||
		    sys_task_status(p->task, &st) != 0)
			continue;
		if (st.state == KIT_TASK_FAULTED) {
			printf("linux: %s: Segmentation fault (pc %p, address %p)\n", p->name,
			       (void *)st.fault_pc, (void *)st.fault_addr);
			lx_proc_end(p, wait_status(0, LX_SIGSEGV));
		} else {
			lx_proc_end(p, st.state == KIT_TASK_EXITED ? wait_status(st.code, 0)
								   : wait_status(0, LX_SIGKILL));
		}
	}
}

LX_HANDLER(exit)
{
	lx_proc_end(p, wait_status(c->a[0], 0));
	return LX_NOREPLY;
}

LX_HANDLER(getpid)
{
	(void)c;
	return (long)p->pid;
}

LX_HANDLER(getppid)
{
	(void)c;
	return (long)p->ppid;
}

/* arch_prctl (ARCH_SET_FS, addr): the reply sets the thread pointer (x86_64's FS base). */
LX_HANDLER(arch_prctl)
{
	if (c->a[0] != LX_ARCH_SET_FS)
		return -LX_EINVAL;
	c->tls = true;
	c->tls_value = p->tls = c->a[1];
	return 0;
}

/* copy: len bytes at va from p's memory to q's, a page at a time; pages all zero skipped when
 * skip_zero (q's are zero already). 0 or -EFAULT. */
static long copy(struct lx_proc *p, struct lx_proc *q, unsigned long va, unsigned long len,
		 bool skip_zero)
{
	static unsigned long page[LX_PAGESZ / sizeof(unsigned long)];

	for (unsigned long k; len; va += k, len -= k) {
		k = LX_PAGESZ - va % LX_PAGESZ < len ? LX_PAGESZ - va % LX_PAGESZ : len;
		if (lx_mem_read(p, page, va, k))
			return -LX_EFAULT;
		bool zero = skip_zero;
		for (unsigned long i = 0; zero && i < k / sizeof(long); i++)
			zero = !page[i];
		if (!zero && lx_mem_write(q, va, page, k))
			return -LX_EFAULT;
	}
	return 0;
}

/* copy_memory: p's writable memory into q (made from the same image): the ELF's writable
 * segments, the stack pages, the heap window's break and mmap'd pages. 0 or -EFAULT. */
static long copy_memory(struct lx_proc *p, struct lx_proc *q)
{
	// @lab6 solution
	const unsigned long stack = KIT_LINUX_STACK_PAGES * LX_PAGESZ;
	unsigned long va, len;
	long r = 0;

	for (int n = 0; !r && lx_image_writable(p->image, n, &va, &len); n++)
		r = copy(p, q, va, len, false);
	if (!r)
		r = copy(p, q, KIT_LINUX_STACK_TOP - stack, stack, true);
	if (!r)
		r = copy(p, q, KIT_LINUX_HEAP_BASE, p->brk - KIT_LINUX_HEAP_BASE, true);
	if (!r)
		r = copy(p, q, p->mmap_low, p->heap_end - p->mmap_low, true);
	return r;
	// @lab6 stub
	// TODO(lab6): exercise 5. fork's memory: copy every range of p the program may have
	// written into q, whose task SYS_TASK_CREATE made from the same image (its read-only
	// segments are the same already, its stack and heap zero): the image's writable PT_LOAD
	// segments (lx_image_writable(p->image, n, ...) for n = 0, 1, ... until false), the
	// stack's KIT_LINUX_STACK_PAGES pages ending at KIT_LINUX_STACK_TOP, the heap window's
	// break (KIT_LINUX_HEAP_BASE up to p->brk) and its mmap'd part (p->mmap_low up to
	// p->heap_end). 0 or the first error.
	// Hint: copy() moves a range through SYS_TASK_MEM_READ and _WRITE (lx_mem_read,
	// lx_mem_write); skip_zero saves the writes of pages that are zero in p (q's are zero).
	(void)p, (void)q, (void)copy;
	printf("linuxd: copy_memory: TODO(lab6) exercise 5\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/*
 * fork: a child of p, a copy of it (fork(2)): its task resumes from p's registers at the
 * call with result 0 (SYS_TASK_CREATE's regs_task), with p's writable memory, descriptors
 * (one more reference on each description), working directory and heap window. ptid, ctid:
 * where CLONE_PARENT_SETTID (in both) and CLONE_CHILD_SETTID (in the child) store its pid.
 * The child's pid, or -EAGAIN (the table is full), -ENOMEM (no memory for its task or no
 * image), -EFAULT.
 */
static long fork(struct lx_proc *p, unsigned long flags, unsigned long ptid, unsigned long ctid)
{
	struct lx_proc *q = proc_new();
	int pid32;

	if (!q)
		return -LX_EAGAIN;
	unsigned long task = q->task, pid = q->pid;
	*q = *p;
	q->task = task, q->pid = pid, q->ppid = p->pid, q->blocked = false;
	pid32 = (int)pid;
	long r = lx_task_make(q, q->task, 0, NULL, 0, NULL, p->task);
	if (r < 0) {
		q->used = false;
		return r == -LX_EINVAL ? -LX_ENOMEM : r;
	}
	r = copy_memory(p, q);
	if (!r && (flags & LX_CLONE_CHILD_SETTID))
		r = lx_mem_write(q, ctid, &pid32, sizeof(pid32));
	if (!r && (flags & LX_CLONE_PARENT_SETTID))
		r = lx_mem_write(q, ptid, &pid32, sizeof(pid32))
			?: lx_mem_write(p, ptid, &pid32, 4);
	if (r) {
		sys_cap_delete(q->task);
		q->used = false;
		return r;
	}
	for (int fd = 0; fd < LX_FD_MAX; fd++)
		if (q->fd[fd])
			q->fd[fd]->refs++;
	lx_image_get(q->image);
	lx_proc_run(q);
	/* the child waits in its fork call until its memory is there (SYS_TASK_CREATE); the reply
	 * sets its thread pointer too when arch_prctl gave one (linuxd.c's answer says why) */
	unsigned long info = q->tls ? KIT_MSGINFO(KIT_LINUX_REPLY_TLS, 0, 2) : KIT_MSGINFO(0, 0, 1);
	kit_syscall(SYS_LINUX_REPLY, (long)q->task, (long)info, 0, (long)q->tls, 0, 0);
	return (long)q->pid;
}

/*
 * clone (flags, newsp, parent_tid, ...): fork's form only (glibc's fork: SIGCHLD |
 * CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID; CLONE_PARENT_SETTID too), no new stack.
 * CLONE_CHILD_CLEARTID is accepted and does nothing: the child's memory goes with it, and
 * nobody else shares it. vfork's CLONE_VM | CLONE_VFORK without a new stack is a fork: the
 * child gets a copy, not the parent's memory, which a program keeping vfork's rules (the child
 * only execs or exits) cannot tell, except that the parent is not held until then. Threads
 * and shared memory (CLONE_VM otherwise, CLONE_THREAD, any other flag, a new stack): -ENOSYS.
 */
LX_HANDLER(clone)
{
	unsigned long flags = c->a[0], vfork = LX_CLONE_VM | LX_CLONE_VFORK;
	unsigned long ok = LX_CSIGNAL | LX_CLONE_PARENT_SETTID | LX_CLONE_CHILD_SETTID |
			   LX_CLONE_CHILD_CLEARTID | vfork;

	if ((flags & ~ok) || c->a[1] || ((flags & vfork) && (flags & vfork) != vfork))
		return -LX_ENOSYS;
	if ((flags & LX_CSIGNAL) > LX_NSIG)
		return -LX_EINVAL;
	return fork(p, flags, c->a[2], c->a[LX_CLONE_CTID_ARG]);
}

/* fork, vfork (x86_64): clone (SIGCHLD) and clone (CLONE_VM | CLONE_VFORK | SIGCHLD). */
LX_HANDLER(fork)
{
	(void)c;
	return fork(p, LX_SIGCHLD, 0, 0);
}

/*
 * wait4 (pid, wstatus, options, rusage): a child that ended (pid: that one; -1, 0 or below
 * -1: any, all processes being one process group) is reaped: its wait status (man 2 wait:
 * exit code << 8, or the signal that ended it) at wstatus (when not NULL), a zeroed struct
 * rusage (when not NULL: no accounting), its pid returned. None ended yet: 0 with WNOHANG,
 * else the call waits (LX_BLOCKED). -ECHILD no such child, -EINVAL unknown options, -EFAULT
 * (the child is reaped all the same: Linux's kernel_wait4 stores the status after reaping).
 */
LX_HANDLER(wait4)
{
	// @lab6 solution
	long pid = (int)c->a[0]; /* an int: x86_64 passes it zero-extended */
	unsigned long options = (unsigned)c->a[2];
	bool child = false;

	if (options & ~LX_WAIT_ANY)
		return -LX_EINVAL;
	for (int i = 0; i < LX_PROC_MAX; i++) {
		struct lx_proc *q = &lx_procs[i];
		int ws = (int)q->wstatus;
		if (!q->used || q->ppid != p->pid || (pid > 0 && q->pid != (unsigned long)pid))
			continue;
		child = true;
		if (q->state != LX_ZOMBIE)
			continue;
		q->used = false; /* reaped even when the status cannot be stored, as on Linux */
		if ((c->a[1] && lx_mem_write(p, c->a[1], &ws, sizeof(ws))) ||
		    (c->a[3] && lx_mem_zero(p, c->a[3], LX_RUSAGE_SIZE)))
			return -LX_EFAULT;
		return (long)q->pid;
	}
	if (!child)
		return -LX_ECHILD;
	return options & LX_WNOHANG ? 0 : LX_BLOCKED;
	// @lab6 stub
	// TODO(lab6): exercise 5. wait4 (pid c->a[0], wstatus c->a[1], options c->a[2], rusage
	// c->a[3]), as the comment above says: look through lx_procs for p's children (ppid) that
	// pid selects; reap the first zombie (LX_ZOMBIE): its slot is free again (used false), its
	// wstatus (wait_status encoded it) stored as an int, the rusage zeroed, its pid returned.
	// No child: -ECHILD; none ended: 0 with WNOHANG, else LX_BLOCKED (linuxd runs the call
	// again after every event).
	// Hint: pid and options are ints: cast before comparing (x86_64 zero-extends them).
	(void)p, (void)c;
	printf("linuxd: wait4: TODO(lab6) exercise 5\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* kill (pid, sig): signal 0 says whether pid is a process (0, or -ESRCH); SIGKILL ends it with
 * that signal. Other signals, and process groups (pid <= 0): -ENOSYS (no signals yet);
 * -EINVAL a signal past 64. */
LX_HANDLER(kill)
{
	long pid = (int)c->a[0], sig = (int)c->a[1]; /* ints */

	if (sig < 0 || sig > LX_NSIG)
		return -LX_EINVAL;
	if (pid <= 0 || (sig && sig != LX_SIGKILL))
		return -LX_ENOSYS;
	for (int i = 0; i < LX_PROC_MAX; i++) {
		struct lx_proc *q = &lx_procs[i];
		if (!q->used || q->pid != (unsigned long)pid)
			continue;
		if (sig && q->state == LX_RUNNING)
			lx_proc_end(q, wait_status(0, LX_SIGKILL));
		return q == p && sig ? LX_NOREPLY : 0;
	}
	return -LX_ESRCH;
}

/* read_str: the NUL-terminated string at addr of p's memory into buf (max bytes with the NUL),
 * a page's piece at a time; its length, or -EFAULT, or -E2BIG when it does not fit. */
static long read_str(struct lx_proc *p, unsigned long addr, char *buf, unsigned long max)
{
	for (unsigned long n = 0, k; n < max; n += k) {
		k = LX_PAGESZ - (addr + n) % LX_PAGESZ;
		k = k < max - n ? k : max - n;
		if (lx_mem_read(p, buf + n, addr + n, k))
			return -LX_EFAULT;
		for (unsigned long i = n; i < n + k; i++)
			if (!buf[i])
				return (long)i;
	}
	return -LX_E2BIG;
}

/* read_vec: the strings of the NULL-ended array of pointers at addr (NULL: none) into *s (at
 * most *room bytes), their addresses into v; their count, or -EFAULT, -E2BIG. */
static long read_vec(struct lx_proc *p, unsigned long addr, char **s, unsigned long *room,
		     const char **v, int max)
{
	// @lab6 solution
	for (int n = 0; addr; n++, addr += sizeof(long)) {
		unsigned long ptr;
		if (lx_mem_read(p, &ptr, addr, sizeof(ptr)))
			return -LX_EFAULT;
		if (!ptr)
			return n;
		long len = n < max ? read_str(p, ptr, *s, *room) : -LX_E2BIG;
		if (len < 0)
			return len;
		v[n] = *s;
		*s += len + 1, *room -= (unsigned long)len + 1;
	}
	return 0;
	// @lab6 stub
	// TODO(lab6): exercise 5. execve's argv or envp: addr is the program's array of pointers
	// (NULL: an empty one), ended by a NULL pointer. Read each pointer (lx_mem_read), then its
	// string (read_str) into *s, at most *room bytes with its NUL; v[n] points at the copy, and
	// *s and *room move past it. The count; -EFAULT, -E2BIG (more than max strings, or they do
	// not fit).
	// Hint: the pointers and strings are in the program's memory, not linuxd's: never
	// dereference them here.
	(void)p, (void)addr, (void)s, (void)room, (void)v, (void)max;
	printf("linuxd: read_vec: TODO(lab6) exercise 5\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* exec_path: path (p's string at addr) as an absolute path in out (relative ones from p's
 * cwd); 0, -EFAULT, -ENOENT (empty), -ENAMETOOLONG. */
static long exec_path(struct lx_proc *p, unsigned long addr, char *out)
{
	char path[FS_PATH_MAX];
	long n = read_str(p, addr, path, sizeof(path));
	size_t cwd = path[0] == '/' ? 0 : strlen(p->cwd);

	if (n < 0)
		return n == -LX_E2BIG ? -LX_ENAMETOOLONG : n;
	if (!n)
		return -LX_ENOENT;
	if (cwd + 1 + (size_t)n >= FS_PATH_MAX)
		return -LX_ENAMETOOLONG;
	memcpy(out, p->cwd, cwd);
	if (cwd && out[cwd - 1] != '/')
		out[cwd++] = '/';
	memcpy(out + cwd, path, (size_t)n + 1);
	return 0;
}

/*
 * execve (path, argv, envp): p runs the executable path (relative to its cwd) with a new
 * stack of argv and envp (NULL: empty) and a new heap: a new task with the same badge and
 * exit bit replaces its task, which is deleted (it does not end as a process: no wait status,
 * no exit). pid, parent, cwd, descriptors are kept, but those marked close-on-exec are
 * closed. No reply on success (LX_NOREPLY: the old task is gone). Errors, with p going on as
 * before (man 2 execve): -EFAULT, -ENAMETOOLONG, -ENOENT, -ENOTDIR, -EACCES (not a regular
 * file), -ENOEXEC (not a static ELF64 executable for this arch), -E2BIG (the strings do not
 * fit the initial stack image, KIT_LINUX_STACK_MAX bytes, or more than 64 of them), -ENOMEM.
 */
LX_HANDLER(execve)
{
	static char strs[KIT_LINUX_STACK_MAX];
	static const char *argv[LX_ARG_MAX], *envp[LX_ARG_MAX];
	char path[FS_PATH_MAX], *s = strs, name[16];
	unsigned long room = sizeof(strs);
	long argc, envc, r = exec_path(p, c->a[0], path);

	if (r < 0)
		return r;
	if ((argc = read_vec(p, c->a[1], &s, &room, argv, LX_ARG_MAX)) < 0)
		return argc;
	if ((envc = read_vec(p, c->a[2], &s, &room, envp, LX_ARG_MAX)) < 0)
		return envc;
	if ((r = lx_image_read(path)) < 0)
		return r;
	int old = p->image;
	const char *base = path + strlen(path);
	while (base > path && base[-1] != '/')
		base--;
	memcpy(name, p->name, sizeof(name));
	memset(p->name, 0, sizeof(p->name));
	memcpy(p->name, base, strlen(base) < sizeof(p->name) ? strlen(base) : sizeof(p->name) - 1);
	p->image = (int)r;
	r = lx_task_make(p, LX_SLOT_NEWTASK, (int)argc, argv, (int)envc, envp, 0);
	if (r < 0) {
		p->image = old;
		memcpy(p->name, name, sizeof(name));
		return r == -LX_EINVAL ? -LX_ENOEXEC : r;
	}
	sys_cap_delete(p->task); /* the old task ends; its exit bit finds the new one running */
	sys_cap_move(p->task, LX_SLOT_NEWTASK);
	lx_image_get(p->image);
	lx_image_put(old);
	p->brk = KIT_LINUX_HEAP_BASE;
	p->mmap_low = p->heap_end;
	p->blocked = false;
	p->tls = 0;
	lx_fd_exec(p);
	return LX_NOREPLY;
}

/*
 * linuxd.h: lab 6's Linux server (linuxd.c and the lx_*.c files it
 * dispatches to) and the launcher that starts a Linux program and serves it
 * (linux.c). The protocol is the kernel's forwarding of a Linux-ABI task's
 * system calls (kit/abi.h KIT_LABEL_LINUX_SYSCALL); the calls are Linux's
 * (man 2), numbered by the arch's table (linux_nr.h).
 *
 * Files: linuxd.c (the receive loop, the dispatch table, the program's
 * memory, deferred calls), lx_file.c (the file-descriptor table, the
 * console, files of lab 5's fsd), lx_path.c (paths, cwd, the calls on
 * names), lx_mem.c (brk, mmap), lx_sys.c (time, identity, limits),
 * lx_proc.c (processes: the table, exit, clone, execve, wait4), lx_pipe.c
 * (pipes), linux.c (the launcher and the ELF loader).
 * Locking: none; linuxd is one thread and serves one call at a time.
 */
#pragma once

#include "user.h"
#include "kit/fsclient.h"

#define LX_FD_MAX   32 /* descriptors per process (RLIMIT_NOFILE's soft limit says 1024) */
#define LX_PROC_MAX 16 /* processes one linuxd serves at once */
#define LX_PAGESZ   4096

/*
 * LX_BLOCKED: what a handler returns when its call cannot finish yet (a read of an empty
 * pipe, a wait4 for a child still running, a sleep): linuxd answers nothing now, keeps the
 * call (the program stays blocked in it) and runs the handler again with the same call each
 * time another call or an event may have changed what it waits for. Never a Linux result
 * (those lie in -4095..-1 or are >= 0).
 */
#define LX_BLOCKED (-100000L)
/* LX_NOREPLY: the call's caller is gone or has a new task (exit, a successful execve, a kill
 * of itself): nothing is answered. Never a Linux result either. */
#define LX_NOREPLY (-100001L)

/* linuxd's capability slots (linux.c makes them): the endpoint every process's calls and
 * faults arrive on (each process's copy badged with its index + 1, LX_SLOT_PEP), the
 * notification bound to linuxd's thread (bit i: process i's task ended; bits from
 * LX_PROC_MAX up are other events: LX_EVENT_TIMER), fsd's endpoint, lx_sys.c's timer
 * (LX_SLOT_TIMER, below), a spare slot for execve's new
 * task, then per process i its task capability (LX_SLOT_TASK + i) and its badged endpoint
 * (LX_SLOT_PEP + i). */
#define LX_SLOT_EP	8
#define LX_SLOT_EVENTS	9
#define LX_SLOT_FS	11
#define LX_SLOT_NEWTASK 15
#define LX_SLOT_TASK	16
#define LX_SLOT_PEP	(LX_SLOT_TASK + LX_PROC_MAX)
#define LX_EVENTS_PROC	((1UL << LX_PROC_MAX) - 1) /* the notification's bits of task ends */

/* lx_sys.c's timer (kit/abi.h SYS_TIMER_SIGNAL): a copy of the notification bound to
 * linuxd's thread (slot LX_SLOT_EVENTS, linux.c's) badged LX_EVENT_TIMER, made in slot
 * LX_SLOT_TIMER; that bit wakes linuxd's Recv when the earliest sleep is due. */
#define LX_SLOT_TIMER  12
#define LX_EVENT_TIMER (1UL << LX_PROC_MAX)

/* One forwarded call: the number, its arguments a[0..5], what the reply carries besides the
 * result. */
struct lx_call {
	unsigned long nr, a[6];
	bool tls; /* the reply sets the thread pointer to tls_value */
	unsigned long tls_value;
	uint64_t wake_ns; /* lx_sys.c: a sleep's end (SYS_TIMER_SIGNAL's clock), 0: not begun */
};

struct lx_proc;
struct lx_file;

/* What an open file does. Addresses (buf, st) are the program's; n in bytes. Each returns
 * what the Linux call would (bytes moved, 0, -errno) or LX_BLOCKED. NULL: -EINVAL (read,
 * write on a file that cannot), or a default (fstat: -EBADF). */
struct lx_file_ops {
	long (*read)(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n);
	long (*write)(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n);
	long (*fstat)(struct lx_proc *p, struct lx_file *f, unsigned long st);
	void (*release)(struct lx_file *f); /* its last descriptor is closed */
};

/* An open file description: shared by the descriptors dup and fork make (refs of them). */
struct lx_file {
	const struct lx_file_ops *ops;
	unsigned refs;	   /* descriptors that name it, in every process */
	unsigned flags;	   /* open's O_ACCMODE, O_APPEND, O_NONBLOCK */
	unsigned long off; /* the file offset (bytes) */
	fs_handle_t h;	   /* a file or directory of fsd, when it is one */
	void *priv;	   /* what ops need besides (a pipe) */

	char path[FS_PATH_MAX]; /* a file or directory of fsd: its absolute path at open */
};

/* A Linux program being served: its task capability, its memory (kit/abi.h's heap window:
 * brk grows up from its base, mmap takes pages down from its top), its files, its end. */
#define LX_RUNNING 1 /* struct lx_proc's state: its task runs (or waits in a call) */
#define LX_ZOMBIE  2 /* it ended; its parent's wait4 has not taken wstatus yet */
struct lx_proc {
	bool used;		       /* this slot of linuxd's process table holds a process */
	int state;		       /* LX_RUNNING, LX_ZOMBIE */
	unsigned long task;	       /* task capability slot (read, write) */
	char name[16];		       /* its program's file name (the kernel's task name) */
	int image;		       /* its ELF image in linux.c's cache */
	unsigned long pid;	       /* what getpid says */
	unsigned long ppid;	       /* its parent's pid (1: the launcher, init's stand-in) */
	unsigned long heap_end;	       /* KIT_LINUX_HEAP_BASE + the window's bytes */
	unsigned long brk;	       /* the program break */
	unsigned long mmap_low;	       /* the lowest mmap'd address (mmap takes pages below it) */
	struct lx_file *fd[LX_FD_MAX]; /* its descriptors; NULL: closed */
	uint32_t cloexec;	       /* bit fd set: descriptor fd has FD_CLOEXEC */
	char cwd[FS_PATH_MAX];	       /* its working directory, absolute, "/" at start */
	unsigned long wstatus;	       /* a zombie's wait status (wait4, man 2 wait) */
	unsigned long tls;	       /* its thread pointer as arch_prctl set it (0: never) */
	bool blocked;		       /* pending holds a call that answered LX_BLOCKED */
	struct lx_call pending;
	/* lx_mem.c: bit i set: page i of the heap window is mmap'd */
	unsigned long mmap_map[KIT_LINUX_HEAP_MAX / 64];
};

/* The process table (lx_proc.c). lx_proc_of: the running process whose endpoint carries
 * badge, or NULL. lx_proc_first: the first process (the launcher's) in a free slot with its
 * task to be made into LX_SLOT_TASK + its index by the caller; NULL when none is free.
 * lx_proc_run: p's task is made: p runs.
 * lx_proc_events: bits of LX_SLOT_EVENTS arrived: each running process whose task ended is
 * ended (lx_proc_end). lx_proc_end: p ends with wait status ws (man 2 wait: code << 8, or the
 * signal): its task killed, its descriptors closed, its children the launcher's, and a zombie
 * for its parent's wait4 (or gone when the launcher is its parent). lx_proc_live: a process
 * runs. lx_proc_status: the first process's end as a shell shows it (code, 128 + signal). */
extern struct lx_proc lx_procs[LX_PROC_MAX];
struct lx_proc *lx_proc_of(unsigned long badge);
struct lx_proc *lx_proc_first(void);
void lx_proc_run(struct lx_proc *p);
void lx_proc_events(unsigned long bits);
void lx_proc_end(struct lx_proc *p, unsigned long ws);
bool lx_proc_live(void);
long lx_proc_status(void);

/* The ELF loader (linux.c). lx_image_read: the executable at the absolute path into the image
 * cache: its index, or -ENOENT, -EACCES (a directory), -ENOEXEC (not a static ELF64
 * executable for this arch), -ENOMEM (every cache entry in use), fsd's errors. lx_image_get /
 * lx_image_put: a process starts / stops using image i (the entry is reused at 0 users).
 * lx_image_writable: the n-th writable PT_LOAD segment of image i into [*va, *va + *len);
 * false past the last. lx_task_make: a task for p (image p->image, name p->name, heap window
 * of (p->heap_end - KIT_LINUX_HEAP_BASE) bytes) into slot: with argv (argc strings) and envp
 * (envc) on a new initial stack, or, with regs_task, fork's child of that task; 0, -E2BIG
 * (the strings do not fit the stack image), SYS_TASK_CREATE's errors. */
long lx_image_read(const char *path);
void lx_image_get(int i);
void lx_image_put(int i);
bool lx_image_writable(int i, int n, unsigned long *va, unsigned long *len);
long lx_task_make(struct lx_proc *p, unsigned long slot, int argc, const char *const *argv,
		  int envc, const char *const *envp, unsigned long regs_task);

/* The program's memory through the kernel (SYS_TASK_MEM_READ/_WRITE, any length): n bytes
 * between its address addr and linuxd's buf. 0, or -LX_EFAULT (bytes before the bad page may
 * have moved). lx_mem_zero: n bytes at addr become 0. */
long lx_mem_read(struct lx_proc *p, void *buf, unsigned long addr, unsigned long n);
long lx_mem_write(struct lx_proc *p, unsigned long addr, const void *buf, unsigned long n);
long lx_mem_zero(struct lx_proc *p, unsigned long addr, unsigned long n);

/* The descriptor table (lx_file.c). lx_fd_file: the file fd names in p, or NULL (closed or out
 * of range). lx_file_new: a new description with ops, one reference (NULL: none left).
 * lx_fd_install: f at p's lowest free descriptor, which it returns, or -EMFILE (f's reference
 * is then dropped). lx_file_put: drop one reference (release at the last). lx_fd_init: p's
 * descriptors 0, 1, 2 on the console. lx_fd_close_all: every descriptor of p closed. */
struct lx_file *lx_fd_file(struct lx_proc *p, unsigned long fd);
struct lx_file *lx_file_new(const struct lx_file_ops *ops);
long lx_fd_install(struct lx_proc *p, struct lx_file *f);
void lx_file_put(struct lx_file *f);
long lx_fd_init(struct lx_proc *p);
void lx_fd_close_all(struct lx_proc *p);

/* lx_fd_exec: p's descriptors with FD_CLOEXEC closed (what execve does). lx_file_dir: f is a
 * directory of fsd. */
void lx_fd_exec(struct lx_proc *p);
bool lx_file_dir(const struct lx_file *f);

/* Paths (lx_path.c). lx_path: the path string at the program's address addr, relative to
 * directory descriptor dirfd (LX_AT_FDCWD: p's cwd; ignored for an absolute path), as an
 * absolute path with no ".", ".." or empty components into out (FS_PATH_MAX bytes); *how gets
 * LX_PATH_* bits. 0; -EFAULT, -ENOENT (an empty path), -ENAMETOOLONG (PATH_MAX bytes, or the
 * result FS_PATH_MAX or more), -EBADF (dirfd), -ENOTDIR (dirfd not a directory, or a ".." after
 * a file), and fsd's errors of a ".." after a missing directory (path_resolution(7): ".." is
 * taken in the directory looked up so far, which must exist). lx_fs_err: fsd's error r as
 * Linux's (-EPIPE, fsd gone for good: -EIO; the rest have Linux's numbers). */
#define LX_PATH_SLASH  1 /* the path ends in '/': its last component must be a directory */
#define LX_PATH_DOT    2 /* its last component is "." */
#define LX_PATH_DOTDOT 4 /* its last component is ".." */
long lx_path(struct lx_proc *p, int dirfd, unsigned long addr, char *out, unsigned *how);
long lx_fs_err(long r);

/* Handlers: each takes the process and its call, returns the result (or LX_BLOCKED). */
#define LX_HANDLER(name) long lx_##name(struct lx_proc *p, struct lx_call *c)
/* lx_file.c */
LX_HANDLER(read);
LX_HANDLER(write);
LX_HANDLER(writev);
LX_HANDLER(ioctl);
LX_HANDLER(fstat);
LX_HANDLER(newfstatat);
LX_HANDLER(close);
LX_HANDLER(openat);
LX_HANDLER(open);
LX_HANDLER(readv);
LX_HANDLER(lseek);
LX_HANDLER(getdents64);
LX_HANDLER(dup);
LX_HANDLER(dup2);
LX_HANDLER(dup3);
LX_HANDLER(fcntl);
LX_HANDLER(stat);
LX_HANDLER(lstat);
/* lx_path.c */
LX_HANDLER(mkdirat);
LX_HANDLER(mkdir);
LX_HANDLER(unlinkat);
LX_HANDLER(unlink);
LX_HANDLER(rmdir);
LX_HANDLER(linkat);
LX_HANDLER(link);
LX_HANDLER(chdir);
LX_HANDLER(getcwd);
LX_HANDLER(faccessat);
LX_HANDLER(faccessat2);
LX_HANDLER(access);
/* lx_mem.c */
LX_HANDLER(brk);
LX_HANDLER(mmap);
LX_HANDLER(munmap);
LX_HANDLER(mprotect);
/* lx_sys.c */
LX_HANDLER(prlimit64);
LX_HANDLER(getrandom);
LX_HANDLER(uname);
LX_HANDLER(clock_gettime);
LX_HANDLER(clock_getres);
LX_HANDLER(gettimeofday);
LX_HANDLER(time);
LX_HANDLER(times);
LX_HANDLER(nanosleep);
LX_HANDLER(clock_nanosleep);
/* lx_proc.c */
LX_HANDLER(exit);
LX_HANDLER(getpid);
LX_HANDLER(getppid);
LX_HANDLER(arch_prctl);
LX_HANDLER(clone);
LX_HANDLER(fork);
LX_HANDLER(wait4);
LX_HANDLER(execve);
LX_HANDLER(kill);
/* lx_pipe.c */
LX_HANDLER(pipe2);
LX_HANDLER(pipe);

/* linuxd_serve: receive on LX_SLOT_EP (every process's linux_ep and fault endpoint, badged,
 * with LX_SLOT_EVENTS bound to the caller's TCB) and answer the processes' system calls
 * until none runs. Returns the first process's status as a shell shows it: its exit code,
 * 128 + 11 after a fault (SIGSEGV), 128 + 9 when it was killed otherwise. */
long linuxd_serve(void);

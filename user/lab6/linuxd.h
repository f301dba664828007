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
 * names), lx_mem.c (brk, mmap), lx_sys.c (time,
 * identity, limits), lx_proc.c (processes: exit, clone, execve, wait4).
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

/* lx_sys.c's timer (kit/abi.h SYS_TIMER_SIGNAL): a copy of the notification bound to
 * linuxd's thread (slot LX_SLOT_EVENTS, linux.c's) badged LX_EVENT_TIMER, made in slot
 * LX_SLOT_TIMER; that bit wakes linuxd's Recv when the earliest sleep is due. */
#define LX_SLOT_EVENTS 9
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
struct lx_proc {
	bool used;		       /* this slot of linuxd's process table holds a process */
	unsigned long task;	       /* task capability slot (read, write) */
	unsigned long pid;	       /* what getpid says */
	unsigned long ppid;	       /* its parent's pid (0: the launcher started it) */
	unsigned long heap_end;	       /* KIT_LINUX_HEAP_BASE + the window's bytes */
	unsigned long brk;	       /* the program break */
	unsigned long mmap_low;	       /* the lowest mmap'd address (mmap takes pages below it) */
	struct lx_file *fd[LX_FD_MAX]; /* its descriptors; NULL: closed */
	uint32_t cloexec;	       /* bit fd set: descriptor fd has FD_CLOEXEC */
	char cwd[FS_PATH_MAX];	       /* its working directory, absolute, "/" at start */
	bool exited;		       /* exit or exit_group: code */
	long code;		       /* its exit status, 0..255 */
	bool blocked;		       /* pending holds a call that answered LX_BLOCKED */
	struct lx_call pending;
	/* lx_mem.c: bit i set: page i of the heap window is mmap'd */
	unsigned long mmap_map[KIT_LINUX_HEAP_MAX / 64];
};

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

/* linuxd_serve: receive on endpoint ep (the task's linux_ep and fault endpoint, with its exit
 * notification bound to the caller's TCB) and answer p's system calls until it ends. Returns
 * its status as a shell shows it: the exit code, 128 + 11 after a fault (SIGSEGV), 128 + 9
 * when it was killed otherwise. */
long linuxd_serve(struct lx_proc *p, unsigned long ep);

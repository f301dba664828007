/*
 * lx_file.c: linuxd's file descriptors: each process's table of open file
 * descriptions (struct lx_file, shared by dup and fork as Linux shares a
 * struct file), the console as descriptors 0, 1 and 2, and the calls on
 * descriptors (read, write, writev, ioctl, fstat, newfstatat, close).
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

#define LX_IOV_MAX  64 /* iovecs of one writev */
#define LX_FILE_MAX 64 /* open file descriptions linuxd holds at once */

static struct lx_file files[LX_FILE_MAX];
static char iobuf[KIT_TASK_MEM_MAX];

struct lx_file *lx_fd_file(struct lx_proc *p, unsigned long fd)
{
	return fd < LX_FD_MAX ? p->fd[fd] : NULL;
}

struct lx_file *lx_file_new(const struct lx_file_ops *ops)
{
	for (int i = 0; i < LX_FILE_MAX; i++)
		if (!files[i].refs) {
			files[i] = (struct lx_file){.ops = ops, .refs = 1};
			return &files[i];
		}
	return NULL;
}

long lx_fd_install(struct lx_proc *p, struct lx_file *f)
{
	for (int fd = 0; fd < LX_FD_MAX; fd++)
		if (!p->fd[fd]) {
			p->fd[fd] = f;
			return fd;
		}
	lx_file_put(f);
	return -LX_EMFILE;
}

void lx_file_put(struct lx_file *f)
{
	if (f && !--f->refs && f->ops->release)
		f->ops->release(f);
}

void lx_fd_close_all(struct lx_proc *p)
{
	for (int fd = 0; fd < LX_FD_MAX; fd++) {
		lx_file_put(p->fd[fd]);
		p->fd[fd] = NULL;
	}
}

/* The console: lab 5's console server (printf's kit_write_hook), else the debug console. */
static long console_write(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	(void)f;
	for (unsigned long done = 0, k; done < n; done += k) {
		k = n - done < sizeof(iobuf) ? n - done : sizeof(iobuf);
		if (lx_mem_read(p, iobuf, buf + done, k))
			return done ? (long)done : -LX_EFAULT;
		if (kit_write_hook && kit_write_hook(iobuf, k) >= 0)
			continue;
		for (unsigned long i = 0; i < k; i += KIT_DEBUG_PUTS_MAX)
			sys_debug_puts(iobuf + i,
				       k - i < KIT_DEBUG_PUTS_MAX ? k - i : KIT_DEBUG_PUTS_MAX);
	}
	return (long)n;
}

/* console_fstat: struct stat of a terminal (a character device, major 136: a pty) at st. */
static long console_fstat(struct lx_proc *p, struct lx_file *f, unsigned long st)
{
	unsigned char s[LX_STAT_SIZE] = {0};
	uint32_t mode = LX_S_IFCHR | 0620, nlink = 1, blksize = 1024;
	uint64_t rdev = 136 << 8;

	(void)f;
	memcpy(s + LX_STAT_MODE, &mode, 4);
	memcpy(s + LX_STAT_NLINK, &nlink, 4);
	memcpy(s + LX_STAT_RDEV, &rdev, 8);
	memcpy(s + LX_STAT_BLKSIZE, &blksize, 4);
	return lx_mem_write(p, st, s, sizeof(s));
}

static const struct lx_file_ops console_ops = {
    .write = console_write,
    .fstat = console_fstat,
};

long lx_fd_init(struct lx_proc *p)
{
	struct lx_file *f = lx_file_new(&console_ops);

	if (!f)
		return -LX_ENFILE;
	f->flags = LX_O_RDWR;
	f->refs = 3;
	p->fd[0] = p->fd[1] = p->fd[2] = f;
	return 0;
}

LX_HANDLER(read)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);

	if (!f)
		return -LX_EBADF;
	return f->ops->read ? f->ops->read(p, f, c->a[1], c->a[2]) : -LX_EINVAL;
}

LX_HANDLER(write)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);

	if (!f)
		return -LX_EBADF;
	return f->ops->write ? f->ops->write(p, f, c->a[1], c->a[2]) : -LX_EINVAL;
}

/* writev (fd, iov, iovcnt): struct iovec {void *base; size_t len;}, each written in turn. */
LX_HANDLER(writev)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);
	unsigned long iov[2 * LX_IOV_MAX], cnt = c->a[2];
	long total = 0;

	if (!f)
		return -LX_EBADF;
	if (!f->ops->write || cnt > LX_IOV_MAX)
		return -LX_EINVAL;
	if (lx_mem_read(p, iov, c->a[1], cnt * 2 * sizeof(long)))
		return -LX_EFAULT;
	for (unsigned long i = 0; i < cnt; i++) {
		long r = f->ops->write(p, f, iov[2 * i], iov[2 * i + 1]);
		if (r < 0)
			return total ? total : r;
		total += r;
	}
	return total;
}

/* ioctl (fd, TCGETS, struct termios *): the console is a terminal (isatty); 0 termios. */
LX_HANDLER(ioctl)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);

	if (!f)
		return -LX_EBADF;
	if (f->ops != &console_ops || c->a[1] != LX_TCGETS)
		return -LX_ENOTTY;
	return lx_mem_zero(p, c->a[2], LX_TERMIOS_SIZE);
}

LX_HANDLER(fstat)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);

	if (!f)
		return -LX_EBADF;
	return f->ops->fstat ? f->ops->fstat(p, f, c->a[1]) : -LX_EBADF;
}

/* newfstatat (dirfd, path, st, flags): only fstat's form (path "", AT_EMPTY_PATH). */
LX_HANDLER(newfstatat)
{
	char path0;
	struct lx_call fc = {.a = {c->a[0], c->a[2]}};

	if (!(c->a[3] & LX_AT_EMPTY_PATH) || lx_mem_read(p, &path0, c->a[1], 1) || path0)
		return -LX_ENOENT;
	return lx_fstat(p, &fc);
}

LX_HANDLER(close)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);

	if (!f)
		return -LX_EBADF;
	p->fd[c->a[0]] = NULL;
	lx_file_put(f);
	return 0;
}

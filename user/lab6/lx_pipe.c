/*
 * lx_pipe.c: pipes (man 7 pipe): pipe2 and x86_64's pipe make a ring
 * buffer of LX_PIPE_SIZE bytes with two open file descriptions, its read
 * end and its write end (struct lx_file, shared by fork and dup). A read
 * of an empty pipe waits (LX_BLOCKED) while a write end is open and is 0
 * (end of file) once none is; a write waits while the pipe is full and is
 * -EPIPE once no read end is open. O_NONBLOCK makes each wait -EAGAIN.
 * Writes of up to LX_PIPE_BUF bytes are atomic (they wait for room for all
 * of them); a longer one moves what fits once anything fits and returns
 * that count, where Linux would wait until every byte is in (a short
 * write, which stdio and careful programs write on from).
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

#define LX_PIPE_MAX  8	  /* pipes linuxd holds at once */
#define LX_PIPE_SIZE 8192 /* bytes a pipe holds (Linux: 65,536) */
#define LX_PIPE_BUF  4096 /* PIPE_BUF: writes this long or shorter are atomic (man 7 pipe) */
#define LX_S_IFIFO   0010000

static struct lx_pipe {
	unsigned readers, writers; /* open descriptions of each end; both 0: free */
	unsigned long head, count; /* the oldest byte's index, the bytes held */
	char buf[LX_PIPE_SIZE];
} pipes[LX_PIPE_MAX];

/* pipe_read: up to n bytes the pipe holds, oldest first, to buf in the program. */
static long pipe_read(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	struct lx_pipe *pi = f->priv;

	if (!n)
		return 0;
	if (!pi->count)
		return !pi->writers ? 0 : f->flags & LX_O_NONBLOCK ? -LX_EAGAIN : LX_BLOCKED;
	n = n < pi->count ? n : pi->count;
	unsigned long k = LX_PIPE_SIZE - pi->head < n ? LX_PIPE_SIZE - pi->head : n;
	if (lx_mem_write(p, buf, pi->buf + pi->head, k) || lx_mem_write(p, buf + k, pi->buf, n - k))
		return -LX_EFAULT;
	pi->head = (pi->head + n) % LX_PIPE_SIZE;
	pi->count -= n;
	return (long)n;
}

/* pipe_write: n bytes from buf in the program into the pipe, or those that fit (above). The
 * process would also get SIGPIPE with -EPIPE on Linux; there are no signals here. */
static long pipe_write(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	struct lx_pipe *pi = f->priv;
	unsigned long room = LX_PIPE_SIZE - pi->count;

	if (!pi->readers)
		return -LX_EPIPE;
	if (!n)
		return 0;
	if (room < (n <= LX_PIPE_BUF ? n : 1))
		return f->flags & LX_O_NONBLOCK ? -LX_EAGAIN : LX_BLOCKED;
	n = n < room ? n : room;
	unsigned long tail = (pi->head + pi->count) % LX_PIPE_SIZE;
	unsigned long k = LX_PIPE_SIZE - tail < n ? LX_PIPE_SIZE - tail : n;
	if (lx_mem_read(p, pi->buf + tail, buf, k) || lx_mem_read(p, pi->buf, buf + k, n - k))
		return -LX_EFAULT;
	pi->count += n;
	return (long)n;
}

/* pipe_wrong_end: a read of the write end, a write of the read end. */
static long pipe_wrong_end(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	(void)p, (void)f, (void)buf, (void)n;
	return -LX_EBADF;
}

/* pipe_fstat: struct stat of a FIFO (S_IFIFO | 0600), one link, LX_PIPE_BUF's block size. */
static long pipe_fstat(struct lx_proc *p, struct lx_file *f, unsigned long st)
{
	unsigned char s[LX_STAT_SIZE] = {0};
	uint32_t mode = LX_S_IFIFO | 0600, nlink = 1, blksize = LX_PIPE_BUF;

	(void)f;
	memcpy(s + LX_STAT_MODE, &mode, 4);
	memcpy(s + LX_STAT_NLINK, &nlink, 4);
	memcpy(s + LX_STAT_BLKSIZE, &blksize, 4);
	return lx_mem_write(p, st, s, sizeof(s));
}

/* pipe_release: an end's last descriptor closed: one description of that end fewer. */
static void pipe_release(struct lx_file *f)
{
	struct lx_pipe *pi = f->priv;

	if ((f->flags & LX_O_ACCMODE) == LX_O_RDONLY)
		pi->readers--;
	else
		pi->writers--;
}

static const struct lx_file_ops read_end = {
    .read = pipe_read,
    .write = pipe_wrong_end,
    .fstat = pipe_fstat,
    .release = pipe_release,
};
static const struct lx_file_ops write_end = {
    .read = pipe_wrong_end,
    .write = pipe_write,
    .fstat = pipe_fstat,
    .release = pipe_release,
};

/* pipe_end: a description of one end (ops, open flags) of pi; NULL when none is left. */
static struct lx_file *pipe_end(struct lx_pipe *pi, const struct lx_file_ops *ops, unsigned flags)
{
	struct lx_file *f = lx_file_new(ops);

	if (f) {
		f->flags = flags;
		f->priv = pi;
		if (ops == &read_end)
			pi->readers++;
		else
			pi->writers++;
	}
	return f;
}

/*
 * pipe2 (int fds[2], flags): a new pipe, its read end at fds[0] and its write end at fds[1],
 * the two lowest free descriptors; flags O_CLOEXEC (each descriptor closed on execve),
 * O_NONBLOCK. 0; -EINVAL other flags, -EMFILE (no free descriptors), -ENFILE (no pipe or
 * description left), -EFAULT (nothing is left open).
 */
LX_HANDLER(pipe2)
{
	unsigned long flags = (unsigned)c->a[1]; /* an int */
	struct lx_pipe *pi = NULL;
	int fds[2];

	if (flags & ~(unsigned long)(LX_O_CLOEXEC | LX_O_NONBLOCK))
		return -LX_EINVAL;
	for (int i = 0; i < LX_PIPE_MAX && !pi; i++)
		if (!pipes[i].readers && !pipes[i].writers)
			pi = &pipes[i];
	if (!pi)
		return -LX_ENFILE;
	pi->head = pi->count = 0;
	unsigned nb = flags & LX_O_NONBLOCK;
	struct lx_file *r = pipe_end(pi, &read_end, LX_O_RDONLY | nb);
	struct lx_file *w = r ? pipe_end(pi, &write_end, LX_O_WRONLY | nb) : NULL;
	if (!w) {
		lx_file_put(r);
		return -LX_ENFILE;
	}
	long fr = lx_fd_install(p, r);
	long fw = fr < 0 ? (lx_file_put(w), fr) : lx_fd_install(p, w);
	if (fw < 0) {
		if (fr >= 0) {
			p->fd[fr] = NULL;
			lx_file_put(r);
		}
		return fw;
	}
	fds[0] = (int)fr, fds[1] = (int)fw;
	if (lx_mem_write(p, c->a[0], fds, sizeof(fds))) {
		p->fd[fr] = p->fd[fw] = NULL;
		lx_file_put(r);
		lx_file_put(w);
		return -LX_EFAULT;
	}
	p->cloexec &= ~(1UL << fr | 1UL << fw);
	if (flags & LX_O_CLOEXEC)
		p->cloexec |= 1UL << fr | 1UL << fw;
	return 0;
}

/* pipe (int fds[2]): pipe2 (fds, 0) (x86_64). */
LX_HANDLER(pipe)
{
	struct lx_call c2 = {.a = {c->a[0], 0}};

	return lx_pipe2(p, &c2);
}

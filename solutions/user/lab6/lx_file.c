// @file lab6
/*
 * lx_file.c: linuxd's file descriptors: each process's table of open file
 * descriptions (struct lx_file, shared by dup and fork as Linux shares a
 * struct file), the console as descriptors 0, 1 and 2, files and
 * directories of lab 5's fsd (a handle, and the description's offset, which
 * fsd does not keep), and the calls on descriptors: openat, read, write,
 * readv, writev, lseek, getdents64, ioctl, fstat, newfstatat, dup, dup3,
 * fcntl, close (and x86_64's open, dup2, stat, lstat). Linux behaviour per
 * man 2 of each; where fsd differs: an unlinked file's open descriptors go
 * stale (-ESTALE) instead of keeping it, and files have no modes or times
 * (stat says 0644 or 0755, times 0).
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

#define LX_IOV_MAX     64   /* iovecs of one writev */
#define LX_FILE_MAX    64   /* open file descriptions linuxd holds at once */
#define LX_FD_LIMIT    1024 /* RLIMIT_NOFILE's soft limit (lx_prlimit64): fcntl's bound */
#define LX_DIRENT_HEAD 19   /* struct linux_dirent64 up to d_name: ino 8, off 8, reclen 2, type 1 */

_Static_assert(LX_FD_MAX <= 32, "struct lx_proc's cloexec has a bit per descriptor");

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

/* fd_set: descriptor fd of p names f (one reference of f's, taken by the caller), close-on-exec
 * when cloexec. */
static void fd_set(struct lx_proc *p, unsigned long fd, struct lx_file *f, bool cloexec)
{
	p->fd[fd] = f;
	p->cloexec = (p->cloexec & ~(1u << fd)) | (uint32_t)cloexec << fd;
}

/* fd_free: p's lowest free descriptor from from on, or -EMFILE. */
static long fd_free(struct lx_proc *p, unsigned long from)
{
	for (unsigned long fd = from; fd < LX_FD_MAX; fd++)
		if (!p->fd[fd])
			return (long)fd;
	return -LX_EMFILE;
}

long lx_fd_install(struct lx_proc *p, struct lx_file *f)
{
	// @lab6 solution
	long fd = fd_free(p, 0);

	if (fd < 0)
		lx_file_put(f);
	else
		fd_set(p, (unsigned long)fd, f, false);
	return fd;
	// @lab6 stub
	// TODO(lab6): exercise 4. Put f (the caller's reference) at p's lowest free descriptor,
	// not close-on-exec, and return it; when none is free, drop the reference (lx_file_put)
	// and return -EMFILE.
	// Hint: fd_free and fd_set do each half.
	(void)p;
	printf("linuxd: lx_fd_install: TODO(lab6) exercise 4\n");
	lx_file_put(f);
	return -LX_ENOSYS;
	// @lab6 end
}

void lx_file_put(struct lx_file *f)
{
	// @lab6 solution
	if (f && !--f->refs && f->ops->release)
		f->ops->release(f);
	// @lab6 stub
	// TODO(lab6): exercise 4. One reference of f (NULL: none) is gone; when it was the last,
	// the description is closed: its release op runs (when it has one; a pipe's end tells the
	// other end) and its slot of files[] is free again (refs 0).
	// Hint: dup, fork and a pipe's two ends each hold references (struct lx_file's refs).
	(void)f;
	printf("linuxd: lx_file_put: TODO(lab6) exercise 4\n");
	// @lab6 end
}

void lx_fd_close_all(struct lx_proc *p)
{
	for (int fd = 0; fd < LX_FD_MAX; fd++) {
		lx_file_put(p->fd[fd]);
		p->fd[fd] = NULL;
	}
	p->cloexec = 0;
}

void lx_fd_exec(struct lx_proc *p)
{
	for (int fd = 0; fd < LX_FD_MAX; fd++)
		if (p->cloexec >> fd & 1) {
			lx_file_put(p->fd[fd]);
			p->fd[fd] = NULL;
		}
	p->cloexec = 0;
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

/* stat_put: struct stat of fsd's stat *st at the program's st_addr: the mode from the type
 * (fsd keeps no permissions: 0644, a directory 0755), a directory's nlink plus one (fsd does
 * not count its "."; Linux's is 2 + its subdirectories), blocks as allocated in 512-byte
 * units (the indirect block counted), times 0. 0; -EFAULT. */
static long stat_put(struct lx_proc *p, unsigned long st_addr, const struct fs_stat *st)
{
	unsigned char s[LX_STAT_SIZE] = {0};
	uint32_t mode = st->type == FS_T_DIR   ? LX_S_IFDIR | 0755
			: st->type == FS_T_DEV ? LX_S_IFCHR | 0666
					       : LX_S_IFREG | 0644;
	uint32_t nlink = st->nlink + (st->type == FS_T_DIR), blksize = FS_BSIZE;
	uint64_t dev = 254 << 8, ino = FS_HANDLE_INUM(st->handle), size = st->size;
	uint64_t blocks = (size + FS_BSIZE - 1) / FS_BSIZE;

	blocks = (blocks + (blocks > FS_NDIRECT)) * (FS_BSIZE / 512);
	memcpy(s + LX_STAT_DEV, &dev, 8);
	memcpy(s + LX_STAT_INO, &ino, 8);
	memcpy(s + LX_STAT_MODE, &mode, 4);
	memcpy(s + LX_STAT_NLINK, &nlink, 4);
	memcpy(s + LX_STAT_BYTES, &size, 8);
	memcpy(s + LX_STAT_BLKSIZE, &blksize, 4);
	memcpy(s + LX_STAT_BLOCKS, &blocks, 8);
	return lx_mem_write(p, st_addr, s, sizeof(s));
}

/* readable, writable: f's access mode allows reading, writing (O_ACCMODE 3 allows neither). */
static bool readable(const struct lx_file *f)
{
	return (f->flags & LX_O_ACCMODE) == LX_O_RDONLY || (f->flags & LX_O_ACCMODE) == LX_O_RDWR;
}

static bool writable(const struct lx_file *f)
{
	return (f->flags & LX_O_ACCMODE) == LX_O_WRONLY || (f->flags & LX_O_ACCMODE) == LX_O_RDWR;
}

/* file_read: up to n bytes at f's offset into the program's buf, the offset moved past them
 * (man 2 read). The bytes read (0 at the end); -EBADF (not open for reading), -EFAULT, fsd's
 * errors (-ESTALE: unlinked since it was opened). */
static long file_read(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	// @lab6 solution
	unsigned long done = 0;

	if (!readable(f))
		return -LX_EBADF;
	while (done < n) {
		unsigned long k = n - done < sizeof(iobuf) ? n - done : sizeof(iobuf);
		long r = fs_read(f->h, f->off, iobuf, k);
		if (r < 0)
			return done ? (long)done : lx_fs_err(r);
		if (r && lx_mem_write(p, buf + done, iobuf, (unsigned long)r))
			return done ? (long)done : -LX_EFAULT;
		f->off += (unsigned long)r;
		done += (unsigned long)r;
		if ((unsigned long)r < k)
			break;
	}
	return (long)done;
	// @lab6 stub
	// TODO(lab6): exercise 4. read(2) on an fsd file: up to n bytes from f's offset (fs_read
	// on f->h) into the program's buf, the offset moved past them; the bytes read, 0 at the
	// end. -EBADF when f is not open for reading (readable), -EFAULT, fsd's errors
	// (lx_fs_err); after some bytes moved, an error ends the read short instead.
	// Hint: fsd keeps no offset: the description does (f->off). Go through iobuf, at most
	// sizeof(iobuf) bytes at a time (lx_mem_write copies to the program); a short fs_read is
	// the end of the file.
	(void)p, (void)f, (void)buf, (void)n, (void)readable;
	printf("linuxd: file_read: TODO(lab6) exercise 4\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* file_write: n bytes of the program's buf at f's offset (with O_APPEND first moved to the
 * end), the offset moved past them (man 2 write). The bytes written; -EBADF (not open for
 * writing), -EFAULT, fsd's errors (-ENOSPC, -EFBIG, -ESTALE). */
static long file_write(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	// @lab6 solution
	unsigned long done = 0;
	struct fs_stat st;
	long r;

	if (!writable(f))
		return -LX_EBADF;
	if (f->flags & LX_O_APPEND) {
		if ((r = fs_fstat(f->h, &st)) < 0)
			return lx_fs_err(r);
		f->off = st.size;
	}
	while (done < n) {
		unsigned long k = n - done < sizeof(iobuf) ? n - done : sizeof(iobuf);
		if (lx_mem_read(p, iobuf, buf + done, k))
			return done ? (long)done : -LX_EFAULT;
		if ((r = fs_write(f->h, f->off, iobuf, k)) < 0)
			return done ? (long)done : lx_fs_err(r);
		f->off += (unsigned long)r;
		done += (unsigned long)r;
		if ((unsigned long)r < k)
			break;
	}
	return (long)done;
	// @lab6 stub
	// TODO(lab6): exercise 4. write(2) on an fsd file: n bytes of the program's buf at f's
	// offset (fs_write on f->h), the offset moved past them; with O_APPEND in f->flags the
	// offset first moves to the file's end (fs_fstat's size). The bytes written; -EBADF when
	// f is not open for writing (writable), -EFAULT, fsd's errors (lx_fs_err); after some
	// bytes moved, an error ends the write short instead.
	// Hint: file_read's loop the other way (lx_mem_read from the program into iobuf first).
	(void)p, (void)f, (void)buf, (void)n, (void)writable;
	printf("linuxd: file_write: TODO(lab6) exercise 4\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* file_fstat: f's struct stat at st (stat_put); fsd's errors. */
static long file_fstat(struct lx_proc *p, struct lx_file *f, unsigned long st)
{
	struct fs_stat s;
	long r = fs_fstat(f->h, &s);

	return r < 0 ? lx_fs_err(r) : stat_put(p, st, &s);
}

/* dir_read, dir_write: a directory is read by getdents64 (read: -EISDIR) and open only for
 * reading (write: -EBADF). */
static long dir_read(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	(void)p, (void)f, (void)buf, (void)n;
	return -LX_EISDIR;
}

static long dir_write(struct lx_proc *p, struct lx_file *f, unsigned long buf, unsigned long n)
{
	(void)p, (void)f, (void)buf, (void)n;
	return -LX_EBADF;
}

static const struct lx_file_ops file_ops = {
    .read = file_read,
    .write = file_write,
    .fstat = file_fstat,
};

static const struct lx_file_ops dir_ops = {
    .read = dir_read,
    .write = dir_write,
    .fstat = file_fstat,
};

bool lx_file_dir(const struct lx_file *f)
{
	return f->ops == &dir_ops;
}

/* open_at: openat's work (man 2 open) for file the program's path relative to dirfd with
 * flags: fsd's file opened, created (O_CREAT, when missing; O_EXCL: only then), truncated
 * (O_TRUNC), at p's lowest free descriptor (close-on-exec with O_CLOEXEC). That descriptor;
 * -EMFILE, -ENFILE (nothing changed then), -EEXIST, -EISDIR (a directory opened for writing
 * or with O_CREAT; a new name with a trailing '/'), -ENOTDIR (O_DIRECTORY or a trailing '/' on
 * a file), lx_path's and fsd's errors. */
static long open_at(struct lx_proc *p, int dirfd, unsigned long upath, unsigned long flags)
{
	char path[FS_PATH_MAX];
	unsigned how;
	struct fs_stat st = {.type = FS_T_FILE};
	struct lx_file *f;
	fs_handle_t h;
	long fd, r = lx_path(p, dirfd, upath, path, &how);

	if (r < 0 || (fd = fd_free(p, 0)) < 0)
		return r < 0 ? r : fd;
	if (!(f = lx_file_new(&file_ops)))
		return -LX_ENFILE;
	f->flags =
	    (unsigned)(flags & (LX_O_ACCMODE | LX_O_APPEND | LX_O_NONBLOCK | LX_O_DIRECTORY)) |
	    LX_O_LARGEFILE;
	r = fs_open(path, &h, &st);
	if (r == 0 && (flags & (LX_O_CREAT | LX_O_EXCL)) == (LX_O_CREAT | LX_O_EXCL))
		r = -LX_EEXIST;
	else if (r == 0 && st.type == FS_T_DIR &&
		 ((flags & LX_O_ACCMODE) != LX_O_RDONLY || flags & (LX_O_CREAT | LX_O_TRUNC)))
		r = -LX_EISDIR;
	else if (r == 0 && st.type != FS_T_DIR && (flags & LX_O_DIRECTORY || how & LX_PATH_SLASH))
		r = -LX_ENOTDIR;
	else if (r == -LX_ENOENT && flags & LX_O_CREAT)
		r = how & LX_PATH_SLASH ? -LX_EISDIR : fs_create(path, &h);
	else if (r == 0 && st.type == FS_T_FILE && flags & LX_O_TRUNC && st.size)
		r = fs_create(path, &h); /* fsd's create truncates an existing file */
	if (r < 0) {
		lx_file_put(f);
		return lx_fs_err(r);
	}
	if (st.type == FS_T_DIR)
		f->ops = &dir_ops;
	f->h = h;
	memcpy(f->path, path, sizeof(path));
	fd_set(p, (unsigned long)fd, f, flags & LX_O_CLOEXEC);
	return fd;
}

/* openat (dirfd, path, flags, mode): open_at (mode ignored: fsd keeps none). */
LX_HANDLER(openat)
{
	return open_at(p, (int)c->a[0], c->a[1], c->a[2]);
}

/* open (path, flags, mode): x86_64's openat (AT_FDCWD, path, flags, mode). */
LX_HANDLER(open)
{
	return open_at(p, LX_AT_FDCWD, c->a[0], c->a[1]);
}

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

/* iov_each: readv's or writev's work (man 2 readv): fd's read or write on each struct iovec
 * {void *base; size_t len;} of the iovcnt at iov in turn, up to the first short one. The bytes
 * moved; -EBADF, -EINVAL (iovcnt over LX_IOV_MAX, or no such op), -EFAULT, the op's error when
 * nothing moved. */
static long iov_each(struct lx_proc *p, struct lx_call *c, bool write)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);
	unsigned long iov[2 * LX_IOV_MAX], cnt = c->a[2];
	long total = 0;

	if (!f)
		return -LX_EBADF;
	if (!(write ? f->ops->write : f->ops->read) || cnt > LX_IOV_MAX)
		return -LX_EINVAL;
	if (lx_mem_read(p, iov, c->a[1], cnt * 2 * sizeof(long)))
		return -LX_EFAULT;
	for (unsigned long i = 0; i < cnt; i++) {
		long r = (write ? f->ops->write : f->ops->read)(p, f, iov[2 * i], iov[2 * i + 1]);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((unsigned long)r < iov[2 * i + 1])
			break;
	}
	return total;
}

LX_HANDLER(writev)
{
	return iov_each(p, c, true);
}

LX_HANDLER(readv)
{
	return iov_each(p, c, false);
}

/* lseek (fd, off, whence): f's offset set to off from the start (SEEK_SET), the offset
 * (SEEK_CUR) or the end (SEEK_END) of an fsd file or directory. The new offset; -EBADF,
 * -ESPIPE (the console, a pipe), -EINVAL (whence, or a result below 0 or past LONG_MAX),
 * fsd's errors. */
LX_HANDLER(lseek)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);
	long off = (long)c->a[1], base = 0;
	struct fs_stat st;

	if (!f)
		return -LX_EBADF;
	if (f->ops != &file_ops && f->ops != &dir_ops)
		return -LX_ESPIPE;
	if (c->a[2] == LX_SEEK_CUR) {
		base = (long)f->off;
	} else if (c->a[2] == LX_SEEK_END) {
		long r = fs_fstat(f->h, &st);
		if (r < 0)
			return lx_fs_err(r);
		base = (long)st.size;
	} else if (c->a[2] != LX_SEEK_SET) {
		return -LX_EINVAL;
	}
	if (off < -base || off > (long)(~0UL >> 1) - base) /* before the start; past any offset */
		return -LX_EINVAL;
	f->off = (unsigned long)(base + off);
	return (long)f->off;
}

/* getdents64 (fd, dirp, count): directory fd's entries from its offset (fsd's readdir cookie)
 * on, as struct linux_dirent64 {u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char
 * d_name[];} records of reclen bytes (a multiple of 8), as many as fit count bytes (at most
 * KIT_TASK_MEM_MAX); the offset moves past them (man 2 getdents). The bytes filled, 0 at the
 * end; -EBADF, -ENOTDIR (not a directory), -EINVAL (count too small for the next entry),
 * -EFAULT, fsd's errors. */
LX_HANDLER(getdents64)
{
	struct lx_file *f = lx_fd_file(p, c->a[0]);
	unsigned long n = c->a[2] < sizeof(iobuf) ? c->a[2] : sizeof(iobuf), used = 0;
	unsigned long cookie, next;
	struct fs_entry e;
	long r;

	if (!f)
		return -LX_EBADF;
	if (f->ops != &dir_ops)
		return -LX_ENOTDIR;
	for (cookie = next = f->off; (r = fs_readdir(f->h, &next, &e)) > 0; cookie = next) {
		uint64_t ino = e.inum, doff = next;
		uint16_t len = (uint16_t)((LX_DIRENT_HEAD + strlen(e.name) + 1 + 7) & ~7UL);
		if (used + len > n)
			break;
		char *d = iobuf + used;
		memset(d, 0, len);
		memcpy(d, &ino, 8);
		memcpy(d + 8, &doff, 8);
		memcpy(d + 16, &len, 2);
		d[18] = e.type == FS_T_DIR ? LX_DT_DIR : e.type == FS_T_DEV ? LX_DT_CHR : LX_DT_REG;
		memcpy(d + LX_DIRENT_HEAD, e.name, strlen(e.name));
		used += len;
	}
	if (!used && r > 0)
		return -LX_EINVAL;
	if (!used && r < 0)
		return lx_fs_err(r);
	if (used && lx_mem_write(p, c->a[1], iobuf, used))
		return -LX_EFAULT;
	f->off = cookie;
	return (long)used;
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

/* newfstatat (dirfd, path, st, flags): path's struct stat (stat_put) at st; with
 * AT_EMPTY_PATH and path "", dirfd's own (fstat's; AT_FDCWD: the working directory's);
 * AT_SYMLINK_NOFOLLOW changes nothing (fsd has no symbolic links). 0; -EINVAL (flags),
 * -ENOTDIR (a trailing '/' on a file), -EFAULT, lx_path's and fsd's errors. */
LX_HANDLER(newfstatat)
{
	char path[FS_PATH_MAX], path0 = 1;
	unsigned how;
	struct fs_stat st;
	long r;

	if (c->a[3] &
	    ~(unsigned long)(LX_AT_EMPTY_PATH | LX_AT_SYMLINK_NOFOLLOW | LX_AT_NO_AUTOMOUNT))
		return -LX_EINVAL;
	if (c->a[3] & LX_AT_EMPTY_PATH) {
		struct lx_call fc = {.a = {c->a[0], c->a[2]}};
		if (lx_mem_read(p, &path0, c->a[1], 1))
			return -LX_EFAULT;
		if (!path0 && (int)c->a[0] != LX_AT_FDCWD)
			return lx_fstat(p, &fc);
	}
	if (c->a[3] & LX_AT_EMPTY_PATH && !path0)
		memcpy(path, p->cwd, sizeof(path)), how = 0; /* AT_FDCWD's own: the working dir */
	else if ((r = lx_path(p, (int)c->a[0], c->a[1], path, &how)) < 0)
		return r;
	if ((r = fs_stat(path, &st)) < 0)
		return lx_fs_err(r);
	if (st.type != FS_T_DIR && how & LX_PATH_SLASH)
		return -LX_ENOTDIR;
	return stat_put(p, c->a[2], &st);
}

/* stat (path, st), lstat (path, st): x86_64's newfstatat (AT_FDCWD, path, st, 0 or
 * AT_SYMLINK_NOFOLLOW). */
LX_HANDLER(stat)
{
	struct lx_call at = {.a = {(unsigned long)LX_AT_FDCWD, c->a[0], c->a[1], 0}};

	return lx_newfstatat(p, &at);
}

LX_HANDLER(lstat)
{
	struct lx_call at = {
	    .a = {(unsigned long)LX_AT_FDCWD, c->a[0], c->a[1], LX_AT_SYMLINK_NOFOLLOW}};

	return lx_newfstatat(p, &at);
}

/* dup_from: fd's description also at p's lowest free descriptor from from on, close-on-exec
 * when cloexec. That descriptor; -EBADF, -EMFILE. */
static long dup_from(struct lx_proc *p, unsigned long fd, unsigned long from, bool cloexec)
{
	// @lab6 solution
	struct lx_file *f = lx_fd_file(p, fd);
	long nfd = f ? fd_free(p, from) : -LX_EBADF;

	if (nfd >= 0) {
		f->refs++;
		fd_set(p, (unsigned long)nfd, f, cloexec);
	}
	return nfd;
	// @lab6 stub
	// TODO(lab6): exercise 4. dup's core: fd's description (lx_fd_file) also at p's lowest
	// free descriptor from from on (fd_free), close-on-exec when cloexec; one more reference
	// on it. That descriptor; -EBADF (fd not open), -EMFILE.
	// Hint: validate before you change anything (man 2 dup).
	(void)p, (void)fd, (void)from, (void)cloexec;
	printf("linuxd: dup_from: TODO(lab6) exercise 4\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* dup (fd): man 2 dup. The new descriptor; -EBADF, -EMFILE. */
LX_HANDLER(dup)
{
	return dup_from(p, c->a[0], 0, false);
}

/* dup3 (old, new, flags): old's description also at new (closed first when open), with
 * FD_CLOEXEC when flags holds O_CLOEXEC (man 2 dup3). new; -EINVAL (other flags, or old ==
 * new), -EBADF (old not open, new out of range). */
LX_HANDLER(dup3)
{
	// @lab6 solution
	struct lx_file *f = lx_fd_file(p, c->a[0]);
	unsigned long nfd = c->a[1];

	if (c->a[2] & ~(unsigned long)LX_O_CLOEXEC)
		return -LX_EINVAL;
	if (!f || nfd >= LX_FD_MAX)
		return -LX_EBADF;
	if (nfd == c->a[0])
		return -LX_EINVAL;
	f->refs++;
	lx_file_put(p->fd[nfd]);
	fd_set(p, nfd, f, c->a[2] & LX_O_CLOEXEC);
	return (long)nfd;
	// @lab6 stub
	// TODO(lab6): exercise 4. dup3 (old c->a[0], new c->a[1], flags c->a[2]), man 2 dup3: old's
	// description also at new, whose own description (when open) loses that reference first;
	// close-on-exec when flags holds O_CLOEXEC. new; -EINVAL (flags other than O_CLOEXEC, or
	// old == new), -EBADF (old not open, new not below LX_FD_MAX).
	// Hint: take the new reference before dropping new's old one: old's and new's may be
	// the same description.
	(void)p, (void)c;
	printf("linuxd: dup3: TODO(lab6) exercise 4\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* dup2 (old, new): x86_64's: dup3 (old, new, 0), but old == new is new itself when old is
 * open (-EBADF when not). */
LX_HANDLER(dup2)
{
	struct lx_call d3 = {.a = {c->a[0], c->a[1], 0}};

	if (c->a[0] == c->a[1])
		return lx_fd_file(p, c->a[0]) ? (long)c->a[1] : -LX_EBADF;
	return lx_dup3(p, &d3);
}

/* fcntl (fd, cmd, arg), man 2 fcntl: F_DUPFD and F_DUPFD_CLOEXEC (the lowest free descriptor
 * from arg on: it, -EINVAL arg past RLIMIT_NOFILE, -EMFILE), F_GETFD (FD_CLOEXEC or 0),
 * F_SETFD (0), F_GETFL (the description's access mode and status flags), F_SETFL (its
 * O_APPEND and O_NONBLOCK from arg: 0). -EBADF; -EINVAL any other cmd. */
LX_HANDLER(fcntl)
{
	unsigned long fd = c->a[0], arg = c->a[2];
	struct lx_file *f = lx_fd_file(p, fd);
	const unsigned settable = LX_O_APPEND | LX_O_NONBLOCK;

	if (!f)
		return -LX_EBADF;
	switch (c->a[1]) {
	case LX_F_DUPFD:
	case LX_F_DUPFD_CLOEXEC:
		if (arg >= LX_FD_LIMIT)
			return -LX_EINVAL;
		return dup_from(p, fd, arg, c->a[1] == LX_F_DUPFD_CLOEXEC);
	case LX_F_GETFD:
		return p->cloexec >> fd & 1 ? LX_FD_CLOEXEC : 0;
	case LX_F_SETFD:
		fd_set(p, fd, f, arg & LX_FD_CLOEXEC);
		return 0;
	case LX_F_GETFL:
		return f->flags;
	case LX_F_SETFL:
		f->flags = (f->flags & ~settable) | ((unsigned)arg & settable);
		return 0;
	}
	return -LX_EINVAL;
}

LX_HANDLER(close)
{
	// @lab6 solution
	struct lx_file *f = lx_fd_file(p, c->a[0]);

	if (!f)
		return -LX_EBADF;
	fd_set(p, c->a[0], NULL, false);
	lx_file_put(f);
	return 0;
	// @lab6 stub
	// TODO(lab6): exercise 4. close (fd c->a[0]), man 2 close: the descriptor is free (and
	// not close-on-exec), and its description loses that reference. 0; -EBADF.
	// Hint: lx_fd_file, fd_set, lx_file_put.
	(void)p, (void)c;
	printf("linuxd: close: TODO(lab6) exercise 4\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/*
 * lx_path.c: a Linux program's paths over lab 5's fsd, which knows only
 * absolute paths: lx_path turns a program's path (relative to its working
 * directory or to a directory descriptor, with "." and "..") into one, as
 * path_resolution(7) says; and the calls on names (mkdirat, unlinkat,
 * linkat, chdir, getcwd, faccessat, faccessat2, and x86_64's mkdir,
 * unlink, rmdir, link, access). fsd has no hard links: linkat is -EPERM,
 * what Linux answers on a file system without them (man 2 link).
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/syscall.h"

#define LX_PATH_MAX 4096 /* bytes of a path with its NUL (Linux's PATH_MAX) */
#define LX_NAME_MAX 255	 /* bytes of one component (Linux's NAME_MAX) */
#define LX_PATH_RD  64	 /* bytes of the program's string read at a time */

static char upath[LX_PATH_MAX];

long lx_fs_err(long r)
{
	return r == -LX_EPIPE ? -LX_EIO : r;
}

/* path_read: the NUL-terminated string at the program's addr into upath, read a piece at a time
 * never across a page (the string may end just before an unmapped one). Its length; -EFAULT,
 * -ENAMETOOLONG (no NUL in LX_PATH_MAX bytes). */
static long path_read(struct lx_proc *p, unsigned long addr)
{
	for (unsigned long n = 0, k; n < sizeof(upath); n += k) {
		k = LX_PAGESZ - (addr + n) % LX_PAGESZ;
		k = k < LX_PATH_RD ? k : LX_PATH_RD;
		k = k < sizeof(upath) - n ? k : sizeof(upath) - n;
		if (lx_mem_read(p, upath + n, addr + n, k))
			return -LX_EFAULT;
		for (unsigned long i = n; i < n + k; i++)
			if (!upath[i])
				return (long)i;
	}
	return -LX_ENAMETOOLONG;
}

/* up: out (len bytes, "" the root) without its last component, for a ".."; the directory it
 * leaves must exist (fsd's -ENOENT) and be one (-ENOTDIR). The new length, or the error. */
static long up(char *out, size_t len)
{
	struct fs_stat st;

	if (!len)
		return 0; /* "/.." is "/" */
	out[len] = '\0';
	long r = fs_stat(out, &st);
	if (r < 0)
		return lx_fs_err(r);
	if (st.type != FS_T_DIR)
		return -LX_ENOTDIR;
	while (out[--len] != '/')
		;
	return (long)len;
}

long lx_path(struct lx_proc *p, int dirfd, unsigned long addr, char *out, unsigned *how)
{
	long n = path_read(p, addr), len = 0;
	const char *base = p->cwd;

	if (n <= 0)
		return n ? n : -LX_ENOENT;
	if (upath[0] != '/' && dirfd != LX_AT_FDCWD) {
		struct lx_file *f = lx_fd_file(p, (unsigned long)(long)dirfd);
		if (!f)
			return -LX_EBADF;
		if (!lx_file_dir(f))
			return -LX_ENOTDIR;
		base = f->path;
	}
	if (upath[0] != '/' && strcmp(base, "/") != 0) {
		len = (long)strlen(base);
		memcpy(out, base, (size_t)len);
	}
	*how = upath[n - 1] == '/' ? LX_PATH_SLASH : 0;
	for (const char *s = upath, *e; *s; s = e) {
		while (*s == '/')
			s++;
		for (e = s; *e && *e != '/'; e++)
			;
		size_t k = (size_t)(e - s);
		if (!k)
			break;
		*how &= LX_PATH_SLASH;
		if (k > LX_NAME_MAX)
			return -LX_ENAMETOOLONG;
		if (k == 1 && s[0] == '.') {
			*how |= LX_PATH_DOT;
		} else if (k == 2 && s[0] == '.' && s[1] == '.') {
			*how |= LX_PATH_DOTDOT;
			if ((len = up(out, (size_t)len)) < 0)
				return len;
		} else {
			if (len + 1 + (long)k >= FS_PATH_MAX)
				return -LX_ENAMETOOLONG;
			out[len++] = '/';
			memcpy(out + len, s, k);
			len += (long)k;
		}
	}
	if (!len)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

/* stat_dir: 0 when path names a directory; fsd's error, or -ENOTDIR. */
static long stat_dir(const char *path)
{
	struct fs_stat st;
	long r = fs_stat(path, &st);

	if (r < 0)
		return lx_fs_err(r);
	return st.type == FS_T_DIR ? 0 : -LX_ENOTDIR;
}

/* mkdirat (dirfd, path, mode): a new empty directory (mode ignored: fsd keeps none). 0;
 * lx_path's errors, -EEXIST, -ENOENT (no parent), -ENOTDIR, -ENOSPC. */
LX_HANDLER(mkdirat)
{
	char path[FS_PATH_MAX];
	unsigned how;
	long r = lx_path(p, (int)c->a[0], c->a[1], path, &how);

	return r < 0 ? r : lx_fs_err(fs_mkdir(path));
}

/* mkdir (path, mode): x86_64's mkdirat (AT_FDCWD, path, mode). */
LX_HANDLER(mkdir)
{
	struct lx_call at = {.a = {(unsigned long)LX_AT_FDCWD, c->a[0], c->a[1]}};

	return lx_mkdirat(p, &at);
}

/* unlinkat (dirfd, path, flags): remove the name; with AT_REMOVEDIR an empty directory (man 2
 * rmdir), else a file (man 2 unlink). 0; -EINVAL (other flags; rmdir of "."), -ENOTEMPTY (a
 * directory with entries; rmdir of ".."), -EISDIR (unlink of a directory), -ENOTDIR (rmdir of
 * a file; a file named with a trailing '/'), -EBUSY (rmdir of "/"), lx_path's errors. */
LX_HANDLER(unlinkat)
{
	char path[FS_PATH_MAX];
	unsigned how;
	bool rmdir = c->a[2] & LX_AT_REMOVEDIR;
	struct fs_stat st;
	long r;

	if (c->a[2] & ~(unsigned long)LX_AT_REMOVEDIR)
		return -LX_EINVAL;
	if ((r = lx_path(p, (int)c->a[0], c->a[1], path, &how)) < 0)
		return r;
	if ((r = fs_stat(path, &st)) < 0)
		return lx_fs_err(r);
	if (rmdir && how & LX_PATH_DOT)
		return -LX_EINVAL;
	if (rmdir && how & LX_PATH_DOTDOT)
		return -LX_ENOTEMPTY;
	if (rmdir && st.type != FS_T_DIR)
		return -LX_ENOTDIR;
	if (rmdir && strcmp(path, "/") == 0)
		return -LX_EBUSY;
	if (!rmdir && st.type == FS_T_DIR)
		return -LX_EISDIR;
	if (!rmdir && how & LX_PATH_SLASH)
		return -LX_ENOTDIR;
	return lx_fs_err(fs_unlink(path));
}

/* unlink (path), rmdir (path): x86_64's unlinkat (AT_FDCWD, path, 0 or AT_REMOVEDIR). */
LX_HANDLER(unlink)
{
	struct lx_call at = {.a = {(unsigned long)LX_AT_FDCWD, c->a[0], 0}};

	return lx_unlinkat(p, &at);
}

LX_HANDLER(rmdir)
{
	struct lx_call at = {.a = {(unsigned long)LX_AT_FDCWD, c->a[0], LX_AT_REMOVEDIR}};

	return lx_unlinkat(p, &at);
}

/* linkat (olddirfd, old, newdirfd, new, flags): fsd has no hard links: -EPERM once both names
 * check out (man 2 link: "the file system ... does not support the creation of hard links").
 * -EINVAL (flags), -EEXIST (new exists), -EPERM (old is a directory, or any link), -ENOTDIR,
 * lx_path's errors, fsd's for a missing old or new's missing directory. */
LX_HANDLER(linkat)
{
	char old[FS_PATH_MAX], path[FS_PATH_MAX];
	unsigned how;
	struct fs_stat st;
	long r;

	if (c->a[4] & ~(unsigned long)(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
		return -LX_EINVAL;
	if ((r = lx_path(p, (int)c->a[0], c->a[1], old, &how)) < 0 ||
	    (r = lx_fs_err(fs_stat(old, &st))) < 0)
		return r;
	if ((r = lx_path(p, (int)c->a[2], c->a[3], path, &how)) < 0)
		return r;
	if ((r = fs_stat(path, &st)) != -LX_ENOENT)
		return r < 0 ? lx_fs_err(r) : -LX_EEXIST;
	size_t k = strlen(path);
	while (path[--k] != '/') /* its directory must exist */
		;
	path[k ? k : 1] = '\0';
	r = stat_dir(path);
	return r < 0 ? r : -LX_EPERM;
}

/* link (old, new): x86_64's linkat (AT_FDCWD, old, AT_FDCWD, new, 0). */
LX_HANDLER(link)
{
	struct lx_call at = {
	    .a = {(unsigned long)LX_AT_FDCWD, c->a[0], (unsigned long)LX_AT_FDCWD, c->a[1], 0}};

	return lx_linkat(p, &at);
}

/* chdir (path): p's working directory becomes path. 0; -ENOTDIR (not a directory), lx_path's
 * and fsd's errors. */
LX_HANDLER(chdir)
{
	char path[FS_PATH_MAX];
	unsigned how;
	long r = lx_path(p, LX_AT_FDCWD, c->a[0], path, &how);

	if (r < 0 || (r = stat_dir(path)) < 0)
		return r;
	memcpy(p->cwd, path, sizeof(path));
	return 0;
}

/* getcwd (buf, size): the working directory into buf; its length with the NUL (the system
 * call's result, not the libc function's); -ERANGE (size too small), -EFAULT. */
LX_HANDLER(getcwd)
{
	unsigned long n = strlen(p->cwd) + 1;

	if (c->a[1] < n)
		return -LX_ERANGE;
	return lx_mem_write(p, c->a[0], p->cwd, n) ? -LX_EFAULT : (long)n;
}

/* faccessat2 (dirfd, path, mode, flags): 0 when path exists and allows mode to root (the only
 * user): anything but X_OK on a file, whose 0644 has no execute bit (man 2 access: X_OK is
 * granted a privileged process only with some execute bit); AT_EACCESS and AT_SYMLINK_NOFOLLOW
 * change nothing here. -EINVAL (mode, flags), -EACCES, -ENOTDIR, lx_path's and fsd's errors. */
LX_HANDLER(faccessat2)
{
	char path[FS_PATH_MAX];
	unsigned how;
	struct fs_stat st;
	long r;

	if (c->a[2] & ~7UL || c->a[3] & ~(unsigned long)(LX_AT_EACCESS | LX_AT_SYMLINK_NOFOLLOW))
		return -LX_EINVAL;
	if ((r = lx_path(p, (int)c->a[0], c->a[1], path, &how)) < 0 ||
	    (r = lx_fs_err(fs_stat(path, &st))) < 0)
		return r;
	if (st.type != FS_T_DIR && how & LX_PATH_SLASH)
		return -LX_ENOTDIR;
	return st.type == FS_T_FILE && c->a[2] & LX_X_OK ? -LX_EACCES : 0;
}

/* faccessat (dirfd, path, mode): faccessat2 (dirfd, path, mode, 0). */
LX_HANDLER(faccessat)
{
	struct lx_call at = {.a = {c->a[0], c->a[1], c->a[2], 0}};

	return lx_faccessat2(p, &at);
}

/* access (path, mode): x86_64's faccessat (AT_FDCWD, path, mode). */
LX_HANDLER(access)
{
	struct lx_call at = {.a = {(unsigned long)LX_AT_FDCWD, c->a[0], c->a[1], 0}};

	return lx_faccessat2(p, &at);
}

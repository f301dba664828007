/*
 * fsops.c: the operations of lab 5's file system (fscore.h), the server's
 * side of kit/fsclient.h: each one validates its arguments, then runs as
 * one operation of the log (begin_op .. end_op), so it is on disk when it
 * returns. A handle is checked against its inode's generation (-ESTALE).
 * Entry points: fs_mount, fsop_*.
 */
#include "fscore.h"

/* fs_mount: read the superblock, recover the log (replay a committed transaction). 0; -EINVAL
 * when block 1 is not a superblock of this format. */
int fs_mount(void)
{
	bcache_init();
	struct buf *bp = bread(1);
	memcpy(&sb, bp->data, sizeof(sb));
	brelse(bp);
	if (sb.magic != FS_MAGIC || sb.ninodes < 2 || sb.nlog < MAXOPBLOCKS)
		return -EINVAL;
	log_init(&sb);
	return 0;
}

/* path_ok: 0 when path is absolute and shorter than FS_PATH_MAX; else -EINVAL or -ENAMETOOLONG. */
static int path_ok(const char *path)
{
	size_t n = 0;

	while (n < FS_PATH_MAX && path[n])
		n++;
	if (n == FS_PATH_MAX)
		return -ENAMETOOLONG;
	return path[0] == '/' ? 0 : -EINVAL;
}

/* handle_inode: the inode handle h names into *ip. 0; -EINVAL (inode number 0 or out of
 * range), -ESTALE (free, or allocated again since: another generation). */
static int handle_inode(fs_handle_t h, struct inode *ip)
{
	uint32_t inum = FS_HANDLE_INUM(h);

	if (inum < FS_ROOTINO || inum >= sb.ninodes || h >> 48)
		return -EINVAL;
	iget(inum, ip);
	if (ip->d.type == FS_T_FREE || INODE_GEN(ip) != FS_HANDLE_GEN(h))
		return -ESTALE;
	return 0;
}

/* stat_of: ip's stat into *st (unless NULL). */
static void stat_of(struct inode *ip, struct fs_stat *st)
{
	if (!st)
		return;
	st->handle = FS_HANDLE(ip->inum, INODE_GEN(ip));
	st->type = (unsigned)ip->d.type;
	st->nlink = (unsigned)ip->d.nlink;
	st->size = ip->d.size;
}

/* fsop_open: kit/fsclient.h's FS_OPEN: path's stat (and handle) into *st. 0; namei's errors. */
long fsop_open(const char *path, struct fs_stat *st)
{
	struct inode ip;
	long r = path_ok(path);

	if (!r)
		r = namei(path, &ip);
	if (!r)
		stat_of(&ip, st);
	return r;
}

/* create: a new inode of type named path, its stat into *st (unless NULL); a directory gets "."
 * and ".." (its parent's link count counts ".."). Inside an operation. 0; -EEXIST (the name
 * exists: for FS_T_FILE an existing file is truncated instead, -EISDIR a directory), -ENOSPC,
 * nameiparent's errors. */
static long create(const char *path, int16_t type, struct fs_stat *st)
{
	char name[FS_DIRSIZ + 1];
	struct inode dp, ip;
	long r = nameiparent(path, &dp, name);

	if (r)
		return r;
	uint32_t inum = dirlookup(&dp, name, NULL);
	if (inum) {
		iget(inum, &ip);
		if (type != FS_T_FILE)
			return -EEXIST;
		if (ip.d.type != FS_T_FILE)
			return -EISDIR;
		itrunc(&ip);
		stat_of(&ip, st);
		return 0;
	}
	if ((r = ialloc(type, &ip)))
		return r;
	ip.d.nlink = 1;
	iupdate(&ip);
	if (type == FS_T_DIR && (dirlink(&ip, ".", ip.inum) || dirlink(&ip, "..", dp.inum)))
		fs_panic("create: no room for . and ..");
	if ((r = dirlink(&dp, name, ip.inum))) {
		ip.d.nlink = 0; /* undo: free the inode again (with its blocks) */
		itrunc(&ip);
		ip.d.type = FS_T_FREE;
		iupdate(&ip);
		return r;
	}
	if (type == FS_T_DIR) {
		dp.d.nlink++; /* the new directory's ".." */
		iupdate(&dp);
	}
	stat_of(&ip, st);
	return 0;
}

/* fsop_create: kit/fsclient.h's FS_CREATE: a new empty file path (an existing one truncated),
 * its stat into *st. 0; -EISDIR, -ENOSPC, nameiparent's errors. */
long fsop_create(const char *path, struct fs_stat *st)
{
	long r = path_ok(path);

	if (r)
		return r;
	begin_op();
	r = create(path, FS_T_FILE, st);
	end_op();
	return r;
}

/* fsop_mkdir: kit/fsclient.h's FS_MKDIR: a new empty directory path. 0; -EEXIST, -ENOSPC,
 * nameiparent's errors. */
long fsop_mkdir(const char *path)
{
	long r = path_ok(path);

	if (r)
		return r;
	begin_op();
	r = create(path, FS_T_DIR, NULL);
	end_op();
	return r;
}

/* dir_empty: whether directory dp holds no entry but "." and "..". */
static int dir_empty(struct inode *dp)
{
	struct fs_dirent de;

	for (uint32_t off = 2 * sizeof(de); off < dp->d.size; off += sizeof(de)) {
		if (readi(dp, &de, off, sizeof(de)) != sizeof(de))
			fs_panic("dir_empty: a short directory");
		if (de.inum)
			return 0;
	}
	return 1;
}

/* unlink: remove path's entry; the inode loses a link, and is freed with its blocks at the last.
 * Inside an operation. 0; -EBUSY ".", ".." or "/", -ENOENT, -ENOTEMPTY, nameiparent's errors. */
static long unlink(const char *path)
{
	char name[FS_DIRSIZ + 1];
	struct inode dp, ip;
	struct fs_dirent de;
	uint32_t off;
	long r = nameiparent(path, &dp, name);

	if (r)
		return r;
	if (!memcmp(name, ".", 2) || !memcmp(name, "..", 3))
		return -EBUSY;
	uint32_t inum = dirlookup(&dp, name, &off);
	if (!inum)
		return -ENOENT;
	iget(inum, &ip);
	if (ip.d.type == FS_T_DIR && !dir_empty(&ip))
		return -ENOTEMPTY;
	memset(&de, 0, sizeof(de));
	if (writei(&dp, &de, off, sizeof(de)) != sizeof(de))
		fs_panic("unlink: writing the entry");
	if (ip.d.type == FS_T_DIR) {
		dp.d.nlink--; /* its ".." */
		iupdate(&dp);
	}
	if (--ip.d.nlink > 0) {
		iupdate(&ip);
		return 0;
	}
	itrunc(&ip);
	ip.d.type = FS_T_FREE; /* the generation (minor) stays: the next ialloc adds one */
	iupdate(&ip);
	return 0;
}

/* fsop_unlink: kit/fsclient.h's FS_UNLINK. 0; unlink's errors. */
long fsop_unlink(const char *path)
{
	long r = path_ok(path);

	if (r)
		return r;
	begin_op();
	r = unlink(path);
	end_op();
	return r;
}

/* fsop_stat: kit/fsclient.h's FS_STAT: h's stat into *st. 0; -EINVAL, -ESTALE. */
long fsop_stat(fs_handle_t h, struct fs_stat *st)
{
	struct inode ip;
	long r = handle_inode(h, &ip);

	if (!r)
		stat_of(&ip, st);
	return r;
}

/* fsop_read: kit/fsclient.h's FS_READ: up to n bytes (at most FS_IO_MAX) of h's data at byte
 * offset off into buf. The bytes read; -EINVAL, -ESTALE, -EISDIR. */
long fsop_read(fs_handle_t h, unsigned long off, void *buf, unsigned long n)
{
	struct inode ip;
	long r = n > FS_IO_MAX ? -EINVAL : handle_inode(h, &ip);

	if (r)
		return r;
	if (ip.d.type == FS_T_DIR)
		return -EISDIR;
	if (off >= ip.d.size)
		return 0;
	return readi(&ip, buf, (uint32_t)off, (uint32_t)n);
}

/* fsop_write: kit/fsclient.h's FS_WRITE: n bytes (at most FS_IO_MAX) from buf at byte offset
 * off of h's data, one transaction. The bytes written; -EINVAL, -ESTALE, -EISDIR, -EFBIG,
 * -ENOSPC. */
long fsop_write(fs_handle_t h, unsigned long off, const void *buf, unsigned long n)
{
	struct inode ip;
	long r = n > FS_IO_MAX ? -EINVAL : handle_inode(h, &ip);

	if (r)
		return r;
	if (ip.d.type == FS_T_DIR)
		return -EISDIR;
	if (off + n > (unsigned long)FS_MAXFILE * FS_BSIZE)
		return -EFBIG;
	begin_op();
	r = writei(&ip, buf, (uint32_t)off, (uint32_t)n);
	end_op();
	return r;
}

/* fsop_readdir: kit/fsclient.h's FS_READDIR: directory h's first entry in use at entry index
 * index or after into *e. That entry's index plus one; 0 no more; -EINVAL, -ESTALE, -ENOTDIR. */
long fsop_readdir(fs_handle_t h, unsigned long index, struct fs_entry *e)
{
	struct inode dp, ip;
	struct fs_dirent de;
	long r = handle_inode(h, &dp);

	if (r)
		return r;
	if (dp.d.type != FS_T_DIR)
		return -ENOTDIR;
	for (; index < dp.d.size / sizeof(de); index++) {
		if (readi(&dp, &de, (uint32_t)(index * sizeof(de)), sizeof(de)) != sizeof(de))
			fs_panic("readdir: a short directory");
		if (!de.inum)
			continue;
		memset(e, 0, sizeof(*e));
		memcpy(e->name, de.name, FS_DIRSIZ);
		iget(de.inum, &ip);
		e->inum = de.inum;
		e->type = (unsigned)ip.d.type;
		e->size = ip.d.size;
		return (long)index + 1;
	}
	return 0;
}

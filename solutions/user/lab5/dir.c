// @file lab5
/*
 * dir.c: directories and paths of lab 5's file system (fscore.h; the format
 * in kit/fs.h), after xv6's fs.c (the xv6 book, "Directory layer" and "Path
 * names"): a directory is an inode whose data is an array of struct
 * fs_dirent, inum 0 a free entry. Paths are absolute ('/'-separated, repeated
 * slashes allowed); a name longer than FS_DIRSIZ is an error here, where xv6
 * cut it short. Entry points: dirlookup, dirlink, namei, nameiparent.
 */
#include "fscore.h"

/* name_eq: whether name (NUL-terminated, at most FS_DIRSIZ bytes) is the entry's name. */
static int name_eq(const char *name, const char entry[FS_DIRSIZ])
{
	for (int i = 0; i < FS_DIRSIZ; i++) {
		if (name[i] != entry[i])
			return 0;
		if (!name[i])
			return 1;
	}
	return 1;
}

/* dirlookup: the inode number of the entry name in directory dp, and its byte offset into *poff
 * unless poff is NULL; 0 when there is none. */
uint32_t dirlookup(struct inode *dp, const char *name, uint32_t *poff)
{
	// @lab5 solution
	struct fs_dirent de;

	for (uint32_t off = 0; off < dp->d.size; off += sizeof(de)) {
		if (readi(dp, &de, off, sizeof(de)) != sizeof(de))
			fs_panic("dirlookup: a short directory");
		if (de.inum && name_eq(name, de.name)) {
			if (poff)
				*poff = off;
			return de.inum;
		}
	}
	return 0;
	// @lab5 stub
	// TODO(lab5): scan dp's entries (struct fs_dirent, readi them one by one) for a used one
	// (inum not 0) whose name is name; its inum, and its byte offset into *poff when poff is
	// not NULL. 0 when there is none.
	// Hint: name_eq compares a name with an entry's (not NUL-terminated at FS_DIRSIZ bytes).
	(void)dp, (void)name, (void)poff, (void)name_eq;
	fs_panic("dirlookup: TODO(lab5)");
	// @lab5 end
}

/* dirlink: a new entry name -> inum in directory dp, in its first free entry or at its end. 0;
 * -EEXIST name is there already, -ENOSPC the directory cannot grow. */
int dirlink(struct inode *dp, const char *name, uint32_t inum)
{
	struct fs_dirent de;
	uint32_t off;

	if (dirlookup(dp, name, NULL))
		return -EEXIST;
	for (off = 0; off < dp->d.size; off += sizeof(de)) {
		if (readi(dp, &de, off, sizeof(de)) != sizeof(de))
			fs_panic("dirlink: a short directory");
		if (!de.inum)
			break;
	}
	memset(&de, 0, sizeof(de));
	de.inum = (uint16_t)inum;
	memcpy(de.name, name, strlen(name));
	long n = writei(dp, &de, off, sizeof(de));
	return n == sizeof(de) ? 0 : -ENOSPC;
}

/* skipelem: the next name of path into name (NUL-terminated) and the rest of the path after it
 * (slashes skipped) into *rest. 1 a name, 0 none left; -ENAMETOOLONG over FS_DIRSIZ bytes. */
static int skipelem(const char *path, char name[FS_DIRSIZ + 1], const char **rest)
{
	size_t len = 0;

	while (*path == '/')
		path++;
	if (!*path)
		return 0;
	while (path[len] && path[len] != '/')
		len++;
	if (len > FS_DIRSIZ)
		return -ENAMETOOLONG;
	memcpy(name, path, len);
	name[len] = 0;
	path += len;
	while (*path == '/')
		path++;
	*rest = path;
	return 1;
}

/* namex: walk path from the root into *ip; when parent, stop at the last name's directory and
 * put the name into name. 0; -EINVAL not absolute, -ENOENT, -ENOTDIR, -ENAMETOOLONG. */
static int namex(const char *path, int parent, struct inode *ip, char name[FS_DIRSIZ + 1])
{
	int r;

	if (*path != '/')
		return -EINVAL;
	iget(FS_ROOTINO, ip);
	while ((r = skipelem(path, name, &path)) > 0) {
		if (ip->d.type != FS_T_DIR)
			return -ENOTDIR;
		if (parent && !*path)
			return 0;
		uint32_t inum = dirlookup(ip, name, NULL);
		if (!inum)
			return -ENOENT;
		iget(inum, ip);
	}
	if (r < 0)
		return r;
	return parent ? -EBUSY : 0; /* parent: a path without a last name ("/") */
}

/* namei: path's inode into *ip. 0; -EINVAL (not absolute), -ENOENT, -ENOTDIR, -ENAMETOOLONG. */
int namei(const char *path, struct inode *ip)
{
	char name[FS_DIRSIZ + 1];

	return namex(path, 0, ip, name);
}

/* nameiparent: the directory holding path's last name into *dp, the name into name. 0; namei's
 * errors, and -EBUSY for "/" (no last name). */
int nameiparent(const char *path, struct inode *dp, char name[FS_DIRSIZ + 1])
{
	return namex(path, 1, dp, name);
}

/*
 * mkfs.c: builds a disk image in lab 5's file-system format (kit/fs.h, xv6's
 * layout with 4 KiB blocks) from a list of host files, on the host.
 *
 *   mkfs [--blocks N] [--inodes N] [--log N] IMAGE [ENTRY]...
 *
 * An ENTRY is one of
 *   SRC           the host file SRC as /basename(SRC)
 *   PATH=SRC      the host file SRC as /PATH (PATH may hold directories: made as needed)
 *   PATH/         an empty directory /PATH
 * Every name is at most FS_DIRSIZ bytes. The image holds N blocks (default
 * 2048, 8 MiB), N inodes (default 256) and a log of N blocks (default 30, at
 * most FS_LOGMAX). Files are laid out in argument order, each in consecutive
 * blocks; the log is empty. Exit status: 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit/fs.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mkfs writes the little-endian format with the host's byte order"
#endif

static struct fs_superblock sb;
static unsigned char *img;  /* the whole image, sb.size blocks */
static uint32_t next_block; /* the next free data block */
static uint32_t next_inum = FS_ROOTINO;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "mkfs: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void *block(uint32_t b)
{
	return img + (size_t)b * FS_BSIZE;
}

static struct fs_dinode *inode(uint32_t inum)
{
	return (struct fs_dinode *)block(FS_IBLOCK(inum, sb)) + inum % FS_IPB;
}

/* A zeroed data block's number; dies when the image is full. */
static uint32_t balloc(void)
{
	if (next_block >= sb.size)
		die("the image is full (%u blocks): use a larger --blocks", sb.size);
	return next_block++;
}

/* A new inode of type, with nlink links; dies when there are no more. */
static uint32_t ialloc(int type, int nlink)
{
	if (next_inum >= sb.ninodes)
		die("out of inodes (%u): use a larger --inodes", sb.ninodes);
	struct fs_dinode *ip = inode(next_inum);
	ip->type = type;
	ip->nlink = nlink;
	return next_inum++;
}

/* The number of block bn of inode ip, allocated when it is 0. */
static uint32_t bmap(struct fs_dinode *ip, uint32_t bn)
{
	if (bn < FS_NDIRECT) {
		if (!ip->addrs[bn])
			ip->addrs[bn] = balloc();
		return ip->addrs[bn];
	}
	bn -= FS_NDIRECT;
	if (bn >= FS_NINDIRECT)
		die("a file is larger than %lu blocks", (unsigned long)FS_MAXFILE);
	if (!ip->addrs[FS_NDIRECT])
		ip->addrs[FS_NDIRECT] = balloc();
	uint32_t *ind = block(ip->addrs[FS_NDIRECT]);
	if (!ind[bn])
		ind[bn] = balloc();
	return ind[bn];
}

/* Appends n bytes at data to inode inum. */
static void iappend(uint32_t inum, const void *data, size_t n)
{
	struct fs_dinode *ip = inode(inum);
	const unsigned char *p = data;
	while (n > 0) {
		uint32_t off = ip->size % FS_BSIZE;
		size_t chunk = FS_BSIZE - off < n ? FS_BSIZE - off : n;
		memcpy((unsigned char *)block(bmap(ip, ip->size / FS_BSIZE)) + off, p, chunk);
		ip->size += chunk;
		p += chunk;
		n -= chunk;
	}
}

/* The inode named name in directory dir, or 0. */
static uint32_t dir_lookup(uint32_t dir, const char *name)
{
	struct fs_dinode *dp = inode(dir);
	for (uint32_t off = 0; off < dp->size; off += sizeof(struct fs_dirent)) {
		struct fs_dirent *de =
		    (struct fs_dirent *)((unsigned char *)block(bmap(dp, off / FS_BSIZE)) +
					 off % FS_BSIZE);
		if (de->inum && strncmp(de->name, name, FS_DIRSIZ) == 0)
			return de->inum;
	}
	return 0;
}

static void dir_add(uint32_t dir, const char *name, uint32_t inum)
{
	struct fs_dirent de = {.inum = inum};
	if (strlen(name) == 0 || strlen(name) > FS_DIRSIZ)
		die("'%s': a name is 1 to %d bytes", name, FS_DIRSIZ);
	if (dir_lookup(dir, name))
		die("'%s' is in the image twice", name);
	memcpy(de.name, name, strlen(name));
	iappend(dir, &de, sizeof(de));
}

/* A new directory name in parent (the root when parent is 0); its inode number. */
static uint32_t make_dir(uint32_t parent, const char *name)
{
	uint32_t d = ialloc(FS_T_DIR, 1);
	dir_add(d, ".", d);
	dir_add(d, "..", parent ? parent : d);
	if (parent) {
		dir_add(parent, name, d);
		inode(parent)->nlink++;
	}
	return d;
}

/* The directory of path's last component, made as needed; *last: that component. */
static uint32_t walk_parent(char *path, char **last)
{
	uint32_t dir = FS_ROOTINO;
	char *slash;
	while (*path == '/')
		path++;
	while ((slash = strchr(path, '/')) != NULL) {
		*slash = 0;
		if (*path) {
			uint32_t next = dir_lookup(dir, path);
			if (!next)
				next = make_dir(dir, path);
			else if (inode(next)->type != FS_T_DIR)
				die("'%s' is a file, not a directory", path);
			dir = next;
		}
		path = slash + 1;
	}
	*last = path;
	return dir;
}

static void add_file(char *path, const char *src)
{
	char *name;
	uint32_t dir = walk_parent(path, &name);
	FILE *f = fopen(src, "rb");
	if (!f)
		die("%s: %s", src, strerror(errno));
	uint32_t inum = ialloc(FS_T_FILE, 1);
	dir_add(dir, name, inum);
	static char buf[FS_BSIZE];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		iappend(inum, buf, n);
	if (ferror(f))
		die("%s: read error", src);
	fclose(f);
}

static void add_entry(char *arg)
{
	char *eq = strchr(arg, '=');
	size_t len = strlen(arg);
	if (eq) {
		*eq = 0;
		add_file(arg, eq + 1);
	} else if (len > 0 && arg[len - 1] == '/') {
		char *name;
		uint32_t dir = walk_parent(arg, &name);
		(void)name;
		(void)dir;
	} else {
		const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
		char *path = strdup(base);
		add_file(path, arg);
		free(path);
	}
}

/* Lays out the regions of an image of nblocks blocks with ninodes inodes and nlog log blocks. */
static void layout(uint32_t size, uint32_t ninodes, uint32_t nlog)
{
	uint32_t ninodeblocks = (ninodes + FS_IPB - 1) / FS_IPB;
	uint32_t nbitmap = size / FS_BPB + 1;
	sb.magic = FS_MAGIC;
	sb.size = size;
	sb.ninodes = ninodes;
	sb.nlog = nlog;
	sb.logstart = 2;
	sb.inodestart = sb.logstart + 1 + nlog;
	sb.bmapstart = sb.inodestart + ninodeblocks;
	if (sb.bmapstart + nbitmap + 2 > size)
		die("%u blocks hold no data next to %u inodes and a log of %u", size, ninodes,
		    nlog);
	sb.nblocks = size - (sb.bmapstart + nbitmap);
	next_block = sb.bmapstart + nbitmap;
}

static void write_bitmap(void)
{
	for (uint32_t b = 0; b < next_block; b++)
		((unsigned char *)block(FS_BBLOCK(b, sb)))[b % FS_BPB / 8] |= 1 << (b % 8);
}

static uint32_t number(const char *opt, const char *s)
{
	char *end;
	unsigned long v = strtoul(s ? s : "", &end, 0);
	if (!s || *end || v == 0 || v > 1u << 24)
		die("%s wants a positive number, not '%s'", opt, s ? s : "");
	return v;
}

int main(int argc, char **argv)
{
	uint32_t size = 2048, ninodes = 256, nlog = 30;
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--blocks") == 0)
			size = number(argv[i], argv[i + 1]);
		else if (strcmp(argv[i], "--inodes") == 0)
			ninodes = number(argv[i], argv[i + 1]);
		else if (strcmp(argv[i], "--log") == 0)
			nlog = number(argv[i], argv[i + 1]);
		else
			die("unknown option %s", argv[i]);
	}
	if (i >= argc)
		die("usage: mkfs [--blocks N] [--inodes N] [--log N] IMAGE [SRC | PATH=SRC | "
		    "DIR/]...");
	if (nlog > FS_LOGMAX)
		die("--log %u: at most %d", nlog, FS_LOGMAX);
	if (ninodes < 2 || ninodes > UINT16_MAX)
		die("--inodes %u: 2 to %d", ninodes, UINT16_MAX);
	layout(size, ninodes, nlog);
	img = calloc(size, FS_BSIZE);
	if (!img)
		die("out of memory");
	memcpy(block(1), &sb, sizeof(sb));
	make_dir(0, "/");
	const char *out = argv[i];
	for (i++; i < argc; i++)
		add_entry(argv[i]);
	write_bitmap();
	FILE *f = fopen(out, "wb");
	if (!f || fwrite(img, FS_BSIZE, size, f) != size || fclose(f) != 0)
		die("%s: %s", out, strerror(errno));
	printf("mkfs: %s: %u blocks (%u data, %u used), %u of %u inodes, log %u\n", out, size,
	       sb.nblocks, next_block - (sb.size - sb.nblocks), next_inum - 1, ninodes - 1, nlog);
	return 0;
}

/*
 * fsck.c: checks a disk image in lab 5's file-system format (kit/fs.h) and
 * names every problem it finds, one line each: "fsck: KIND: what".
 *
 *   fsck [--ls] [--cat PATH] IMAGE
 *
 * The log is checked first: a committed log (header n > 0) whose blocks all
 * have homes in the image is replayable, and the rest is checked as it will
 * be after the replay (in memory; the image is never written). Then every
 * inode, every block (each data block belongs to one inode at most, and the
 * bitmap says used exactly for the metadata and the blocks inodes hold), the
 * directory tree from the root, and every link count. The kinds:
 *
 *   bad-superblock       wrong magic, or regions that do not tile the image
 *   bad-log              a header with more blocks than the log, or a home outside the image
 *   bad-root             inode FS_ROOTINO is not a directory
 *   bad-inode-type       a type that is none of FS_T_*
 *   bad-size             a size over the largest file, or a block beyond the size
 *   bad-block-address    a block address outside the data blocks
 *   duplicate-block      a data block held twice
 *   bitmap-free-but-used a block in use marked free
 *   bitmap-used-but-free a block marked used that nothing holds (a leak)
 *   bad-directory        a directory whose size is not a whole number of entries
 *   bad-dot, bad-dotdot  a directory whose first entries are not "." (itself) and ".." (its parent)
 *   bad-dirent           an entry with an inode number out of range or an empty name
 *   dirent-free-inode    an entry naming a free inode
 *   duplicate-name       two entries of one directory with the same name
 *   directory-hard-link  a directory named by two entries
 *   orphan-inode         an inode in use that no directory names
 *   bad-link-count       nlink differs from the entries that name the inode
 *
 * --ls prints the tree (inode, type, links, size, path); --cat PATH writes a
 * file's bytes to stdout. Exit status: 0 clean, 1 problems found, 2 the
 * image cannot be read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit/fs.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "fsck reads the little-endian format with the host's byte order"
#endif

static struct fs_superblock sb;
static unsigned char *img;
static uint32_t datastart;
static uint32_t *owner;	 /* owner[b]: the inode holding data block b, or 0 */
static uint32_t *refs;	 /* refs[i]: directory entries naming inode i (see kit/fs.h) */
static uint32_t *parent; /* parent[d]: the directory naming directory d, 0: not reached */
static unsigned problems;
static int list;
static FILE *info; /* notes that are not problems: stdout, stderr under --cat */

static void problem(const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("fsck: %s: ", kind);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	problems++;
}

static void *block(uint32_t b)
{
	return img + (size_t)b * FS_BSIZE;
}

static struct fs_dinode *inode(uint32_t inum)
{
	return (struct fs_dinode *)block(FS_IBLOCK(inum, sb)) + inum % FS_IPB;
}

static int bitmap_used(uint32_t b)
{
	return ((unsigned char *)block(FS_BBLOCK(b, sb)))[b % FS_BPB / 8] >> (b % 8) & 1;
}

/* 0 when the superblock's regions tile an image of nblk blocks, else 1 (reported). */
static int check_superblock(uint32_t nblk)
{
	uint32_t ninodeblocks, nbitmap;
	memcpy(&sb, block(1), sizeof(sb));
	if (sb.magic != FS_MAGIC) {
		problem("bad-superblock", "magic %#x, not %#x", sb.magic, FS_MAGIC);
		return 1;
	}
	ninodeblocks = (sb.ninodes + FS_IPB - 1) / FS_IPB;
	nbitmap = sb.size / FS_BPB + 1;
	if (sb.size != nblk || sb.nlog > FS_LOGMAX || sb.ninodes < 2 || sb.ninodes > UINT16_MAX ||
	    sb.logstart != 2 || sb.inodestart != sb.logstart + 1 + sb.nlog ||
	    sb.bmapstart != sb.inodestart + ninodeblocks ||
	    (uint64_t)sb.bmapstart + nbitmap + sb.nblocks != sb.size) {
		problem("bad-superblock",
			"size %u (image: %u), log %u at %u, %u inodes at %u, bitmap at %u, %u data "
			"blocks",
			sb.size, nblk, sb.nlog, sb.logstart, sb.ninodes, sb.inodestart,
			sb.bmapstart, sb.nblocks);
		return 1;
	}
	datastart = sb.bmapstart + nbitmap;
	return 0;
}

/* Replays a committed log in memory, after checking that it can be. */
static void check_log(void)
{
	struct fs_loghead *lh = block(sb.logstart);
	if (lh->n == 0)
		return;
	if (lh->n > sb.nlog) {
		problem("bad-log", "header says %u blocks, the log has %u: not replayable", lh->n,
			sb.nlog);
		return;
	}
	for (uint32_t i = 0; i < lh->n; i++) {
		if (lh->block[i] < sb.inodestart || lh->block[i] >= sb.size) {
			problem("bad-log", "log block %u's home %u is outside blocks %u..%u", i,
				lh->block[i], sb.inodestart, sb.size - 1);
			return;
		}
	}
	fprintf(info, "fsck: log: %u committed blocks, replayed (in memory) before the checks\n",
		lh->n);
	for (uint32_t i = 0; i < lh->n; i++)
		memcpy(block(lh->block[i]), block(sb.logstart + 1 + i), FS_BSIZE);
	lh->n = 0;
}

/* Claims block b for inode inum (what: the address's place); 0 when b cannot be read. */
static int claim(uint32_t inum, uint32_t b, const char *what, uint32_t idx)
{
	if (b < datastart || b >= sb.size) {
		problem("bad-block-address",
			"inode %u %s %u: block %u is not a data block (%u..%u)", inum, what, idx, b,
			datastart, sb.size - 1);
		return 0;
	}
	if (owner[b]) {
		problem("duplicate-block", "block %u is held by inode %u and inode %u", b, owner[b],
			inum);
		return 0;
	}
	owner[b] = inum;
	return 1;
}

/* Block bn of inode ip (inum), 0 for a hole or an unreadable address. */
static uint32_t bmap(struct fs_dinode *ip, uint32_t bn)
{
	if (bn < FS_NDIRECT)
		return ip->addrs[bn];
	uint32_t ind = ip->addrs[FS_NDIRECT];
	if (!ind || ind < datastart || ind >= sb.size)
		return 0;
	return ((uint32_t *)block(ind))[bn - FS_NDIRECT];
}

static void check_inode(uint32_t inum)
{
	struct fs_dinode *ip = inode(inum);
	if (ip->type == FS_T_FREE)
		return;
	if (ip->type < FS_T_FREE || ip->type > FS_T_DEV) {
		problem("bad-inode-type", "inode %u has type %d", inum, ip->type);
		ip->type = FS_T_FREE; /* checked no further */
		return;
	}
	uint32_t nb = (ip->size + FS_BSIZE - 1) / FS_BSIZE;
	if (ip->size > FS_MAXFILE * FS_BSIZE)
		problem("bad-size", "inode %u: size %u is over the largest file", inum, ip->size);
	for (uint32_t i = 0; i <= FS_NDIRECT; i++) {
		uint32_t b = ip->addrs[i];
		if (!b)
			continue;
		if (i < FS_NDIRECT && i >= nb)
			problem("bad-size", "inode %u: block %u (%u) lies beyond its size %u", inum,
				i, b, ip->size);
		if (!claim(inum, b, i < FS_NDIRECT ? "address" : "indirect address", i) &&
		    i == FS_NDIRECT)
			ip->addrs[i] = 0; /* its contents are not to be trusted */
	}
	if (!ip->addrs[FS_NDIRECT])
		return;
	uint32_t *ind = block(ip->addrs[FS_NDIRECT]);
	for (uint32_t i = 0; i < FS_NINDIRECT; i++) {
		if (!ind[i])
			continue;
		if (FS_NDIRECT + i >= nb)
			problem("bad-size", "inode %u: block %u (%u) lies beyond its size %u", inum,
				FS_NDIRECT + i, ind[i], ip->size);
		claim(inum, ind[i], "indirect entry", i);
	}
}

static void check_bitmap(void)
{
	for (uint32_t b = 0; b < sb.size; b++) {
		int used = b < datastart || owner[b];
		if (used && !bitmap_used(b))
			problem("bitmap-free-but-used", "block %u (%s) is marked free", b,
				b < datastart ? "metadata" : "data");
		else if (!used && bitmap_used(b))
			problem("bitmap-used-but-free",
				"block %u is marked used but nothing holds it", b);
	}
}

/* Entry off of directory dp (number dir), or NULL for an unreadable block. */
static struct fs_dirent *dirent(struct fs_dinode *dp, uint32_t off)
{
	uint32_t b = bmap(dp, off / FS_BSIZE);
	if (!b || b < datastart || b >= sb.size)
		return NULL;
	return (struct fs_dirent *)((unsigned char *)block(b) + off % FS_BSIZE);
}

static void print_name(const char *path, const struct fs_dirent *de, char *out, size_t n)
{
	snprintf(out, n, "%s%s%.*s", path, strcmp(path, "/") ? "/" : "", FS_DIRSIZ, de->name);
}

/* Checks directory dir (at path) and, depth first, the directories it names. */
static void check_dir(uint32_t dir, uint32_t up, const char *path, int depth)
{
	struct fs_dinode *dp = inode(dir);
	if (dp->size % sizeof(struct fs_dirent))
		problem("bad-directory", "%s (inode %u): size %u is not a whole number of entries",
			path, dir, dp->size);
	for (uint32_t off = 0; off + sizeof(struct fs_dirent) <= dp->size;
	     off += sizeof(struct fs_dirent)) {
		struct fs_dirent *de = dirent(dp, off);
		uint32_t idx = off / sizeof(struct fs_dirent);
		char name[FS_DIRSIZ + 1] = {0}, child[512];
		if (!de)
			continue;
		memcpy(name, de->name, FS_DIRSIZ);
		if (idx < 2) {
			const char *want = idx == 0 ? "." : "..";
			uint32_t to = idx == 0 ? dir : up;
			if (strcmp(name, want) != 0 || de->inum != to)
				problem(idx == 0 ? "bad-dot" : "bad-dotdot",
					"%s (inode %u): entry %u is '%s' -> %u, not '%s' -> %u",
					path, dir, idx, name, de->inum, want, to);
			if (strcmp(name, want) == 0 && de->inum == to) {
				refs[up] +=
				    idx == 1 && dir != FS_ROOTINO; /* ".." names the parent */
				continue;
			}
		}
		if (!de->inum)
			continue;
		if (de->inum >= sb.ninodes || !name[0]) {
			problem("bad-dirent", "%s (inode %u): entry %u '%s' -> inode %u", path, dir,
				idx, name, de->inum);
			continue;
		}
		for (uint32_t o2 = 0; o2 < off; o2 += sizeof(struct fs_dirent)) {
			struct fs_dirent *d2 = dirent(dp, o2);
			if (d2 && d2->inum && strncmp(d2->name, de->name, FS_DIRSIZ) == 0)
				problem("duplicate-name", "%s (inode %u): '%s' is in it twice",
					path, dir, name);
		}
		struct fs_dinode *ip = inode(de->inum);
		print_name(path, de, child, sizeof(child));
		if (ip->type == FS_T_FREE) {
			problem("dirent-free-inode", "%s names inode %u, which is free", child,
				de->inum);
			continue;
		}
		refs[de->inum]++;
		if (list)
			printf("%5u %s %5d %9u %s\n", de->inum,
			       ip->type == FS_T_DIR ? "dir " : "file", ip->nlink, ip->size, child);
		if (ip->type != FS_T_DIR)
			continue;
		if (parent[de->inum] || de->inum == FS_ROOTINO) {
			problem("directory-hard-link", "%s names directory %u, named before", child,
				de->inum);
			continue;
		}
		parent[de->inum] = dir;
		if (depth < 64)
			check_dir(de->inum, dir, child, depth + 1);
	}
}

static void check_links(void)
{
	for (uint32_t inum = 1; inum < sb.ninodes; inum++) {
		struct fs_dinode *ip = inode(inum);
		uint32_t want = refs[inum] + (inum == FS_ROOTINO);
		if (ip->type == FS_T_FREE)
			continue;
		if (want == 0)
			problem("orphan-inode", "inode %u (type %d, nlink %d) is in no directory",
				inum, ip->type, ip->nlink);
		else if ((uint32_t)ip->nlink != want)
			problem("bad-link-count", "inode %u: nlink %d, named %u times", inum,
				ip->nlink, want);
	}
}

/* Writes file path's bytes to stdout; 0, or 1 when there is no such file. */
static int cat(const char *path)
{
	uint32_t inum = FS_ROOTINO;
	char name[FS_DIRSIZ + 1];
	while (*path) {
		const char *end = path + strcspn(path, "/");
		size_t n = end - path;
		if (n > 0) {
			struct fs_dinode *dp = inode(inum);
			uint32_t next = 0;
			snprintf(name, sizeof(name), "%.*s", (int)n, path);
			for (uint32_t off = 0; dp->type == FS_T_DIR && off < dp->size && !next;
			     off += sizeof(struct fs_dirent)) {
				struct fs_dirent *de = dirent(dp, off);
				if (de && de->inum && strncmp(de->name, name, FS_DIRSIZ) == 0 &&
				    strlen(name) <= FS_DIRSIZ)
					next = de->inum;
			}
			if (!next || next >= sb.ninodes)
				return 1;
			inum = next;
		}
		path = *end ? end + 1 : end;
	}
	struct fs_dinode *ip = inode(inum);
	for (uint32_t off = 0; ip->type == FS_T_FILE && off < ip->size; off += FS_BSIZE) {
		uint32_t b = bmap(ip, off / FS_BSIZE);
		uint32_t n = ip->size - off < FS_BSIZE ? ip->size - off : FS_BSIZE;
		static const unsigned char zero[FS_BSIZE];
		fwrite(b && b < sb.size ? block(b) : zero, 1, n, stdout);
	}
	return ip->type == FS_T_FILE ? 0 : 1;
}

static unsigned char *read_image(const char *path, uint32_t *nblk)
{
	FILE *f = fopen(path, "rb");
	long len;
	unsigned char *buf;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
		fprintf(stderr, "fsck: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (len < 2 * FS_BSIZE || len % FS_BSIZE) {
		fprintf(stderr,
			"fsck: %s: %ld bytes is not a whole number of %d-byte blocks (>= 2)\n",
			path, len, FS_BSIZE);
		exit(2);
	}
	buf = malloc(len);
	rewind(f);
	if (!buf || fread(buf, 1, len, f) != (size_t)len) {
		fprintf(stderr, "fsck: %s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
	*nblk = len / FS_BSIZE;
	return buf;
}

int main(int argc, char **argv)
{
	const char *cat_path = NULL, *path;
	uint32_t nblk, used = 0;
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--ls") == 0)
			list = 1;
		else if (strcmp(argv[i], "--cat") == 0 && i + 1 < argc)
			cat_path = argv[++i];
		else
			break;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: fsck [--ls] [--cat PATH] IMAGE\n");
		return 2;
	}
	path = argv[i];
	info = cat_path ? stderr : stdout;
	img = read_image(path, &nblk);
	if (check_superblock(nblk))
		return 1;
	check_log();
	if (cat_path)
		return cat(cat_path);
	owner = calloc(sb.size, sizeof(*owner));
	refs = calloc(sb.ninodes, sizeof(*refs));
	parent = calloc(sb.ninodes, sizeof(*parent));
	for (uint32_t inum = 1; inum < sb.ninodes; inum++)
		check_inode(inum);
	check_bitmap();
	if (inode(FS_ROOTINO)->type != FS_T_DIR)
		problem("bad-root", "inode %u has type %d, not a directory", FS_ROOTINO,
			inode(FS_ROOTINO)->type);
	else
		check_dir(FS_ROOTINO, FS_ROOTINO, "/", 0);
	check_links();
	for (uint32_t b = datastart; b < sb.size; b++)
		used += owner[b] != 0;
	if (problems) {
		printf("fsck: %s: %u problems\n", path, problems);
		return 1;
	}
	printf("fsck: %s: clean, %u of %u data blocks used\n", path, used, sb.nblocks);
	return 0;
}

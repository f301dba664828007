// @file lab5
/*
 * inode.c: inodes of lab 5's file system (fscore.h; the format in kit/fs.h),
 * after xv6's fs.c (the xv6 book, "Inode layer"): the block bitmap (balloc,
 * bfree), inodes on disk (ialloc, iget, iupdate), an inode's block map with
 * its indirect block (bmap), truncation (itrunc) and the data (readi,
 * writei). Every change goes through log_write: the caller has begun an
 * operation (begin_op). Without xv6's inode table and its reference counts:
 * one thread runs an operation to its end, and a client names a file by a
 * handle that its generation checks (kit/fsclient.h), not by a reference.
 * Entry points: iget, iupdate, ialloc, itrunc, readi, writei.
 */
#include "fscore.h"

struct fs_superblock sb;

/* balloc: a free data block, marked used in the bitmap and zeroed; its number, or 0 when the
 * disk is full. */
static uint32_t balloc(void)
{
	uint32_t datastart = sb.bmapstart + sb.size / FS_BPB + 1;

	for (uint32_t base = 0; base < sb.size; base += FS_BPB) {
		struct buf *bp = bread(FS_BBLOCK(base, sb));
		for (uint32_t bi = 0; bi < FS_BPB && base + bi < sb.size; bi++) {
			uint8_t m = 1 << (bi % 8);
			if (base + bi < datastart || (bp->data[bi / 8] & m))
				continue;
			bp->data[bi / 8] |= m;
			log_write(bp);
			brelse(bp);
			struct buf *zp = bread(base + bi);
			memset(zp->data, 0, FS_BSIZE);
			log_write(zp);
			brelse(zp);
			return base + bi;
		}
		brelse(bp);
	}
	return 0;
}

/* bfree: mark block b free in the bitmap; panics when it was free already. */
static void bfree(uint32_t b)
{
	struct buf *bp = bread(FS_BBLOCK(b, sb));
	uint32_t bi = b % FS_BPB;
	uint8_t m = 1 << (bi % 8);

	if (!(bp->data[bi / 8] & m))
		fs_panic("bfree: freeing a free block");
	bp->data[bi / 8] &= ~m;
	log_write(bp);
	brelse(bp);
}

/* iget: inode inum (1 .. sb.ninodes - 1) from disk into *ip. */
void iget(uint32_t inum, struct inode *ip)
{
	struct buf *bp = bread(FS_IBLOCK(inum, sb));

	ip->inum = inum;
	memcpy(&ip->d, (struct fs_dinode *)bp->data + inum % FS_IPB, sizeof(ip->d));
	brelse(bp);
}

/* iupdate: *ip back to its inode on disk (logged). Call it after every change of ip->d. */
void iupdate(struct inode *ip)
{
	struct buf *bp = bread(FS_IBLOCK(ip->inum, sb));

	memcpy((struct fs_dinode *)bp->data + ip->inum % FS_IPB, &ip->d, sizeof(ip->d));
	log_write(bp);
	brelse(bp);
}

/* ialloc: a free inode made type (no links, no blocks, its generation one more than its last),
 * into *ip. 0; -ENOSPC when every inode is in use. */
int ialloc(int16_t type, struct inode *ip)
{
	for (uint32_t inum = FS_ROOTINO; inum < sb.ninodes; inum++) {
		struct buf *bp = bread(FS_IBLOCK(inum, sb));
		struct fs_dinode *dip = (struct fs_dinode *)bp->data + inum % FS_IPB;
		if (dip->type == FS_T_FREE) {
			int16_t gen = (int16_t)(uint16_t)((uint16_t)dip->minor + 1);
			memset(dip, 0, sizeof(*dip));
			dip->type = type;
			dip->minor = gen;
			log_write(bp);
			ip->inum = inum;
			memcpy(&ip->d, dip, sizeof(ip->d));
			brelse(bp);
			return 0;
		}
		brelse(bp);
	}
	return -ENOSPC;
}

/*
 * bmap: the disk block of block bn (0 .. FS_MAXFILE - 1) of ip's data. When alloc, a missing
 * block (and the indirect block) is allocated and ip updated; the caller writes ip back
 * (iupdate). The block's number; 0 when it is missing and not alloc, or the disk is full.
 */
static uint32_t bmap(struct inode *ip, uint32_t bn, int alloc)
{
	uint32_t addr;

	if (bn < FS_NDIRECT) {
		if (!ip->d.addrs[bn] && alloc)
			ip->d.addrs[bn] = balloc();
		return ip->d.addrs[bn];
	}
	bn -= FS_NDIRECT;
	if (!ip->d.addrs[FS_NDIRECT]) {
		if (!alloc || !(ip->d.addrs[FS_NDIRECT] = balloc()))
			return 0;
	}
	struct buf *bp = bread(ip->d.addrs[FS_NDIRECT]);
	uint32_t *a = (uint32_t *)bp->data;
	if (!(addr = a[bn]) && alloc && (addr = balloc())) {
		a[bn] = addr;
		log_write(bp);
	}
	brelse(bp);
	return addr;
}

/* itrunc: free every block of ip's data (the indirect block too); size 0; written back. */
void itrunc(struct inode *ip)
{
	for (int i = 0; i < FS_NDIRECT; i++) {
		if (ip->d.addrs[i]) {
			bfree(ip->d.addrs[i]);
			ip->d.addrs[i] = 0;
		}
	}
	if (ip->d.addrs[FS_NDIRECT]) {
		struct buf *bp = bread(ip->d.addrs[FS_NDIRECT]);
		uint32_t *a = (uint32_t *)bp->data;
		for (uint32_t j = 0; j < FS_NINDIRECT; j++)
			if (a[j])
				bfree(a[j]);
		brelse(bp);
		bfree(ip->d.addrs[FS_NDIRECT]);
		ip->d.addrs[FS_NDIRECT] = 0;
	}
	ip->d.size = 0;
	iupdate(ip);
}

/* readi: up to n bytes of ip's data from byte offset off into dst; a hole reads as zeros. The
 * bytes read: fewer than n only at the end, 0 at or past it. */
long readi(struct inode *ip, void *dst, uint32_t off, uint32_t n)
{
	// @lab5 solution
	uint8_t *d = dst;
	uint32_t tot, m;

	if (off >= ip->d.size)
		return 0;
	if (n > ip->d.size - off)
		n = ip->d.size - off;
	for (tot = 0; tot < n; tot += m, off += m, d += m) {
		uint32_t addr = bmap(ip, off / FS_BSIZE, 0);
		m = FS_BSIZE - off % FS_BSIZE;
		if (m > n - tot)
			m = n - tot;
		if (!addr) {
			memset(d, 0, m);
			continue;
		}
		struct buf *bp = bread(addr);
		memcpy(d, bp->data + off % FS_BSIZE, m);
		brelse(bp);
	}
	return n;
	// @lab5 stub
	// TODO(lab5): copy ip's bytes [off, off + n) into dst, cut at the file's size, block by
	// block: bmap(ip, block, 0) finds each (0: a hole, zeros), bread/brelse reads it.
	// Hint: a copy may start and end inside a block (off % FS_BSIZE); return the bytes read.
	(void)ip, (void)dst, (void)off, (void)n, (void)bmap;
	return -ENOSYS;
	// @lab5 end
}

/*
 * writei: n bytes from src to ip's data at byte offset off, allocating blocks as needed; the
 * size grows to cover them; ip written back. The bytes written (fewer than n when the disk
 * filled up); -EFBIG past the largest file, -ENOSPC when no byte could be written. The caller
 * keeps n small enough for one operation (MAXOPBLOCKS blocks logged).
 */
long writei(struct inode *ip, const void *src, uint32_t off, uint32_t n)
{
	// @lab5 solution
	const uint8_t *s = src;
	uint32_t tot, m;

	if ((uint64_t)off + n > (uint64_t)FS_MAXFILE * FS_BSIZE)
		return -EFBIG;
	for (tot = 0; tot < n; tot += m, off += m, s += m) {
		uint32_t addr = bmap(ip, off / FS_BSIZE, 1);
		if (!addr)
			break;
		m = FS_BSIZE - off % FS_BSIZE;
		if (m > n - tot)
			m = n - tot;
		struct buf *bp = bread(addr);
		memcpy(bp->data + off % FS_BSIZE, s, m);
		log_write(bp);
		brelse(bp);
	}
	if (off > ip->d.size)
		ip->d.size = off;
	iupdate(ip); /* even when the size is the same: bmap may have added a block */
	return tot || !n ? (long)tot : -ENOSPC;
	// @lab5 stub
	// TODO(lab5): copy n bytes from src into ip's data at off, block by block: bmap(ip, block,
	// 1) finds or allocates each (0: the disk is full, stop), bread, copy, log_write, brelse;
	// then the size covers them, and iupdate(ip) writes the inode back.
	// Hint: -EFBIG past FS_MAXFILE blocks; a copy may start and end inside a block.
	(void)ip, (void)src, (void)off, (void)n;
	return -ENOSYS;
	// @lab5 end
}

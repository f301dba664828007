// @file lab5
/*
 * bcache.c: the block cache of lab 5's file system (fscore.h): NBUF blocks in
 * memory, each read from the device once while it stays cached, the least
 * recently released one reused first (xv6's bio.c, without its locks: one
 * thread runs the file system). A block the open transaction wrote
 * (log_write pins it) stays until the commit has written it home.
 * Entry points: bcache_init, bread, bwrite, brelse.
 */
#include "fscore.h"

static struct buf bufs[NBUF];
static unsigned long bcache_tick;
unsigned long bcache_reads, bcache_hits, bcache_writes;

/* bcache_init: forget every cached block (at mount: the disk may have changed under it). */
void bcache_init(void)
{
	memset(bufs, 0, sizeof(bufs));
}

/*
 * bread: block blockno of the device, cached: a buffer the caller holds (refcnt) until brelse,
 * its data the block's bytes. A block not cached takes the buffer nobody holds, not pinned,
 * released least recently. Panics when every buffer is held or pinned, or the device fails.
 */
struct buf *bread(uint32_t blockno)
{
	// @lab5 solution
	struct buf *b, *victim = NULL;

	for (b = bufs; b < bufs + NBUF; b++) {
		if (b->valid && b->blockno == blockno) {
			b->refcnt++;
			bcache_hits++;
			return b;
		}
		if (!b->refcnt && !b->pinned && (!victim || b->lru < victim->lru))
			victim = b;
	}
	if (!victim)
		fs_panic("bread: no free buffer");
	victim->blockno = blockno;
	victim->valid = 0;
	victim->refcnt = 1;
	if (dev_rw(blockno, victim->data, 0) < 0)
		fs_panic("bread: the device failed a read");
	victim->valid = 1;
	bcache_reads++;
	return victim;
	// @lab5 stub
	// TODO(lab5): the cached buffer of blockno (refcnt one more, a hit counted), or else the
	// buffer nobody holds (refcnt 0), not pinned, with the smallest lru: blockno's bytes read
	// into it from the device (dev_rw), valid, held once, a read counted.
	// Hint: one pass over bufs[] finds both; fs_panic when there is no victim or dev_rw fails.
	(void)blockno;
	fs_panic("bread: TODO(lab5)");
	// @lab5 end
}

/* bwrite: b's data to its block on the device, now. The caller holds b. Only the log writes
 * blocks this way: everyone else calls log_write. Panics when the device fails. */
void bwrite(struct buf *b)
{
	if (!b->refcnt)
		fs_panic("bwrite: a buffer not held");
	if (dev_rw(b->blockno, b->data, 1) < 0)
		fs_panic("bwrite: the device failed a write");
	bcache_writes++;
}

/* brelse: the caller is done with b (from bread); it stays cached. */
void brelse(struct buf *b)
{
	// @lab5 solution
	if (!b->refcnt)
		fs_panic("brelse: a buffer not held");
	b->refcnt--;
	b->lru = ++bcache_tick;
	// @lab5 stub
	// TODO(lab5): b is held one time less; it stays cached, the most recently released.
	// Hint: bcache_tick orders the releases; releasing a buffer nobody holds is a bug (fs_panic).
	(void)b, (void)bcache_tick;
	fs_panic("brelse: TODO(lab5)");
	// @lab5 end
}

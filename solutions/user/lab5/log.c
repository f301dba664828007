// @file lab5
/*
 * log.c: the write-ahead log of lab 5's file system (fscore.h; the format in
 * kit/fs.h), xv6's log.c (the xv6 book, "Logging layer") for one thread.
 * An operation's block writes go through log_write between begin_op and
 * end_op; end_op commits them as one transaction: each block to the log,
 * then the header with their homes (the commit point: one block write,
 * atomic), then each block home, then the header emptied. After a crash,
 * log_init replays a committed header (recovery), so a transaction is on
 * disk whole or not at all. A commit writes 2n + 2 blocks for n logged ones.
 * Entry points: log_init, begin_op, end_op, log_write.
 */
#include "fscore.h"

static struct {
	uint32_t start;	      /* the header's block */
	uint32_t size;	      /* log blocks after the header */
	int outstanding;      /* operations begun and not ended */
	struct fs_loghead lh; /* the open transaction: the homes of its blocks */
} log;

/* install_trans: copy each logged block to its home; the blocks were pinned since log_write
 * (unpinned here) unless recovering (nothing is cached then: read them from the log). */
static void install_trans(int recovering)
{
	// @lab5 solution
	for (uint32_t i = 0; i < log.lh.n; i++) {
		struct buf *dbuf = bread(log.lh.block[i]);
		if (recovering) {
			struct buf *lbuf = bread(log.start + 1 + i);
			memcpy(dbuf->data, lbuf->data, FS_BSIZE);
			brelse(lbuf);
		}
		bwrite(dbuf);
		dbuf->pinned = 0;
		brelse(dbuf);
	}
	// @lab5 stub
	// TODO(lab5): write each block of the transaction (log.lh: n blocks, their homes) to its
	// home and unpin it. Recovering, nothing is cached: block i's bytes are in log block
	// log.start + 1 + i; else they are in the cache (pinned there by log_write).
	// Hint: bread the home, copy the logged bytes over it when recovering, bwrite, unpin, brelse.
	(void)recovering;
	if (log.lh.n)
		fs_panic("install_trans: TODO(lab5)");
	// @lab5 end
}

/* read_head: the header on disk into log.lh; panics on a header the log cannot hold. */
static void read_head(void)
{
	struct buf *b = bread(log.start);
	memcpy(&log.lh, b->data, sizeof(log.lh));
	brelse(b);
	if (log.lh.n > log.size)
		fs_panic("log: a header with more blocks than the log");
}

/* write_head: log.lh to the header on disk. With n > 0 this is the commit point. */
static void write_head(void)
{
	struct buf *b = bread(log.start);
	memcpy(b->data, &log.lh, sizeof(log.lh));
	bwrite(b);
	brelse(b);
}

/* log_init: the log of superblock sb; replays a committed transaction (recovery), then empties
 * the header. Call it before reading anything else of the file system. */
void log_init(const struct fs_superblock *sb)
{
	log.start = sb->logstart;
	log.size = sb->nlog < FS_LOGMAX ? sb->nlog : FS_LOGMAX;
	log.outstanding = 0;
	read_head();
	install_trans(1);
	log.lh.n = 0;
	write_head();
}

/* write_log: each block of the transaction from the cache to its log block. */
static void write_log(void)
{
	for (uint32_t i = 0; i < log.lh.n; i++) {
		struct buf *to = bread(log.start + 1 + i);
		struct buf *from = bread(log.lh.block[i]);
		memcpy(to->data, from->data, FS_BSIZE);
		bwrite(to);
		brelse(from);
		brelse(to);
	}
}

/* commit: the open transaction to disk: the log, the header (the commit point), the homes,
 * then the header emptied (so a crash after it replays nothing). */
static void commit(void)
{
	// @lab5 solution
	if (log.lh.n == 0)
		return;
	write_log();
	write_head();
	install_trans(0);
	log.lh.n = 0;
	write_head();
	// @lab5 stub
	// TODO(lab5): the open transaction (log.lh.n blocks) to disk, crash-safe at every block
	// write: the blocks to the log, the header (the commit point), the blocks home, the
	// header emptied. Nothing to do for an empty transaction.
	// Hint: write_log, write_head and install_trans do each step; the order is the point.
	(void)write_log;
	if (log.lh.n)
		fs_panic("commit: TODO(lab5)");
	// @lab5 end
}

/* begin_op: an operation starts; it may log_write at most MAXOPBLOCKS blocks. */
void begin_op(void)
{
	if (log.lh.n + (uint32_t)(log.outstanding + 1) * MAXOPBLOCKS > log.size)
		fs_panic("begin_op: the log is too small for an operation");
	log.outstanding++;
}

/* end_op: the operation is done; when it was the last one begun, commit the transaction. */
void end_op(void)
{
	if (log.outstanding <= 0)
		fs_panic("end_op: no operation begun");
	if (--log.outstanding == 0)
		commit();
}

/* log_write: b (held by the caller) is part of the open transaction: record its home (once:
 * writing a block twice logs it once, "absorption") and pin it in the cache until the commit.
 * Replaces bwrite for every block an operation changes. */
void log_write(struct buf *b)
{
	uint32_t i;

	if (log.outstanding < 1)
		fs_panic("log_write: outside a transaction");
	for (i = 0; i < log.lh.n; i++)
		if (log.lh.block[i] == b->blockno)
			break;
	if (i == log.lh.n) {
		if (log.lh.n >= log.size)
			fs_panic("log_write: the transaction is larger than the log");
		log.lh.block[log.lh.n++] = b->blockno;
	}
	b->pinned = 1;
}

/*
 * fscore.h: the core of lab 5's file-system server, xv6's file system (the
 * xv6 book, chapter "File system") on the format of kit/fs.h, in layers:
 *
 *   fsops.c   the operations of kit/fsclient.h, each one transaction
 *   dir.c     directories: lookup, link, path resolution
 *   inode.c   inodes: alloc, read/write of their data, truncate; the bitmap
 *   log.c     the write-ahead log: begin_op/end_op, log_write, commit, recovery
 *   bcache.c  the block cache over the device
 *
 * The same files build into the server (fsd.c: the device is the block
 * server) and on the host (fs_host.c: the device is an image file), where
 * the kit's tests drive them. One thread runs them: nothing is locked, and an
 * operation runs from start to end before the next one starts.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include "kit/fs.h"
#include "kit/fsclient.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* -- what the program around the core provides (fsd.c, fs_host.c) ------------------------------ */

/* dev_rw: read (write 0) or write (write 1) block number block (FS_BSIZE bytes) into or from buf;
 * 0 or a negative -E* code. */
int dev_rw(uint32_t block, void *buf, int write);
/* fs_panic: a broken invariant or a device that fails: stop, with why. The log keeps the disk
 * consistent; the server's restart recovers. */
__attribute__((noreturn)) void fs_panic(const char *why);

/* -- bcache.c: the block cache ---------------------------------------------------------------- */

#define NBUF 48 /* cached blocks (FS_BSIZE bytes each) */

struct buf {
	uint32_t blockno;
	int valid;	   /* data holds the block's bytes */
	int refcnt;	   /* bread()s not yet brelse()d */
	int pinned;	   /* in the open transaction (log_write): must stay cached until commit */
	unsigned long lru; /* bcache_tick at its last brelse: the least recent is evicted first */
	uint8_t data[FS_BSIZE];
};

struct buf *bread(uint32_t blockno);
void bwrite(struct buf *b);
void brelse(struct buf *b);
void bcache_init(void);
extern unsigned long bcache_reads, bcache_hits, bcache_writes; /* counters, for the numbers */

/* -- log.c: the write-ahead log ---------------------------------------------------------------- */

#define MAXOPBLOCKS 10 /* the most blocks one operation writes (xv6's param.h) */

void log_init(const struct fs_superblock *sb);
void begin_op(void);
void end_op(void);
void log_write(struct buf *b);

/* -- inode.c: inodes and their data ------------------------------------------------------------ */

/* An inode in memory: a copy of its on-disk inode, written back by iupdate. One operation holds
 * at most one copy of an inode. */
struct inode {
	uint32_t inum;
	struct fs_dinode d;
};

extern struct fs_superblock sb;

/* The generation a handle names (kit/fsclient.h): the on-disk minor of a file or directory. */
#define INODE_GEN(ip) ((uint16_t)(ip)->d.minor)

void iget(uint32_t inum, struct inode *ip);
void iupdate(struct inode *ip);
int ialloc(int16_t type, struct inode *ip);
void itrunc(struct inode *ip);
long readi(struct inode *ip, void *dst, uint32_t off, uint32_t n);
long writei(struct inode *ip, const void *src, uint32_t off, uint32_t n);

/* -- dir.c: directories and paths --------------------------------------------------------------- */

uint32_t dirlookup(struct inode *dp, const char *name, uint32_t *poff);
int dirlink(struct inode *dp, const char *name, uint32_t inum);
int namei(const char *path, struct inode *ip);
int nameiparent(const char *path, struct inode *dp, char name[FS_DIRSIZ + 1]);

/* -- fsops.c: the operations (kit/fsclient.h's, the server's side) ------------------------------ */

int fs_mount(void);
long fsop_open(const char *path, struct fs_stat *st);
long fsop_create(const char *path, struct fs_stat *st);
long fsop_mkdir(const char *path);
long fsop_unlink(const char *path);
long fsop_stat(fs_handle_t h, struct fs_stat *st);
long fsop_read(fs_handle_t h, unsigned long off, void *buf, unsigned long n);
long fsop_write(fs_handle_t h, unsigned long off, const void *buf, unsigned long n);
long fsop_readdir(fs_handle_t h, unsigned long index, struct fs_entry *e);

/*
 * kit/fs.h: the on-disk format of lab 5's file system, shared by the host
 * tools (tools/mkfs: mkfs builds an image, fsck checks one) and the file
 * system server. It is xv6's format (the xv6 book, chapter "File system")
 * with 4 KiB blocks: every number on disk is little-endian, a block number
 * is an index of FS_BSIZE bytes from the start of the image.
 *
 * The layout, in blocks:
 *
 *   [ 0: unused | 1: superblock | log: header + nlog blocks | inodes | bitmap | data ]
 *
 * The log makes a group of block writes atomic: a transaction writes its
 * blocks to the log, then the header with their home numbers (the commit
 * point), then the blocks to their homes, then a header with n = 0. At boot a
 * header with n > 0 is replayed (copied home) before anything else is read.
 *
 * Link counts: an inode's nlink is the number of directory entries that name
 * it, not counting a directory's own "." and "..", plus one for the root
 * directory (as if it had a name). A subdirectory's ".." counts for its
 * parent, as in xv6.
 */
#pragma once

#include <stdint.h>

#define FS_BSIZE     4096	/* bytes in a block */
#define FS_MAGIC     0x6b697466 /* "kitf", the superblock's magic */
#define FS_ROOTINO   1		/* the root directory's inode number; inode 0 is never used */
#define FS_NDIRECT   12		/* direct block addresses in an inode */
#define FS_NINDIRECT (FS_BSIZE / sizeof(uint32_t)) /* addresses in the indirect block */
#define FS_MAXFILE   (FS_NDIRECT + FS_NINDIRECT)   /* blocks in the largest file */
#define FS_LOGMAX    32 /* the most blocks one transaction writes (the header's array) */
#define FS_DIRSIZ    14 /* bytes of a name in a directory entry, NUL-padded, not terminated */

/* Inode types (struct fs_dinode.type). */
#define FS_T_FREE 0 /* a free inode */
#define FS_T_DIR  1 /* a directory: an array of struct fs_dirent */
#define FS_T_FILE 2 /* a regular file */
#define FS_T_DEV  3 /* a device: major, minor name it, no blocks */

/* Block 1. */
struct fs_superblock {
	uint32_t magic;	     /* FS_MAGIC */
	uint32_t size;	     /* blocks in the image */
	uint32_t nblocks;    /* data blocks */
	uint32_t ninodes;    /* inodes */
	uint32_t nlog;	     /* log blocks, the header not counted (at most FS_LOGMAX) */
	uint32_t logstart;   /* the log header's block; the log's blocks follow it */
	uint32_t inodestart; /* the first inode block */
	uint32_t bmapstart;  /* the first bitmap block; data blocks follow the bitmap */
};

/* The log header, at block logstart: block[i] is the home of log block logstart + 1 + i. */
struct fs_loghead {
	uint32_t n; /* committed blocks; 0: the log is empty */
	uint32_t block[FS_LOGMAX];
};

/* An inode on disk (64 bytes). addrs[0..FS_NDIRECT-1] are data blocks, addrs[FS_NDIRECT] the
 * indirect block of FS_NINDIRECT more; 0 is "no block". */
struct fs_dinode {
	int16_t type;  /* FS_T_* */
	int16_t major; /* FS_T_DEV only */
	int16_t minor; /* FS_T_DEV: the device's; otherwise the inode's generation (the file-system
			* server adds one each time it allocates the inode: kit/fsclient.h's handles) */
	int16_t nlink; /* directory entries naming it (see above) */
	uint32_t size; /* bytes */
	uint32_t addrs[FS_NDIRECT + 1];
};

#define FS_IPB (FS_BSIZE / sizeof(struct fs_dinode)) /* inodes per block */
#define FS_BPB (FS_BSIZE * 8)			     /* bitmap bits per block */

/* A directory entry (16 bytes); inum 0 marks a free entry. */
struct fs_dirent {
	uint16_t inum;
	char name[FS_DIRSIZ];
};

/* The block holding inode inum, of superblock sb. */
#define FS_IBLOCK(inum, sb) ((inum) / FS_IPB + (sb).inodestart)
/* The bitmap block holding block b's bit, of superblock sb. */
#define FS_BBLOCK(b, sb) ((b) / FS_BPB + (sb).bmapstart)

_Static_assert(sizeof(struct fs_dinode) == 64, "struct fs_dinode is 64 bytes");
_Static_assert(sizeof(struct fs_dirent) == 16, "struct fs_dirent is 16 bytes");
_Static_assert(sizeof(struct fs_loghead) <= FS_BSIZE, "the log header fits a block");

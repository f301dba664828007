/*
 * kit/fsclient.h: lab 5's file-system protocol, the one the file-system
 * server (user/lab5/fsd.c, registered as "fsd" with the name service,
 * kit/ns.h) speaks, and its client calls (user/lib/fsclient.c).
 *
 * The server keeps no state per client: a file is named by a handle (its
 * inode number and the inode's generation, which the server bumps each time
 * it allocates the inode, so a handle outlives neither an unlink nor a
 * reuse of the number), and every read and write carries its own offset. A
 * handle stays good across a restart of the server (the generation is on
 * disk), so a client that sees its Call fail (-EPIPE or -EINVAL: the server
 * went away, and its endpoint with it) looks "fsd" up again and repeats the same call; the client calls below do
 * that themselves. Every operation that changes the disk is one transaction
 * of the server's log, committed before the reply: what was acknowledged is
 * on disk, whatever crashes afterwards.
 *
 * The wire protocol (a Call on the server's endpoint; the label is the
 * operation; the reply's label is 0, MR 0 the result, >= 0 or a negative
 * -E* code, and the results named below in the MRs after it):
 *   FS_OPEN (path) -> 0, MR 1 the handle, MRs 2..4 its type, size, nlink
 *   FS_CREATE (path) -> the same, of a new empty file (an existing file is
 *       truncated to 0 bytes)
 *   FS_MKDIR (path) -> 0
 *   FS_UNLINK (path) -> 0
 *   FS_STAT (MR 0 a handle) -> 0, MRs 2..4 type, size, nlink
 *   FS_READ (MR 0 a handle, MR 1 an offset in bytes, MR 2 a length in bytes,
 *       at most FS_IO_MAX) -> the bytes read (0 at or past the end), the
 *       data from MR FS_MR_DATA on
 *   FS_WRITE (MR 0 a handle, MR 1 an offset, MR 2 a length at most
 *       FS_IO_MAX, the data from MR FS_MR_DATA on) -> the bytes written (all
 *       of them); one transaction: all of it is on disk, or none
 *   FS_READDIR (MR 0 a directory's handle, MR 1 an entry index) -> the index
 *       of the next entry in use at or after it, plus one (0: no more), MR 1
 *       its inode number, MRs 2..3 its type and size, the name (NUL-padded,
 *       FS_DIRSIZ bytes) in MRs FS_MR_DATA and FS_MR_DATA + 1
 * A path (absolute, '/'-separated, at most FS_PATH_MAX - 1 bytes) is carried
 * NUL-terminated from MR FS_MR_DATA on.
 */
#pragma once

#include "kit/abi.h"
#include "kit/fs.h"

/* Labels of file-system calls. */
#define FS_OPEN	   1
#define FS_CREATE  2
#define FS_MKDIR   3
#define FS_UNLINK  4
#define FS_STAT	   5
#define FS_READ	   6
#define FS_WRITE   7
#define FS_READDIR 8

#define FS_MR_DATA  4 /* the first MR of a path or of data (MRs 0..3 travel in registers) */
#define FS_IO_MAX   ((KIT_MSG_MAX_MRS - FS_MR_DATA) * 8) /* bytes a read or write call moves: 480 */
#define FS_PATH_MAX 128					 /* bytes of a path with its NUL */

/* A file's handle: the inode number (bits 0..31) and its generation (bits 32..47); never 0. */
typedef unsigned long fs_handle_t;
#define FS_HANDLE(inum, gen) ((unsigned long)(inum) | (unsigned long)(gen) << 32)
#define FS_HANDLE_INUM(h)    ((uint32_t)(h))
#define FS_HANDLE_GEN(h)     ((uint16_t)((h) >> 32))

/* What fs_stat and fs_fstat fill. */
struct fs_stat {
	fs_handle_t handle;
	unsigned type;	    /* FS_T_DIR, FS_T_FILE or FS_T_DEV (kit/fs.h) */
	unsigned nlink;	    /* directory entries naming it (kit/fs.h) */
	unsigned long size; /* bytes */
};

/* What fs_readdir fills: one directory entry ("." and ".." included). */
struct fs_entry {
	char name[FS_DIRSIZ + 1]; /* NUL-terminated */
	unsigned inum;
	unsigned type; /* its inode's FS_T_* */
	unsigned long size;
};

/*
 * The client calls (user/lib/fsclient.c). Each returns >= 0 or a negative
 * -E* code. Errors every call may return:
 *   -ENOENT   fs_init: nobody serves "fsd" (after retrying, see fs_init);
 *             others: a path component does not exist
 *   -ESTALE   the handle's inode was freed (unlinked) or reused since
 *   -EINVAL   a bad argument (a relative or empty path, a handle of 0)
 *   -ENAMETOOLONG  a path of FS_PATH_MAX bytes or more, or a name longer
 *             than FS_DIRSIZ
 *   -ENOTDIR  a path component (not the last) is not a directory
 *   -EPIPE    the server kept failing: it went away, and NS_RETRY_MAX lookups
 *             and retries did not get an answer
 * Retrying is safe because every call is idempotent but two: a retried
 * fs_mkdir may answer -EEXIST, a retried fs_unlink -ENOENT, when the first
 * attempt took effect before the server failed.
 */
#define FS_NAME "fsd" /* the server's name (kit/ns.h) */
#define FS_SLOT 248   /* where the calls keep the server's endpoint, unless fs_init says */

/* fs_init: keep the server's endpoint in slot of the caller's cspace (emptied first) instead
 * of FS_SLOT, and look "fsd" up there now (retrying while nobody serves it). 0; ns_lookup's
 * errors. Optional: without it the first call looks the server up into FS_SLOT. */
long fs_init(unsigned long slot);
/* fs_open: the handle of an existing file or directory path into *h (and its stat into *st
 * unless st is NULL). 0. */
long fs_open(const char *path, fs_handle_t *h, struct fs_stat *st);
/* fs_create: a new empty file path (or an existing file truncated to 0 bytes), its handle into
 * *h. 0; -EISDIR a directory of that name; -ENOSPC no free inode or block. */
long fs_create(const char *path, fs_handle_t *h);
/* fs_read: up to len bytes at byte offset off into buf. The bytes read (less than len only at
 * the end of the file; 0 at or past it); -EISDIR a directory. */
long fs_read(fs_handle_t h, unsigned long off, void *buf, unsigned long len);
/* fs_write: len bytes from buf at byte offset off (the file grows as needed; a hole reads as
 * zeros). The bytes written, all on disk: len, or fewer when the disk filled up; -EISDIR a
 * directory, -EFBIG past FS_MAXFILE blocks, -ENOSPC the disk is full. A write of more than
 * FS_IO_MAX bytes is several transactions in order: after an error a prefix may be on disk. */
long fs_write(fs_handle_t h, unsigned long off, const void *buf, unsigned long len);
/* fs_close: forget h. 0 (the server holds nothing per handle: nothing to tell it). */
long fs_close(fs_handle_t h);
/* fs_stat: path's stat into *st. 0. */
long fs_stat(const char *path, struct fs_stat *st);
/* fs_fstat: h's stat into *st. 0. */
long fs_fstat(fs_handle_t h, struct fs_stat *st);
/* fs_mkdir: a new empty directory path. 0; -EEXIST path exists, -ENOSPC. */
long fs_mkdir(const char *path);
/* fs_unlink: remove the directory entry path; the inode is freed with its last link. 0;
 * -ENOTEMPTY a directory with entries besides "." and "..", -EBUSY "/" (or a path ending in
 * "." or ".."). */
long fs_unlink(const char *path);
/* fs_readdir: the entry of directory dir at index *cookie or the next one in use after it into
 * *e, and *cookie past it (start with *cookie 0). 1 an entry, 0 no more; -ENOTDIR dir is not a
 * directory. */
long fs_readdir(fs_handle_t dir, unsigned long *cookie, struct fs_entry *e);
/* fs_read_file: the whole file path into buf (max bytes), e.g. an ELF to load. Its size in
 * bytes; -EFBIG larger than max, -EISDIR a directory. */
long fs_read_file(const char *path, void *buf, unsigned long max);

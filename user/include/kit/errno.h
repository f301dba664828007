/*
 * kit/errno.h: the error codes of the kernel ABI, shared by the kernel
 * (common/include/errno.h includes it) and user programs. System calls
 * return them negated (-EINVAL). Numbers follow Linux
 * (include/uapi/asm-generic/errno-base.h) so lab 6 can pass them through to
 * Linux programs unchanged.
 */
#pragma once

#define EPERM	     1	/* operation not permitted (a capability lacks a right) */
#define ENOENT	     2	/* no such entry */
#define ESRCH	     3	/* no such task: it has ended (lab 5's task capabilities) */
#define EINTR	     4	/* interrupted: the thread's task is ending */
#define EIO	     5	/* I/O error */
#define E2BIG	     7	/* argument list too long (an image over its limit) */
#define ENOEXEC	     8	/* exec format error: not an executable the kernel can load */
#define EAGAIN	     11 /* resource temporarily unavailable (a non-blocking operation would block) */
#define ENOMEM	     12	 /* out of memory */
#define EFAULT	     14	 /* bad address (a user pointer the task cannot access) */
#define EBUSY	     16	 /* resource busy */
#define EEXIST	     17	 /* already exists (a slot is not empty) */
#define ENOTDIR	     20	 /* not a directory (a path component, lab 5's file system) */
#define EISDIR	     21	 /* is a directory (where a file is needed) */
#define EINVAL	     22	 /* invalid argument */
#define EFBIG	     27	 /* file too large (past the largest file the format holds) */
#define ENOSPC	     28	 /* no space left */
#define EPIPE	     32	 /* the object waited on went away (its last capability was deleted) */
#define ERANGE	     34	 /* result out of range */
#define ENAMETOOLONG 36	 /* a path or a name too long */
#define ENOSYS	     38	 /* not implemented (an unknown system call number) */
#define ENOTEMPTY    39	 /* a directory that is not empty */
#define ESTALE	     116 /* a stale file handle (its inode was freed or reused) */

/*
 * errno.h: the kernel's error codes. Functions return them negated (-EINVAL).
 * Numbers follow Linux (include/uapi/asm-generic/errno-base.h) so lab 6 can
 * pass them through to Linux programs unchanged.
 */
#pragma once

#define EPERM  1  /* operation not permitted */
#define ENOENT 2  /* no such entry */
#define EIO    5  /* I/O error */
#define E2BIG  7  /* argument list too long */
#define EAGAIN 11 /* resource temporarily unavailable */
#define ENOMEM 12 /* out of memory */
#define EFAULT 14 /* bad address */
#define EBUSY  16 /* resource busy */
#define EEXIST 17 /* already exists */
#define EINVAL 22 /* invalid argument */
#define ENOSPC 28 /* no space left */
#define ERANGE 34 /* result out of range */
#define ENOSYS 38 /* not implemented */

/* errstr: the name of error code err (positive or negative), e.g. "ENOSYS". */
const char *errstr(int err);

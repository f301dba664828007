/*
 * errno.h: the kernel's error codes. Functions return them negated (-EINVAL).
 * The numbers are part of the kernel ABI (user/include/kit/errno.h, shared
 * with user programs).
 */
#pragma once

#include "../../user/include/kit/errno.h" /* the numbers (a relative path: host tests build it too) */

/* errstr: the name of error code err (positive or negative), e.g. "ENOSYS". */
const char *errstr(int err);

/*
 * types.h: the kit's scalar types and common macros. The fixed-width
 * integers, size_t, bool and NULL come from the compiler's freestanding
 * headers (C11 4p6: <stdint.h>, <stddef.h>, <stdbool.h> and
 * <stdnoreturn.h> exist without a C library), so host tools can include
 * the kernel's headers beside libc's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

typedef long ssize_t;	       /* a size or a negative -E* code (as POSIX's) */
typedef unsigned long paddr_t; /* a physical address */
typedef unsigned long vaddr_t; /* a virtual address */

#define noinline      __attribute__((noinline))
#define unused	      __attribute__((unused))
#define likely(x)     __builtin_expect(!!(x), 1)
#define unlikely(x)   __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define KiB (1024UL)
#define MiB (1024UL * 1024)
#define GiB (1024UL * 1024 * 1024)

/* Round x up / down to a multiple of a, a power of two. */
#define ROUNDUP(x, a)	(((x) + (a)-1) & ~((uintptr_t)(a)-1))
#define ROUNDDOWN(x, a) ((x) & ~((uintptr_t)(a)-1))

/*
 * kernel.h: what almost every kernel file needs: panic, assert, the kernel's
 * image layout symbols, and the version.
 */
#pragma once

#include "types.h"
#include "errno.h"
#include "kprintf.h"

#define KIT_VERSION "0.1"

/*
 * panic: print "panic: <message>" with the caller and a symbolized
 * backtrace, then power off with a failure status (QEMU exits non-zero).
 * For broken invariants only; bad input gets an error code instead.
 */
noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* assert: panics with the condition's text and place when cond is false (kept in every build). */
#define assert(cond)                                                                               \
	do {                                                                                       \
		if (unlikely(!(cond)))                                                             \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);          \
	} while (0)

/* Bounds of the kernel image, from the linker script (addresses, not values). */
extern char _start[], _etext[], _erodata[], _edata[], _end[];

/* bootargs_get: the value of "key=value" in the kernel command line, copied into buf (size bytes); 0 or -ENOENT. */
int bootargs_get(const char *key, char *buf, size_t size);

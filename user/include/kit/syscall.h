/*
 * kit/syscall.h: the user runtime's system calls (user/lib/kit.c and
 * user/lib/<arch>/sys.S) and its small console library: one C function per
 * system call of kit/abi.h, each returning what the kernel returned (>= 0,
 * or a negative -E* code).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "kit/abi.h"

/* kit_syscall: system call nr with six arguments (sys.S): the raw way in, for tests of bad ones. */
long kit_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
/* kit_cycles: the instruction counter (riscv64 instret, x86_64 the TSC: instructions under
 * QEMU -icount shift=0), readable in user mode. */
uint64_t kit_cycles(void);

long sys_null(void);
long sys_debug_puts(const char *buf, size_t len);
__attribute__((noreturn)) void sys_exit(long code);
long sys_yield(void);
long sys_task_info(struct kit_task_info *out, size_t len);
long sys_cap_identify(unsigned long slot, struct kit_cap_info *out);
long sys_cap_copy(unsigned long dest, unsigned long src, unsigned long rights);
long sys_cap_mint(unsigned long dest, unsigned long src, unsigned long rights, unsigned long badge);
long sys_cap_move(unsigned long dest, unsigned long src);
long sys_cap_delete(unsigned long slot);
long sys_cap_revoke(unsigned long slot);
long sys_retype(unsigned long untyped, unsigned long type, unsigned long size_bits,
		unsigned long dest, unsigned long count);

/* printf: a subset of C's (%d %i %u %x %p %s %c %%, the l and z length modifiers, a field
 * width with an optional 0 or -), through SYS_DEBUG_PUTS. Returns the characters formatted. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* puts: s and a newline. */
int puts(const char *s);
/* errname: "EFAULT" for -14 or 14, "0" for 0, "E?" for an unknown code. */
const char *errname(long err);

size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

/*
 * kprintf.h: formatted output. The engine (vprintfmt) is lab 1's work; the
 * plumbing around it (kprintf to the console, snprintf to a buffer) is here.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%; lengths l, ll, z; a width;
 * flags '0' (pad with zeros) and '-' (left-justify). The C standard's
 * fprintf (C11 7.21.6.1) is the reference for what each prints.
 */
#pragma once

#include <stdarg.h>
#include "types.h"

/* putch_fn: emits one character c; arg is the sink's state. */
typedef void (*putch_fn)(int c, void *arg);

/*
 * vprintfmt: format fmt with the arguments in ap, emitting each output
 * character through putch(c, arg). Returns the number of characters emitted.
 */
int vprintfmt(putch_fn putch, void *arg, const char *fmt, va_list ap);

/* kprintf: format to the console. Returns the number of characters printed. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * snprintf: format into buf of size bytes, always NUL-terminated when
 * size > 0. Returns the length the full output would have had (C11 7.21.6.5).
 */
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* vsnprintf: snprintf with the arguments in ap. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* console_puts: write string s to the console unformatted (trusted: no engine involved). */
void console_puts(const char *s);

/* console_puthex: write "0x" and v as 16 hex digits, without the formatting engine. */
void console_puthex(uint64_t v);
/* console_puthex_short: write "0x" and v in as few hex digits as it takes (a symbol offset). */
void console_puthex_short(uint64_t v);

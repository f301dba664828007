/*
 * kprintf.c: the plumbing around the formatting engine (lab 1's vprintfmt):
 * kprintf to the console, snprintf to a buffer, and trusted output routines
 * that never use the engine (console_puts and console_puthex[_short], for
 * panic's addresses and symbol offsets and for the kprintf self-test, which
 * must not depend on what it tests).
 */
#include "kernel.h"
#include "arch.h"
#include "platform.h"

static void console_putch(int c, unused void *arg)
{
	if (c == '\n')
		platform_console_putc('\r');
	platform_console_putc(c);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintfmt(console_putch, NULL, fmt, ap);
	va_end(ap);
	return n;
}

struct sbuf {
	char *buf;
	size_t size; /* bytes available in buf */
	size_t len;  /* characters produced so far */
};

static void sbuf_putch(int c, void *arg)
{
	struct sbuf *b = arg;
	if (b->len + 1 < b->size)
		b->buf[b->len] = (char)c;
	b->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = {buf, size, 0};
	vprintfmt(sbuf_putch, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = 0;
	return (int)b.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void console_puts(const char *s)
{
	while (*s)
		console_putch(*s++, NULL);
}

/* puthex: "0x" and v in hex, at least min_digits digits (1..16). */
static void puthex(uint64_t v, int min_digits)
{
	int shift = 60;

	console_puts("0x");
	while (shift >= 4 * min_digits && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		platform_console_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

void console_puthex(uint64_t v)
{
	puthex(v, 16);
}

void console_puthex_short(uint64_t v)
{
	puthex(v, 1);
}

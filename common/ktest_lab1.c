/*
 * ktest_lab1.c: kernel-side checks for lab 1, run by `test kprintf` and
 * `test backtrace`.
 *
 * kprintf: for each case the kernel prints one line with the format and the
 * argument written by trusted code (console_puts/console_puthex) and the
 * output of lab 1's engine, so the grader can compute the expected text
 * itself:  "kprintf-case <i> type=<t> arg=<0x...|"str"> fmt=[<fmt>] out=[<out>] ret=<n>"
 * backtrace: a known chain ktest_bt_top -> ktest_bt_mid -> ktest_bt_leaf ->
 * backtrace_print, whose names and order the grader checks.
 */
#include "kernel.h"
#include "arch.h"
#include "string.h"
#include "ktest.h"
#include "backtrace.h"

enum argtype { T_INT, T_UINT, T_LONG, T_ULONG, T_LLONG, T_SIZE, T_PTR, T_STR, T_CHAR, T_NONE };
static const char *const type_names[] = {"int",	 "uint", "long", "ulong", "llong",
					 "size", "ptr",	 "str",	 "char",  "none"};

struct fmt_case {
	const char *fmt;
	enum argtype type;
	unsigned long long v; /* the argument for integer types */
	const char *s;	      /* the argument for T_STR */
};

static const struct fmt_case cases[] = {
    {"%d", T_INT, 0},
    {"%d", T_INT, 42},
    {"%d", T_INT, (unsigned)-42},
    {"%i", T_INT, 2147483647},
    {"%d", T_INT, 0x80000000u},
    {"%u", T_UINT, 4294967295u},
    {"%x", T_UINT, 0xdeadbeef},
    {"%X", T_UINT, 0xdeadbeef},
    {"%x", T_UINT, 0},
    {"%ld", T_LONG, (unsigned long)-1234567890123L},
    {"%lu", T_ULONG, 18446744073709551615ul},
    {"%lx", T_ULONG, 0x123456789abcdefUL},
    {"%lld", T_LLONG, 0x8000000000000000ULL},
    {"%llx", T_LLONG, 0xfedcba9876543210ULL},
    {"%zu", T_SIZE, 4096},
    {"%zx", T_SIZE, 0x1000},
    {"%p", T_PTR, 0x80200000},
    {"%p", T_PTR, 0xffffffff80100000UL},
    {"%s", T_STR, 0, "hello"},
    {"%s", T_STR, 0, ""},
    {"%c", T_CHAR, 'K'},
    {"100%%", T_NONE, 0},
    {"%5d", T_INT, 42},
    {"%-5d|", T_INT, 42},
    {"%05d", T_INT, 42},
    {"%05d", T_INT, (unsigned)-42},
    {"%8x", T_UINT, 0xbeef},
    {"%08x", T_UINT, 0xbeef},
    {"%-8x|", T_UINT, 0xbeef},
    {"%016lx", T_ULONG, 0xabc},
    {"%8s|", T_STR, 0, "abc"},
    {"%-8s|", T_STR, 0, "abc"},
    {"%3c|", T_CHAR, 'z'},
    {"%2d", T_INT, 12345},
    {"a%db%sc%xd", T_NONE, 0},
};

/* format_case: run lab 1's engine on case c into buf; returns the engine's count. */
static int format_case(const struct fmt_case *c, char *buf, size_t size)
{
	switch (c->type) {
	case T_INT:
		return snprintf(buf, size, c->fmt, (int)c->v);
	case T_UINT:
		return snprintf(buf, size, c->fmt, (unsigned)c->v);
	case T_LONG:
		return snprintf(buf, size, c->fmt, (long)c->v);
	case T_ULONG:
		return snprintf(buf, size, c->fmt, (unsigned long)c->v);
	case T_LLONG:
		return snprintf(buf, size, c->fmt, (long long)c->v);
	case T_SIZE:
		return snprintf(buf, size, c->fmt, (size_t)c->v);
	case T_PTR:
		return snprintf(buf, size, c->fmt, (void *)(uintptr_t)c->v);
	case T_STR:
		return snprintf(buf, size, c->fmt, c->s);
	case T_CHAR:
		return snprintf(buf, size, c->fmt, (int)c->v);
	case T_NONE:
		/* The multi-conversion case: fixed arguments 7, "x", 255. */
		return snprintf(buf, size, c->fmt, 7, "x", 255);
	}
	return -1;
}

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

static void ktest_kprintf(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct fmt_case *c = &cases[i];
		char out[64];
		int n = format_case(c, out, sizeof(out));
		console_puts("kprintf-case ");
		console_puthex(i);
		console_puts(" type=");
		console_puts(type_names[c->type]);
		console_puts(" arg=");
		if (c->type == T_STR) {
			console_puts("\"");
			console_puts(c->s);
			console_puts("\"");
		} else {
			console_puthex(c->v);
		}
		console_puts(" fmt=[");
		console_puts(c->fmt);
		console_puts("] out=[");
		console_puts(out);
		console_puts("] ret=");
		console_puthex((uint64_t)(int64_t)n);
		console_puts("\n");
	}
	char small[4];
	int n = snprintf(small, sizeof(small), "%d", 123456);
	ktest_check(n == 6 && strcmp(small, "123") == 0, "snprintf-truncates");
}
KTEST_SUITE("kprintf", ktest_kprintf);

noinline int ktest_bt_leaf(int x)
{
	int n = backtrace_print(arch_frame_pointer());
	return n + x;
}

noinline int ktest_bt_mid(int x)
{
	return ktest_bt_leaf(x + 1) + 1;
}

noinline int ktest_bt_top(int x)
{
	return ktest_bt_mid(x + 1) + 1;
}

static void ktest_backtrace(void)
{
	/* top and mid add 1 each and leaf adds its x (2): the rest is the frame count. */
	int frames = ktest_bt_top(0) - 4;
	ktest_check(frames >= 4, "depth");
}
KTEST_SUITE("backtrace", ktest_backtrace);

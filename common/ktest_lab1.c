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
    {"%6d|", T_INT, (unsigned)-42},
    {"%-6d|", T_INT, (unsigned)-42},
    {"%-05d|", T_INT, 42},
    {"%0-5x|", T_UINT, 0xbeef},
    {"%08ld", T_LONG, (unsigned long)-1234L},
    {"%lld", T_LLONG, 0x7fffffffffffffffULL},
    {"%x", T_UINT, (unsigned)-1},
    {"%20p|", T_PTR, 0x80200000},
    {"%-20p|", T_PTR, 0x80200000},
    {"%p", T_PTR, 0},
    {"%2s|", T_STR, 0, "toolong"},
    {"%-3c|", T_CHAR, 'q'},
    {"a%db%sc%xd", T_NONE, 0},
    {"%05d|%3s|%x", T_NONE, 0},
    {"%-4d|%s|%4x", T_NONE, 0},
};

struct fmt_buf {
	char *buf;
	size_t size, len;
};

static void fmt_putch(int c, void *arg)
{
	struct fmt_buf *b = arg;
	if (b->len + 1 < b->size)
		b->buf[b->len] = (char)c;
	b->len++;
}

/* fmt: vprintfmt into buf (size bytes, NUL-terminated); returns vprintfmt's own count. */
static int fmt(char *buf, size_t size, const char *f, ...)
{
	struct fmt_buf b = {buf, size, 0};
	va_list ap;
	va_start(ap, f);
	int n = vprintfmt(fmt_putch, &b, f, ap);
	va_end(ap);
	buf[b.len < size ? b.len : size - 1] = 0;
	return n;
}

/* format_case: run lab 1's engine on case c into buf; returns the engine's count. */
static int format_case(const struct fmt_case *c, char *buf, size_t size)
{
	switch (c->type) {
	case T_INT:
		return fmt(buf, size, c->fmt, (int)c->v);
	case T_UINT:
		return fmt(buf, size, c->fmt, (unsigned)c->v);
	case T_LONG:
		return fmt(buf, size, c->fmt, (long)c->v);
	case T_ULONG:
		return fmt(buf, size, c->fmt, (unsigned long)c->v);
	case T_LLONG:
		return fmt(buf, size, c->fmt, (long long)c->v);
	case T_SIZE:
		return fmt(buf, size, c->fmt, (size_t)c->v);
	case T_PTR:
		return fmt(buf, size, c->fmt, (void *)(uintptr_t)c->v);
	case T_STR:
		return fmt(buf, size, c->fmt, c->s);
	case T_CHAR:
		return fmt(buf, size, c->fmt, (int)c->v);
	case T_NONE:
		/* The multi-conversion case: fixed arguments 7, "x", 255. */
		return fmt(buf, size, c->fmt, 7, "x", 255);
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

/*
 * Made-up frame chains in a buffer inside the image, walked by backtrace_print:
 * return addresses that are a function's first byte (named by ra - 1, the
 * function before it), _start itself and a data address (both "<unknown>"),
 * and each stop rule: a zero, a misaligned and an outside frame pointer, and
 * a frame that points at itself (BACKTRACE_MAX_DEPTH frames).
 */
uintptr_t ktest_bt_fake[16];
static int ra_slot, prev_slot; /* where arch_frame_ra / arch_frame_prev read, in words from fp */

/* fake_fp: the frame pointer of made-up frame k (0..3). */
static uintptr_t fake_fp(int k)
{
	return (uintptr_t)&ktest_bt_fake[2 + 3 * k];
}

/* fake_layout: find the slots by reading a frame of marked words. */
static void fake_layout(void)
{
	const uintptr_t mark = 0x5a5a0000;
	for (size_t i = 0; i < ARRAY_SIZE(ktest_bt_fake); i++)
		ktest_bt_fake[i] = mark + i;
	ra_slot = (int)(arch_frame_ra(fake_fp(0)) - mark) - 2;
	prev_slot = (int)(arch_frame_prev(fake_fp(0)) - mark) - 2;
}

struct fake_chain {
	const char *name;
	int frames; /* made-up frames, each returning to ra[i] (the last ra repeats) */
	uintptr_t ra[4];
	uintptr_t last; /* the last frame's caller fp; FAKE_SELF: the frame itself */
};
#define FAKE_SELF 1

/* fake_walk: build chain c, walk it from frame 0 and print what backtrace_print returned. */
static void fake_walk(const struct fake_chain *c)
{
	/* no zero word, which would stop a walk gone astray */
	for (size_t i = 0; i < ARRAY_SIZE(ktest_bt_fake); i++)
		ktest_bt_fake[i] = 0x1111111111111111UL;
	for (int k = 0; k < c->frames; k++) {
		bool last = k == c->frames - 1;
		ktest_bt_fake[2 + 3 * k + ra_slot] = c->ra[k];
		uintptr_t prev = c->last == FAKE_SELF ? fake_fp(k) : c->last;
		ktest_bt_fake[2 + 3 * k + prev_slot] = last ? prev : fake_fp(k + 1);
	}
	console_puts("backtrace-fake ");
	console_puts(c->name);
	console_puts("\n");
	int n = backtrace_print(fake_fp(0));
	console_puts("backtrace-fake ");
	console_puts(c->name);
	console_puts(" returned ");
	console_puthex_short((uint64_t)(int64_t)n);
	console_puts("\n");
}

static void ktest_backtrace_fake(void)
{
	uintptr_t mid = (uintptr_t)ktest_bt_mid + 4, top = (uintptr_t)ktest_bt_top;
	const struct fake_chain chains[] = {
	    {"zero", 4, {mid, top, (uintptr_t)_start, (uintptr_t)ktest_bt_fake}, 0},
	    {"misaligned", 1, {mid}, fake_fp(1) + 4},
	    {"outside", 1, {mid}, (uintptr_t)_start - 64},
	    {"loop", 1, {mid}, FAKE_SELF},
	};
	fake_layout();
	for (size_t i = 0; i < ARRAY_SIZE(chains); i++)
		fake_walk(&chains[i]);
}

static void ktest_backtrace(void)
{
	/* top and mid add 1 each and leaf adds its x (2): the rest is the frame count. */
	int frames = ktest_bt_top(0) - 4;
	console_puts("backtrace returned ");
	console_puthex_short((uint64_t)(int64_t)frames);
	console_puts("\n");
	ktest_check(frames >= 4, "depth");
	ktest_backtrace_fake();
}
KTEST_SUITE("backtrace", ktest_backtrace);

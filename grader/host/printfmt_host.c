/*
 * printfmt_host.c: the student's vprintfmt (lab 1) against the C library's
 * vsnprintf, on the host (grader/test_lab1.py, test_kprintf_random).
 *
 * Reads cases from stdin, one per line, fields separated by tabs:
 *     <student format> <classes> <args...> <C format> <classes> <args...>
 * where <classes> names each argument's type (I int, L long, Q long long,
 * P pointer, S string, '-' for none) and integer arguments are hex. Prints
 * one line per case, flushed, so a crash loses nothing before it:
 *     "case <n> ok" or "case <n> got [<out>] ret <r> want [<out>] ret <r>"
 * (outputs with non-printing bytes as \xNN). argv[1]: the first case number.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*putch_fn)(int c, void *arg);
int vprintfmt(putch_fn putch, void *arg, const char *fmt, va_list ap);

#define OUT_MAX 4096

struct buf {
	char s[OUT_MAX];
	size_t n; /* characters emitted, even past OUT_MAX */
};

static void buf_putch(int c, void *arg)
{
	struct buf *b = arg;
	if (b->n < OUT_MAX - 1)
		b->s[b->n] = (char)c;
	b->n++;
}

static int student(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	b->n = 0;
	int r = vprintfmt(buf_putch, b, fmt, ap);
	va_end(ap);
	b->s[b->n < OUT_MAX ? b->n : OUT_MAX - 1] = 0;
	return r;
}

static int libc(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(b->s, OUT_MAX, fmt, ap);
	va_end(ap);
	b->n = r < 0 ? 0 : (size_t)r;
	return r;
}

/* One argument slot: every class's value, the right one passed by call(). */
struct arg {
	uint64_t v;
	const char *s;
};

#define T_I    int
#define T_L    long
#define T_Q    long long
#define T_P    void *
#define T_S    const char *
#define V_I(a) ((int)(a).v)
#define V_L(a) ((long)(a).v)
#define V_Q(a) ((long long)(a).v)
#define V_P(a) ((void *)(uintptr_t)(a).v)
#define V_S(a) ((a).s)
enum { K_I, K_L, K_Q, K_P, K_S, NK };

/* call: fn(b, fmt, args...) with each argument of the type its class names. */
#define CASE1(x)                                                                                   \
	case K_##x:                                                                                \
		return fn(b, fmt, V_##x(a[0]));
#define CASE2(x, y)                                                                                \
	case K_##x *NK + K_##y:                                                                    \
		return fn(b, fmt, V_##x(a[0]), V_##y(a[1]));
#define CASE3(x, y, z)                                                                             \
	case (K_##x * NK + K_##y) * NK + K_##z:                                                    \
		return fn(b, fmt, V_##x(a[0]), V_##y(a[1]), V_##z(a[2]));
#define EACH(M, ...)                                                                               \
	M(__VA_ARGS__ I) M(__VA_ARGS__ L) M(__VA_ARGS__ Q) M(__VA_ARGS__ P) M(__VA_ARGS__ S)
#define C2(x)	 EACH(CASE2, x, )
#define C3(x, y) EACH(CASE3, x, y, )
#define C3x(x)	 C3(x, I) C3(x, L) C3(x, Q) C3(x, P) C3(x, S)

static int call(int (*fn)(struct buf *, const char *, ...), struct buf *b, const char *fmt,
		const char *classes, struct arg *a)
{
	static const char names[] = "ILQPS";
	int n = (int)strlen(classes), code = 0;
	for (int i = 0; i < n; i++)
		code = code * NK + (int)(strchr(names, classes[i]) - names);
	switch (n) {
	case 0:
		return fn(b, fmt);
	case 1:
		switch (code) {
			EACH(CASE1, )
		}
		break;
	case 2:
		switch (code) {
			C2(I) C2(L) C2(Q) C2(P) C2(S)
		}
		break;
	case 3:
		switch (code) {
			C3x(I) C3x(L) C3x(Q) C3x(P) C3x(S)
		}
		break;
	}
	fprintf(stderr, "bad classes '%s'\n", classes);
	exit(2);
}

/* parse: the format, classes and arguments starting at field *f of fields; advances *f. */
static const char *parse(char **fields, int *f, char *classes, struct arg *a)
{
	const char *fmt = fields[(*f)++];
	const char *cls = fields[(*f)++];
	strcpy(classes, strcmp(cls, "-") == 0 ? "" : cls);
	for (size_t i = 0; i < strlen(classes); i++) {
		const char *t = fields[(*f)++];
		a[i].s = t;
		a[i].v = classes[i] == 'S' ? 0 : strtoull(t, NULL, 16);
	}
	return fmt;
}

static void put_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n && i < OUT_MAX - 1; i++)
		if (s[i] >= 32 && s[i] < 127 && s[i] != '\\')
			putchar(s[i]);
		else
			printf("\\x%02x", (unsigned char)s[i]);
}

int main(int argc, char **argv)
{
	static char line[8192];
	long n = argc > 1 ? atol(argv[1]) : 0, k = 0;
	while (fgets(line, sizeof(line), stdin)) {
		if (k++ < n)
			continue;
		line[strcspn(line, "\n")] = 0;
		char *fields[16];
		int nf = 0;
		for (char *p = line, *t; nf < 16 && (t = strsep(&p, "\t"));)
			fields[nf++] = t;
		int f = 0;
		char scls[4], ccls[4];
		struct arg sa[3], ca[3];
		const char *sfmt = parse(fields, &f, scls, sa);
		const char *cfmt = parse(fields, &f, ccls, ca);
		static struct buf got, want;
		int gr = call(student, &got, sfmt, scls, sa);
		int wr = call(libc, &want, cfmt, ccls, ca);
		size_t gn = got.n < OUT_MAX ? got.n : OUT_MAX - 1;
		if (gr == wr && got.n == want.n && memcmp(got.s, want.s, gn) == 0) {
			printf("case %ld ok\n", n);
		} else {
			printf("case %ld got [", n);
			put_escaped(got.s, gn);
			printf("] ret %d want [", gr);
			put_escaped(want.s, want.n);
			printf("] ret %d\n", wr);
		}
		fflush(stdout);
		n++;
	}
	return 0;
}

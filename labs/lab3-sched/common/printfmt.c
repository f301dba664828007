/*
 * printfmt.c: vprintfmt, the kernel's formatting engine (lab 1).
 *
 * Conversions %d %i %u %x %X %p %s %c %%, length modifiers l, ll and z, a
 * decimal field width, and the flags '0' and '-', with the meanings C11
 * 7.21.6.1 gives them. %p prints "0x" and the address in lower-case hex.
 */
#include "kernel.h"
#include "string.h"

struct spec {
	bool left;   /* '-' flag: pad on the right */
	bool zero;   /* '0' flag: pad numbers with zeros */
	int width;   /* minimum field width in characters */
	int longs;   /* 0: int, 1: long (l, z), 2: long long (ll) */
	int written; /* characters emitted so far */
};

static void emit(putch_fn putch, void *arg, struct spec *sp, int c)
{
	putch(c, arg);
	sp->written++;
}

static void pad(putch_fn putch, void *arg, struct spec *sp, int c, int n)
{
	while (n-- > 0)
		emit(putch, arg, sp, c);
}

/* Emit text (len bytes) in a field of sp->width, after an optional sign or prefix. */
static void emit_field(putch_fn putch, void *arg, struct spec *sp, const char *prefix,
		       const char *text, int len)
{
	int plen = (int)strlen(prefix);
	int fill = sp->width - len - plen;
	if (!sp->left && !sp->zero)
		pad(putch, arg, sp, ' ', fill);
	for (const char *p = prefix; *p; p++)
		emit(putch, arg, sp, *p);
	if (!sp->left && sp->zero)
		pad(putch, arg, sp, '0', fill);
	for (int i = 0; i < len; i++)
		emit(putch, arg, sp, text[i]);
	if (sp->left)
		pad(putch, arg, sp, ' ', fill);
}

/* Emit unsigned v in base with digits, after prefix (a sign, "0x" or ""). */
static void emit_number(putch_fn putch, void *arg, struct spec *sp, const char *prefix,
			unsigned long long v, unsigned base, const char *digits)
{
	char buf[24];
	int i = sizeof(buf);
	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v);
	emit_field(putch, arg, sp, prefix, buf + i, (int)sizeof(buf) - i);
}

static long long signed_arg(va_list *ap, int longs)
{
	if (longs == 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static unsigned long long unsigned_arg(va_list *ap, int longs)
{
	if (longs == 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

/* Parse flags, width and length at *fmt into sp; leaves *fmt at the conversion character. */
static void parse_spec(const char **fmt, struct spec *sp)
{
	const char *f = *fmt;
	sp->left = sp->zero = false;
	sp->width = sp->longs = 0;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	for (; *f == 'l' || *f == 'z'; f++)
		sp->longs++;
	if (sp->longs > 2)
		sp->longs = 2;
	*fmt = f;
}

static void convert(putch_fn putch, void *arg, struct spec *sp, char conv, va_list *ap)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	const char *s;
	char c;
	long long v;
	switch (conv) {
	case 'd':
	case 'i':
		v = signed_arg(ap, sp->longs);
		emit_number(putch, arg, sp, v < 0 ? "-" : "",
			    v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10, lower);
		break;
	case 'u':
		emit_number(putch, arg, sp, "", unsigned_arg(ap, sp->longs), 10, lower);
		break;
	case 'x':
	case 'X':
		emit_number(putch, arg, sp, "", unsigned_arg(ap, sp->longs), 16,
			    conv == 'x' ? lower : upper);
		break;
	case 'p':
		emit_number(putch, arg, sp, "0x", (uintptr_t)va_arg(*ap, void *), 16, lower);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		sp->zero = false;
		emit_field(putch, arg, sp, "", s, (int)strlen(s));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		sp->zero = false;
		emit_field(putch, arg, sp, "", &c, 1);
		break;
	case '%':
		emit(putch, arg, sp, '%');
		break;
	default:
		/* Unknown conversion: print it as written so the mistake shows. */
		emit(putch, arg, sp, '%');
		if (conv)
			emit(putch, arg, sp, conv);
	}
}

int vprintfmt(putch_fn putch, void *arg, const char *fmt, va_list ap)
{
	struct spec sp = {0};
	va_list aq;
	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			emit(putch, arg, &sp, *f);
			continue;
		}
		f++;
		parse_spec(&f, &sp);
		convert(putch, arg, &sp, *f, &aq);
		if (!*f)
			break;
	}
	va_end(aq);
	return sp.written;
}

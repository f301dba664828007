/*
 * string.c: memory and string functions (C11 7.24), strtoul, errstr.
 * Simple byte loops: clarity over speed. Freestanding: user programs link
 * it too (user/rules.mk), so the kernel and user space share one copy.
 */
#include "string.h"
#include "errno.h"

/* memset: byte stores up to 8-byte alignment, then 32 bytes per iteration
 * (the frame table, megabytes of it, is cleared at boot within the boot budget). */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (uint8_t)c;
	uint64_t w = 0x0101010101010101UL * (uint8_t)c;
	for (; n >= 32; n -= 32, d += 32) {
		((uint64_t *)d)[0] = w;
		((uint64_t *)d)[1] = w;
		((uint64_t *)d)[2] = w;
		((uint64_t *)d)[3] = w;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = w;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

/* memcpy: forward copy, 8 bytes at a time when dst and src are both 8-byte aligned (every
 * block and page the kernel and lab 5's servers copy), else bytes; they must not overlap. */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0)
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const uint8_t *p = s;
	for (; n; n--, p++)
		if (*p == (uint8_t)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (uint8_t)*a - (uint8_t)*b;
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = 0;
	}
	return n;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, const char **end, int base)
{
	unsigned long v = 0;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, base = 16;
	else if (base == 0)
		base = s[0] == '0' ? 8 : 10;
	for (; digit_value(*s) < base; s++)
		v = v * base + digit_value(*s);
	if (end)
		*end = s;
	return v;
}

const char *errstr(int err)
{
	static const char *const names[] = {
	    [EPERM] = "EPERM",
	    [ENOENT] = "ENOENT",
	    [EIO] = "EIO",
	    [E2BIG] = "E2BIG",
	    [EAGAIN] = "EAGAIN",
	    [ENOMEM] = "ENOMEM",
	    [EFAULT] = "EFAULT",
	    [EBUSY] = "EBUSY",
	    [EEXIST] = "EEXIST",
	    [EINVAL] = "EINVAL",
	    [ENOSPC] = "ENOSPC",
	    [ERANGE] = "ERANGE",
	    [ENOSYS] = "ENOSYS",
	    [EINTR] = "EINTR",
	    [EPIPE] = "EPIPE",
	    [ENOTDIR] = "ENOTDIR",
	    [EISDIR] = "EISDIR",
	    [EFBIG] = "EFBIG",
	    [ENAMETOOLONG] = "ENAMETOOLONG",
	    [ENOTEMPTY] = "ENOTEMPTY",
	    [ESTALE] = "ESTALE",
	    [ESRCH] = "ESRCH",
	    [ENOEXEC] = "ENOEXEC",
	};
	if (err < 0)
		err = -err;
	if (err < (int)ARRAY_SIZE(names) && names[err])
		return names[err];
	return "E?";
}

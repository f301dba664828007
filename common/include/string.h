/*
 * string.h: the C library's memory and string functions the kernel uses
 * (C11 7.24), plus strtoul-style parsing.
 */
#pragma once

#include "types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* strlcpy: copy src into dst of size bytes, NUL-terminated; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * strtoul: parse an unsigned number from s in base (0 = auto: 0x hex, 0 octal,
 * else decimal; 16 accepts an optional 0x). *end (if end != NULL) is set past
 * the last digit used. No overflow detection.
 */
unsigned long strtoul(const char *s, const char **end, int base);

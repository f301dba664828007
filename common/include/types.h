/*
 * types.h: fixed-width integers and the kit's scalar types, for freestanding C.
 */
#pragma once

typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long int64_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long paddr_t; /* a physical address */
typedef unsigned long vaddr_t; /* a virtual address */
typedef _Bool bool;

#define true 1
#define false 0
#define NULL ((void *)0)

#define noreturn      __attribute__((noreturn))
#define noinline      __attribute__((noinline))
#define unused	      __attribute__((unused))
#define likely(x)     __builtin_expect(!!(x), 1)
#define unlikely(x)   __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define KiB (1024UL)
#define MiB (1024UL * 1024)
#define GiB (1024UL * 1024 * 1024)

/* Round x up / down to a multiple of a, a power of two. */
#define ROUNDUP(x, a)	(((x) + (a)-1) & ~((uintptr_t)(a)-1))
#define ROUNDDOWN(x, a) ((x) & ~((uintptr_t)(a)-1))

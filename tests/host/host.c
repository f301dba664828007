/*
 * host.c: the libc side of the host unit tests (tests/host/): main, the
 * kernel services the code under test calls (kprintf, panic, mm_misuse,
 * frame_alloc/frame_free from a pool of page-aligned host memory,
 * arch_mmu_active, arch_tlb_flush_page) and a seeded random generator.
 * It includes libc's headers first, then the kernel's (their declarations
 * check these definitions); host.h is the tests' view of it. Built once
 * per arch, with the kernel's include flags (-iquote common/include).
 * usage: test_<name> <mode> <seed>
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "arch.h"
#include "mm.h"
#include "host.h"

#define POOL_MAX 65536

static const char *prog, *test_mode;
static unsigned long test_seed, rng_state;

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("panic: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	host_fail();
}

noreturn void host_fail(void)
{
	printf("FAILED: mode %s seed %lu (rerun: %s %s %lu)\n", test_mode, test_seed, prog,
	       test_mode, test_seed);
	fflush(stdout);
	exit(1);
}

/* host_rand: splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014). */
uint64_t host_rand(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15UL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

uint64_t host_below(uint64_t n)
{
	return host_rand() % n;
}

bool host_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* mm_misuse: prints the first few reports as the kernel does, the caller as an address. */
size_t host_misuses;
uintptr_t host_misuse_addr;
const char *host_misuse_fn, *host_misuse_what;

int mm_misuse(const char *fn, const char *what, uintptr_t addr, uintptr_t caller)
{
	host_misuses++;
	host_misuse_fn = fn;
	host_misuse_what = what;
	host_misuse_addr = addr;
	if (host_misuses <= 3) /* enough to see the format */
		printf("%s: %s 0x%lx (called from 0x%lx)\n", fn, what, addr, caller);
	return -EINVAL;
}

/* The frame pool (host.h). */
static void *pool[POOL_MAX];
size_t host_frames_out;
long host_frames_limit = -1;

void *frame_alloc(unsigned order)
{
	if (order != 0) {
		printf("frame_alloc: order %u; the host pool has single frames only\n", order);
		host_fail();
	}
	if (host_frames_limit >= 0 && host_frames_out >= (size_t)host_frames_limit)
		return NULL;
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!p || host_frames_out == POOL_MAX) {
		printf("frame_alloc: the host pool is exhausted (%lu frames)\n", host_frames_out);
		host_fail();
	}
	memset(p, 0xa5, PAGE_SIZE); /* contents undefined: the caller clears what it uses */
	pool[host_frames_out++] = p;
	return p;
}

static long pool_find(const void *p)
{
	for (size_t i = 0; i < host_frames_out; i++)
		if (pool[i] == p)
			return (long)i;
	return -1;
}

int frame_free(void *kva)
{
	long i = pool_find(kva);
	if (i < 0) {
		printf("frame_free: %p is not an outstanding frame (a double free, or never "
		       "allocated)\n",
		       kva);
		host_fail();
	}
	pool[i] = pool[--host_frames_out];
	memset(kva, 0x5a, PAGE_SIZE);
	free(kva);
	return 0;
}

bool host_frame_owned(paddr_t pa)
{
	return pool_find(pa_to_kva(pa)) >= 0;
}

/* The MMU hooks pt.c calls. */
paddr_t host_mmu_root;
size_t host_flushes;
uintptr_t host_flush_log[HOST_FLUSH_LOG];

paddr_t arch_mmu_active(void)
{
	return host_mmu_root;
}

void arch_tlb_flush_page(uintptr_t va)
{
	if (host_flushes < HOST_FLUSH_LOG)
		host_flush_log[host_flushes] = va;
	host_flushes++;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	prog = argv[0];
	if (argc != 3) {
		fprintf(stderr, "usage: %s <mode> <seed>\n", prog);
		return 2;
	}
	test_mode = argv[1];
	test_seed = strtoul(argv[2], NULL, 0);
	rng_state = test_seed;
	if (host_test(test_mode, test_seed) < 0) {
		fprintf(stderr, "%s: unknown mode '%s'\n", prog, test_mode);
		return 2;
	}
	return 0;
}

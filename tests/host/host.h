/*
 * host.h: what the host unit tests (tests/host/test_*.c) see of their harness
 * (host.c): failure reporting, a seeded random generator, and the recorders
 * behind the kernel services the code under test calls (declared by the
 * kernel's own headers, which host.c includes beside libc's).
 */
#pragma once

#include "types.h"

/* host_test: the test binary's entry, called by main; 0 when every check passed, -1 for an unknown mode. */
int host_test(const char *mode, unsigned long seed);

/* host_fail: print the mode and seed to rerun with, then exit with status 1. */
noreturn void host_fail(void);

/* CHECK: when cond is false, print "FAIL file:line: cond: <message>" and fail the test. */
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (unlikely(!(cond))) {                                                           \
			kprintf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                    \
			kprintf(__VA_ARGS__);                                                      \
			kprintf("\n");                                                             \
			host_fail();                                                               \
		}                                                                                  \
	} while (0)

/* host_rand: the next 64 random bits (splitmix64, seeded with the seed); host_below: 0..n-1. */
uint64_t host_rand(void);
uint64_t host_below(uint64_t n);

/* host_streq: whether strings a and b are equal (either may be NULL). */
bool host_streq(const char *a, const char *b);

/*
 * The frame pool behind frame_alloc/frame_free: single page-aligned host
 * frames, filled with garbage when handed out. host_frames_out counts the
 * frames outstanding; frame_alloc returns NULL while host_frames_out >=
 * host_frames_limit (when it is not -1). frame_free of anything but an
 * outstanding frame fails the test.
 */
extern size_t host_frames_out;
extern long host_frames_limit;
bool host_frame_owned(paddr_t pa);

/* mm_misuse records its last report here and counts them. */
extern size_t host_misuses;
extern const char *host_misuse_fn, *host_misuse_what;
extern uintptr_t host_misuse_addr;

/* arch_mmu_active returns host_mmu_root; arch_tlb_flush_page logs the first HOST_FLUSH_LOG
 * flushed addresses and counts all of them in host_flushes (tests reset it). */
#define HOST_FLUSH_LOG 4096
extern paddr_t host_mmu_root;
extern size_t host_flushes;
extern uintptr_t host_flush_log[HOST_FLUSH_LOG];

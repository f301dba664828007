/*
 * lxgetpid.c: the cost of one forwarded Linux system call: the fewest
 * instructions (riscv64 rdinstret, x86_64 rdtsc: the instruction counter under QEMU
 * -icount shift=0, as the kit's kit_cycles) of a raw getpid round trip over 100 tries.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline unsigned long counter(void)
{
#if defined(__riscv)
	unsigned long v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
#else
	unsigned lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long)hi << 32 | lo;
#endif
}

int main(void)
{
	unsigned long best = ~0UL;

	for (int i = 0; i < 100; i++) {
		unsigned long t0 = counter();
		syscall(SYS_getpid);
		unsigned long t = counter() - t0;
		if (t < best)
			best = t;
	}
	printf("getpid: %lu instructions per round trip\n", best);
	return 0;
}

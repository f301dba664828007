/*
 * sysbench.c: the null system call's path length, from user space: the
 * instruction counter (kit_cycles) around ROUNDS calls of SYS_NULL, minus
 * the same loop without the call, divided by ROUNDS. Under QEMU -icount
 * shift=0 the result is exact and the same on every run. Prints
 *     "sysbench: null syscall <n> instructions (mean of <ROUNDS>)"
 * and exits 0, or 1 when SYS_NULL does not return 0.
 */
#include "user.h"
#include "kit/syscall.h"

#define ROUNDS 1000

/* empty: what the loop costs without the system call (kit_syscall's own instructions stay in
 * the measurement: they are the user half of the round trip). */
static __attribute__((noinline)) long empty(long nr)
{
	__asm__ volatile("" ::: "memory");
	return nr;
}

int main(void)
{
	long bad = 0;

	uint64_t t0 = kit_cycles();
	for (int i = 0; i < ROUNDS; i++)
		bad |= kit_syscall(SYS_NULL, 0, 0, 0, 0, 0, 0);
	uint64_t t1 = kit_cycles();
	for (int i = 0; i < ROUNDS; i++)
		bad |= empty(SYS_NULL);
	uint64_t t2 = kit_cycles();
	if (bad) {
		printf("sysbench: SYS_NULL returned %ld (%s)\n", bad, errstr(bad));
		return 1;
	}
	uint64_t loop = t2 - t1, calls = t1 - t0;
	printf("sysbench: null syscall %lu instructions (mean of %d)\n",
	       (unsigned long)((calls - (loop < calls ? loop : 0)) / ROUNDS), ROUNDS);
	return 0;
}

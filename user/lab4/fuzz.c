/*
 * fuzz.c: a seeded system-call fuzzer (`run fuzz ARG`: the seed in ARG's
 * low 32 bits, the number of calls in its high 32, default 20,000). Random
 * numbers (valid, reserved, out of range), random arguments (slots the task
 * holds and does not, pointers to nothing, to the kernel, to read-only
 * pages, to a scratch buffer, random words, lengths) against a cspace with
 * some real objects in it. Calls that would block forever, end the task,
 * start threads or tasks, or print are made in their harmless forms
 * (NB variants, over-long lengths) or skipped. Every result must be >= 0 or
 * a known -E* code, and the kernel must not panic. Prints
 *     "fuzz: seed <s>, <n> calls, <ok> ok, <e> errors, <bad> unknown results"
 * and "utest fuzz results: ok" (or FAIL), then exits 0.
 */
#include "user.h"
#include "check.h"

static unsigned long scratch[128]; /* the kernel may write up to 64 bytes from its first half */
static const unsigned long rodata_word = 1;

static unsigned long rng(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* arg: a random argument from the mix. */
static unsigned long arg(unsigned long *s)
{
	switch (rng(s) % 10) {
	case 0:
		return 0;
	case 1:
	case 2:
		return rng(s) % 300; /* a slot, held or not */
	case 3:
		return (unsigned long)scratch + rng(s) % (sizeof(scratch) / 2);
	case 4:
		return -4096UL - (rng(s) % 4096); /* the kernel's half */
	case 5:
		return (unsigned long)&rodata_word;
	case 6:
		return 0x10000000UL + rng(s) % 0x1000; /* unmapped */
	case 7:
		return rng(s) % 8; /* a right, a type, a count */
	case 8:
		return KIT_MSGINFO(rng(s) % 4, rng(s) % 2, rng(s) % 70);
	default:
		return rng(s);
	}
}

/* harmless: nr as the fuzzer may make it, or -1 to skip. */
static long harmless(unsigned long nr, unsigned long *a)
{
	switch (nr) {
	case SYS_EXIT:
	case SYS_TCB_START:
	case SYS_TASK_SPAWN:
		return -1;
	case SYS_DEBUG_PUTS:
		a[1] = KIT_DEBUG_PUTS_MAX + 1 + a[1] % 1000; /* never prints */
		return (long)nr;
	case SYS_SEND:
	case SYS_CALL:
		return SYS_NBSEND;
	case SYS_RECV:
	case SYS_REPLY_RECV:
		return SYS_NBRECV;
	case SYS_WAIT:
		return SYS_POLL;
	}
	return (long)nr;
}

static bool known(long r)
{
	switch (-r) {
	case EPERM:
	case ENOENT:
	case EINVAL:
	case EFAULT:
	case EEXIST:
	case ENOMEM:
	case EAGAIN:
	case EBUSY:
	case ENOSYS:
	case EPIPE:
		return true;
	}
	return r >= 0;
}

int main(void)
{
	unsigned long seed = kit_start_arg & 0xffffffffUL, n = kit_start_arg >> 32;
	unsigned long s = (seed ? seed : 1) * 0x9e3779b97f4a7c15UL | 1;
	unsigned long ok = 0, errs = 0, bad = 0;

	check_suite = "fuzz";
	n = n ? n : 20000;
	/* no devices: random writes to the console's registers would garble what the grader reads */
	sys_cap_delete(KIT_SLOT_CONSOLE_IRQ);
	sys_cap_delete(KIT_SLOT_CONSOLE);
	sys_cap_delete(KIT_SLOT_IRQ_CONTROL);
	sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, 8, 4);
	sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, 12, 4);
	sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_UNTYPED, 14, 16, 2);
	sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_CNODE, 3, 18, 1);
	sys_cap_mint(20, 8, KIT_RIGHT_WRITE, 5);
	for (unsigned long i = 0; i < n; i++) {
		unsigned long a[6], nr = rng(&s) % 40;
		for (int k = 0; k < 6; k++)
			a[k] = arg(&s);
		if (rng(&s) % 64 == 0)
			nr = rng(&s); /* far out of range */
		long h = harmless(nr, a);
		if (h < 0)
			continue;
		long r = kit_syscall(h, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
				     (long)a[5]);
		if (!known(r)) {
			if (bad++ < 5)
				printf("fuzz: call %lu (nr %ld) returned %ld\n", i, h, r);
		} else if (r >= 0) {
			ok++;
		} else {
			errs++;
		}
	}
	printf("fuzz: seed %lu, %lu calls, %lu ok, %lu errors, %lu unknown results\n", seed, n, ok,
	       errs, bad);
	check_eq("results", bad, 0);
	check_done();
	return 0;
}

/*
 * lx_sys.c: a Linux program's calls about the system: limits, random
 * bytes, uname, clocks.
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

/* prlimit64 (pid, resource, new, old): old limits as Linux's defaults; new ones ignored. */
LX_HANDLER(prlimit64)
{
	unsigned long lim[2] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY};

	if (c->a[1] == LX_RLIMIT_STACK)
		lim[0] = 8UL << 20;
	else if (c->a[1] == LX_RLIMIT_NOFILE)
		lim[0] = 1024, lim[1] = 4096;
	return c->a[3] ? lx_mem_write(p, c->a[3], lim, sizeof(lim)) : 0;
}

/* getrandom (buf, len, flags): xorshift64 bytes (Marsaglia 2003), not cryptographic; at most
 * KIT_TASK_MEM_MAX bytes per call (Linux too may return fewer than asked). */
LX_HANDLER(getrandom)
{
	static uint64_t x;
	static char bytes[KIT_TASK_MEM_MAX];
	unsigned long n = c->a[1] < sizeof(bytes) ? c->a[1] : sizeof(bytes);

	if (!x)
		x = kit_cycles() | 1;
	for (unsigned long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		bytes[i] = (char)x;
	}
	return lx_mem_write(p, c->a[0], bytes, n) ? -LX_EFAULT : (long)n;
}

/* uname (struct utsname *): six fields of LX_UTS_LEN bytes. */
LX_HANDLER(uname)
{
	static const char *const f[6] = {"Linux",	 "kit",	     "6.1.0-kit",
					 "#1 kit lab 6", LX_MACHINE, "(none)"};
	char u[6 * LX_UTS_LEN] = {0};

	for (int i = 0; i < 6; i++)
		memcpy(u + i * LX_UTS_LEN, f[i], strlen(f[i]));
	return lx_mem_write(p, c->a[0], u, sizeof(u));
}

/* clock_gettime (clock, struct timespec *): every clock counts instructions as ns (the
 * kit_cycles counter: under -icount shift=0, 1 instruction = 1 ns of virtual time). */
LX_HANDLER(clock_gettime)
{
	uint64_t ns = kit_cycles();
	unsigned long ts[2] = {ns / 1000000000, ns % 1000000000};

	return lx_mem_write(p, c->a[1], ts, sizeof(ts));
}

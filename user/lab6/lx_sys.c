/*
 * lx_sys.c: a Linux program's calls about the system: limits, random
 * bytes, uname, clocks and sleeps.
 *
 * Every clock is the kernel's (SYS_TIMER_SIGNAL's clock, kit/abi.h): ns
 * since boot, where under QEMU -icount shift=0 one instruction is 1 ns of
 * virtual time and time spent idle counts too. CLOCK_MONOTONIC and its
 * kin read it as it is; CLOCK_REALTIME adds the kit's date at boot
 * (2000-01-01 00:00:00 UTC, the RTC's -rtc base, so gettimeofday and time
 * agree with the RTC); the CPU-time clocks (CLOCK_PROCESS_CPUTIME_ID,
 * times' tms_utime) read it too: the kernel keeps a thread's CPU time but
 * tells no task, so a program's CPU time is taken as all the time since
 * boot. A sleep never spins: its deadline goes into the call
 * (lx_call.wake_ns), linuxd's timer is armed for the earliest one
 * (LX_SLOT_TIMER), the call answers LX_BLOCKED and is run again when an
 * event (the timer's LX_EVENT_TIMER bit among them) arrives.
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

#define NS_PER_S	1000000000ULL
#define LX_BOOT_EPOCH_S 946684800ULL /* 2000-01-01 00:00:00 UTC in s since 1970 */
#define LX_SLEEP_MAX_NS (1ULL << 62) /* longer sleeps are this long (146 years) */

/* now: the kernel's clock, ns (SYS_TIMER_SIGNAL with no notification). */
static uint64_t now(void)
{
	return (uint64_t)kit_syscall(SYS_TIMER_SIGNAL, 0, 0, 0, 0, 0, 0);
}

/* clock_offset: what clock adds to the kernel's clock (ns) into *off; 0, or -EINVAL for a
 * clock Linux does not have (or a CPU clock of another process or thread: ids below 0). */
static long clock_offset(unsigned long clock, uint64_t *off)
{
	switch (clock) {
	case LX_CLOCK_REALTIME:
	case LX_CLOCK_REALTIME_COARSE:
	case LX_CLOCK_REALTIME_ALARM:
	case LX_CLOCK_TAI: /* Linux's TAI offset is 0 until NTP sets it */
		*off = LX_BOOT_EPOCH_S * NS_PER_S;
		return 0;
	case LX_CLOCK_MONOTONIC:
	case LX_CLOCK_MONOTONIC_RAW:
	case LX_CLOCK_MONOTONIC_COARSE:
	case LX_CLOCK_BOOTTIME:
	case LX_CLOCK_BOOTTIME_ALARM:
	case LX_CLOCK_PROCESS_CPUTIME_ID:
	case LX_CLOCK_THREAD_CPUTIME_ID:
		*off = 0;
		return 0;
	}
	return -LX_EINVAL;
}

/* put_ts: ns as a struct timespec (two longs: s, ns) at addr; 0 or -EFAULT. */
static long put_ts(struct lx_proc *p, unsigned long addr, uint64_t ns)
{
	unsigned long ts[2] = {ns / NS_PER_S, ns % NS_PER_S};

	return lx_mem_write(p, addr, ts, sizeof(ts));
}

/* clock_gettime (clock, struct timespec *): the clock's time. 0; -EINVAL (an unknown clock),
 * -EFAULT. */
LX_HANDLER(clock_gettime)
{
	uint64_t off;
	long r = clock_offset(c->a[0], &off);

	return r ? r : put_ts(p, c->a[1], now() + off);
}

/* clock_getres (clock, struct timespec * or NULL): the clock's resolution, LX_CLOCK_RES_NS.
 * 0; -EINVAL, -EFAULT. */
LX_HANDLER(clock_getres)
{
	uint64_t off;
	long r = clock_offset(c->a[0], &off);

	return r || !c->a[1] ? r : put_ts(p, c->a[1], LX_CLOCK_RES_NS);
}

/* gettimeofday (struct timeval * or NULL, struct timezone * or NULL): CLOCK_REALTIME in s and
 * us; the time zone UTC (minutes west 0, no DST). 0 or -EFAULT. */
LX_HANDLER(gettimeofday)
{
	uint64_t ns = now() + LX_BOOT_EPOCH_S * NS_PER_S;
	unsigned long tv[2] = {ns / NS_PER_S, ns % NS_PER_S / 1000};
	int tz[2] = {0, 0};

	if (c->a[0] && lx_mem_write(p, c->a[0], tv, sizeof(tv)))
		return -LX_EFAULT;
	if (c->a[1] && lx_mem_write(p, c->a[1], tz, sizeof(tz)))
		return -LX_EFAULT;
	return 0;
}

/* time (time_t * or NULL) (x86_64): CLOCK_REALTIME's seconds, also stored at the pointer;
 * -EFAULT. */
LX_HANDLER(time)
{
	unsigned long s = (now() / NS_PER_S) + LX_BOOT_EPOCH_S;

	if (c->a[0] && lx_mem_write(p, c->a[0], &s, sizeof(s)))
		return -LX_EFAULT;
	return (long)s;
}

/* times (struct tms * or NULL): clock ticks (AT_CLKTCK: 100 per s) since boot; tms_utime the
 * same (the CPU-time rule above), tms_stime and the children's 0. The ticks, or -EFAULT. */
LX_HANDLER(times)
{
	unsigned long ticks = now() / (NS_PER_S / 100), tms[4] = {ticks, 0, 0, 0};

	if (c->a[0] && lx_mem_write(p, c->a[0], tms, sizeof(tms)))
		return -LX_EFAULT;
	return (long)ticks;
}

/* timer_want: linuxd's timer signals LX_EVENT_TIMER by when (kernel clock, ns; t the time
 * now): armed unless an earlier deadline is still pending. 0, or -ENOMEM when it cannot be
 * (the badged copy or SYS_TIMER_SIGNAL failed). */
static long timer_want(uint64_t when, uint64_t t)
{
	static bool made;
	static uint64_t armed; /* the pending deadline (passed: none) */

	if (armed > t && armed <= when)
		return 0;
	if (!made && sys_cap_mint(LX_SLOT_TIMER, LX_SLOT_EVENTS, KIT_RIGHT_WRITE, LX_EVENT_TIMER))
		return -LX_ENOMEM;
	made = true;
	if (kit_syscall(SYS_TIMER_SIGNAL, LX_SLOT_TIMER, (long)when, 0, 0, 0, 0) < 0)
		return -LX_ENOMEM;
	armed = when;
	return 0;
}

/*
 * sleep: c sleeps until the time req (a struct timespec) names on clock: with
 * TIMER_ABSTIME in flags that time of the clock, else req from the call's first run. The
 * first run reads req and keeps the deadline in c->wake_ns; each run answers 0 once it has
 * passed, else arms the timer and answers LX_BLOCKED. rem is never written: no signal
 * interrupts a sleep here; flags other than TIMER_ABSTIME are ignored (as Linux does).
 * -EINVAL (an unknown clock, the CPU clock of a thread, tv_sec < 0, tv_nsec outside
 * 0..999999999), -EFAULT, -ENOMEM (no timer).
 */
static long sleep(struct lx_proc *p, struct lx_call *c, unsigned long clock, unsigned long flags,
		  unsigned long req)
{
	uint64_t t = now(), off;

	if (!c->wake_ns) {
		long ts[2];
		if (clock_offset(clock, &off) || clock == LX_CLOCK_THREAD_CPUTIME_ID)
			return -LX_EINVAL;
		if (lx_mem_read(p, ts, req, sizeof(ts)))
			return -LX_EFAULT;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (long)NS_PER_S)
			return -LX_EINVAL;
		uint64_t ns = (uint64_t)ts[0] >= LX_SLEEP_MAX_NS / NS_PER_S
				  ? LX_SLEEP_MAX_NS
				  : (uint64_t)ts[0] * NS_PER_S + (uint64_t)ts[1];
		if (flags & LX_TIMER_ABSTIME)
			c->wake_ns = ns > off ? ns - off : 1;
		else
			c->wake_ns = t + ns;
	}
	if (t >= c->wake_ns)
		return 0;
	long r = timer_want(c->wake_ns, t);
	return r ? r : LX_BLOCKED;
}

/* nanosleep (const struct timespec *req, struct timespec *rem): req of CLOCK_MONOTONIC from
 * now (man 2 nanosleep; sleep's results). */
LX_HANDLER(nanosleep)
{
	return sleep(p, c, LX_CLOCK_MONOTONIC, 0, c->a[0]);
}

/* clock_nanosleep (clock, flags, req, rem): man 2 clock_nanosleep (sleep's results). */
LX_HANDLER(clock_nanosleep)
{
	return sleep(p, c, c->a[0], c->a[1], c->a[2]);
}

/*
 * lxtime: linuxd's clocks and sleeps: CLOCK_MONOTONIC never goes back,
 * nanosleep and clock_nanosleep (relative and TIMER_ABSTIME) sleep at least
 * as long as asked, gettimeofday agrees with CLOCK_REALTIME, times counts
 * ticks, bad arguments get Linux's errors. Prints verdicts only, never a
 * time: the output is the same under Linux.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return ns_of(&t);
}

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

int main(void)
{
	long long last = mono(), back = 0;
	for (int i = 0; i < 1000; i++) {
		long long t = mono();
		back += t < last;
		last = t;
	}
	printf("monotonic never went back: %s\n", yes(!back));

	struct timespec req = {0, 10 * 1000 * 1000}, rem;
	long long t0 = mono();
	int r = nanosleep(&req, &rem);
	long long slept = mono() - t0;
	printf("nanosleep 10 ms: %d, slept at least 10 ms: %s\n", r, yes(slept >= 10000000));

	t0 = mono();
	req.tv_nsec = 20 * 1000 * 1000;
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	slept = mono() - t0;
	printf("clock_nanosleep 20 ms: %d, slept at least 20 ms: %s\n", r, yes(slept >= 20000000));

	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += 15 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000)
		until.tv_sec++, until.tv_nsec -= 1000000000;
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	printf("clock_nanosleep TIMER_ABSTIME +15 ms: %d, woke after it: %s\n", r,
	       yes(mono() >= ns_of(&until)));
	struct timespec past = {0, 0};
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
	printf("clock_nanosleep TIMER_ABSTIME in the past: %d\n", r);

	struct timespec rt;
	struct timeval tv;
	clock_gettime(CLOCK_REALTIME, &rt);
	gettimeofday(&tv, NULL);
	long long d = (tv.tv_sec * 1000000LL + tv.tv_usec) - ns_of(&rt) / 1000;
	printf("gettimeofday agrees with CLOCK_REALTIME (0..1 s later): %s\n",
	       yes(d >= 0 && d < 1000000));
	printf("realtime after 2000-01-01: %s\n", yes(rt.tv_sec >= 946684800));
	time_t now = time(NULL);
	printf("time agrees with CLOCK_REALTIME: %s\n",
	       yes(now >= rt.tv_sec && now - rt.tv_sec < 2));

	struct tms tm;
	clock_t c0 = times(&tm);
	req.tv_nsec = 30 * 1000 * 1000;
	nanosleep(&req, NULL);
	clock_t c1 = times(&tm);
	printf("times: ticks at %ld per s, 30 ms of sleep counted at least 2: %s\n",
	       sysconf(_SC_CLK_TCK), yes(c1 - c0 >= 2));

	struct timespec bad = {0, 1000000000};
	errno = 0;
	r = nanosleep(&bad, NULL);
	printf("nanosleep tv_nsec 1e9: %d %s\n", r, strerror(errno));
	bad.tv_sec = -1, bad.tv_nsec = 0;
	errno = 0;
	r = nanosleep(&bad, NULL);
	printf("nanosleep tv_sec -1: %d %s\n", r, strerror(errno));
	r = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL);
	printf("clock_nanosleep CLOCK_THREAD_CPUTIME_ID: %s\n", strerror(r));
	req.tv_nsec = 1000000;
	r = clock_nanosleep(CLOCK_MONOTONIC, 2, &req, NULL); /* Linux ignores the other bits */
	printf("clock_nanosleep flags 2: %s\n", strerror(r));
	errno = 0;
	r = clock_gettime(99, &rt);
	printf("clock_gettime clock 99: %d %s\n", r, strerror(errno));
	struct timespec cpu;
	r = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	printf("clock_gettime CLOCK_PROCESS_CPUTIME_ID: %d\n", r);
	return 0;
}

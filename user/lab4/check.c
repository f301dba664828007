/*
 * check.c: the test programs' check lines (check.h).
 */
#include "check.h"

const char *check_suite = "?";
static int passed, total;

/* show: a result as an error name when it is a known one, else a number, into buf. */
static const char *show(long v, char *buf, size_t size)
{
	if (v < 0 && v > -4096 && strcmp(errstr(v), "E?") != 0)
		snprintf(buf, size, "-%s", errstr(v));
	else
		snprintf(buf, size, "%ld", v);
	return buf;
}

int check_eq(const char *check, long got, long want)
{
	char g[24], w[24];

	total++;
	if (got == want) {
		passed++;
		printf("utest %s %s: ok\n", check_suite, check);
		return 1;
	}
	printf("utest %s %s: FAIL got %s want %s\n", check_suite, check, show(got, g, sizeof(g)),
	       show(want, w, sizeof(w)));
	return 0;
}

int check_done(void)
{
	printf("utest %s done: %d/%d\n", check_suite, passed, total);
	return passed == total ? 0 : 1;
}

/*
 * ktest.c: the in-kernel test harness (format in ktest.h). Suites live in
 * section ktests, which GNU ld bounds with __start_ktests and __stop_ktests
 * (it defines __start_SEC/__stop_SEC for a kept section SEC whose name is a
 * C identifier; ld manual, "Input Section Example"), in link order.
 */
#include "kernel.h"
#include "string.h"
#include "ktest.h"

extern const struct ktest_suite __start_ktests[], __stop_ktests[];

static const char *current_suite = "?";
static int checks_run, checks_passed;

bool ktest_check_at(bool cond, const char *check, const char *why, const char *file, int line)
{
	checks_run++;
	if (cond) {
		checks_passed++;
		kprintf("ktest %s %s: ok\n", current_suite, check);
	} else {
		kprintf("ktest %s %s: FAIL %s (%s:%d)\n", current_suite, check, why, file, line);
	}
	return cond;
}

static void run_suite(const struct ktest_suite *s)
{
	current_suite = s->name;
	checks_run = checks_passed = 0;
	kprintf("ktest %s start\n", s->name);
	s->run();
	kprintf("ktest %s done: %d/%d\n", s->name, checks_passed, checks_run);
}

int ktest_run(const char *name)
{
	int found = 0;
	for (const struct ktest_suite *s = __start_ktests; s < __stop_ktests; s++) {
		if (strcmp(name, "all") == 0 || strcmp(name, s->name) == 0) {
			run_suite(s);
			found++;
		}
	}
	return found ? 0 : -ENOENT;
}

void ktest_list(void)
{
	for (const struct ktest_suite *s = __start_ktests; s < __stop_ktests; s++)
		kprintf("%s ", s->name);
	kprintf("\n");
}

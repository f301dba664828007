/*
 * ktest.h: the in-kernel test harness. Each check prints one line the grader
 * parses:
 *     "ktest <suite> <check>: ok"
 *     "ktest <suite> <check>: FAIL <why> (<file>:<line>)"
 * and each suite ends with "ktest <suite> done: <passed>/<total>".
 * Suites are registered with KTEST_SUITE and run by the monitor's `test NAME`.
 */
#pragma once

#include "types.h"

struct ktest_suite {
	const char *name;
	void (*run)(void);
};

/* KTEST_SUITE(name, fn): registers fn to run as suite name (in section ktests, which the
 * linker bounds with __start_ktests and __stop_ktests). */
#define KTEST_SUITE(sname, fn)                                                                     \
	static const struct ktest_suite ktest_##fn                                                 \
	    __attribute__((used, section("ktests"), aligned(8))) = {sname, fn}

/* ktest_check: record one check named check; cond true passes. Returns cond. */
bool ktest_check_at(bool cond, const char *check, const char *why, const char *file, int line);
#define ktest_check(cond, check) ktest_check_at((cond), (check), #cond, __FILE__, __LINE__)

/* ktest_run: run the suite called name ("all" runs every suite); -ENOENT if none matches. */
int ktest_run(const char *name);

/* ktest_list: print the registered suite names on one line. */
void ktest_list(void);

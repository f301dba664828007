/*
 * sim.h: what sched-sim (sim.c) and its policy tests (test_policy.c) share:
 * the kernel's policy and workload interfaces, included beside libc's
 * headers (the kit's headers come in with -iquote, so "string.h" there does
 * not hide libc's <string.h>), and the policies by name.
 */
#pragma once

#include <string.h>

#include "sched_policy.h"
#include "sched_workload.h"

/* sim_policy: the policy called name ("rr" or "joint"), or NULL. */
static inline const struct sched_policy *sim_policy(const char *name)
{
	static const struct sched_policy *const all[] = {&sched_rr, &sched_joint};

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

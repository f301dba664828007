/*
 * nsbench.c: lab 5's name-service numbers, run from the shell (`nsbench`):
 * the instructions of one NS_LOOKUP round trip (a Call to init, its
 * SYS_TASK_CAP_COPY into our cspace, the Reply, and the delete of the old
 * copy first: what ns_lookup costs a client), the mean of 100; then the
 * instructions from NS_KILL of consd until the restarted consd has registered
 * again (a client's lookup succeeds) (instructions of the whole machine, kit_cycles:
 * virtual ns under -icount shift=0). Prints "nsbench: ..." lines.
 */
#include "user.h"
#include "kit/ns.h"

#define SLOT 20
#define N    100

/* consd_restarts: the supervisor's restart count of consd, or -1. */
static long consd_restarts(void)
{
	struct ns_ps e;

	for (unsigned long i = 0; ns_ps(i, &e) == 0; i++)
		if (e.state == NS_PS_RUNNING && strcmp(e.name, "consd") == 0)
			return (long)e.restarts;
	return -1;
}

int main(void)
{
	uint64_t total = 0;

	ns_console_attach();
	for (int i = 0; i < N; i++) {
		uint64_t t0 = kit_cycles();
		if (ns_lookup("consd", SLOT) != 0)
			return 1;
		total += kit_cycles() - t0;
	}
	printf("nsbench: lookup %lu instructions\n", (unsigned long)(total / N));
	long before = consd_restarts();
	uint64_t t0 = kit_cycles();
	if (ns_kill("consd") != 0)
		return 2;
	while (consd_restarts() <= before)
		sys_yield();
	while (ns_lookup("consd", SLOT) == -ENOENT) /* restarted, not registered yet */
		sys_yield();
	uint64_t t1 = kit_cycles();
	printf("nsbench: consd restarted and registered after %lu instructions\n",
	       (unsigned long)(t1 - t0));
	return 0;
}

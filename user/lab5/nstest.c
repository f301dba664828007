/*
 * nstest.c: lab 5's checks of init's name service, of what init gives a task,
 * and of the supervisor's fault path, run from the shell (`nstest MODE`).
 * Check lines "utest ns|iso <check>: ok|FAIL ..." (user/lab4/check.c).
 *
 *   nstest 0 (suite ns): register another task's name (-EPERM) and one
 *     without a capability (-EINVAL), look up a name nobody serves
 *     (-ENOENT), register our own; our lookup's copy is an endpoint, write
 *     and grant only, badged with our id + 1; two clients (nsclient, this
 *     program in mode 1) look us up and Call: each Call's badge is that
 *     client's id + 1, and the two differ.
 *   nstest 2 (suite iso): the cspace init gives a task: KIT_SLOT_ARG a
 *     badged endpoint (write and grant), slots 1..3 the task's own cspace,
 *     thread and untyped, every other slot empty; the console's registers
 *     and IRQ refused (-EPERM: we are not its driver), a device that is
 *     not there (-ENOENT), a server's name refused to NS_SPAWN (-EPERM).
 *   nstest 3: consd faults (CONS_FAULT); prints the instructions from the
 *     fault until the restarted consd has registered again.
 *   nstest 4: a server that keeps dying: blkd killed (NS_KILL) again each
 *     time it is back, until init stops restarting it; prints how many kills
 *     it took ("nstest: blkd down for good after N kills", or "still
 *     restarted after N kills" when init never gives up).
 */
#include "user.h"
#include "kit/ns.h"
#include "../lab4/check.h"

#define EP	 8  /* our endpoint, registered as "nstest" */
#define NTFN	 9  /* our clients' end, bound to our thread */
#define OWN	 10 /* our own lookup's copy */
#define CLIENT_A 11 /* the clients' task capabilities */
#define CLIENT_B 12
#define SPARE	 13
#define MAGIC	 0x5eed

static long ident(unsigned long slot, struct kit_cap_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	return sys_cap_identify(slot, ci);
}

/* my_id: init's index of this task (ns_ps's entry with our thread), or -1. */
static long my_id(void)
{
	struct kit_task_info ti;
	struct ns_ps e;

	sys_task_info(&ti, sizeof(ti));
	for (unsigned long i = 0; ns_ps(i, &e) == 0; i++)
		if (e.state == NS_PS_RUNNING && e.tid == ti.tid)
			return (long)i;
	return -1;
}

/* lookup_full: NS_LOOKUP of "nstest" into OWN, which is full (ns_lookup would empty it). */
static long lookup_full(void)
{
	struct kit_msg m = {.info = KIT_MSGINFO(NS_LOOKUP, 0, 3), .mr = {0, 0, OWN}};

	ns_name("nstest", m.mr);
	long r = kit_call(KIT_SLOT_ARG, &m);
	return r < 0 ? r : (long)m.mr[0];
}

/* client: mode 1: look "nstest" up and Call it once; 0 when it answered MAGIC + 1. */
static int client(void)
{
	struct kit_msg m = {.info = KIT_MSGINFO(1, 0, 1), .mr = {MAGIC}};

	if (ns_lookup("nstest", SPARE) != 0 || kit_call(SPARE, &m) != 0)
		return 1;
	return m.mr[0] == MAGIC + 1 ? 0 : 2;
}

/* serve: answer our two clients' Calls (ids a and b); checks each badge. */
static void serve(long a, long b)
{
	unsigned long badge[2] = {0, 0};
	struct kit_task_status st;
	struct kit_msg m;
	int calls = 0;

	while (calls < 2) {
		long r = kit_recv(EP, &m);
		if (r == KIT_RECV_NOTIFICATION) { /* a client ended: did one end without calling? */
			if (sys_task_status(CLIENT_A, &st) == 0 &&
			    badge[0] != (unsigned long)a + 1 && badge[1] != (unsigned long)a + 1)
				break;
			if (sys_task_status(CLIENT_B, &st) == 0 &&
			    badge[0] != (unsigned long)b + 1 && badge[1] != (unsigned long)b + 1)
				break;
			continue;
		}
		if (r != KIT_RECV_MESSAGE)
			break;
		badge[calls++] = m.badge;
		m.info = KIT_MSGINFO(0, 0, 1);
		m.mr[0] = m.mr[0] + 1;
		kit_reply(&m);
	}
	check_eq("ns-clients-called", calls, 2);
	unsigned long lo = badge[0] < badge[1] ? badge[0] : badge[1];
	unsigned long hi = badge[0] < badge[1] ? badge[1] : badge[0];
	unsigned long wa = a < b ? a + 1 : b + 1, wb = a < b ? b + 1 : a + 1;
	check_eq("ns-badge-first-client", (long)lo, (long)wa);
	check_eq("ns-badge-second-client", (long)hi, (long)wb);
	check_eq("ns-badges-distinct", badge[0] != badge[1], 1);
}

static int names(void)
{
	struct kit_cap_info ci;
	struct kit_task_status st;

	check_suite = "ns";
	long id = my_id();
	check_eq("ns-ps-finds-us", id >= 0, 1);
	check_eq("ns-endpoint", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1), 0);
	check_eq("ns-register-other-name", ns_register("consd", EP), -EPERM);
	check_eq("ns-register-no-cap", ns_register("nstest", 0), -EINVAL);
	check_eq("ns-lookup-missing", ns_lookup("nosuchname", OWN), -ENOENT);
	check_eq("ns-lookup-not-registered", ns_lookup("nstest", OWN), -ENOENT);
	check_eq("ns-register-own", ns_register("nstest", EP), 0);
	check_eq("ns-register-again", ns_register("nstest", EP), 0);
	check_eq("ns-lookup-own", ns_lookup("nstest", OWN), 0);
	ident(OWN, &ci);
	check_eq("ns-lookup-type", (long)ci.type, KIT_CAP_ENDPOINT);
	check_eq("ns-lookup-rights", (long)ci.rights, KIT_RIGHT_WRITE | KIT_RIGHT_GRANT);
	check_eq("ns-lookup-badge", (long)ci.badge, id + 1);
	check_eq("ns-lookup-full-slot", lookup_full(), -EEXIST);
	check_eq("ns-lookup-server", ns_lookup("consd", SPARE), 0);
	ident(SPARE, &ci);
	check_eq("ns-lookup-server-badge", (long)ci.badge, id + 1);
	sys_cap_delete(SPARE);

	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1) < 0 ||
	    sys_tcb_bind(KIT_SLOT_TCB, NTFN) < 0)
		check_eq("ns-notification", 1, 0);
	long a = ns_spawn_task("nsclient", 1, CLIENT_A, NTFN);
	long b = ns_spawn_task("nsclient", 1, CLIENT_B, NTFN);
	check_eq("ns-spawn-clients", a >= 0 && b >= 0, 1);
	if (a >= 0 && b >= 0)
		serve(a, b);
	for (unsigned long t = CLIENT_A; t <= CLIENT_B; t++) {
		unsigned long word;
		while (sys_task_status(t, &st) == -EBUSY)
			sys_wait(NTFN, &word);
		check_eq(t == CLIENT_A ? "ns-client-a-status" : "ns-client-b-status",
			 st.state == KIT_TASK_EXITED ? st.code : -1000 - (long)st.state, 0);
	}
	return check_done();
}

/* isolation: mode 2, before anything else changes our cspace. */
static int isolation(void)
{
	struct kit_cap_info ci;
	static const long want[5] = {KIT_CAP_NULL, KIT_CAP_CNODE, KIT_CAP_TCB, KIT_CAP_UNTYPED,
				     KIT_CAP_ENDPOINT};
	int extra = 0, first = -1;

	check_suite = "iso";
	for (unsigned long s = 0; s < 256; s++) {
		long r = ident(s, &ci);
		if (s < 5) {
			char name[24];
			snprintf(name, sizeof(name), "iso-slot-%lu-type", s);
			check_eq(name, r == 0 ? (long)ci.type : r, want[s]);
		} else if (r != 0 || ci.type != KIT_CAP_NULL) {
			extra++;
			if (first < 0)
				first = (int)s;
		}
	}
	check_eq("iso-no-other-caps", extra, 0);
	if (first >= 0)
		printf("nstest: slot %d holds a capability of type %lu\n", first,
		       (ident((unsigned long)first, &ci), ci.type));
	ident(KIT_SLOT_ARG, &ci);
	check_eq("iso-arg-rights", (long)ci.rights, KIT_RIGHT_WRITE | KIT_RIGHT_GRANT);
	check_eq("iso-arg-badged", ci.badge != 0, 1);
	check_eq("iso-console-regs", ns_device(0, NS_DEVICE_REGS, SPARE, NULL), -EPERM);
	check_eq("iso-console-irq", ns_device(0, NS_DEVICE_IRQ, SPARE, NULL), -EPERM);
	check_eq("iso-slot-still-empty", (ident(SPARE, &ci), (long)ci.type), KIT_CAP_NULL);
	check_eq("iso-no-such-device", ns_device(99, NS_DEVICE_REGS, SPARE, NULL), -ENOENT);
	check_eq("iso-spawn-server-name", ns_spawn("consd"), -EPERM);
	check_eq("iso-spawn-shell-name", ns_spawn("sh"), -EPERM);
	return check_done();
}

/* restarts: the supervisor's count for server name while it runs, or -1. */
static long restarts(const char *name)
{
	struct ns_ps e;

	for (unsigned long i = 0; ns_ps(i, &e) == 0; i++)
		if (e.state == NS_PS_RUNNING && e.server && strcmp(e.name, name) == 0)
			return (long)e.restarts;
	return -1;
}

static long consd_restarts(void)
{
	return restarts("consd");
}

/* fault: mode 3: consd faults; the instructions until it is back. */
static int fault(void)
{
	struct kit_msg m = {.info = KIT_MSGINFO(CONS_FAULT, 0, 1)};
	long before = consd_restarts();
	unsigned long spins = 0;

	if (before < 0 || ns_lookup("consd", SPARE) != 0)
		return 1;
	printf("nstest: consd has %ld restarts; making it fault\n", before);
	uint64_t t0 = kit_cycles();
	long r = kit_call(SPARE, &m);
	while (consd_restarts() <= before && spins++ < 100000)
		sys_yield();
	while (ns_lookup("consd", SPARE) == -ENOENT && spins++ < 100000)
		sys_yield();
	uint64_t t1 = kit_cycles();
	ns_console_attach();
	if (consd_restarts() <= before) {
		printf("nstest: consd was not restarted (its Call: %ld)\n", r);
		return 2;
	}
	printf("nstest: consd faulted, restarted and registered after %lu instructions\n",
	       (unsigned long)(t1 - t0));
	return 0;
}

#define STORM_KILLS 200 /* kills after which a supervisor that never gives up is one */
#define STORM_SPINS 200 /* yields to wait for blkd's restart (the reference needs none) */

/* storm: mode 4: kill blkd each time it is back (restarted and registered again), until it
 * stays down. */
static int storm(void)
{
	int kills = 0;
	unsigned long most = 0;

	while (kills < STORM_KILLS) {
		long before = restarts("blkd"), r;
		unsigned long spins = 0;

		if (before < 0 || (r = ns_kill("blkd")) != 0) {
			printf("nstest: blkd not running (%ld) after %d kills\n", before, kills);
			return 1;
		}
		kills++;
		long now;
		while ((now = restarts("blkd")) <= before && spins++ < STORM_SPINS) /* -1: down */
			sys_yield();
		if (now >= 0 && spins > most)
			most = spins;
		if (now < 0) {
			printf("nstest: blkd down for good after %d kills (lookup: %s); a restart "
			       "took "
			       "at most %lu yields\n",
			       kills, errstr((int)ns_lookup("blkd", SPARE)), most);
			return 0;
		}
		while ((r = ns_lookup("blkd", SPARE)) == -ENOENT && spins++ < STORM_SPINS)
			sys_yield(); /* restarted, registering */
		sys_cap_delete(SPARE);
	}
	printf("nstest: blkd still restarted after %d kills\n", kills);
	return 2;
}

int main(void)
{
	switch (kit_start_arg) {
	case 0:
		ns_console_attach();
		return names();
	case 1:
		return client();
	case 2: {
		int r = isolation(); /* prints with SYS_DEBUG_PUTS: attaching takes a slot */
		return r;
	}
	case 3:
		ns_console_attach();
		return fault();
	case 4:
		ns_console_attach();
		return storm();
	}
	return 100;
}

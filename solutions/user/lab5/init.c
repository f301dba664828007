// @file lab5
/*
 * init.c: lab 5's root task (the monitor's `run init`): the name service of
 * kit/ns.h, the device policy, the boot sequence and the supervisor, in
 * one loop on one endpoint.
 *
 * Every task init starts has an entry in its table; the entry's index i
 * names it everywhere: the badge i + 1 of the name-service capability the
 * task holds in KIT_SLOT_ARG (also its fault endpoint), the bit 1 << i its
 * end signals on init's exit notification (bound to init's thread, so a
 * Recv on the endpoint wakes for it too), and the slots below that keep
 * its capabilities in init's cspace.
 *
 * Boot: the servers of boot[] start in order, each once the one before
 * has registered its name (a missing boot module is skipped, with a
 * message); the shell last. The supervisor: when a server ends (a fault,
 * an exit, a kill), init reaps it (SYS_TASK_STATUS), starts it again from
 * its boot module with the same name, badge and capabilities, counts the
 * restart and prints one line; the server registers again and its clients
 * look it up again (ns_call_retry). When the shell exits, init ends the
 * system: its last capabilities to the tasks go, which kills them, and the
 * monitor's prompt comes back.
 *
 * init prints with SYS_DEBUG_PUTS, never through consd: consd calls init
 * (NS_DEVICE, NS_REGISTER), and init calling consd then would deadlock.
 */
#include "user.h"
#include "kit/ns.h"

#define IPCBUF ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)

#define NENTRIES    32
#define NDEVICES    4
#define EP	    8			  /* the name-service endpoint */
#define NTFN	    9			  /* the exit notification, bound to init's thread */
#define RECV	    10			  /* where a capability sent to init arrives */
#define MINT(i)	    (16 + (i))		  /* entry i's badged name-service capability */
#define TASK(i)	    (48 + (i))		  /* its task capability */
#define SVC(i)	    (80 + (i))		  /* the endpoint it registered */
#define PNTFN(i)    (112 + (i))		  /* a spawner's notification its end signals */
#define DEV(d, w)   (144 + 2 * (d) + (w)) /* device d's registers (w 0) and IRQ handler (w 1) */
#define RESTART_MAX 50			  /* restarts of one server before init gives up on it */

struct entry {
	char name[16];
	bool used, server, running, registered, spawner_ntfn;
	unsigned long tid, arg, restarts;
	struct kit_task_status last; /* how it last ended */
};

static struct entry tab[NENTRIES];

/* The servers init starts, in order; wait: start the next only once it registered. */
static const struct {
	const char *name;
	bool wait;
} boot[] = {{"consd", true}, {"blkd", true}, {"fsd", true}, {"sh", false}};
static unsigned boot_next;
static int awaiting = -1; /* the entry whose registration the boot waits for */

/* Which task drives which board device (SYS_DEVICE_GET's index). */
static const char *const device_driver[NDEVICES] = {"consd", "blkd"};

static bool name_eq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static const char *how(const struct kit_task_status *s)
{
	return s->state == KIT_TASK_FAULTED  ? "fault"
	       : s->state == KIT_TASK_KILLED ? "killed"
					     : "exit";
}

/* start_image: run entry i's task (its boot module, or the ELF image at elf, size bytes, in
 * the memory of the task in slot from), as a server or a program. 0 or -E*. */
static long start_image(int i, unsigned long from, unsigned long elf, unsigned long size)
{
	struct entry *e = &tab[i];
	struct kit_task_spec s = {
	    .elf = elf,
	    .elf_size = size,
	    .elf_task = elf ? from : 0,
	    .arg = e->arg,
	    .fault_ep = MINT(i),
	    .exit_ntfn = e->spawner_ntfn ? PNTFN(i) : NTFN,
	    .exit_badge = e->spawner_ntfn ? 1 : 1UL << i,
	    .ncaps = 1,
	    .caps = {{MINT(i), KIT_SLOT_ARG}},
	};
	struct kit_task_status st;

	memcpy(s.name, e->name, sizeof(s.name));
	long r = sys_task_create(&s, TASK(i));
	if (r < 0)
		return r;
	sys_task_status(TASK(i), &st); /* -EBUSY: it runs; st.tid its thread */
	e->tid = st.tid;
	e->running = true;
	e->registered = false;
	return 0;
}

/* start: start_image from entry i's boot module. */
static long start(int i)
{
	return start_image(i, 0, 0, 0);
}

/* entry_new: a free entry for name, its badged capability minted; the index or -ENOSPC. */
static int entry_new(const char *name, bool server, unsigned long arg)
{
	for (int i = 0; i < NENTRIES; i++) {
		struct entry *e = &tab[i];
		if (e->used)
			continue;
		*e = (struct entry){.used = true, .server = server, .arg = arg};
		ns_name(name, (unsigned long *)e->name);
		e->name[NS_NAME_MAX] = 0;
		sys_cap_delete(MINT(i));
		sys_cap_mint(MINT(i), EP, KIT_RIGHT_WRITE | KIT_RIGHT_GRANT, i + 1);
		return i;
	}
	return -ENOSPC;
}

/* entry_free: entry i is no more (its capabilities deleted). */
static void entry_free(int i)
{
	sys_cap_delete(TASK(i));
	sys_cap_delete(SVC(i));
	sys_cap_delete(PNTFN(i));
	tab[i].used = false;
}

/* sweep: free the entries of programs that have ended (their end signals their spawner, not
 * init, so init learns of it here). */
static void sweep(void)
{
	struct kit_task_status st;

	for (int i = 0; i < NENTRIES; i++)
		if (tab[i].used && !tab[i].server && sys_task_status(TASK(i), &st) == 0)
			entry_free(i);
}

/* boot_more: start boot[]'s servers from boot_next on, until one to wait for has started. */
static void boot_more(void)
{
	while (boot_next < sizeof(boot) / sizeof(boot[0]) && awaiting < 0) {
		const char *name = boot[boot_next].name;
		bool wait = boot[boot_next++].wait;
		int i = entry_new(name, true, 0);
		long r = i < 0 ? i : start(i);
		if (r == -ENOENT)
			printf("init: no boot module %s, skipped\n", name);
		else if (r < 0)
			printf("init: %s: %s\n", name, errstr((int)r));
		if (r < 0) {
			if (i >= 0)
				entry_free(i);
			continue;
		}
		printf("init: started %s (tid %lu)\n", name, tab[i].tid);
		if (wait)
			awaiting = i;
	}
}

/* shutdown: the shell exited: every task goes, then init. */
static void shutdown(long code)
{
	printf("init: sh exited with %ld, stopping the servers\n", code);
	for (int i = 0; i < NENTRIES; i++)
		if (tab[i].used)
			entry_free(i); /* the last task capability: killed and reaped */
	sys_exit(0);
}

/* reap: entry i's task signalled its end (bit i of the exit notification): its status into
 * e->last (SYS_TASK_STATUS, which reaps it), its task capability and its registered endpoint
 * deleted, so lookups of its name answer -ENOENT until it registers again. Whether it had
 * ended (false: it still runs, or it was reaped already). */
static bool reap(int i)
{
	// @lab5 solution
	struct entry *e = &tab[i];

	if (!e->used || !e->running || sys_task_status(TASK(i), &e->last) != 0)
		return false;
	e->running = false;
	e->registered = false;
	sys_cap_delete(TASK(i));
	sys_cap_delete(SVC(i));
	return true;
	// @lab5 stub
	// TODO(lab5): the supervisor, part 1. Entry i's task ended: reap it with
	// sys_task_status(TASK(i), &tab[i].last) (not 0: it still runs, return false; an entry
	// not used or not running: false too), mark it not running and not registered, and
	// delete its task capability and its registered endpoint (TASK(i), SVC(i)).
	// Hint: SVC(i)'s copies in clients' cspaces went with the dead task's endpoint already;
	// deleting init's slot is what makes a lookup answer -ENOENT until the restart registers.
	printf("init: %s ended, not reaped (TODO(lab5): reap)\n", tab[i].name);
	return false;
	// @lab5 end
}

/* restart: start server i, reaped, again from its boot module with the same name, badge and
 * capabilities (start: start_image's spec), count the restart and print one line, "init:
 * restarted NAME (HOW), N restart[s]" (how(): fault, killed or exit). After RESTART_MAX
 * restarts, or when the start fails, it stays down, with a line that says so. */
static void restart(int i)
{
	// @lab5 solution
	struct entry *e = &tab[i];

	if (e->restarts >= RESTART_MAX) {
		printf("init: %s ended (%s) %lu times, not restarted\n", e->name, how(&e->last),
		       e->restarts + 1);
		return;
	}
	long r = start(i);
	if (r < 0) {
		printf("init: restarting %s: %s\n", e->name, errstr((int)r));
		return;
	}
	e->restarts++;
	printf("init: restarted %s (%s), %lu restart%s\n", e->name, how(&e->last), e->restarts,
	       e->restarts == 1 ? "" : "s");
	// @lab5 stub
	// TODO(lab5): the supervisor, part 2. Start server i again with start(i) (the same boot
	// module, badge i + 1 and capabilities: read start_image), count it in tab[i].restarts
	// and print "init: restarted NAME (HOW), N restart" ("restarts" for N > 1; HOW is
	// how(&tab[i].last)). After RESTART_MAX restarts, or when start fails, leave it down
	// and print a line that says why.
	// Hint: the restarted server registers its name again by itself; ps shows the count.
	printf("init: %s ended (%s), not restarted (TODO(lab5): restart)\n", tab[i].name,
	       how(&tab[i].last));
	// @lab5 end
}

/* ended: entry i's task has ended (bit i of the exit notification): reap it, and restart a
 * server; the shell's exit ends the system. */
static void ended(int i)
{
	struct entry *e = &tab[i];

	if (!reap(i) || !e->server)
		return;
	if (i == awaiting && e->restarts >= 2) { /* it never registers: boot on without it */
		awaiting = -1;
		boot_more();
	}
	if (name_eq(e->name, "sh") && e->last.state == KIT_TASK_EXITED)
		shutdown(e->last.code);
	restart(i);
}

/* find: the running entry called name (MRs 0-1), or -1. */
static int find(const unsigned long *mr)
{
	char name[16];

	memcpy(name, mr, 16);
	name[NS_NAME_MAX] = 0;
	for (int i = 0; i < NENTRIES; i++)
		if (tab[i].used && tab[i].running && name_eq(tab[i].name, name))
			return i;
	return -1;
}

/* ns_register_call: NS_REGISTER from entry c (kit/ns.h): the endpoint it sent (in RECV) kept
 * in SVC(c) as the service of c's own name; the boot goes on once the server it waited for
 * registered. 0, -EINVAL (no capability), -EPERM (another's name). */
static long ns_register_call(int c, const struct kit_msg *m)
{
	// @lab5 solution
	char name[16];

	memcpy(name, m->mr, 16);
	name[NS_NAME_MAX] = 0;
	if (!KIT_MSGINFO_CAPS(m->info))
		return -EINVAL;
	if (!name_eq(name, tab[c].name)) {
		sys_cap_delete(RECV);
		return -EPERM;
	}
	sys_cap_delete(SVC(c));
	sys_cap_move(SVC(c), RECV);
	tab[c].registered = true;
	if (c == awaiting) {
		awaiting = -1;
		boot_more();
	}
	return 0;
	// @lab5 stub
	// TODO(lab5): the name service, register. The name is MRs 0-1 (16 bytes, NUL-padded);
	// the endpoint came along in RECV (KIT_MSGINFO_CAPS(m->info): without it, -EINVAL). A task
	// serves only its own name (tab[c].name, its badge's entry): -EPERM for another. Keep the
	// endpoint in SVC(c) (sys_cap_move; a restarted server's earlier one replaced), mark it
	// registered, and when c is the server the boot waits for (awaiting), boot on (boot_more).
	// Hint: handle() deletes a capability left in RECV after you return.
	(void)c, (void)m;
	return -ENOSYS;
	// @lab5 end
}

/* ns_lookup_call: NS_LOOKUP from entry c: a copy of the endpoint registered under the name in
 * MRs 0-1 into c's slot MR 2, badged c + 1. 0, -ENOENT (nobody serves it), or
 * SYS_TASK_CAP_COPY's error (-EEXIST: the slot is full). */
static long ns_lookup_call(int c, const struct kit_msg *m)
{
	// @lab5 solution
	struct kit_cap_info ci;
	int s = find(m->mr);

	if (s < 0 || !tab[s].registered || sys_cap_identify(SVC(s), &ci) != 0 ||
	    ci.type != KIT_CAP_ENDPOINT)
		return -ENOENT;
	return sys_task_cap_copy(TASK(c), m->mr[2], SVC(s), KIT_RIGHT_WRITE | KIT_RIGHT_GRANT,
				 (unsigned long)c + 1);
	// @lab5 stub
	// TODO(lab5): the name service, lookup. find() the running entry of the name in MRs 0-1;
	// -ENOENT unless it registered an endpoint that is still there (sys_cap_identify of SVC(s):
	// an endpoint). Copy it into the caller's cspace (sys_task_cap_copy with the caller's task
	// capability TASK(c), into slot m->mr[2]) with write and grant rights and the caller's
	// badge, c + 1, so the server can tell its clients apart.
	// Hint: a Reply carries no capability (kit/abi.h); SYS_TASK_CAP_COPY's errors are the
	// answer.
	(void)c, (void)m;
	return -ENOSYS;
	// @lab5 end
}

/* ns_device_call: the device's capability to its driver; *m gets the reply's MRs 1..6. */
static long ns_device_call(int c, struct kit_msg *m)
{
	unsigned long d = m->mr[0], which = m->mr[1], dest = m->mr[2];
	struct kit_device_info info;
	struct kit_cap_info ci;

	if (d >= NDEVICES || !device_driver[d] || sys_device_get(KIT_SLOT_IRQ_CONTROL, d, 0, &info))
		return -ENOENT;
	if (!name_eq(tab[c].name, device_driver[d]) || which > NS_DEVICE_IRQ)
		return -EPERM;
	unsigned long src =
	    d == 0 ? (which ? KIT_SLOT_CONSOLE_IRQ : KIT_SLOT_CONSOLE) : DEV(d, which);
	if (sys_cap_identify(src, &ci) != 0 || ci.type == KIT_CAP_NULL) {
		long r = which ? sys_irq_get(KIT_SLOT_IRQ_CONTROL, info.irq, src)
			       : sys_device_get(KIT_SLOT_IRQ_CONTROL, d, src, &info);
		if (r < 0)
			return r;
	}
	long r = sys_task_cap_copy(TASK(c), dest, src, KIT_RIGHTS_ALL, 0);
	if (r < 0 || which)
		return r;
	unsigned long w[6];
	memcpy(w, info.name, 16);
	w[2] = info.irq, w[3] = info.mmio, w[4] = info.port, w[5] = info.nports;
	m->mr[1] = w[0], m->mr[2] = w[1], m->mr[3] = w[2];
	for (int i = 3; i < 6; i++)
		IPCBUF->mr[1 + i] = w[i];
	return 0;
}

static long ns_spawn_call(int c, const struct kit_msg *m)
{
	char name[16];
	bool ntfn = KIT_MSGINFO_CAPS(m->info);

	if (KIT_MSGINFO_LEN(m->info) < 6)
		IPCBUF->mr[4] = IPCBUF->mr[5] = 0; /* a boot module */

	memcpy(name, m->mr, 16);
	name[NS_NAME_MAX] = 0;
	for (unsigned k = 0; k < sizeof(boot) / sizeof(boot[0]); k++)
		if (name_eq(name, boot[k].name))
			return -EPERM; /* a server's name: its devices and its name are the server's */
	sweep();
	int i = entry_new(name, false, m->mr[3]);
	if (i < 0) {
		sys_cap_delete(RECV);
		return i;
	}
	tab[i].spawner_ntfn = ntfn;
	if (ntfn)
		sys_cap_move(PNTFN(i), RECV);
	long r = start_image(i, TASK(c), IPCBUF->mr[4], IPCBUF->mr[5]);
	if (r == 0 && m->mr[2])
		r = sys_task_cap_copy(TASK(c), m->mr[2], TASK(i), KIT_RIGHT_READ | KIT_RIGHT_WRITE,
				      0);
	if (r < 0) {
		entry_free(i);
		return r;
	}
	return i;
}

static long ns_kill_call(const struct kit_msg *m)
{
	int i = m->mr[0] ? find(m->mr) : (int)m->mr[2];

	if (i < 0 || i >= NENTRIES || !tab[i].used || !tab[i].running)
		return -ENOENT;
	return sys_task_kill(TASK(i));
}

/* ns_ps_call: entry MR 0 into *m (MRs 1..7, struct ns_ps's order). */
static long ns_ps_call(struct kit_msg *m)
{
	unsigned long i = m->mr[0], w[7];
	struct kit_task_status st;

	if (i >= NENTRIES)
		return -ENOENT;
	struct entry *e = &tab[i];
	if (e->used && e->running && !e->server && sys_task_status(TASK(i), &st) == 0)
		e->running = false;
	memcpy(w, e->name, 16);
	w[2] = i, w[3] = e->tid;
	w[4] = !e->used ? NS_PS_FREE : e->running ? NS_PS_RUNNING : NS_PS_ENDED;
	w[5] = e->restarts, w[6] = e->server;
	m->mr[1] = w[0], m->mr[2] = w[1], m->mr[3] = w[2];
	for (int k = 3; k < 7; k++)
		IPCBUF->mr[1 + k] = w[k];
	return 0;
}

/* handle: message *m from entry c (badge c + 1); whether to reply (*m the reply). */
static bool handle(int c, struct kit_msg *m)
{
	unsigned long label = KIT_MSGINFO_LABEL(m->info);
	long r;
	unsigned len = 1;

	if (label == KIT_LABEL_FAULT) { /* a Send: the kernel's report; its end comes next */
		if (c >= 0)
			printf("init: %s faulted at pc %p (address %p)\n", tab[c].name,
			       (void *)m->mr[1], (void *)m->mr[2]);
		return false;
	}
	if (c < 0 || !tab[c].used) {
		sys_cap_delete(RECV);
		r = -EPERM;
	} else if (label == NS_REGISTER) {
		r = ns_register_call(c, m);
	} else if (label == NS_LOOKUP) {
		r = ns_lookup_call(c, m);
	} else if (label == NS_DEVICE) {
		unsigned long which = m->mr[1];
		r = ns_device_call(c, m);
		len = r == 0 && which == NS_DEVICE_REGS ? 7 : 1;
	} else if (label == NS_SPAWN) {
		r = ns_spawn_call(c, m);
	} else if (label == NS_KILL) {
		r = ns_kill_call(m);
	} else if (label == NS_PS) {
		r = ns_ps_call(m);
		len = r == 0 ? 8 : 1;
	} else {
		r = -ENOSYS;
	}
	if (KIT_MSGINFO_CAPS(m->info))
		sys_cap_delete(RECV); /* a capability nobody took */
	m->info = KIT_MSGINFO(0, 0, len);
	m->mr[0] = (unsigned long)r;
	return true;
}

int main(void)
{
	struct kit_msg m;

	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1) < 0 ||
	    sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1) < 0 ||
	    sys_tcb_bind(KIT_SLOT_TCB, NTFN) < 0) {
		printf("init: no endpoint or notification\n");
		return 1;
	}
	printf("init: name service up\n");
	boot_more();
	IPCBUF->recv_slot = RECV;
	long r = kit_recv(EP, &m);
	for (;;) {
		bool reply = false;
		if (r == KIT_RECV_NOTIFICATION) {
			for (int i = 0; i < NENTRIES; i++)
				if (m.badge & (1UL << i))
					ended(i);
		} else if (r == KIT_RECV_MESSAGE) {
			reply = handle((int)m.badge - 1, &m);
		}
		IPCBUF->recv_slot = RECV;
		IPCBUF->cap_slot = 0;
		r = reply ? kit_reply_recv(EP, &m) : kit_recv(EP, &m);
	}
}

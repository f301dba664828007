/*
 * ns.c: the name-service client calls of kit/ns.h (lab 5), the retry
 * helper clients use when a server is restarted (ns_call_retry), and the
 * console client (ns_console_attach, cons_readline): Calls on init's
 * endpoint in KIT_SLOT_ARG and on the console server's.
 */
#include "user.h"
#include "kit/ns.h"

#define IPCBUF ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)

void ns_name(const char *name, unsigned long mr[2])
{
	char b[16] = {0};

	for (size_t i = 0; i < NS_NAME_MAX && name[i]; i++)
		b[i] = name[i];
	memcpy(mr, b, sizeof(b));
}

/* ns_call: a Call of label with name (or NULL), MRs 2 and 3, and (cap not 0) the capability
 * in slot cap; the reply's result. */
static long ns_call(unsigned long label, const char *name, unsigned long mr2, unsigned long mr3,
		    unsigned long cap, struct kit_msg *m)
{
	*m = (struct kit_msg){.info = KIT_MSGINFO(label, cap ? 1 : 0, 4)};
	if (name)
		ns_name(name, m->mr);
	m->mr[2] = mr2;
	m->mr[3] = mr3;
	IPCBUF->cap_slot = cap;
	long r = kit_call(KIT_SLOT_ARG, m);
	return r < 0 ? r : (long)m->mr[0];
}

long ns_register(const char *name, unsigned long ep)
{
	struct kit_msg m;

	return ns_call(NS_REGISTER, name, 0, 0, ep, &m);
}

long ns_lookup(const char *name, unsigned long dest)
{
	struct kit_msg m;

	sys_cap_delete(dest); /* a stale copy: its server is gone (or -ENOENT: empty already) */
	return ns_call(NS_LOOKUP, name, dest, 0, 0, &m);
}

long ns_device(unsigned long index, unsigned long which, unsigned long dest,
	       struct kit_device_info *info)
{
	struct kit_msg m = {.info = KIT_MSGINFO(NS_DEVICE, 0, 3), .mr = {index, which, dest}};
	long r = kit_call(KIT_SLOT_ARG, &m);

	if (r < 0 || (long)m.mr[0] < 0)
		return r < 0 ? r : (long)m.mr[0];
	if (info && which == NS_DEVICE_REGS) {
		unsigned long w[6] = {m.mr[1], m.mr[2], m.mr[3]};
		for (int i = 3; i < 6; i++)
			w[i] = IPCBUF->mr[1 + i];
		memcpy(info->name, w, 16);
		info->irq = w[2], info->mmio = w[3], info->port = w[4], info->nports = w[5];
	}
	return 0;
}

long ns_spawn_image(const char *name, unsigned long arg, unsigned long task_dest,
		    unsigned long ntfn, const void *elf, unsigned long size)
{
	struct kit_msg m = {.info = KIT_MSGINFO(NS_SPAWN, ntfn ? 1 : 0, 6),
			    .mr = {0, 0, task_dest, arg}};

	ns_name(name, m.mr);
	IPCBUF->mr[4] = (unsigned long)elf;
	IPCBUF->mr[5] = size;
	IPCBUF->cap_slot = ntfn;
	long r = kit_call(KIT_SLOT_ARG, &m);
	return r < 0 ? r : (long)m.mr[0];
}

long ns_spawn_task(const char *name, unsigned long arg, unsigned long task_dest, unsigned long ntfn)
{
	return ns_spawn_image(name, arg, task_dest, ntfn, NULL, 0);
}

long ns_spawn(const char *name)
{
	return ns_spawn_task(name, 0, 0, 0);
}

long ns_kill(const char *name)
{
	struct kit_msg m;

	return ns_call(NS_KILL, name, 0, 0, 0, &m);
}

long ns_kill_id(unsigned long id)
{
	struct kit_msg m;

	return ns_call(NS_KILL, NULL, id, 0, 0, &m);
}

long ns_ps(unsigned long index, struct ns_ps *out)
{
	struct kit_msg m = {.info = KIT_MSGINFO(NS_PS, 0, 1), .mr = {index}};
	long r = kit_call(KIT_SLOT_ARG, &m);

	if (r < 0 || (long)m.mr[0] < 0)
		return r < 0 ? r : (long)m.mr[0];
	unsigned long w[7] = {m.mr[1], m.mr[2], m.mr[3]};
	for (int i = 3; i < 7; i++)
		w[i] = IPCBUF->mr[1 + i];
	memcpy(out->name, w, 16);
	out->id = w[2], out->tid = w[3], out->state = w[4], out->restarts = w[5];
	out->server = w[6];
	return 0;
}

/* lookup_wait: look name up into ep, yielding while nobody serves it; 0 or the error. */
static long lookup_wait(const char *name, unsigned long ep)
{
	long r = -ENOENT;

	for (int i = 0; i < NS_RETRY_MAX && r == -ENOENT; i++)
		if ((r = ns_lookup(name, ep)) == -ENOENT)
			sys_yield();
	return r;
}

long ns_call_retry(const char *name, unsigned long ep, struct kit_msg *m)
{
	struct kit_cap_info ci;
	struct kit_msg req = *m;
	struct kit_ipc_buffer saved = *IPCBUF; /* the MRs beyond the registers, the cap slot */

	if (sys_cap_identify(ep, &ci) != 0 || ci.type != KIT_CAP_ENDPOINT) {
		long r = lookup_wait(name, ep);
		if (r < 0)
			return r;
	}
	for (int i = 0; i < NS_RETRY_MAX; i++) {
		long r = kit_call(ep, m);
		if (r != -EINVAL && r != -EPIPE)
			return r;
		if ((r = lookup_wait(name, ep)) < 0)
			return r;
		*m = req;
		*IPCBUF = saved;
	}
	return -EPIPE;
}

/* -- the console client ------------------------------------------------------------------ */

/* cons_write (kit_write_hook): s[0..n) to consd, CONS_WRITE_MAX bytes per Call. */
static long cons_write(const char *s, size_t n)
{
	while (n) {
		size_t k = n < CONS_WRITE_MAX ? n : CONS_WRITE_MAX;
		unsigned long w[KIT_MSG_MAX_MRS] = {0};
		memcpy(w, s, k);
		unsigned len = 1 + (unsigned)((k + 7) / 8);
		struct kit_msg m = {.info = KIT_MSGINFO(CONS_WRITE, 0, len),
				    .mr = {k, w[0], w[1], w[2]}};
		for (unsigned i = KIT_MSG_REG_MRS; i < len; i++)
			IPCBUF->mr[i] = w[i - 1];
		long r = ns_call_retry("consd", NS_SLOT_CONS, &m);
		if (r < 0 || (long)m.mr[0] < 0) {
			kit_write_hook = NULL; /* consd is gone for good: the kernel's console */
			return r < 0 ? r : (long)m.mr[0];
		}
		s += k, n -= k;
	}
	return 0;
}

long ns_console_attach(void)
{
	long r = ns_lookup("consd", NS_SLOT_CONS);

	if (r == 0)
		kit_write_hook = cons_write;
	return r;
}

long cons_readline(char *buf, size_t size)
{
	struct kit_cap_info ci;

	if (sys_cap_identify(NS_SLOT_RNTFN, &ci) != 0 || ci.type != KIT_CAP_NOTIFICATION) {
		long r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NS_SLOT_RNTFN, 1);
		if (r < 0)
			return r;
	}
	for (;;) {
		struct kit_msg m = {.info = KIT_MSGINFO(CONS_READ, 1, 0)};
		IPCBUF->cap_slot = NS_SLOT_RNTFN;
		long r = ns_call_retry("consd", NS_SLOT_CONS, &m);
		if (r < 0)
			return r;
		long n = (long)m.mr[0];
		if (n == -EAGAIN) {
			unsigned long word;
			sys_wait(NS_SLOT_RNTFN, &word);
			continue;
		}
		if (n < 0)
			return n;
		unsigned long w[KIT_MSG_MAX_MRS];
		w[0] = m.mr[1], w[1] = m.mr[2], w[2] = m.mr[3];
		for (unsigned i = KIT_MSG_REG_MRS; i < KIT_MSGINFO_LEN(m.info); i++)
			w[i - 1] = IPCBUF->mr[i];
		size_t k = (size_t)n < size - 1 ? (size_t)n : size - 1;
		memcpy(buf, w, k);
		buf[k] = 0;
		return n;
	}
}

/*
 * kit/ns.h: lab 5's name service, the protocol every server and client
 * speaks with init (the root task), and its client calls (user/lib/ns.c).
 *
 * Every task init starts holds, in KIT_SLOT_ARG, a capability to init's
 * name-service endpoint (write and grant) minted with a badge that names
 * the task (its init table index + 1), so init knows who asks; the same
 * capability is the task's fault endpoint (a fault message, label
 * KIT_LABEL_FAULT, is not a call). A name is 1..15 bytes, carried in MRs 0
 * and 1 (16 bytes, NUL-padded). A Reply carries no capability (kit/abi.h),
 * so init hands one out by copying it into the caller's cspace with its
 * task capability (SYS_TASK_CAP_COPY), into the empty slot the caller names.
 *
 * Calls (a Call on the name-service endpoint; the label is the operation,
 * the reply's label is 0 and MR 0 the result, >= 0 or a negative -E* code):
 *   NS_REGISTER (name; the capability: an unbadged endpoint, sent with the
 *       caps bit) -> 0: the caller serves name; a later register of the
 *       same name replaces it (a restarted server re-registers). A task
 *       may serve only its own name (its boot module's: "consd", "blkd",
 *       "fsd"): -EPERM for another; -EINVAL without a capability.
 *   NS_LOOKUP (name, MR 2 an empty slot of the caller's) -> 0, the
 *       endpoint's capability (write and grant, badged by init with the
 *       caller's badge, so a server can tell clients apart) in that slot:
 *       -ENOENT: nobody serves it (not yet, or it crashed and is not back
 *       yet: retry after a sys_yield, ns_call_retry); -EEXIST: the slot is
 *       full.
 *   NS_DEVICE (MR 0 a board device index, MR 1 NS_DEVICE_REGS or
 *       NS_DEVICE_IRQ, MR 2 an empty slot) -> 0, the device's register
 *       capability (a frame or I/O ports) or its IRQ handler capability in
 *       that slot, and the kit_device_info in MRs 1..6 (name 1-2, irq,
 *       mmio, port, nports). -EPERM: the caller is not that device's
 *       driver (init's table says which task drives which device);
 *       -ENOENT: no such device.
 *   NS_SPAWN (name of a boot module, MR 2 an empty slot or 0, MR 3 its
 *       argument, MRs 4 and 5 an ELF image's address and size in bytes in
 *       the caller's memory or 0: the boot module name; a notification may
 *       come along as the capability) -> its id (>= 0): start it (from the
 *       caller's image: SYS_TASK_CREATE's elf_task) as a task of init's, its faults reported to
 *       init; with a slot, a copy of its task capability goes there (read
 *       and write: SYS_TASK_STATUS, SYS_TASK_KILL), and with a
 *       notification, its end signals that (badge 1) instead of init. A
 *       program is not restarted; a server (in init's boot list) is.
 *       -ENOENT: no such module; -ENOSPC: init's table is full;
 *       -EPERM: a server's name (init starts servers itself, and a
 *       server's name brings its devices and its service).
 *   NS_KILL (name, or MR 0 = 0 and MR 2 an id) -> 0: end that task
 *       (SYS_TASK_KILL); the supervisor restarts a server (the tests use
 *       it to crash servers). -ENOENT: no such task running.
 *   NS_PS (MR 0 an index) -> 0 and the entry in MRs 1.. (struct ns_ps);
 *       -ENOENT past the last. An empty entry has state NS_PS_FREE.
 *
 * The supervisor (user/lab5/init.c): when a server ends (a fault, an exit,
 * a kill) init starts it again from its boot module with the same name,
 * badge and capabilities, prints one line ("init: restarted fsd (fault), 1
 * restart"), and the server registers again. Every capability derived from
 * the dead server's objects went with its cspace (its endpoint's copies in
 * its clients' cspaces too): a client's next Call on it fails (-EINVAL: the
 * slot is empty; -EPIPE: it was waiting when the endpoint went), and it
 * looks the name up again (ns_call_retry). A request the server took but
 * never answered is sent again: servers' operations should be idempotent
 * or logged (the file system's log).
 */
#pragma once

#include "kit/syscall.h"

#define NS_NAME_MAX 15 /* bytes of a name, without its NUL */

/* Labels of name-service calls. */
#define NS_REGISTER 1
#define NS_LOOKUP   2
#define NS_DEVICE   3
#define NS_SPAWN    4
#define NS_KILL	    5
#define NS_PS	    6

/* NS_DEVICE's MR 1: which capability of the device. */
#define NS_DEVICE_REGS 0
#define NS_DEVICE_IRQ  1

/* NS_PS's entry. */
#define NS_PS_FREE    0
#define NS_PS_RUNNING 1 /* a task runs */
#define NS_PS_ENDED   2 /* ended, not restarted (a program, or a server given up on) */
struct ns_ps {
	char name[16];
	unsigned long id;	/* init's index (the task's badge - 1) */
	unsigned long tid;	/* its root thread */
	unsigned long state;	/* NS_PS_* */
	unsigned long restarts; /* times the supervisor restarted it */
	unsigned long server;	/* 1: a server (restarted when it ends) */
};

/*
 * The client calls (user/lib/ns.c), each on the name-service capability in
 * KIT_SLOT_ARG; each returns the reply's result (0, or -E* as above, or the
 * IPC error of the Call). A slot argument is an empty slot of the caller's
 * cspace that receives the capability (ns_lookup empties it first).
 */
long ns_register(const char *name, unsigned long ep);
long ns_lookup(const char *name, unsigned long dest);
long ns_device(unsigned long index, unsigned long which, unsigned long dest,
	       struct kit_device_info *info);
long ns_spawn(const char *name);
/* ns_spawn_task: NS_SPAWN with arg, a task capability into task_dest (0: none) and its end
 * signalled on notification ntfn (0: init's). */
long ns_spawn_task(const char *name, unsigned long arg, unsigned long task_dest,
		   unsigned long ntfn);
/* ns_spawn_image: ns_spawn_task from the ELF image elf (size bytes) in the caller's memory
 * (a file the caller read), the task called name. */
long ns_spawn_image(const char *name, unsigned long arg, unsigned long task_dest,
		    unsigned long ntfn, const void *elf, unsigned long size);
long ns_kill(const char *name);
long ns_kill_id(unsigned long id);
long ns_ps(unsigned long index, struct ns_ps *out);

/*
 * ns_call_retry: a Call of *m on the endpoint of service name in slot ep of the caller's
 * cspace (looked up there first when the slot is empty), retried when the server is gone:
 * on -EINVAL (its capability was revoked with the server's cspace) or -EPIPE (the endpoint
 * went while we waited) it looks name up again into ep, yielding while the name is not
 * registered (-ENOENT), at most NS_RETRY_MAX times, and sends *m again. Returns the Call's
 * result (the reply in *m), or the last lookup's error.
 */
#define NS_RETRY_MAX 10000
long ns_call_retry(const char *name, unsigned long ep, struct kit_msg *m);

/* ns_name: name as MRs 0 and 1 (16 bytes, NUL-padded; at most NS_NAME_MAX bytes kept). */
void ns_name(const char *name, unsigned long mr[2]);

/*
 * The console (user/lab5/consd.c, registered as "consd"): CONS_WRITE (MR 0 a length in bytes,
 * at most CONS_WRITE_MAX, the bytes from MR 1 on) -> the length; CONS_READ (a notification
 * may come along) -> the length of one input line (without its newline) and its bytes from
 * MR 1 on, or -EAGAIN when no line is complete: the reader waits on the notification it sent
 * (signalled when a line arrives) and asks again. CONS_FAULT: consd faults on purpose (a
 * store to address 0x10), so tests see the supervisor's fault path; any client may already
 * end any server (NS_KILL). CONS_ECHO_STATS -> the keystrokes measured since the last
 * CONS_ECHO_STATS (MR 0) and the instructions from each one's interrupt to its echo: the
 * least (MR 1), the median (MR 2), the most (MR 3); the count starts again (the shell's
 * `echostat`; the median of the last CONS_ECHO_KEEP). ns_console_attach makes printf and puts
 * go to consd (SYS_DEBUG_PUTS before, and whenever consd cannot be reached).
 */
#define CONS_WRITE	1
#define CONS_READ	2
#define CONS_FAULT	3  /* consd faults (a store to 0x10): the supervisor's tests */
#define CONS_ECHO_STATS 4  /* the keystroke-to-echo instructions (consd.c, "Echo latency") */
#define CONS_ECHO_KEEP	64 /* keystrokes CONS_ECHO_STATS keeps for its median */
#define CONS_WRITE_MAX	((KIT_MSG_MAX_MRS - 1) * 8)
#define CONS_LINE_MAX	128 /* bytes of an input line, its newline not counted */
#define NS_SLOT_CONS	250 /* where ns_console_attach keeps consd's endpoint */
#define NS_SLOT_RNTFN	251 /* and cons_readline its notification */
long ns_console_attach(void);
/* cons_readline: one line from consd into buf (size bytes, NUL-terminated), waiting for it;
 * its length, or a negative -E* code. */
long cons_readline(char *buf, size_t size);

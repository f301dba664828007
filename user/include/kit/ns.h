/*
 * kit/ns.h: lab 5's name service, the protocol every server and client
 * speaks with init (the root task), and its client calls (user/lib/ns.c).
 *
 * Every task init starts holds, in KIT_SLOT_ARG, a capability to init's
 * name-service endpoint minted with a badge that names the task (init's
 * table index), so init knows who asks. A name is 1..15 bytes, carried in
 * MRs 0 and 1 (16 bytes, NUL-padded). One capability travels per message
 * (kit/abi.h), so a call that hands out a capability hands out one.
 *
 * Calls (a Call on the name-service endpoint; the label is the operation,
 * the reply's label is 0 and MR 0 the result, >= 0 or a negative -E* code):
 *   NS_REGISTER (name; the capability: an endpoint with grant) -> 0:
 *       the caller serves name; a later register of the same name replaces
 *       it (a restarted server re-registers). -EPERM: the caller may not
 *       serve that name; -ENOSPC: the table is full.
 *   NS_LOOKUP (name) -> 0, the endpoint's capability (write right, badged
 *       by init per client): -ENOENT: nobody serves it (not yet, or it
 *       crashed and is not back yet: retry after a sys_yield).
 *   NS_DEVICE (MR 0 a board device index, MR 1 NS_DEVICE_REGS or
 *       NS_DEVICE_IRQ) -> 0, the device's register capability (a frame or
 *       I/O ports) or its IRQ handler capability, and the kit_device_info
 *       in MRs 1.. (regs only). -EPERM: the caller is not that device's
 *       driver (init's table says which task drives which device).
 *   NS_SPAWN (name of a program) -> its task id: start it (a boot module or
 *       a file) as a child of init, supervised like the servers.
 *   NS_KILL (name or task id) -> 0: end that task as if it faulted (the
 *       supervisor restarts a server; the tests use it to crash servers).
 *   NS_PS (MR 0 an index) -> 0 and the entry (name, task id, state,
 *       restarts) in MRs 1..; -ENOENT past the last.
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

/*
 * The client calls (user/lib/ns.c), each on the name-service capability in
 * KIT_SLOT_ARG; each returns the reply's result (0, or -E* as above, or the
 * IPC error of the Call). A slot argument is an empty slot of the caller's
 * cspace that receives the capability.
 */
long ns_register(const char *name, unsigned long ep);
long ns_lookup(const char *name, unsigned long dest);
long ns_device(unsigned long index, unsigned long which, unsigned long dest,
	       struct kit_device_info *info);
long ns_spawn(const char *name);
long ns_kill(const char *name);

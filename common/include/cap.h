/*
 * cap.h: lab 4 part B, capabilities. A task names kernel objects only
 * through slots of its cspace, a CNode of 2^k capability slots (struct
 * cte); a system call's slot argument is an index into it. Each capability
 * says which object (type, pointer), what its holder may do with it
 * (rights) and, for endpoints and notifications, a badge the receiver
 * sees. Capabilities derived from another (copy, mint, retype) are its
 * children in the derivation tree (seL4's mapping database, MDB), so
 * revoke can find and delete everything derived from a capability.
 *
 * Objects are made only by retyping an untyped capability (seL4's model:
 * the kernel never allocates memory on a task's behalf): its memory is
 * handed out from a free offset kept in the untyped capability, in
 * naturally aligned blocks; revoking the untyped deletes every capability
 * derived from it, and only then is its memory free again.
 *
 * Files: object.c (provided: object headers, reference counts, the root
 * task's cspace), cnode.c (student: lookup and the cspace operations over
 * the derivation tree), untyped.c (student: retype). Locking: one CPU;
 * every function runs with interrupts disabled (inside a system call) or
 * at task creation and teardown.
 */
#pragma once

#include "types.h"
#include "kit/abi.h"

/* What every object retyped from untyped starts with (not frames: a frame is just a page). */
struct kobj {
	uint32_t refs; /* capabilities that point at it, plus kernel references (a task's cspace) */
	uint8_t type;  /* enum kit_cap_type */
};

/* A capability. */
struct cap {
	uint8_t type;	    /* enum kit_cap_type; KIT_CAP_NULL: the slot is empty */
	uint8_t rights;	    /* KIT_RIGHT_* */
	uint8_t size_bits;  /* untyped: log2 of its bytes; cnode: log2 of its slots */
	uint8_t guard_bits; /* cnode: its guard's bits (the guard is in badge), kit/abi.h */
	union {
		uint64_t
		    badge; /* endpoint, notification: given to the receiver; 0 none; cnode: guard */
		uintptr_t map_va; /* frame: where this capability maps it (SYS_FRAME_MAP), or 0 */
	};
	void *obj; /* the object (a struct kobj, or a frame's page); NULL when empty */
	union {
		size_t free_offset;	  /* untyped: bytes already handed out (seL4's freeIndex) */
		struct pagetable *map_pt; /* frame: the address space it is mapped in, or NULL */
	};
};

/* A capability slot with its links in the derivation tree. */
struct cte {
	struct cap cap;
	struct cte *parent;	  /* what it was derived from (copy, mint, retype), or NULL */
	struct cte *first_child;  /* the first of the capabilities derived from it */
	struct cte *next_sibling; /* the parent's other children */
	struct cte *prev_sibling;
};

/* A CNode: 2^size_bits slots. */
struct cnode {
	struct kobj hdr;
	unsigned size_bits;
	void *boot_mem; /* a root cspace: the untyped memory the kernel gave it (freed with it) */
	struct cnode *next_dying; /* finalized, waiting to be cleared (object.c) */
	struct cte slots[];
};

/* The endpoint, notification and TCB objects are ipc.h's (part C). */

/* An interrupt line's handler object (device.c): the kernel's, one per line. */
struct notification;
struct irq_handler {
	struct kobj hdr;
	unsigned irq;		   /* the line (platform.h) */
	struct notification *ntfn; /* signalled on each interrupt, or NULL */
	unsigned long badge;	   /* with this badge (its capability's, 0: 1) */
};

/* Object sizes, as log2 of bytes (a retype hands out naturally aligned blocks of that size). */
#define ENDPOINT_SIZE_BITS     6
#define NOTIFICATION_SIZE_BITS 6
#define CTE_SIZE_BITS	       6 /* a cnode of 2^k slots takes 2^(k + CTE_SIZE_BITS) bytes */
#define CNODE_MAX_BITS	       10
#define UNTYPED_MIN_BITS       12
#define FRAME_SIZE_BITS	       12 /* a frame: one page */
#define ROOT_CNODE_BITS	       8  /* the root task's cspace: 256 slots */
#define ROOT_UNTYPED_BITS      20 /* and 1 MiB of untyped memory */
#define KIT_GUARD_MAX_BITS     48 /* a CNode capability's guard (SYS_CNODE_GUARD) */

/* -- provided (object.c) ------------------------------------------------------------------ */

/* obj_size_bits: log2 of the bytes one object of type takes with size_bits (cnode slots,
 * untyped bytes); -EINVAL for a type retype cannot make or a size out of range. */
int obj_size_bits(unsigned type, unsigned size_bits);

/* obj_init: turn zeroed memory at kva into an object of type (size_bits as above), with no
 * references yet (a TCB: not started). */
void obj_init(void *kva, unsigned type, unsigned size_bits);

/* obj_ref / obj_unref: one more / one fewer reference to cap's object (nothing for untyped
 * and empty caps; a frame has no count, but obj_unref unmaps a frame capability's mapping). The last unref finalizes it: a CNode's capabilities are deleted,
 * an endpoint's or notification's waiters wake with -EPIPE, a TCB's thread stops; its
 * memory stays the untyped's until that is revoked. */
void obj_ref(const struct cap *cap);
void obj_unref(const struct cap *cap);

/*
 * cspace_create_root: the root task's cspace: a CNode of 2^ROOT_CNODE_BITS
 * slots holding, at the KIT_SLOT_* indices (kit/abi.h), a capability to
 * itself, to the task's root thread (root) and to a new untyped of
 * 2^ROOT_UNTYPED_BITS bytes: everything the kernel made for the task.
 * Returns the CNode or NULL (no memory).
 */
struct tcb_obj;
struct cnode *cspace_create_root(struct tcb_obj *root);

/*
 * cspace_add_devices: the device capabilities of a task the monitor runs
 * (device.c), at their KIT_SLOT_* indices in cs: the IRQ control
 * capability, the console UART's registers (a frame or I/O ports,
 * platform_console_regs) and an IRQ handler for its line (left empty when
 * the line has a handler already).
 */
void cspace_add_devices(struct cnode *cs);

/* irq_handler_finalize: the last capability to h is gone: the line is free and masked. */
void irq_handler_finalize(struct irq_handler *h);

/* irq_user: the handler (irq.h's irq_register) of line irq, claimed as handler object arg:
 * masks the line until the driver's SYS_IRQ_ACK and signals arg's notification, if any,
 * with its badge; never switches threads. Lab 5's (solutions/common/irqnotify.c). */
void irq_user(unsigned irq, void *arg);

/* irq_notification_gone: n is being finalized: no line signals it any more (masked). */
void irq_notification_gone(struct notification *n);

/* cspace_destroy: delete every capability in cs (cap_delete, children first) and free it with
 * the untyped memory the kernel gave it. */
void cspace_destroy(struct cnode *cs);

/*
 * cap_resolve: the slot that cptr names (kit/abi.h "Capability addresses")
 * from root CNode cs, level by level with cap_lookup: the low size_bits
 * bits index a CNode; while bits are left, that slot must hold a CNode
 * capability whose guard the next guard_bits bits match. Returns the slot
 * (empty or not), or NULL. Every system call's slot goes through it.
 */
struct cte *cap_resolve(struct cnode *cs, unsigned long cptr);

/* -- part B (cnode.c, untyped.c) ---------------------------------------------------------- */

/*
 * cap_lookup: the slot at index slot of cspace cs (empty or not). Returns
 * it, or NULL when slot is out of range (>= 2^cs->size_bits).
 */
struct cte *cap_lookup(struct cnode *cs, unsigned long slot);

/*
 * cap_insert: put cap into empty slot dest as a child of parent (NULL: a
 * root of the derivation tree), taking a reference to its object.
 */
void cap_insert(struct cte *dest, const struct cap *cap, struct cte *parent);

/*
 * cap_copy: a copy of src's capability into empty slot dest, a child of
 * src, with rights src's & rights, and badge (when badge is not 0: a mint;
 * src must be an unbadged endpoint or notification). Returns 0; -ENOENT
 * (src empty), -EEXIST (dest not empty), -EINVAL (src untyped: its free
 * offset lives in the capability and cannot be shared; a badge on another
 * type), -EPERM (a badge on an already badged capability). Nothing changes
 * on an error. A copy of a frame capability is not mapped (map_va,
 * map_pt cleared: each capability maps its frame at most once).
 */
int cap_copy(struct cte *dest, struct cte *src, unsigned rights, uint64_t badge);

/*
 * cap_move: src's capability into empty slot dest, keeping its place in
 * the derivation tree (its parent and children now point at dest); src is
 * empty afterwards. Returns 0, -ENOENT (src empty), -EEXIST (dest not
 * empty; dest == src is not empty either).
 */
int cap_move(struct cte *dest, struct cte *src);

/*
 * cap_delete: empty slot c; its children become children of its parent
 * (so a later revoke of the parent still finds them); its object loses a
 * reference. Returns 0 or -ENOENT (already empty).
 */
int cap_delete(struct cte *c);

/*
 * cap_revoke: delete every capability derived from c's, at any depth; c
 * stays. An untyped's free offset returns to 0: its memory is free again.
 * Returns 0 or -ENOENT (c empty).
 */
int cap_revoke(struct cte *c);

/*
 * untyped_retype: make count objects of type (size_bits for cnodes and
 * untypeds) from untyped ut, in naturally aligned blocks from its free
 * offset, and put a capability to each (all rights, a child of ut) in
 * slots dests[0..count). Returns 0; -EINVAL (ut not untyped, a type or
 * size retype cannot make), -ENOMEM (not enough memory left in ut: nothing
 * is made). The caller has checked the destination slots are empty.
 */
int untyped_retype(struct cte *ut, unsigned type, unsigned size_bits, struct cte **dests,
		   unsigned count);

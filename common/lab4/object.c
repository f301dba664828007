/*
 * object.c: lab 4's kernel objects, the provided part (cap.h): object
 * sizes and headers, reference counts and finalization, and the root
 * task's cspace (seL4's boot info: capabilities to everything the kernel
 * made for the task). Entry points: obj_size_bits, obj_init, obj_ref,
 * obj_unref, cspace_create_root, cspace_destroy.
 */
#include "kernel.h"
#include "kmalloc.h"
#include "mm.h"
#include "string.h"
#include "cap.h"
#include "ipc.h"
#include "pt.h"
#include "syscall.h"
#include "task.h"

_Static_assert(sizeof(struct cte) <= (1UL << CTE_SIZE_BITS), "CTE_SIZE_BITS holds a cte");
_Static_assert(sizeof(struct endpoint) <= (1UL << ENDPOINT_SIZE_BITS), "endpoint size");
_Static_assert(sizeof(struct notification) <= (1UL << NOTIFICATION_SIZE_BITS), "ntfn size");

int obj_size_bits(unsigned type, unsigned size_bits)
{
	switch (type) {
	case KIT_CAP_ENDPOINT:
		return ENDPOINT_SIZE_BITS;
	case KIT_CAP_NOTIFICATION:
		return NOTIFICATION_SIZE_BITS;
	case KIT_CAP_TCB:
		return TCB_SIZE_BITS;
	case KIT_CAP_CNODE:
		if (size_bits < 1 || size_bits > CNODE_MAX_BITS)
			return -EINVAL;
		/* the header and 2^size_bits slots: one slot's room more */
		return (int)(size_bits + CTE_SIZE_BITS + 1);
	case KIT_CAP_UNTYPED:
		return size_bits >= UNTYPED_MIN_BITS && size_bits < 64 ? (int)size_bits : -EINVAL;
	case KIT_CAP_FRAME:
		return FRAME_SIZE_BITS;
	}
	return -EINVAL;
}

/* has_header: whether objects of type start with a struct kobj (refcounted). */
static bool has_header(unsigned type)
{
	return type == KIT_CAP_ENDPOINT || type == KIT_CAP_NOTIFICATION || type == KIT_CAP_CNODE ||
	       type == KIT_CAP_TCB || type == KIT_CAP_IRQ_HANDLER || type == KIT_CAP_TASK;
}

void obj_init(void *kva, unsigned type, unsigned size_bits)
{
	if (!has_header(type))
		return;
	struct kobj *o = kva;
	o->type = (uint8_t)type;
	if (type == KIT_CAP_CNODE)
		((struct cnode *)kva)->size_bits = size_bits;
	if (type == KIT_CAP_ENDPOINT)
		list_init(&((struct endpoint *)kva)->queue);
	if (type == KIT_CAP_NOTIFICATION)
		list_init(&((struct notification *)kva)->queue);
	if (type == KIT_CAP_TCB) {
		struct tcb_obj *t = kva;
		t->tcb.obj = t;
		t->tcb.state = IPC_INACTIVE;
	}
}

void obj_ref(const struct cap *cap)
{
	if (has_header(cap->type))
		((struct kobj *)cap->obj)->refs++;
}

/* cnode_clear: delete every capability in cnode cn, each slot's descendants first. */
static void cnode_clear(struct cnode *cn)
{
	for (size_t i = 0; i < (1UL << cn->size_bits); i++) {
		struct cte *c = &cn->slots[i];
		if (c->cap.type != KIT_CAP_NULL) {
			cap_revoke(c);
			cap_delete(c);
		}
	}
}

/* The CNodes whose last capability went, to be cleared one after the other (not inside each
 * other: a chain of CNodes inside CNodes must not take a kernel stack frame per link). */
static struct cnode *dying;
static bool clearing;

/* cnode_finalize: clear cn, and every CNode that finalizes meanwhile, in turn. */
static void cnode_finalize(struct cnode *cn)
{
	cn->next_dying = dying;
	dying = cn;
	if (clearing)
		return;
	clearing = true;
	while (dying) {
		struct cnode *c = dying;
		dying = c->next_dying;
		cnode_clear(c);
	}
	clearing = false;
}

struct cte *cap_resolve(struct cnode *cs, unsigned long cptr)
{
	for (;;) {
		struct cte *c = cap_lookup(cs, cptr & ((1UL << cs->size_bits) - 1));
		cptr >>= cs->size_bits;
		if (!c || !cptr)
			return c;
		unsigned g = c->cap.guard_bits;
		if (c->cap.type != KIT_CAP_CNODE || (cptr & ((1UL << g) - 1)) != c->cap.badge)
			return NULL;
		cptr >>= g;
		cs = c->cap.obj;
	}
}

long sys_cnode_guard(const struct syscall_args *a)
{
	struct cnode *cs = task_current()->cspace;
	struct cte *dest = cap_resolve(cs, a->arg[0]), *src = cap_resolve(cs, a->arg[1]);
	unsigned long guard = a->arg[2], bits = a->arg[3];

	if (!dest || !src || src->cap.type != KIT_CAP_CNODE || bits > KIT_GUARD_MAX_BITS ||
	    guard >> bits)
		return -EINVAL;
	int err = cap_copy(dest, src, KIT_RIGHTS_ALL, 0);
	if (!err) {
		dest->cap.badge = guard;
		dest->cap.guard_bits = (uint8_t)bits;
	}
	return err;
}

void obj_unref(const struct cap *cap)
{
	if (cap->type == KIT_CAP_FRAME && cap->map_pt) /* the capability's mapping goes with it */
		pt_unmap(cap->map_pt, cap->map_va, PAGE_SIZE);
	if (!has_header(cap->type))
		return;
	struct kobj *o = cap->obj;
	if (o->refs == 0)
		panic("obj_unref: object %p of type %u has no references", (void *)o, o->type);
	if (--o->refs > 0)
		return;
	switch (o->type) { /* seL4's finalise */
	case KIT_CAP_CNODE:
		cnode_finalize((struct cnode *)o);
		break;
	case KIT_CAP_ENDPOINT:
		ep_cancel_all((struct endpoint *)o);
		break;
	case KIT_CAP_NOTIFICATION:
		irq_notification_gone((struct notification *)o);
		ntfn_cancel_all((struct notification *)o);
		break;
	case KIT_CAP_TCB:
		tcb_finalize((struct tcb_obj *)o);
		break;
	case KIT_CAP_IRQ_HANDLER:
		irq_handler_finalize((struct irq_handler *)o);
		break;
	case KIT_CAP_TASK:
		taskobj_finalize((struct task_obj *)o);
		break;
	}
}

struct cnode *cspace_create_root(struct tcb_obj *root)
{
	size_t bytes = sizeof(struct cnode) + (sizeof(struct cte) << ROOT_CNODE_BITS);
	struct cnode *cs = kmalloc(bytes);
	void *mem = frame_alloc(ROOT_UNTYPED_BITS - PAGE_SHIFT);
	if (!cs || !mem) {
		if (cs)
			kfree(cs);
		if (mem)
			frame_free(mem);
		return NULL;
	}
	memset(cs, 0, bytes);
	obj_init(cs, KIT_CAP_CNODE, ROOT_CNODE_BITS);
	cs->boot_mem = mem;
	cs->hdr.refs = 1; /* the task's */
	struct cap self = {.type = KIT_CAP_CNODE,
			   .rights = KIT_RIGHTS_ALL,
			   .obj = cs,
			   .size_bits = ROOT_CNODE_BITS};
	struct cap tcb = {.type = KIT_CAP_TCB, .rights = KIT_RIGHTS_ALL, .obj = root};
	struct cap ut = {.type = KIT_CAP_UNTYPED,
			 .rights = KIT_RIGHTS_ALL,
			 .obj = mem,
			 .size_bits = ROOT_UNTYPED_BITS};
	cap_insert(&cs->slots[KIT_SLOT_CNODE], &self, NULL);
	cap_insert(&cs->slots[KIT_SLOT_TCB], &tcb, NULL);
	cap_insert(&cs->slots[KIT_SLOT_UNTYPED], &ut, NULL);
	return cs;
}

void cspace_destroy(struct cnode *cs)
{
	cs->hdr.refs++; /* its own capability's delete must not finalize it while it is cleared */
	cnode_clear(cs);
	frame_free(cs->boot_mem);
	kfree(cs);
}

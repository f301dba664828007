/*
 * taskobj.c: lab 5's tasks as capabilities (provided code; kit/abi.h
 * SYS_TASK_CREATE, SYS_TASK_KILL, SYS_TASK_STATUS, SYS_TASK_CAP_COPY).
 * A root task (init) makes its servers and programs with SYS_TASK_CREATE
 * from a boot module or from an ELF image in its own memory (the shell's
 * programs come from the file system), and holds each as a task
 * capability (KIT_CAP_TASK) to kill it, to learn how it ended and to give
 * it capabilities. The task object outlives its task: when the task ends
 * it records how (an exit code, a fault, a kill) and signals the exit
 * notification its creator named; SYS_TASK_STATUS then reaps it (joins
 * its thread, frees its address space and cspace). Deleting the last task
 * capability kills and reaps a task that still runs (seL4: a TCB whose
 * last capability goes stops).
 *
 * Why the kernel loads the ELF (seL4 builds address spaces from user
 * level with page-table capabilities): our page tables are kernel objects
 * since lab 2 (struct pagetable, vm_*), not retyped from untyped, so the
 * kernel reuses the boot modules' loader (elf.c) on a checked copy of the
 * image. The cost: the image is copied into the kernel (once, up to
 * KIT_TASK_ELF_MAX bytes) and the kernel parses untrusted input, so the
 * loader must check every field (handout/lab5-servers.md "Tasks").
 *
 * Entry points: taskobj_syscall, task_ending, task_record_fault,
 * taskobj_finalize, taskobj_task (task.h). Locking: one CPU; system calls run with
 * interrupts disabled.
 */
#include "kernel.h"
#include "arch.h"
#include "cap.h"
#include "ipc.h"
#include "kmalloc.h"
#include "mm.h"
#include "pt.h"
#include "string.h"
#include "syscall.h"
#include "task.h"
#include "trace.h"

/* A task object: what a task capability names. */
struct task_obj {
	struct kobj hdr;	  /* refs: its task capabilities */
	struct task *task;	  /* the task, NULL once reaped */
	struct cte exit_ntfn;	  /* a copy of the capability of the notification its end signals
			       * (empty: none), in the derivation tree: revoked with its
			       * object's untyped, never a reference to freed memory */
	unsigned long exit_badge; /* with this badge */
	bool killing;		  /* SYS_TASK_KILL or finalize asked it to end */
	struct kit_task_status status; /* how it is (SYS_TASK_STATUS) */
};

void task_record_fault(struct task *t, const struct user_fault *f)
{
	if (t->obj) {
		t->obj->status.fault_pc = f->pc;
		t->obj->status.fault_addr = f->addr;
	}
}

void task_ending(struct task *t, long code)
{
	struct task_obj *o = t->obj;
	uint64_t name8 = 0;
	int how = t->killed	    ? KIT_TASK_FAULTED
		  : o && o->killing ? KIT_TASK_KILLED
				    : KIT_TASK_EXITED;

	if (o && o->status.state != KIT_TASK_RUNNING) /* ended already */
		return;
	memcpy(&name8, t->name, sizeof(name8));
	TRACEPOINT(TRACE_TASK,
		   t->thread->tid | (uint64_t)TRACE_TASK_END << 32 | (uint64_t)how << 40, name8);
	if (!o) /* a task the monitor runs: nobody to tell */
		return;
	bool irq = arch_irq_save();
	o->status.state = how;
	o->status.code = o->status.state == KIT_TASK_EXITED ? code : 0;
	if (o->exit_ntfn.cap.type == KIT_CAP_NOTIFICATION)
		ntfn_signal(o->exit_ntfn.cap.obj, o->exit_badge ? o->exit_badge : 1);
	arch_irq_restore(irq);
}

/* reap: the ended task of o (its root thread exits, if it has not yet): join it, free it. */
static void reap(struct task_obj *o)
{
	struct task *t = o->task;

	if (!t)
		return;
	thread_join(t->thread, NULL);
	o->task = NULL;
	t->obj = NULL;
	task_free(t);
}

void taskobj_finalize(struct task_obj *o)
{
	struct task *t = o->task;

	if (t && o->status.state == KIT_TASK_RUNNING) {
		o->killing = true;
		task_kill(t);
	}
	if (t && t == task_current()) { /* its own last capability: it leaves, never reaped */
		t->obj = NULL;
		o->task = NULL;
	}
	reap(o);
	if (o->exit_ntfn.cap.type != KIT_CAP_NULL)
		cap_delete(&o->exit_ntfn);
	kfree(o);
}

/* obj_slot: the caller's slot (0: none, *out NULL) holding a capability of type with write
 * right into *out; 0, -EINVAL (a bad slot or type), -ENOENT (empty), -EPERM (no write). */
static int obj_slot(unsigned long slot, unsigned type, struct cte **out)
{
	*out = NULL;
	if (!slot)
		return 0;
	struct cte *c = cap_resolve(task_current()->cspace, slot);
	if (!c)
		return -EINVAL;
	if (c->cap.type == KIT_CAP_NULL)
		return -ENOENT;
	if (c->cap.type != type)
		return -EINVAL;
	if (!(c->cap.rights & KIT_RIGHT_WRITE))
		return -EPERM;
	*out = c;
	return 0;
}

/* spec_check: validate spec (copied in) against the caller's cspace: its name, its
 * capabilities, the fault endpoint, the Linux server endpoint and the exit notification (into
 * *fault, *lx, *ntfn), lab 6's stack and heap sizes. */
static int spec_check(struct kit_task_spec *s, struct cte **fault, struct cte **lx,
		      struct cte **ntfn)
{
	struct cnode *cs = task_current()->cspace;
	size_t len = 0;

	while (len < sizeof(s->name) && s->name[len])
		len++;

	if (len == 0 || len >= sizeof(s->name) || s->ncaps > KIT_TASK_CAPS_MAX)
		return -EINVAL;
	for (unsigned long i = 0; i < s->ncaps; i++) {
		struct cte *src = cap_resolve(cs, s->caps[i].src);
		unsigned long dest = s->caps[i].dest;
		if (!src || src->cap.type == KIT_CAP_UNTYPED || dest < KIT_SLOT_ARG ||
		    dest >= (1UL << ROOT_CNODE_BITS))
			return -EINVAL;
		if (src->cap.type == KIT_CAP_NULL)
			return -ENOENT;
		for (unsigned long j = 0; j < i; j++)
			if (s->caps[j].dest == dest)
				return -EINVAL;
	}
	if ((s->linux_ep && s->ncaps) || s->heap_pages > KIT_LINUX_HEAP_MAX ||
	    (s->stack &&
	     (s->stack_size % 16 || !s->stack_size || s->stack_size > KIT_LINUX_STACK_MAX)))
		return -EINVAL;
	int err = obj_slot(s->fault_ep, KIT_CAP_ENDPOINT, fault);
	if (!err)
		err = obj_slot(s->linux_ep, KIT_CAP_ENDPOINT, lx);
	return err ? err : obj_slot(s->exit_ntfn, KIT_CAP_NOTIFICATION, ntfn);
}

/* task_cap: the task object in the caller's slot with right: 0 and *out, -EINVAL (a bad slot,
 * not a task capability) or -EPERM (without right). */
static int task_cap(unsigned long slot, unsigned right, struct task_obj **out)
{
	struct cte *c = cap_resolve(task_current()->cspace, slot);

	if (!c || c->cap.type != KIT_CAP_TASK)
		return -EINVAL;
	if (!(c->cap.rights & right))
		return -EPERM;
	*out = c->cap.obj;
	return 0;
}

int taskobj_task(unsigned long slot, unsigned right, struct task **out)
{
	struct task_obj *o;
	int err = task_cap(slot, right, &o);

	if (err)
		return err;
	if (!o->task || o->status.state != KIT_TASK_RUNNING)
		return -ESRCH;
	*out = o->task;
	return 0;
}

/* copy_from_task: n bytes at user address src of task t's address space into dst, each page
 * mapped for user mode, readable and RAM (never a device's registers). 0 or -EFAULT. */
static int copy_from_task(struct task *t, char *dst, uintptr_t src, size_t n)
{
	if (!user_range_ok(src, n))
		return -EFAULT;
	while (n) {
		paddr_t pa;
		unsigned perm;
		size_t k = PAGE_SIZE - src % PAGE_SIZE < n ? PAGE_SIZE - src % PAGE_SIZE : n;
		if (pt_translate(&t->pt, src, &pa, &perm, NULL) || !(perm & VM_USER) ||
		    !(perm & VM_READ) || !pa_to_frame(pa))
			return -EFAULT;
		memcpy(dst, pa_to_kva(pa), k);
		dst += k, src += k, n -= k;
	}
	return 0;
}

/* copy_to_task: copy_from_task's mirror: n bytes of src to user address dst of task t, each
 * page mapped for user mode, writable and RAM. 0 or -EFAULT. */
static int copy_to_task(struct task *t, uintptr_t dst, const char *src, size_t n)
{
	if (!user_range_ok(dst, n))
		return -EFAULT;
	while (n) {
		paddr_t pa;
		unsigned perm;
		size_t k = PAGE_SIZE - dst % PAGE_SIZE < n ? PAGE_SIZE - dst % PAGE_SIZE : n;
		if (pt_translate(&t->pt, dst, &pa, &perm, NULL) || !(perm & VM_USER) ||
		    !(perm & VM_WRITE) || !pa_to_frame(pa))
			return -EFAULT;
		memcpy(pa_to_kva(pa), src, k);
		dst += k, src += k, n -= k;
	}
	return 0;
}

/* image_task: the task whose memory holds the spec's image: the caller's (NULL), or elf_task's
 * (*out); 0, -EINVAL, -EPERM, -ESRCH. */
static int image_task(const struct kit_task_spec *s, struct task **out)
{
	struct task_obj *o;

	*out = NULL;
	if (!s->elf_task)
		return 0;
	int err = task_cap(s->elf_task, KIT_RIGHT_READ, &o);
	if (err)
		return err;
	if (!o->task || o->status.state != KIT_TASK_RUNNING)
		return -ESRCH;
	*out = o->task;
	return 0;
}

/* image_in: the spec's image: a kernel copy of the caller's or elf_task's (*copy, to kfree), or
 * the boot module's; 0, -E2BIG, -EFAULT, -ENOMEM, -ENOENT (no such module), image_task's. */
static int image_in(const struct kit_task_spec *s, const void **image, size_t *size, void **copy)
{
	*copy = NULL;
	if (!s->elf) {
		const struct boot_module *m = boot_module_find(s->name);
		if (!m)
			return -ENOENT;
		*image = m->data;
		*size = m->size;
		return 0;
	}
	struct task *from;
	int err = image_task(s, &from);
	if (err)
		return err;
	if (s->elf_size > KIT_TASK_ELF_MAX)
		return -E2BIG;
	if (!user_range_ok(s->elf, s->elf_size))
		return -EFAULT;
	if (!(*copy = kmalloc(s->elf_size ? s->elf_size : 1)))
		return -ENOMEM;
	err = from ? copy_from_task(from, *copy, s->elf, s->elf_size)
		   : copy_from_user(*copy, s->elf, s->elf_size);
	if (err) {
		kfree(*copy);
		*copy = NULL;
		return err;
	}
	*image = *copy;
	*size = s->elf_size;
	return 0;
}

/* fork_regs: the registers regs_task (a slot or 0) names for a new task's start (NULL: none):
 * linux_regs_copy's, into *regs and *tls, and (lab 6) the user state of a Linux-ABI task (lx
 * set) into *us: a copy of that thread's, or a new program's; 0, -EINVAL, -EPERM, -ENOMEM. */
static int fork_regs(unsigned long regs_task, bool lx, struct trapframe **regs, unsigned long *tls,
		     struct arch_ustate **us)
{
	struct task *from = NULL;
	int err = 0;

	*regs = NULL;
	*us = NULL;
	if (regs_task && !(err = taskobj_task(regs_task, KIT_RIGHT_READ, &from)))
		err = linux_regs_copy(from, regs, tls);
	if (err)
		return err == -ESRCH ? -EINVAL : err;
	if (lx && !(*us = ustate_create(*regs ? from->root_tcb->tcb.ustate : NULL))) {
		kfree(*regs);
		return -ENOMEM;
	}
	return 0;
}

/* sys_task_create (spec, len, dest): kit/abi.h SYS_TASK_CREATE. */
static long sys_task_create(const struct syscall_args *a)
{
	struct kit_task_spec s = {0};
	struct cte *fault, *ntfn, *lx;
	struct cnode *cs = task_current()->cspace;
	struct trapframe *regs;
	struct arch_ustate *us;
	unsigned long tls = 0;

	if (a->arg[1] != sizeof(s) && a->arg[1] != KIT_TASK_SPEC_LAB5_LEN &&
	    a->arg[1] != KIT_TASK_SPEC_LAB6_LEN)
		return -EINVAL;
	int err = copy_from_user(&s, a->arg[0], a->arg[1]);
	if (err)
		return err;
	struct cte *dest = cap_resolve(cs, a->arg[2]);
	if (!dest)
		return -EINVAL;
	if (dest->cap.type != KIT_CAP_NULL)
		return -EEXIST;
	if ((err = spec_check(&s, &fault, &lx, &ntfn)) ||
	    (err = fork_regs(s.regs_task, lx, &regs, &tls, &us)))
		return err;
	char *stack = s.stack ? kmalloc(s.stack_size) : NULL; /* not on the kernel stack */
	struct task_layout lay = {
	    .stack = stack, .stack_size = s.stack_size, .heap_pages = s.heap_pages};
	if (s.stack && !stack)
		err = -ENOMEM;
	else if (stack)
		err = copy_from_user(stack, s.stack, s.stack_size);
	struct task_obj *o = err ? NULL : kmalloc(sizeof(*o));
	if (!o) {
		kfree(stack);
		kfree(regs);
		ustate_free(us);
		return err ? err : -ENOMEM;
	}
	memset(o, 0, sizeof(*o));
	const void *image;
	size_t size;
	void *copy;
	struct task *t;
	err = image_in(&s, &image, &size, &copy);
	if (!err)
		err = task_create_layout(&t, s.name, image, size, s.arg, false, &lay);
	kfree(copy);
	kfree(stack);
	if (err) {
		kfree(o);
		kfree(regs);
		ustate_free(us);
		return err;
	}
	/* the task is ready but cannot run before this system call returns (interrupts off) */
	t->root_tcb->tcb.start_regs = regs; /* lab 6's fork: tcb.c starts it from these */
	t->root_tcb->tcb.start_tls = tls;
	o->hdr.type = KIT_CAP_TASK;
	o->task = t;
	t->obj = o;
	o->status.tid = (unsigned long)t->thread->tid;
	o->exit_badge = s.exit_badge;
	if (ntfn)
		cap_copy(&o->exit_ntfn, ntfn, KIT_RIGHTS_ALL, 0);
	if (fault) { /* a plain copy, as SYS_TCB_SET_FAULT's: the creator outlives it (init) */
		t->root_tcb->tcb.fault_ep = fault->cap;
		obj_ref(&fault->cap);
	}
	if (lx) { /* lab 6: from now on its system calls are Calls on it (linux.c) */
		t->root_tcb->tcb.linux_ep = lx->cap;
		obj_ref(&lx->cap);
		t->root_tcb->tcb.ustate = us; /* its FP registers, thread pointer (ustate.c) */
		t->thread->ustate = us;	      /* switched in from its first run on */
		if (regs) /* fork's child waits in its fork call, set aside, for SYS_LINUX_REPLY */
			linux_child_hold(&t->root_tcb->tcb);
	}
	for (unsigned long i = 0; i < s.ncaps; i++)
		cap_copy(&t->cspace->slots[s.caps[i].dest], cap_resolve(cs, s.caps[i].src),
			 KIT_RIGHTS_ALL, 0);
	struct cap c = {.type = KIT_CAP_TASK, .rights = KIT_RIGHTS_ALL, .obj = o};
	cap_insert(dest, &c, NULL);
	return 0;
}

/* sys_task_kill (task): kit/abi.h SYS_TASK_KILL. */
static long sys_task_kill(const struct syscall_args *a)
{
	struct task_obj *o;
	int err = task_cap(a->arg[0], KIT_RIGHT_WRITE, &o);

	if (err)
		return err;
	if (!o->task || o->status.state != KIT_TASK_RUNNING)
		return -ESRCH;
	o->killing = true;
	task_kill(o->task);
	return 0;
}

/* sys_task_status (task, out, len): kit/abi.h SYS_TASK_STATUS. */
static long sys_task_status(const struct syscall_args *a)
{
	struct task_obj *o;
	int err = task_cap(a->arg[0], KIT_RIGHT_READ, &o);

	if (err)
		return err;
	if (a->arg[2] < sizeof(o->status))
		return -EINVAL;
	if ((err = copy_to_user(a->arg[1], &o->status, sizeof(o->status))))
		return err;
	if (o->status.state == KIT_TASK_RUNNING)
		return -EBUSY;
	reap(o);
	return 0;
}

/* sys_task_cap_copy (task, dest, src, rights, badge): kit/abi.h SYS_TASK_CAP_COPY. */
static long sys_task_cap_copy(const struct syscall_args *a)
{
	struct task_obj *o;
	int err = task_cap(a->arg[0], KIT_RIGHT_GRANT, &o);

	if (err)
		return err;
	if (!o->task || o->status.state != KIT_TASK_RUNNING)
		return -ESRCH;
	struct cte *dest = cap_resolve(o->task->cspace, a->arg[1]);
	struct cte *src = cap_resolve(task_current()->cspace, a->arg[2]);
	if (!dest || !src || a->arg[3] & ~(unsigned long)KIT_RIGHTS_ALL)
		return -EINVAL;
	return cap_copy(dest, src, (unsigned)a->arg[3], a->arg[4]);
}

/* sys_task_mem (task, buf, addr, len): SYS_TASK_MEM_READ and _WRITE (kit/abi.h), through a
 * kernel buffer of len bytes. */
static long sys_task_mem(const struct syscall_args *a)
{
	bool write = a->nr == SYS_TASK_MEM_WRITE;
	struct task_obj *o;
	int err = task_cap(a->arg[0], write ? KIT_RIGHT_WRITE : KIT_RIGHT_READ, &o);
	size_t len = a->arg[3];

	if (err)
		return err;
	if (len > KIT_TASK_MEM_MAX)
		return -EINVAL;
	if (!o->task || o->status.state != KIT_TASK_RUNNING)
		return -ESRCH;
	char *buf = kmalloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	if (write) {
		err = copy_from_user(buf, a->arg[1], len);
		if (!err)
			err = copy_to_task(o->task, a->arg[2], buf, len);
	} else {
		err = copy_from_task(o->task, buf, a->arg[2], len);
		if (!err)
			err = copy_to_user(a->arg[1], buf, len);
	}
	kfree(buf);
	return err;
}

static const syscall_fn taskobj_table[SYS_COUNT - SYS_TASK_CREATE] = {
    [SYS_TASK_CREATE - SYS_TASK_CREATE] = sys_task_create,
    [SYS_TASK_KILL - SYS_TASK_CREATE] = sys_task_kill,
    [SYS_TASK_STATUS - SYS_TASK_CREATE] = sys_task_status,
    [SYS_TASK_CAP_COPY - SYS_TASK_CREATE] = sys_task_cap_copy,
    [SYS_TASK_MEM_READ - SYS_TASK_CREATE] = sys_task_mem,
    [SYS_TASK_MEM_WRITE - SYS_TASK_CREATE] = sys_task_mem,
    [SYS_LINUX_DEFER - SYS_TASK_CREATE] = linux_defer, /* lab 6: linux.c */
    [SYS_LINUX_REPLY - SYS_TASK_CREATE] = linux_reply,
    [SYS_TIMER_SIGNAL - SYS_TASK_CREATE] = sys_timer_signal, /* utimer.c */
};

long taskobj_syscall(const struct syscall_args *a)
{
	syscall_fn fn = taskobj_table[a->nr - SYS_TASK_CREATE];

	return fn ? fn(a) : -ENOSYS;
}

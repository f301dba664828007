/*
 * task.c: lab 4's user tasks (task.h) and the kernel's two entries from
 * user mode: system calls (syscall_hook: syscall_entry, which calls the
 * student's syscall_dispatch) and user faults (user_fault_hook:
 * user_fault, which reports the fault and stops the task). Also the
 * monitor commands `run NAME` (start boot module NAME as a task and wait
 * for it) and `modules`.
 * Entry points: task_create, task_wait, task_current, task_exit,
 * boot_module_find, the hooks (set by task_init).
 */
#include "kernel.h"
#include "arch.h"
#include "cap.h"
#include "ipc.h"
#include "init.h"
#include "kmalloc.h"
#include "monitor.h"
#include "string.h"
#include "syscall.h"
#include "task.h"
#include "trap.h"
#include "trace.h"

const struct boot_module *boot_module_find(const char *name)
{
	for (size_t i = 0; name && i < boot_module_count; i++)
		if (strcmp(boot_modules[i].name, name) == 0)
			return &boot_modules[i];
	return NULL;
}

struct task *task_current(void)
{
	return thread_current()->task;
}

void task_free(struct task *t)
{
	bool irq = arch_irq_save(); /* frame_free and kmalloc have no lock of their own */
	if (t->cspace)
		cspace_destroy(t->cspace);
	tcb_free_root(t);
	vspace_destroy(&t->pt);
	kfree(t);
	arch_irq_restore(irq);
}

int task_create_image(struct task **out, const char *name, const void *image, size_t size,
		      unsigned long arg, bool devices)
{
	return task_create_layout(out, name, image, size, arg, devices, NULL);
}

int task_create_layout(struct task **out, const char *name, const void *image, size_t size,
		       unsigned long arg, bool devices, const struct task_layout *lay)
{
	static const struct task_layout plain;
	bool irq = arch_irq_save();

	if (!lay)
		lay = &plain;
	struct task *t = kmalloc(sizeof(*t));
	int err = t ? 0 : -ENOMEM;
	if (t) {
		memset(t, 0, sizeof(*t));
		strlcpy(t->name, name, sizeof(t->name));
		t->stack_top = USER_STACK_TOP - (lay->stack ? lay->stack_size : 0);
		err = vspace_create(&t->pt);
	}
	if (!err)
		err = elf_load(&t->pt, image, size, &t->entry);
	if (!err)
		err = vspace_map_new(&t->pt, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
				     USER_STACK_PAGES, VM_READ | VM_WRITE,
				     t->stack_top - (USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE),
				     lay->stack, lay->stack ? lay->stack_size : 0);
	if (!err && lay->heap_pages)
		err = vspace_map_new(&t->pt, KIT_LINUX_HEAP_BASE, lay->heap_pages,
				     VM_READ | VM_WRITE, 0, NULL, 0);
	if (!err)
		err = tcb_create_root(t);
	if (err == -EINVAL || err == -EEXIST) /* the image's segments, or over the stack */
		err = -ENOEXEC;
	if (!err)
		t->root_tcb->tcb.start_arg = arg;
	if (!err && !(t->cspace = cspace_create_root(t->root_tcb)))
		err = -ENOMEM;
	if (!err && devices)
		cspace_add_devices(t->cspace);
	arch_irq_restore(irq);
	if (!err)
		err = tcb_start_root(t);
	if (!err) { /* after its start (its thread exists then), which may already have run it */
		uint64_t name8 = 0;
		memcpy(&name8, t->name, sizeof(name8));
		TRACEPOINT(TRACE_TASK, t->thread->tid | (uint64_t)TRACE_TASK_START << 32, name8);
	}
	if (err) {
		if (t)
			task_free(t);
		return err;
	}
	*out = t;
	return 0;
}

int task_create(struct task **out, const struct boot_module *m, unsigned long arg, bool devices)
{
	if (!m)
		return -ENOENT;
	return task_create_image(out, m->name, m->data, m->size, arg, devices);
}

int task_wait(struct task *t, long *code)
{
	int exit_code;
	int err = thread_join(t->thread, &exit_code);
	if (err)
		return err;
	if (code)
		*code = t->killed ? TASK_KILLED : exit_code;
	task_free(t);
	return 0;
}

noreturn void task_exit(long code)
{
	struct task *t = task_current();

	if (t && tcb_current() == &t->root_tcb->tcb) {
		task_stop_threads(t);
		task_ending(t, code);
	}
	thread_exit((int)code);
}

/* syscall_slow: system call nr (not taken by the fastpath): the arguments out of the saved
 * registers, syscall_dispatch, the result back. */
static void syscall_slow(struct trapframe *tf, unsigned long nr)
{
	struct syscall_args a = {.nr = nr, .tf = tf};

	if (nr == SYS_CALL)
		ipc_stats.slow_call++;
	else if (nr == SYS_REPLY_RECV)
		ipc_stats.slow_reply_recv++;
	for (int i = 0; i < 6; i++)
		a.arg[i] = arch_syscall_arg(tf, i);
	TRACE_SYSCALL_POINT(nr, a.arg[0]);
	long ret = nr >= SYS_TASK_CREATE && nr < SYS_COUNT ? taskobj_syscall(&a) /* lab 5's */
							   : syscall_dispatch(&a);
	TRACEPOINT(TRACE_SYS_EXIT, nr, ret);
	arch_syscall_set_ret(tf, ret);
	if (unlikely(ipc_exiting))
		ipc_syscall_exit(tf);
}

/* syscall_entry (syscall_hook): every system call the fastpath did not take (part D: the
 * arch trap code tries fastpath_call and fastpath_reply_recv first, fastpath_set). */
static void syscall_entry(struct trapframe *tf)
{
	if (unlikely(tcb_current()->linux_ep.type == KIT_CAP_ENDPOINT))
		linux_syscall(tf); /* lab 6: a Linux-ABI task's call goes to its server */
	else
		syscall_slow(tf, arch_syscall_nr(tf));
}

/*
 * user_fault (user_fault_hook): report an exception in user mode as
 *     "user fault: <cause> [<read|write|exec> ]at 0x<addr> pc=0x<pc> in task <name> (tid <n>)"
 * and stop the task (exit code TASK_KILLED); a thread with a fault endpoint
 * sends it a fault message instead, and a thread other than the root
 * stops alone (ipc_fault).
 */
static void user_fault(struct trapframe *tf, const struct user_fault *f)
{
	static const char *const access[] = {"read ", "write ", "exec "};
	struct task *t = task_current();
	struct thread *self = thread_current();

	TRACEPOINT(TRACE_FAULT, f->addr, f->pc | 1UL << 63);
	kprintf("user fault: %s %sat %p pc=%p in task %s (tid %d)\n", f->what,
		f->memory ? access[f->access] : "", (void *)f->addr, (void *)f->pc,
		t ? t->name : "?", self->tid);
	if (!t)
		panic("user_fault: thread %d is in user mode without a task", self->tid);
	if (self->tcb == &t->root_tcb->tcb)
		task_record_fault(t, f);
	if (self->tcb != &t->root_tcb->tcb || self->tcb->fault_ep.type == KIT_CAP_ENDPOINT)
		ipc_fault(f); /* to its fault endpoint, or stopped until the task ends */
	t->killed = true;
	task_exit(TASK_KILLED);
}

long sys_task_spawn(const struct syscall_args *a)
{
	char name[TASK_NAME_LEN];
	size_t len = a->arg[1];
	struct task *self = task_current(), *child;
	struct cte *src = NULL;
	int i = 0;

	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	int err = copy_from_user(name, a->arg[0], len);
	if (err)
		return err;
	name[len] = 0;
	if (a->arg[2]) {
		src = cap_resolve(self->cspace, a->arg[2]);
		if (!src || src->cap.type == KIT_CAP_UNTYPED)
			return -EINVAL;
		if (src->cap.type == KIT_CAP_NULL)
			return -ENOENT;
	}
	while (i < TASK_MAX_CHILDREN && self->children[i])
		i++;
	if (i == TASK_MAX_CHILDREN)
		return -EAGAIN;
	err = task_create(&child, boot_module_find(name), a->arg[3], false);
	if (err)
		return err;
	if (src) /* before the child runs: this system call holds the CPU, interrupts off */
		cap_copy(&child->cspace->slots[KIT_SLOT_ARG], src, KIT_RIGHTS_ALL, 0);
	child->parent = self;
	self->children[i] = child;
	return 0;
}

/* run NAME [ARG]: start boot module NAME as a task (ARG: its argument), wait for it, say how
 * it ended. */
static int mon_run(int argc, char **argv)
{
	struct task *t;
	long code;

	if (argc != 2 && argc != 3) {
		kprintf("usage: run NAME [ARG] (see `modules`)\n");
		return -EINVAL;
	}
	int err = task_create(&t, boot_module_find(argv[1]),
			      argc == 3 ? strtoul(argv[2], NULL, 0) : 0, true);
	if (err) {
		kprintf("run: %s: %s\n", argv[1], errstr(err));
		return err;
	}
	err = task_wait(t, &code);
	if (err)
		kprintf("run: %s: wait failed (%s)\n", argv[1], errstr(err));
	else if (code == TASK_KILLED)
		kprintf("run: %s killed by a fault\n", argv[1]);
	else
		kprintf("run: %s exited with %ld\n", argv[1], code);
	return err;
}
MONITOR_CMD("run", "run NAME [ARG]: run boot module NAME as a user task and wait for it", mon_run);

static int mon_modules(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < boot_module_count; i++)
		kprintf("%-16s %lu bytes\n", boot_modules[i].name,
			(unsigned long)boot_modules[i].size);
	return 0;
}
MONITOR_CMD("modules", "list the boot modules (user programs linked into the kernel)", mon_modules);

/* task_init: the hooks from user mode. */
static int task_init(void)
{
	syscall_hook = syscall_entry;
	fastpath_set(true);
	user_fault_hook = user_fault;
	user_return_hook = ipc_syscall_exit;
	kprintf("tasks: %lu boot modules, user space below %p\n", (unsigned long)boot_module_count,
		(void *)ARCH_USER_TOP);
	return 0;
}
KERNEL_INIT(INIT_LATE, task_init);

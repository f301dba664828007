/*
 * task.h: lab 4's user tasks (common/lab4/task.c), their address spaces
 * (vspace.c), the ELF loader (elf.c), the boot modules and the user-memory
 * helpers (usercopy.c). All provided: the lab's holes are the system calls
 * (syscall.h) and what they build on.
 *
 * A task is one address space (a page table whose upper half is the
 * kernel's, shared) running one user thread: a lab-3 kernel thread whose
 * entry drops to user mode (arch_user_return) and comes back into the
 * kernel at every trap, on its own kernel stack. The monitor's `run NAME`
 * starts boot module NAME as a task and waits for it: a root task, whose
 * cspace holds capabilities to everything the kernel made for it (its
 * cspace, its thread, an untyped; cspace_create_root, cap.h).
 * Locking: one CPU; call these with interrupts enabled or not, never from
 * an interrupt handler.
 */
#pragma once

#include "types.h"
#include "pt.h"
#include "thread.h"

/* The user stack: USER_STACK_PAGES pages right under USER_STACK_TOP (every arch's lower half). */
#define USER_STACK_TOP	  0x40000000UL
#define USER_STACK_PAGES  4
#define TASK_NAME_LEN	  16
#define TASK_KILLED	  (-1000) /* the exit code of a task stopped by a fault */
#define TASK_MAX_CHILDREN 8	  /* tasks a task may spawn (SYS_TASK_SPAWN) */
#define TASK_MAX_THREADS  32	  /* threads a task may start besides its root thread */

struct task {
	char name[TASK_NAME_LEN];
	struct pagetable pt;   /* its address space: lower half its own, upper half the kernel's */
	struct thread *thread; /* its root thread */
	struct tcb_obj *root_tcb;		  /* the root thread's TCB (ipc.h) */
	struct thread *threads[TASK_MAX_THREADS]; /* the threads it started (SYS_TCB_START) */
	uintptr_t entry;			  /* where it starts (the ELF entry point) */
	uintptr_t stack_top;			  /* its initial stack pointer */
	bool killed;				  /* stopped by a fault (user_fault_hook) */
	struct cnode *cspace; /* its capabilities (part B, cap.h): a root task's */
	struct task *parent;  /* who spawned it, NULL for a root task */
	struct task *children[TASK_MAX_CHILDREN]; /* what it spawned: ended with it */
	struct task_obj *obj; /* lab 5: its task object (SYS_TASK_CREATE), or NULL */
};

/* A user program linked into the kernel image (generated modules.S, from user/). */
struct boot_module {
	const char *name;
	const unsigned char *data; /* the ELF image */
	size_t size;		   /* bytes */
};
extern const struct boot_module boot_modules[];
extern const size_t boot_module_count;

/* boot_module_find: the module called name, or NULL. */
const struct boot_module *boot_module_find(const char *name);

/*
 * task_create: a task running boot module m: a new address space with the
 * ELF image loaded (elf_load) and a stack, its root cspace, and its
 * thread, ready at once, which gets arg in its first argument register
 * (crt0 keeps it in kit_start_arg). With devices (a task the monitor
 * runs), its cspace also holds the device capabilities (cspace_add_devices).
 * Returns 0 with *out set; -ENOENT (m NULL), -ENOEXEC (not a loadable ELF
 * for this arch), -ENOMEM, or thread_create's error. The caller reaps it
 * with task_wait.
 */
int task_create(struct task **out, const struct boot_module *m, unsigned long arg, bool devices);

/* task_create_image: task_create from an ELF image of size bytes in kernel memory (a boot
 * module's, or a copy of a user one), the task called name. Returns 0; -ENOEXEC (not a
 * loadable ELF64 executable for this arch: elf_load's -EINVAL, or segments over each
 * other, the stack or the IPC buffer), -ENOMEM, or thread_create's error. */
int task_create_image(struct task **out, const char *name, const void *image, size_t size,
		      unsigned long arg, bool devices);

/* Lab 6: what a Linux-ABI task's memory holds besides the ELF image (kit/abi.h
 * struct kit_task_spec): an initial stack image (kernel memory, stack_size bytes, checked by
 * the caller: a multiple of 16, at most KIT_LINUX_STACK_MAX) that ends at the stack top, sp
 * at its first byte; heap_pages zeroed pages at KIT_LINUX_HEAP_BASE. */
struct task_layout {
	const void *stack; /* or NULL: sp at the stack top */
	size_t stack_size;
	size_t heap_pages;
};

/* task_create_layout: task_create_image with lay (NULL: the default), same errors. */
int task_create_layout(struct task **out, const char *name, const void *image, size_t size,
		       unsigned long arg, bool devices, const struct task_layout *lay);

/*
 * Lab 5's task objects (common/lab4/taskobj.c; kit/abi.h SYS_TASK_CREATE..SYS_TASK_CAP_COPY).
 * taskobj_syscall: system calls SYS_TASK_CREATE..SYS_COUNT-1 (task.c routes them here, past
 * the lab-4 table). task_ending: t's root thread is about to exit with code, its other
 * threads stopped: a created task records how it ended and signals its exit notification.
 * task_record_fault: t's root thread faulted at f (before its fault message). task_kill: end
 * t's threads at their next way out of the kernel (tcb.c); nothing once it has exited.
 * taskobj_finalize: the last task capability went: the task is killed and reaped.
 */
struct syscall_args;
struct task_obj;
long taskobj_syscall(const struct syscall_args *a);
void task_ending(struct task *t, long code);
struct user_fault;
void task_record_fault(struct task *t, const struct user_fault *f);
void task_kill(struct task *t);
void taskobj_finalize(struct task_obj *o);

/* taskobj_task: the running task named by the caller's task capability in slot, which must
 * have right (KIT_RIGHT_*): 0 and *out; -EINVAL (a bad slot, not a task capability), -EPERM
 * (without right), -ESRCH (the task has ended). */
int taskobj_task(unsigned long slot, unsigned right, struct task **out);

/*
 * task_wait: wait until t's thread has exited, free the task and its
 * address space; *code (when code) gets the exit code, TASK_KILLED for a
 * task a fault stopped. Returns 0 or thread_join's error.
 */
int task_wait(struct task *t, long *code);

/* task_free: free task t, whose threads have all exited and been reaped: its cspace, root
 * TCB, address space. */
void task_free(struct task *t);

/* task_current: the task of the running thread, or NULL in a kernel thread. */
struct task *task_current(void);

/* task_exit: from the root thread, end the current task with code (every thread it started
 * stops first); from another thread, end that thread only. Never returns. */
noreturn void task_exit(long code);

/*
 * vspace_create: an empty user address space in *pt: a new root table whose
 * upper half points at kernel_pt's tables (kernel mappings are shared; every
 * upper-half root entry the kernel will ever use exists by the time lab 4
 * runs: the direct map, the image, the thread-stack area). 0 or -ENOMEM.
 */
int vspace_create(struct pagetable *pt);

/*
 * vspace_map_new: map npages new zeroed frames at user address va (page
 * aligned) with perm | VM_USER, copying len bytes of src (may be NULL when
 * len is 0) to va + offset. Returns 0, -EINVAL (a range outside user space,
 * or perm both writable and executable: W^X holds for user pages too),
 * -EEXIST or -ENOMEM (frames mapped before the failure stay, for
 * vspace_destroy).
 */
int vspace_map_new(struct pagetable *pt, uintptr_t va, size_t npages, unsigned perm, size_t offset,
		   const void *src, size_t len);

/* vspace_destroy: free every user frame mapped in pt and its own tables (never the shared
 * kernel tables). pt must not be active. */
void vspace_destroy(struct pagetable *pt);

/*
 * elf_load: load ELF64 executable image (size bytes) into pt: each
 * PT_LOAD segment on new frames with its permissions (R, R+X, R+W; W+X is
 * refused), checked to lie in user space. *entry gets the entry point.
 * Returns 0, -EINVAL (not an ELF64 executable for ARCH_ELF_MACHINE, a
 * segment outside the image or user space, misaligned, or W+X), or
 * vspace_map_new's error.
 */
int elf_load(struct pagetable *pt, const void *image, size_t size, uintptr_t *entry);

/*
 * user_range_ok: whether [uaddr, uaddr + n) lies in user space
 * ([0, ARCH_USER_TOP), without wrapping). n 0 is fine anywhere below the top.
 */
static inline bool user_range_ok(uintptr_t uaddr, size_t n)
{
	return uaddr <= ARCH_USER_TOP && n <= ARCH_USER_TOP - uaddr;
}

/*
 * copy_from_user / copy_to_user: copy n bytes between kernel memory and
 * the current task's user memory at uaddr. Returns 0, or -EFAULT when the
 * range is not in user space or a page of it is unmapped, not user, or
 * (copy_to_user) not writable; never panics (arch_copy_user's fixup).
 * Bytes before the fault may have been copied.
 */
int copy_from_user(void *dst, uintptr_t usrc, size_t n);
int copy_to_user(uintptr_t udst, const void *src, size_t n);

// @file lab4
/*
 * syscall.c: lab 4 part A, the system calls (syscall.h): the dispatch
 * table, syscall_dispatch and the handlers of the basic calls. The way in
 * (the trap, the registers into struct syscall_args) and out is provided
 * (task.c); every handler here checks all of its arguments before it
 * acts, and touches user memory only through copy_from_user and
 * copy_to_user (task.h), so a bad pointer is -EFAULT, never a panic.
 */
#include "kernel.h"
#include "arch.h"
#include "string.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"

long sys_null(const struct syscall_args *a)
{
	(void)a;
	return 0;
}

long sys_exit(const struct syscall_args *a)
{
	task_exit((long)a->arg[0]);
}

long sys_yield(const struct syscall_args *a)
{
	(void)a;
	thread_yield();
	return 0;
}

long sys_debug_puts(const struct syscall_args *a)
{
	// @lab4 solution
	char buf[KIT_DEBUG_PUTS_MAX + 1];
	size_t len = a->arg[1];

	if (len > KIT_DEBUG_PUTS_MAX)
		return -EINVAL;
	int err = copy_from_user(buf, a->arg[0], len);
	if (err)
		return err;
	buf[len] = 0;
	console_puts(buf);
	return (long)len;
	// @lab4 stub
	// TODO(lab4): part A. check len (arg[1]) against KIT_DEBUG_PUTS_MAX, copy the bytes
	// at arg[0] into a kernel buffer, print them; return len.
	// Hint: copy_from_user (task.h) returns -EFAULT for you; console_puts prints.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_task_info(const struct syscall_args *a)
{
	// @lab4 solution
	struct task *t = task_current();
	struct kit_task_info info = {
	    .tid = (unsigned long)thread_current()->tid,
	    .entry = t->entry,
	    .stack_top = t->stack_top,
	};

	if (a->arg[1] < sizeof(info))
		return -EINVAL;
	strlcpy(info.name, t->name, sizeof(info.name));
	return copy_to_user(a->arg[0], &info, sizeof(info));
	// @lab4 stub
	// TODO(lab4): part A. fill a struct kit_task_info (kit/abi.h) for task_current()
	// and copy it to arg[0]; -EINVAL when arg[1] is too small to hold it.
	// Hint: build it in a kernel variable first: copy_to_user is the only way out.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

const syscall_fn syscall_table[SYS_COUNT] = {
    // @lab4 solution
    [SYS_NULL] = sys_null,   [SYS_DEBUG_PUTS] = sys_debug_puts, [SYS_EXIT] = sys_exit,
    [SYS_YIELD] = sys_yield, [SYS_TASK_INFO] = sys_task_info,
    // @lab4 stub
    // TODO(lab4): part A. one entry per SYS_* number this part implements (syscall.h).
    // @lab4 end
};

long syscall_dispatch(const struct syscall_args *a)
{
	// @lab4 solution
	if (unlikely(a->nr >= SYS_COUNT || !syscall_table[a->nr]))
		return -ENOSYS;
	return syscall_table[a->nr](a);
	// @lab4 stub
	// TODO(lab4): part A. call the handler syscall_table has for a->nr; -ENOSYS when
	// there is none. Hint: a->nr is whatever user mode put in the register.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

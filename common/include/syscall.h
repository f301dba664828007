/*
 * syscall.h: lab 4's system calls, part A (solutions/common/syscall.c, the
 * student's file). The arch trap code hands each system call from user
 * mode to syscall_hook; task.c's hook reads the number and arguments into
 * a struct syscall_args (user/include/kit/abi.h says which registers),
 * calls syscall_dispatch and gives the result back to user mode.
 * Every handler validates all its arguments before it changes anything
 * and returns >= 0 or a negative -E* code: a user program never panics the
 * kernel. Handlers run with interrupts disabled in the calling task's
 * thread.
 */
#pragma once

#include "types.h"
#include "arch.h"
#include "kit/abi.h"

struct syscall_args {
	unsigned long nr;     /* the system-call number (SYS_*) */
	unsigned long arg[6]; /* its arguments, in kit/abi.h's order */
	struct trapframe *tf; /* the caller's saved registers (for IPC, part C) */
};

typedef long (*syscall_fn)(const struct syscall_args *a);

/* syscall_table: the handler of each SYS_* number, NULL where the kernel has none. */
extern const syscall_fn syscall_table[SYS_COUNT];

/*
 * syscall_dispatch: run the handler of system call a->nr. Returns its
 * result, or -ENOSYS for a number that has no handler (any value of
 * a->nr, including huge and "negative" ones). Cost: the null system call
 * is part of every IPC's path: keep it short (handout/lab4-ipc.md).
 */
long syscall_dispatch(const struct syscall_args *a);

/* sys_null (SYS_NULL): 0. */
long sys_null(const struct syscall_args *a);

/*
 * sys_debug_puts (SYS_DEBUG_PUTS, buf = arg[0], len = arg[1] bytes): print
 * the bytes on the console (up to a NUL, if any). Returns len; -EINVAL when
 * len > KIT_DEBUG_PUTS_MAX; -EFAULT when [buf, buf + len) is not readable
 * user memory (copy_from_user).
 */
long sys_debug_puts(const struct syscall_args *a);

/* sys_exit (SYS_EXIT, code = arg[0]): end the calling task (task_exit); never returns. */
long sys_exit(const struct syscall_args *a);

/* sys_yield (SYS_YIELD): thread_yield; 0. */
long sys_yield(const struct syscall_args *a);

/*
 * sys_task_info (SYS_TASK_INFO, out = arg[0], len = arg[1] bytes): fill a
 * struct kit_task_info for the calling task at out. Returns 0; -EINVAL
 * when len < sizeof(struct kit_task_info); -EFAULT when out is not
 * writable user memory (copy_to_user). Nothing is written on -EINVAL.
 */
long sys_task_info(const struct syscall_args *a);

/*
 * Part B, capabilities (cap.h). Each handler decodes and validates every
 * argument first (slots through cap_lookup in the caller's cspace; the
 * errors are kit/abi.h's), then invokes the cspace operation, which
 * changes nothing when it fails.
 */

/* sys_cap_identify (slot, out): a struct kit_cap_info of slot; 0, -EINVAL, -EFAULT. */
long sys_cap_identify(const struct syscall_args *a);
/* sys_cap_copy (dest, src, rights): cap_copy without a badge; -EINVAL for bad rights. */
long sys_cap_copy(const struct syscall_args *a);
/* sys_cap_mint (dest, src, rights, badge): cap_copy with badge (0: -EINVAL). */
long sys_cap_mint(const struct syscall_args *a);
/* sys_cap_move (dest, src): cap_move. */
long sys_cap_move(const struct syscall_args *a);
/* sys_cap_delete (slot): cap_delete. */
long sys_cap_delete(const struct syscall_args *a);
/* sys_cap_revoke (slot): cap_revoke. */
long sys_cap_revoke(const struct syscall_args *a);
/*
 * sys_retype (untyped slot, type, size_bits, dest, count): untyped_retype
 * into slots dest..dest+count-1. -EINVAL for a count outside
 * 1..KIT_RETYPE_MAX or slots out of range, -EEXIST when one of them is not
 * empty (both before the untyped is looked at), then untyped_retype's
 * errors.
 */
long sys_retype(const struct syscall_args *a);

/*
 * Part C, IPC (ipc.h; registers and errors: kit/abi.h). The handlers decode
 * the capability (type: -EINVAL; the right: -EPERM), the tag (a length over
 * KIT_MSG_MAX_MRS: -EINVAL; the caps bit needs grant: -EPERM) and the
 * register MRs, then call endpoint.c's and notification.c's operations,
 * and put what a thread receives in its registers (ipc_user_regs).
 */
long sys_send(const struct syscall_args *a);	   /* ep_send */
long sys_nbsend(const struct syscall_args *a);	   /* ep_send, non-blocking */
long sys_call(const struct syscall_args *a);	   /* ep_send as a Call; the reply in registers */
long sys_recv(const struct syscall_args *a);	   /* ep_recv */
long sys_nbrecv(const struct syscall_args *a);	   /* ep_recv, non-blocking */
long sys_reply(const struct syscall_args *a);	   /* ep_reply */
long sys_reply_recv(const struct syscall_args *a); /* ep_reply (its error ignored), ep_recv */
long sys_signal(const struct syscall_args *a);	   /* ntfn_signal with the capability's badge */
long sys_wait(const struct syscall_args *a);	   /* ntfn_wait; the word as the badge */
long sys_poll(const struct syscall_args *a);	   /* ntfn_wait, non-blocking */

/* Devices (provided, device.c): SYS_IRQ_GET, SYS_IRQ_SET_NOTIFICATION, SYS_IRQ_ACK,
 * SYS_IOPORT_IN, SYS_IOPORT_OUT, SYS_DEVICE_GET, SYS_FRAME_ADDR (kit/abi.h). */
long sys_irq_get(const struct syscall_args *a);
long sys_irq_set_notification(const struct syscall_args *a);
long sys_irq_ack(const struct syscall_args *a);
long sys_ioport_in(const struct syscall_args *a);
long sys_ioport_out(const struct syscall_args *a);
long sys_device_get(const struct syscall_args *a);
long sys_frame_addr(const struct syscall_args *a);

/* sys_cnode_guard (provided, object.c): SYS_CNODE_GUARD (kit/abi.h). */
long sys_cnode_guard(const struct syscall_args *a);

/* Threads (provided, tcb.c): SYS_TCB_START, SYS_TCB_SET_FAULT, SYS_TCB_BIND (kit/abi.h). */
long sys_tcb_start(const struct syscall_args *a);
long sys_tcb_set_fault_ep(const struct syscall_args *a);
long sys_tcb_bind(const struct syscall_args *a);

/* Part D, provided: SYS_TASK_SPAWN (task.c), SYS_IPC_STATS (tcb.c): kit/abi.h. */
long sys_task_spawn(const struct syscall_args *a);
long sys_ipc_stats(const struct syscall_args *a);

/* Frames (part B), provided (vspace.c): SYS_FRAME_MAP, SYS_FRAME_UNMAP (kit/abi.h). */
long sys_frame_map(const struct syscall_args *a);
long sys_frame_unmap(const struct syscall_args *a);

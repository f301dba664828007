// @file lab6
/*
 * linux.c: lab 6's kernel side of a Linux-ABI task's system call
 * (handout/lab6-linux.md, exercise 1; kit/abi.h KIT_LABEL_LINUX_SYSCALL).
 * The kernel implements none of Linux's calls: it forwards each one as a
 * Call on the task's linux_ep (the way L4Linux and seL4's fault handlers
 * turn an exception into IPC), and the server's reply becomes the result
 * register. Entry points: linux_syscall (ipc.h), from syscall_entry
 * (common/lab4/task.c), and linux_answered, which fork's child start
 * (linux_child_start) calls too. The rest of the kernel's Linux support (a
 * call set aside and answered later, fork's registers) is provided in
 * common/lab4/linux.c, whose weak linux_syscall and linux_answered kill a
 * Linux task in the stages before this one. Locking: one CPU, interrupts
 * disabled.
 */
#include "kernel.h"
#include "arch.h"
#include "ipc.h"
#include "syscall.h"
#include "task.h"

void linux_syscall(struct trapframe *tf)
{
	// @lab6 solution
	struct tcb *t = tcb_current();
	struct ipc_msg m = {
	    .info = KIT_MSGINFO(KIT_LABEL_LINUX_SYSCALL, 0, KIT_LINUX_SYSCALL_MRS),
	    .badge = t->linux_ep.badge,
	    .mr = {arch_syscall_nr(tf), arch_syscall_arg(tf, 0), arch_syscall_arg(tf, 1),
		   arch_syscall_arg(tf, 2)},
	};

	for (int i = 3; i < 6; i++) /* MRs 4..6: the IPC buffer's, copied by ep_send */
		t->ipcbuf->mr[i + 1] = arch_syscall_arg(tf, i);
	linux_answered(t, tf, ep_send(t->linux_ep.obj, &m, true, false, false));
	if (unlikely(ipc_exiting))
		ipc_syscall_exit(tf);
	// @lab6 stub
	// TODO(lab6): exercise 1. Forward the current thread's Linux system call in tf as a Call
	// on its linux_ep (ep_send, is_call true): label KIT_LABEL_LINUX_SYSCALL, linux_ep's
	// badge, KIT_LINUX_SYSCALL_MRS MRs: the number (arch_syscall_nr), then the six arguments
	// (arch_syscall_arg; MRs 4..6 go in the thread's IPC buffer, ipcbuf->mr[4..6]). Then
	// linux_answered with what ep_send returned, and leave when the task is ending (as
	// syscall_slow does, task.c).
	// Hint: the thread blocks in ep_send until the server's reply (or its end).
	(void)tf;
	linux_kill(-ENOSYS, "linux_syscall is not written (TODO(lab6) exercise 1)");
	// @lab6 end
}

void linux_answered(struct tcb *t, struct trapframe *tf, long r)
{
	// @lab6 solution
	t->deferred = false; /* answered (SYS_LINUX_REPLY), or woken by its end */
	if (r == 0 && KIT_MSGINFO_LABEL(t->msg.info) == KIT_LINUX_REPLY_TLS &&
	    KIT_MSGINFO_LEN(t->msg.info) >= 2)
		arch_user_tls_set(tf, t->msg.mr[1]);
	if (r == 0)
		r = KIT_MSGINFO_LEN(t->msg.info) ? (long)t->msg.mr[0] : -ENOSYS;
	else if (r != -EINTR) /* the server is gone: nobody can answer this task again */
		linux_kill(r, "its server endpoint failed");
	arch_syscall_set_ret(tf, r);
	// @lab6 stub
	// TODO(lab6): exercise 1. t's forwarded call ended with r: 0 when it was answered (the
	// reply's tag and MRs in t->msg), else ep_send's error. Clear t->deferred (a call set
	// aside and answered by SYS_LINUX_REPLY ends here too). The result is the reply's MR 0,
	// -ENOSYS for a reply of 0 MRs; a reply labelled KIT_LINUX_REPLY_TLS with 2 MRs also sets
	// the thread pointer to MR 1 (arch_user_tls_set). -EINTR (the task is ending) is the
	// result as it is; any other error means the server is gone: linux_kill. The result goes
	// into tf with arch_syscall_set_ret; no other register changes.
	// Hint: KIT_MSGINFO_LABEL and KIT_MSGINFO_LEN (kit/abi.h) read a tag.
	(void)t, (void)tf, (void)r;
	linux_kill(-ENOSYS, "linux_answered is not written (TODO(lab6) exercise 1)");
	// @lab6 end
}

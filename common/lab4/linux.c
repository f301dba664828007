/*
 * linux.c: lab 6, a Linux-ABI task's system calls as messages to its
 * Linux server (kit/abi.h KIT_LABEL_LINUX_SYSCALL, handout/lab6-linux.md).
 * The kernel does not implement a single Linux call: it forwards each one
 * as a Call on the task's linux_ep (the way L4Linux and seL4's fault
 * handlers turn an exception into IPC), and the server's reply becomes the
 * result register. Entry point: linux_syscall (ipc.h), from syscall_entry
 * (task.c). Locking: one CPU, interrupts disabled.
 *
 * Why no fastpath: the arch trap code tries fastpath_call on every
 * SYS_CALL number (18: riscv64 Linux lookup_dcookie, x86_64 pwrite64) before
 * syscall_entry runs; it misses for a Linux task because the task holds no
 * endpoint capability (SYS_TASK_CREATE refuses linux_ep with ncaps), so
 * every Linux call takes this slowpath and is counted as a KIT_FP_MISS_CAP.
 */
#include "kernel.h"
#include "arch.h"
#include "ipc.h"
#include "task.h"

void linux_syscall(struct trapframe *tf)
{
	struct tcb *t = tcb_current();
	struct ipc_msg m = {
	    .info = KIT_MSGINFO(KIT_LABEL_LINUX_SYSCALL, 0, KIT_LINUX_SYSCALL_MRS),
	    .badge = t->linux_ep.badge,
	    .mr = {arch_syscall_nr(tf), arch_syscall_arg(tf, 0), arch_syscall_arg(tf, 1),
		   arch_syscall_arg(tf, 2)},
	};

	for (int i = 3; i < 6; i++) /* MRs 4..6: the IPC buffer's, copied by ep_send */
		t->ipcbuf->mr[i + 1] = arch_syscall_arg(tf, i);
	long r = ep_send(t->linux_ep.obj, &m, true, false, false);
	if (r == 0 && KIT_MSGINFO_LABEL(t->msg.info) == KIT_LINUX_REPLY_TLS &&
	    KIT_MSGINFO_LEN(t->msg.info) >= 2)
		arch_user_tls_set(tf, t->msg.mr[1]);
	if (r == 0)
		r = KIT_MSGINFO_LEN(t->msg.info) ? (long)t->msg.mr[0] : -ENOSYS;
	else if (r != -EINTR) { /* the server is gone: nobody can answer this task again */
		kprintf("linux: task %s: its server endpoint failed (%ld): killed\n", t->task->name,
			r);
		t->task->killed = true;
		task_exit(TASK_KILLED);
	}
	arch_syscall_set_ret(tf, r);
	if (unlikely(ipc_exiting))
		ipc_syscall_exit(tf);
}

/*
 * linux.c: lab 6's provided kernel side of Linux-ABI tasks (kit/abi.h
 * KIT_LABEL_LINUX_SYSCALL, handout/lab6-linux.md). The forwarding of a
 * Linux task's system call as a Call on its linux_ep is lab 6's exercise 1
 * (linux_syscall and linux_answered, solutions/common/linux.c); before
 * stage 6 weak ones here kill the task at its first call. Locking: one CPU,
 * interrupts disabled.
 *
 * A call the server answers later (wait4, a read of an empty pipe) is set
 * aside (SYS_LINUX_DEFER): the task's thread stays blocked for its reply,
 * but no server thread holds it as its caller (tcb.caller, which the next
 * Recv overwrites), so nothing points at it but its own flag (tcb.deferred)
 * and the server names it by its task capability (SYS_LINUX_REPLY). A
 * kill wakes it as any blocked thread (tcb.c's tcb_cancel). fork's child
 * starts from such a waiting thread's registers (linux_regs_copy,
 * SYS_TASK_CREATE's regs_task), and waits in its first kernel code until the
 * server releases it (linux_child_hold, linux_child_start). Entry points:
 * linux_kill, linux_defer, linux_reply, linux_regs_copy, linux_child_hold,
 * linux_child_start (ipc.h).
 *
 * Why no fastpath: the arch trap code tries fastpath_call on every
 * SYS_CALL number (18: riscv64 Linux lookup_dcookie, x86_64 pwrite64) before
 * syscall_entry runs; it misses for a Linux task because the task holds no
 * endpoint capability (SYS_TASK_CREATE refuses linux_ep with ncaps), so
 * every Linux call takes the slowpath and is counted as a KIT_FP_MISS_CAP.
 * A Linux thread so never leaves or resumes through lab 4's direct switch,
 * which does not switch its FP registers and thread pointer (ustate.c):
 * only a server that answered a forwarded call with ReplyRecv (linuxd.c
 * never does: its fastpath would answer in IPC registers) could make it
 * resume that way, with the wrong result and the last loaded user state.
 */
#include "kernel.h"
#include "arch.h"
#include "ipc.h"
#include "kmalloc.h"
#include "syscall.h"
#include "task.h"

noreturn void linux_kill(long err, const char *why)
{
	struct tcb *t = tcb_current();

	kprintf("linux: task %s: %s (%ld): killed\n", t->task->name, why, err);
	t->task->killed = true;
	task_exit(TASK_KILLED);
}

/* linux_syscall, linux_answered: lab 6's (solutions/common/linux.c); until then a Linux-ABI
 * task's first system call kills it, with a line that says why. */
__attribute__((weak)) void linux_syscall(struct trapframe *tf)
{
	(void)tf;
	linux_kill(-ENOSYS, "no Linux system calls before lab 6");
}

__attribute__((weak)) void linux_answered(struct tcb *t, struct trapframe *tf, long r)
{
	(void)t, (void)tf, (void)r;
	linux_kill(-ENOSYS, "no Linux system calls before lab 6");
}

void linux_child_hold(struct tcb *t)
{
	t->state = IPC_BLOCKED_REPLY;
	t->deferred = true;
}

void linux_child_start(struct tcb *t, struct trapframe *tf)
{
	while (t->state != IPC_RUNNING && !t->exiting)
		thread_block();
	linux_answered(t, tf, t->exiting ? -EINTR : t->result);
}

/* linux_waiting: whether t is a Linux-ABI task's root thread blocked for the reply to a
 * forwarded call (a Linux-ABI task holds no endpoint: each Call it makes is one). */
static bool linux_waiting(const struct tcb *t)
{
	return t->linux_ep.type == KIT_CAP_ENDPOINT && t->state == IPC_BLOCKED_REPLY && t->task &&
	       t == &t->task->root_tcb->tcb && !t->exiting;
}

long linux_defer(const struct syscall_args *a)
{
	struct tcb *self = tcb_current(), *c = self->caller;

	(void)a;
	if (!c)
		return -ENOENT;
	if (c->replier != self || !linux_waiting(c)) /* replier: caller may be stale (tcb.c) */
		return -EINVAL;
	self->caller = NULL;
	c->replier = NULL;
	c->deferred = true;
	return 0;
}

long linux_reply(const struct syscall_args *a)
{
	struct task *t;
	unsigned long info = a->arg[1] & ~KIT_MSGINFO(0, 1, 0); /* no capability goes back */

	if (KIT_MSGINFO_LEN(info) > KIT_MSG_MAX_MRS)
		return -EINVAL;
	int err = taskobj_task(a->arg[0], KIT_RIGHT_WRITE, &t);
	if (err)
		return err;
	struct tcb *c = &t->root_tcb->tcb;
	if (!c->deferred || !linux_waiting(c))
		return -ENOENT;
	c->deferred = false;
	c->msg = (struct ipc_msg){.info = info, .mr = {a->arg[2], a->arg[3]}};
	ipc_copy_mrs(tcb_current(), c, KIT_MSGINFO_LEN(info));
	if (c->ipcbuf) {
		c->ipcbuf->tag = info;
		c->ipcbuf->badge = 0;
	}
	c->result = 0;
	c->state = IPC_RUNNING;
	tcb_wake(c); /* fork's child not started yet: nothing to wake, it finds the reply */
	return 0;
}

int linux_regs_copy(struct task *t, struct trapframe **regs, unsigned long *tls)
{
	struct tcb *c = &t->root_tcb->tcb;

	if (!linux_waiting(c) || !(c->deferred || c->replier == tcb_current()) || !c->thread)
		return -EINVAL;
	const struct trapframe *tf = arch_user_frame(c->thread->stack_hi);
	if (!(*regs = kmalloc(sizeof(**regs))))
		return -ENOMEM;
	**regs = *tf; /* saved at its system call, the pc past the instruction */
	arch_syscall_set_ret(*regs, 0);
	if (c->ustate) /* its thread pointer in the CPU, where the frame does not hold it */
		ustate_switch(c->ustate);
	*tls = arch_user_tls_get(tf);
	return 0;
}

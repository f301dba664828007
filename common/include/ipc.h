/*
 * ipc.h: lab 4 part C, IPC: threads as kernel objects (TCBs), endpoints
 * and notifications, with seL4's semantics (the seL4 Reference Manual,
 * chapters "Threads", "IPC" and "Notifications").
 *
 * A thread blocked in IPC is a lab-3 thread blocked in the kernel, inside
 * its system call, on its own kernel stack (thread_block); whoever
 * completes its operation fills its struct tcb (the message, the badge,
 * the result) and wakes it (thread_unblock), and it returns from the
 * system call with what was left there. So a message goes straight from
 * the sender's registers and IPC buffer to the receiver's TCB and IPC
 * buffer (both reached through the direct map), never through a queue of
 * copies.
 *
 * Files: tcb.c (provided: TCB objects, starting threads, fault endpoints,
 * bound notifications, a task's teardown, fault messages), endpoint.c and
 * notification.c (student: the operations), syscall.c (student: decoding).
 * Locking: one CPU, interrupts disabled in every system call.
 */
#pragma once

#include "types.h"
#include "arch.h"
#include "list.h"
#include "cap.h"
#include "kcpu.h"
#include "thread.h"
#include "trace.h"

struct thread;
struct task;

/* Where a thread is in IPC. */
enum ipc_state {
	IPC_RUNNING,	   /* not blocked in IPC */
	IPC_BLOCKED_SEND,  /* on an endpoint's queue, with a message to deliver */
	IPC_BLOCKED_RECV,  /* on an endpoint's queue, waiting for a message */
	IPC_BLOCKED_REPLY, /* a Call delivered: waiting for its reply */
	IPC_BLOCKED_NTFN,  /* on a notification's queue (Wait) */
	IPC_INACTIVE,	   /* stopped: never started, or after a fault it reported */
};

/* A message as it travels: the tag, the badge and the register MRs (the rest stay in the
 * IPC buffers and are copied buffer to buffer). */
struct ipc_msg {
	unsigned long info; /* KIT_MSGINFO(label, caps, length) */
	unsigned long badge;
	unsigned long mr[KIT_MSG_REG_MRS];
};

/* A thread as an IPC object (inside its struct tcb_obj). */
struct tcb {
	struct thread *thread;
	struct task *task;
	struct tcb_obj *obj; /* the object it lives in */
	enum ipc_state state;
	struct list_node wait_link;   /* on an endpoint's or notification's queue */
	void *blocked_on;	      /* that endpoint or notification */
	struct ipc_msg msg;	      /* blocked in send: to deliver; after a receive: delivered */
	long result;		      /* what the blocked system call returns when woken */
	bool is_call;		      /* blocked in send: a Call (wants a reply) */
	bool can_grant;		      /* blocked in send: its endpoint capability has grant */
	struct tcb *caller;	      /* the one-shot reply capability: whom Reply answers */
	struct tcb *replier;	      /* blocked for a reply: the thread holding our caller */
	uintptr_t start_pc, start_sp; /* where SYS_TCB_START (or the task) starts it */
	unsigned long start_arg;
	struct kit_ipc_buffer *ipcbuf; /* its IPC buffer page (kernel address), or NULL */
	uintptr_t ipcbuf_user;	       /* where the task sees it */
	struct notification *bound;    /* a notification bound to it (Recv also wakes for it) */
	struct cap fault_ep;	       /* a copy of its fault endpoint capability, or empty */
	struct cap linux_ep;	       /* lab 6: a Linux-ABI task's root thread: a copy of its
					* server's endpoint capability (linux.c), or empty */
	bool exiting;		       /* its task is ending: leave at the next kernel exit */
	bool deferred;		       /* lab 6: its forwarded call is set aside (SYS_LINUX_DEFER):
					* blocked for a reply only SYS_LINUX_REPLY gives */
	struct trapframe *start_regs;  /* lab 6: the user registers it starts with (kmalloc'd,
					* freed at its start), or NULL: start_pc, start_sp */
	unsigned long start_tls;       /* with start_regs: its thread pointer */
	struct arch_ustate *ustate;    /* lab 6: a Linux-ABI task's root thread: its FP registers
					* and thread pointer (ustate.c; its thread's too), or NULL */
	struct list_node task_link;    /* on its task's list of threads */
	struct cap timer_ntfn;	       /* lab 6: SYS_TIMER_SIGNAL's notification (a copy of the
					* capability), or empty: no timer pending (utimer.c) */
	uint64_t timer_ns;	       /* its deadline, arch_time_ns */
	struct list_node timer_link;   /* on utimer.c's pending timers, earliest first */
};

/* The object a TCB retype makes: one page holding the header and the TCB, then the IPC
 * buffer page. A root thread's is the kernel's (kmalloc), its IPC buffer a frame of its own. */
struct tcb_obj {
	struct kobj hdr;
	struct tcb tcb;
};
#define TCB_SIZE_BITS 13 /* 8 KiB: the header page and the IPC buffer page */

/* An endpoint: a FIFO queue of threads all sending or all receiving. */
struct endpoint {
	struct kobj hdr;
	struct list_node queue; /* struct tcb.wait_link */
	enum { EP_IDLE, EP_SEND, EP_RECV } state;
};

/* A notification: a word of signal bits and the threads waiting for one. */
struct notification {
	struct kobj hdr;
	unsigned long word;	/* OR of the badges signalled since the last wait */
	struct list_node queue; /* threads in Wait (struct tcb.wait_link) */
	struct tcb *bound;	/* the TCB bound to it, or NULL */
};

/* -- provided (tcb.c) -------------------------------------------------------------------- */

/* tcb_current: the running thread's TCB (every user thread has one). */
static inline struct tcb *tcb_current(void)
{
	return thread_current()->tcb;
}

/*
 * tcb_block: block the current thread in state (an IPC_BLOCKED_*) on obj
 * until someone sets its state back to IPC_RUNNING and calls tcb_wake, or
 * its task ends. Returns its tcb->result (-EPIPE when the object it
 * waited on went away, -EINTR when its task is ending).
 */
long tcb_block(enum ipc_state state, void *obj);

/* tcb_wake: t's operation is complete (its state IPC_RUNNING, its result set): run it. */
void tcb_wake(struct tcb *t);

/* ipc_copy_mrs: message registers KIT_MSG_REG_MRS..len-1 from from's IPC buffer to to's (a
 * thread without a buffer reads zeros and writes nothing). */
void ipc_copy_mrs(struct tcb *from, struct tcb *to, unsigned len);

/* ipc_user_regs: put a received message and result into the caller's registers (the
 * registers kit/abi.h names for IPC). */
void ipc_user_regs(struct trapframe *tf, long result, const struct ipc_msg *m);

/* tcb_create_root: the root thread's TCB for task t (t->root_tcb), with its IPC buffer at
 * KIT_IPC_BUFFER_ROOT; tcb_start_root: its thread (t->thread). 0 or -ENOMEM / thread_create's
 * error. tcb_free_root: free it after the task's threads are gone. */
int tcb_create_root(struct task *t);
int tcb_start_root(struct task *t);
void tcb_free_root(struct task *t);

/* tcb_finalize: the last capability to a retyped TCB is gone: its thread stops and is reaped
 * (the caller's own: at the end of this system call), its IPC buffer is unmapped. */
void tcb_finalize(struct tcb_obj *o);

/* utimer_cancel (lab 6, utimer.c): t's pending SYS_TIMER_SIGNAL timer, if any, is dropped
 * (with its notification reference); tcb.c calls it when t goes. sys_timer_signal:
 * SYS_TIMER_SIGNAL (kit/abi.h), routed by taskobj_syscall. */
void utimer_cancel(struct tcb *t);
struct syscall_args;
long sys_timer_signal(const struct syscall_args *a);

/* task_stop_threads: every thread of task but the caller's stops and is reaped. */
void task_stop_threads(struct task *task);

/* ipc_fault: the current thread faulted (f): a fault message to its fault endpoint when it
 * has one (label KIT_LABEL_FAULT, mr0 KIT_FAULT_*, mr1 pc, mr2 address, the endpoint
 * capability's badge), then it stays stopped until its task ends. Never returns. */
noreturn void ipc_fault(const struct user_fault *f);

/*
 * linux_syscall (lab 6, solutions/common/linux.c): the current thread's tcb->linux_ep is an
 * endpoint: its system call in tf (the Linux ABI, kit/abi.h
 * KIT_LABEL_LINUX_SYSCALL) becomes a Call there, and the reply's MR 0 its
 * result; when the Call fails (-EPIPE: the server's endpoint is gone) the
 * task is killed with a console line. Interrupts disabled.
 */
void linux_syscall(struct trapframe *tf);

/*
 * linux_answered (lab 6, solutions/common/linux.c): thread t (the current one) had its
 * forwarded call end with r (0: answered, t->msg the reply; else ep_send's error): t is no
 * longer set aside, the reply's MR 0 (a reply of 0 MRs: -ENOSYS; r itself when it is -EINTR)
 * becomes the result in tf, a KIT_LINUX_REPLY_TLS reply of 2 MRs sets the thread pointer to
 * MR 1; any other error kills the task (linux_kill). From linux_syscall and
 * linux_child_start.
 */
void linux_answered(struct tcb *t, struct trapframe *tf, long r);

/* linux_kill (linux.c): the current thread's Linux-ABI task ends, killed (TASK_KILLED), with
 * the console line "linux: task NAME: why (err): killed". Never returns. */
noreturn void linux_kill(long err, const char *why);

/* linux_defer, linux_reply (linux.c, routed by taskobj_syscall): SYS_LINUX_DEFER and
 * SYS_LINUX_REPLY, kit/abi.h. */
struct syscall_args;
long linux_defer(const struct syscall_args *a);
long linux_reply(const struct syscall_args *a);

/*
 * linux_regs_copy (linux.c): fork's registers: when task t is a Linux-ABI task whose root
 * thread waits for the reply to a forwarded call, set aside or the current thread's caller,
 * a kmalloc'd copy of its saved user registers with the call's result 0 into *regs, its thread
 * pointer into *tls (for tcb.start_regs, start_tls). 0; -EINVAL (not such a task), -ENOMEM.
 */
int linux_regs_copy(struct task *t, struct trapframe **regs, unsigned long *tls);

/*
 * ustate_create (lab 6, ustate.c): a new Linux-ABI thread's user state
 * (kmalloc'd, 16-byte aligned as FXSAVE needs): a copy of from's (fork's
 * child; from's newest values, even while the CPU holds them), or with
 * from NULL the state a new program starts with (arch_ustate_init). NULL
 * when out of memory. ustate_free: free u (NULL: nothing); the CPU stops
 * holding it for anyone. Interrupts disabled.
 */
struct arch_ustate *ustate_create(struct arch_ustate *from);
void ustate_free(struct arch_ustate *u);

/*
 * linux_child_hold, linux_child_start (linux.c): fork's child (a Linux-ABI task made with
 * regs_task) does not run until its server has copied its memory: its TCB t starts as if its
 * fork call were set aside (linux_child_hold, at SYS_TASK_CREATE), and its first kernel code
 * (tcb.c) waits in linux_child_start until SYS_LINUX_REPLY answers it (or it is killed), then
 * puts the reply into tf as linux_syscall would.
 */
void linux_child_hold(struct tcb *t);
void linux_child_start(struct tcb *t, struct trapframe *tf);

/* ipc_syscall_exit: on every way back to user mode: a thread whose task is ending leaves.
 * ipc_exiting counts the threads marked so (0 almost always: the system-call path tests it
 * first, and calls ipc_syscall_exit only when it is not). */
void ipc_syscall_exit(struct trapframe *tf);
extern unsigned long ipc_exiting;

/* -- part D's provided half (tcb.c) ------------------------------------------------------- */

#define ipc_stats (kcpu.ipc) /* kcpu.h; SYS_IPC_STATS, the monitor's ipcstat */
void fastpath_set(bool on);  /* the monitor's `fastpath on|off` (arch.h's hooks) */

/* fastpath_miss: count a fastpath miss for reason (KIT_FP_MISS_*); NULL, for the fastpath to
 * return so the slowpath runs. */
static inline struct trapframe *fastpath_miss(unsigned reason)
{
	ipc_stats.miss[reason]++;
	TRACE_NOTE_MISS(reason);
	return NULL;
}

/*
 * tcb_switch_to: make t, blocked in IPC with its reply or message already
 * in its saved user registers (arch_user_frame), the current thread by a
 * direct switch (thread_switch_direct): t's kernel stack is dropped
 * (nothing of it is needed), and so is the current thread's. Returns t's
 * saved user registers, which the fastpath returns to the arch trap code:
 * it saves the rest of the caller's registers and returns to user mode
 * with t's. The caller must have set its own IPC state first; when the
 * slowpath wakes it later (tcb_wake), it resumes in ipc_resume_slow with
 * what the slowpath left, and returns to user mode from there.
 */
static inline struct trapframe *tcb_switch_to(struct tcb *t)
{
	return thread_switch_direct(t->thread, arch_user_frame(t->thread->stack_hi));
}

/* ipc_resume_slow: a thread woken after a direct switch: wait until the IPC state is
 * IPC_RUNNING, then put the result and the message the slowpath left into tf
 * (ipc_user_regs). */
void ipc_resume_slow(struct trapframe *tf);

/* -- part D (fastpath.c) ------------------------------------------------------------------ */

/*
 * fastpath_call / fastpath_reply_recv (the arch trap code's hooks, arch.h,
 * before it saves the register file): SYS_CALL / SYS_REPLY_RECV on the
 * capability in slot of the caller's cspace with the message tag info
 * (KIT_MSGINFO), the system call's first two arguments (the number and
 * the arguments are in the caller's user frame too; the callee-saved
 * registers are still in the CPU, the other caller-saved ones clobbered,
 * kit/abi.h), when the message fits in the registers, no
 * capability goes with it, the capability is right and the other side is
 * waiting and can run now: write the other side's result and badge in its
 * saved registers (arch_syscall_set_ret, arch_syscall_set_out 6: the trap
 * code hands the tag and MRs 0..3, outputs 1..5, on from the caller's
 * arguments 1..5) and return tcb_switch_to(it). Else count the miss (fastpath_miss) and
 * return NULL without changing anything: the slowpath runs. Every check is
 * unlikely(). Interrupts disabled.
 */
struct trapframe *fastpath_call(unsigned long slot, unsigned long info);
struct trapframe *fastpath_reply_recv(unsigned long slot, unsigned long info);

/* -- part C (endpoint.c, notification.c) ------------------------------------------------- */

/*
 * ep_send: send msg (its badge: the sender's capability's) on ep. A
 * receiver waiting: the message goes to the first (FIFO), which wakes;
 * with is_call, the sender then waits for the reply (the receiver becomes
 * its replier, holding it as its caller). No receiver: block on ep's
 * queue, or with nonblocking return -EAGAIN. With grant (the sender's
 * endpoint capability has it) and the tag's caps bit, the capability at
 * the sender's IPC buffer cap_slot is copied to the receiver's recv_slot
 * when that is an empty slot, else dropped (the delivered tag's caps bit
 * says which). Returns 0 (a Call: the reply's result, the reply in the
 * sender's tcb.msg), or what tcb_block returns.
 */
long ep_send(struct endpoint *ep, const struct ipc_msg *msg, bool is_call, bool nonblocking,
	     bool grant);

/*
 * ep_recv: receive on ep into *out: from the first sender waiting (FIFO;
 * a Call's sender then waits for the reply, Reply answers it), or block
 * (nonblocking: -EAGAIN). A notification bound to the receiver with bits
 * pending is taken first, and a signal to it while the receiver is blocked
 * here wakes it: the result is then KIT_RECV_NOTIFICATION and out->badge
 * the bits. Returns KIT_RECV_MESSAGE, KIT_RECV_NOTIFICATION, -EAGAIN or
 * what tcb_block returns.
 */
long ep_recv(struct endpoint *ep, struct ipc_msg *out, bool nonblocking);

/*
 * ep_reply: answer the current thread's caller with msg (badge 0) and
 * consume the reply capability. Returns 0 or -ENOENT (no caller: none,
 * already answered, or it went away).
 */
long ep_reply(const struct ipc_msg *msg);

/* ep_cancel_all: the endpoint is going away: every thread queued on it wakes with -EPIPE. */
void ep_cancel_all(struct endpoint *ep);

/* ntfn_signal: OR badge into n's word; a waiter (the first) or the bound TCB blocked in
 * ep_recv takes the whole word at once and wakes. */
void ntfn_signal(struct notification *n, unsigned long badge);

/*
 * ntfn_wait: the word into *word when it is not zero, clearing it; else
 * block until a signal hands one over (nonblocking, Poll: *word is the
 * word as it is, 0 too). Returns 0 or what tcb_block returns.
 */
long ntfn_wait(struct notification *n, bool nonblocking, unsigned long *word);

/* ntfn_cancel_all: the notification is going away: its waiters wake with -EPIPE, its bound
 * TCB is unbound. */
void ntfn_cancel_all(struct notification *n);

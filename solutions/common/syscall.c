// @file lab4
/*
 * syscall.c: lab 4's system calls (syscall.h): the dispatch table,
 * syscall_dispatch and the handlers of part A's basic calls and of part
 * B's capability calls (decode and validate here, invoke cnode.c's and
 * untyped.c's operations). The way in
 * (the trap, the registers into struct syscall_args) and out is provided
 * (task.c); every handler here checks all of its arguments before it
 * acts, and touches user memory only through copy_from_user and
 * copy_to_user (task.h), so a bad pointer is -EFAULT, never a panic.
 */
#include "kernel.h"
#include "arch.h"
#include "string.h"
#include "cap.h"
#include "ipc.h"
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
	    .ipc_buffer = KIT_IPC_BUFFER_ROOT,
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

/* -- part B: capabilities (cap.h) -------------------------------------------------------- */

/* slot: the caller's slot that cptr arg names (NULL when none: cap_resolve). */
static struct cte *slot(unsigned long arg)
{
	return cap_resolve(task_current()->cspace, arg);
}

long sys_cap_identify(const struct syscall_args *a)
{
	// @lab4 solution
	struct cte *c = slot(a->arg[0]);
	if (!c)
		return -EINVAL;
	struct kit_cap_info info = {
	    .type = c->cap.type,
	    .rights = c->cap.rights,
	    .badge = c->cap.badge,
	    .size_bits = c->cap.size_bits,
	};
	return copy_to_user(a->arg[1], &info, sizeof(info));
	// @lab4 stub
	// TODO(lab4): part B. a struct kit_cap_info of the slot, copied out.
	(void)a, (void)slot;
	return -ENOSYS;
	// @lab4 end
}

long sys_cap_copy(const struct syscall_args *a)
{
	// @lab4 solution
	struct cte *dest = slot(a->arg[0]), *src = slot(a->arg[1]);
	if (!dest || !src || a->arg[2] & ~(unsigned long)KIT_RIGHTS_ALL)
		return -EINVAL;
	return cap_copy(dest, src, (unsigned)a->arg[2], 0);
	// @lab4 stub
	// TODO(lab4): part B. decode (dest, src, rights), then cap_copy.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_cap_mint(const struct syscall_args *a)
{
	// @lab4 solution
	struct cte *dest = slot(a->arg[0]), *src = slot(a->arg[1]);
	if (!dest || !src || a->arg[2] & ~(unsigned long)KIT_RIGHTS_ALL || !a->arg[3])
		return -EINVAL;
	return cap_copy(dest, src, (unsigned)a->arg[2], a->arg[3]);
	// @lab4 stub
	// TODO(lab4): part B. decode (dest, src, rights, badge), then cap_copy with the badge.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_cap_move(const struct syscall_args *a)
{
	// @lab4 solution
	struct cte *dest = slot(a->arg[0]), *src = slot(a->arg[1]);
	if (!dest || !src)
		return -EINVAL;
	return cap_move(dest, src);
	// @lab4 stub
	// TODO(lab4): part B. decode (dest, src), then cap_move.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_cap_delete(const struct syscall_args *a)
{
	// @lab4 solution
	struct cte *c = slot(a->arg[0]);
	return c ? cap_delete(c) : -EINVAL;
	// @lab4 stub
	// TODO(lab4): part B. decode (slot), then cap_delete.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_cap_revoke(const struct syscall_args *a)
{
	// @lab4 solution
	struct cte *c = slot(a->arg[0]);
	return c ? cap_revoke(c) : -EINVAL;
	// @lab4 stub
	// TODO(lab4): part B. decode (slot), then cap_revoke.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_retype(const struct syscall_args *a)
{
	// @lab4 solution
	struct cte *dests[KIT_RETYPE_MAX];
	unsigned long dest = a->arg[3], count = a->arg[4];
	struct cte *ut = slot(a->arg[0]);

	if (!ut || count < 1 || count > KIT_RETYPE_MAX || dest + count < dest)
		return -EINVAL;
	for (unsigned long i = 0; i < count; i++) {
		dests[i] = slot(dest + i);
		if (!dests[i])
			return -EINVAL;
	}
	for (unsigned long i = 0; i < count; i++)
		if (dests[i]->cap.type != KIT_CAP_NULL)
			return -EEXIST;
	if (a->arg[1] > 255 || a->arg[2] > 63)
		return -EINVAL;
	return untyped_retype(ut, (unsigned)a->arg[1], (unsigned)a->arg[2], dests, (unsigned)count);
	// @lab4 stub
	// TODO(lab4): part B. decode (untyped, type, size_bits, dest, count): every destination
	// slot in range and empty, then untyped_retype. Hint: dest + count can wrap.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

/* -- part C: IPC (ipc.h) ------------------------------------------------------------------ */

// @lab4 solution
/* obj_cap: the object of the caller's capability in slot, of type, with right: 0 with *cap
 * set, -EINVAL (bad slot, another type) or -EPERM (without right). */
static int obj_cap(unsigned long slot_nr, unsigned type, unsigned right, struct cap *cap)
{
	struct cte *c = slot(slot_nr);
	if (!c || c->cap.type != type)
		return -EINVAL;
	if (!(c->cap.rights & right))
		return -EPERM;
	*cap = c->cap;
	return 0;
}

/* msg_in: the message in the caller's registers (tag in arg[1], MRs 0..3 in arg[2..5]). */
static int msg_in(const struct syscall_args *a, const struct cap *ep, struct ipc_msg *m)
{
	if (KIT_MSGINFO_LEN(a->arg[1]) > KIT_MSG_MAX_MRS)
		return -EINVAL;
	if (KIT_MSGINFO_CAPS(a->arg[1]) && !(ep->rights & KIT_RIGHT_GRANT))
		return -EPERM;
	*m = (struct ipc_msg){.info = a->arg[1], .badge = ep->badge};
	for (int i = 0; i < KIT_MSG_REG_MRS; i++)
		m->mr[i] = a->arg[2 + i];
	return 0;
}

/* send: decode and ep_send (is_call: the reply goes to the caller's registers). */
static long send(const struct syscall_args *a, bool is_call, bool nonblocking)
{
	struct cap ep;
	struct ipc_msg m;
	int err = obj_cap(a->arg[0], KIT_CAP_ENDPOINT, KIT_RIGHT_WRITE, &ep);
	if (!err)
		err = msg_in(a, &ep, &m);
	if (err)
		return err;
	long r = ep_send(ep.obj, &m, is_call, nonblocking, ep.rights & KIT_RIGHT_GRANT);
	if (is_call && r == 0)
		ipc_user_regs(a->tf, 0, &tcb_current()->msg);
	return r;
}

/* recv: decode and ep_recv into the caller's registers. */
static long recv(const struct syscall_args *a, bool nonblocking)
{
	struct cap ep;
	struct ipc_msg m = {0};
	int err = obj_cap(a->arg[0], KIT_CAP_ENDPOINT, KIT_RIGHT_READ, &ep);
	if (err)
		return err;
	long r = ep_recv(ep.obj, &m, nonblocking);
	if (r >= 0)
		ipc_user_regs(a->tf, r, &m);
	return r;
}

/* reply: the message in the caller's registers to its caller. */
static long reply(const struct syscall_args *a)
{
	struct cap none = {.rights = KIT_RIGHTS_ALL};
	struct ipc_msg m;
	int err = msg_in(a, &none, &m);
	if (err)
		return err;
	m.badge = 0;
	m.info &= ~KIT_MSGINFO(0, 1, 0); /* no capability goes with a reply */
	return ep_reply(&m);
}

/* wait: decode and ntfn_wait; the word as the badge. */
static long wait(const struct syscall_args *a, bool nonblocking)
{
	struct cap n;
	unsigned long word = 0;
	int err = obj_cap(a->arg[0], KIT_CAP_NOTIFICATION, KIT_RIGHT_READ, &n);
	if (err)
		return err;
	long r = ntfn_wait(n.obj, nonblocking, &word);
	if (r >= 0) {
		struct ipc_msg m = {.badge = word};
		ipc_user_regs(a->tf, r, &m);
	}
	return r;
}
// @lab4 end

long sys_send(const struct syscall_args *a)
{
	// @lab4 solution
	return send(a, false, false);
	// @lab4 stub
	// TODO(lab4): part C. decode the endpoint capability (write right) and the message
	// (tag, MRs 0..3, the badge), then ep_send. Hint: a static helper for all three sends.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_nbsend(const struct syscall_args *a)
{
	// @lab4 solution
	return send(a, false, true);
	// @lab4 stub
	// TODO(lab4): part C. sys_send without blocking.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_call(const struct syscall_args *a)
{
	// @lab4 solution
	return send(a, true, false);
	// @lab4 stub
	// TODO(lab4): part C. sys_send as a Call; the reply goes to the caller's registers
	// (ipc_user_regs with tcb_current()->msg).
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_recv(const struct syscall_args *a)
{
	// @lab4 solution
	return recv(a, false);
	// @lab4 stub
	// TODO(lab4): part C. decode the endpoint capability (read right), ep_recv, then
	// ipc_user_regs with the result and the message.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_nbrecv(const struct syscall_args *a)
{
	// @lab4 solution
	return recv(a, true);
	// @lab4 stub
	// TODO(lab4): part C. sys_recv without blocking.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_reply(const struct syscall_args *a)
{
	// @lab4 solution
	return reply(a);
	// @lab4 stub
	// TODO(lab4): part C. the message in the registers (no badge, no capability) to
	// ep_reply.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_reply_recv(const struct syscall_args *a)
{
	// @lab4 solution
	struct cap ep;
	int err = obj_cap(a->arg[0], KIT_CAP_ENDPOINT, KIT_RIGHT_READ, &ep);
	if (err)
		return err;
	reply(a); /* seL4: a missing caller is no error here */
	return recv(a, false);
	// @lab4 stub
	// TODO(lab4): part C. check the endpoint first, then reply (ignore "no caller"), then
	// receive.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_signal(const struct syscall_args *a)
{
	// @lab4 solution
	struct cap n;
	int err = obj_cap(a->arg[0], KIT_CAP_NOTIFICATION, KIT_RIGHT_WRITE, &n);
	if (err)
		return err;
	ntfn_signal(n.obj, n.badge);
	return 0;
	// @lab4 stub
	// TODO(lab4): part C. decode the notification capability (write right), then
	// ntfn_signal with its badge.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_wait(const struct syscall_args *a)
{
	// @lab4 solution
	return wait(a, false);
	// @lab4 stub
	// TODO(lab4): part C. decode the notification capability (read right), ntfn_wait,
	// and the word to the caller as the badge (ipc_user_regs).
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

long sys_poll(const struct syscall_args *a)
{
	// @lab4 solution
	return wait(a, true);
	// @lab4 stub
	// TODO(lab4): part C. sys_wait without blocking.
	(void)a;
	return -ENOSYS;
	// @lab4 end
}

const syscall_fn syscall_table[SYS_COUNT] = {
    // @lab4 solution
    [SYS_NULL] = sys_null,
    [SYS_DEBUG_PUTS] = sys_debug_puts,
    [SYS_EXIT] = sys_exit,
    [SYS_YIELD] = sys_yield,
    [SYS_TASK_INFO] = sys_task_info,
    [SYS_CAP_IDENTIFY] = sys_cap_identify,
    [SYS_CAP_COPY] = sys_cap_copy,
    [SYS_CAP_MINT] = sys_cap_mint,
    [SYS_CAP_MOVE] = sys_cap_move,
    [SYS_CAP_DELETE] = sys_cap_delete,
    [SYS_CAP_REVOKE] = sys_cap_revoke,
    [SYS_RETYPE] = sys_retype,
    [SYS_SEND] = sys_send,
    [SYS_NBSEND] = sys_nbsend,
    [SYS_CALL] = sys_call,
    [SYS_RECV] = sys_recv,
    [SYS_NBRECV] = sys_nbrecv,
    [SYS_REPLY] = sys_reply,
    [SYS_REPLY_RECV] = sys_reply_recv,
    [SYS_SIGNAL] = sys_signal,
    [SYS_WAIT] = sys_wait,
    [SYS_POLL] = sys_poll,
    [SYS_TCB_START] = sys_tcb_start,
    [SYS_TCB_SET_FAULT] = sys_tcb_set_fault_ep,
    [SYS_TCB_BIND] = sys_tcb_bind,
    [SYS_TASK_SPAWN] = sys_task_spawn,
    [SYS_IPC_STATS] = sys_ipc_stats,
    [SYS_FRAME_MAP] = sys_frame_map,
    [SYS_FRAME_UNMAP] = sys_frame_unmap,
    [SYS_IRQ_GET] = sys_irq_get,
    [SYS_IRQ_SET_NOTIFICATION] = sys_irq_set_notification,
    [SYS_IRQ_ACK] = sys_irq_ack,
    [SYS_IOPORT_IN] = sys_ioport_in,
    [SYS_IOPORT_OUT] = sys_ioport_out,
    [SYS_CNODE_GUARD] = sys_cnode_guard,
    [SYS_DEVICE_GET] = sys_device_get,
    [SYS_FRAME_ADDR] = sys_frame_addr,
    // @lab4 stub
    // TODO(lab4): parts A, B and C. one entry per SYS_* number (syscall.h says whose).
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

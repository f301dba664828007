// @file lab5
/*
 * irqnotify.c: lab 5's kernel side of a user-space driver's interrupt
 * (kit/abi.h "Devices"; the capabilities themselves are lab 4's,
 * common/lab4/device.c): the kernel's handler of a line a capability holds,
 * which masks the line and signals the notification bound to it
 * (SYS_IRQ_SET_NOTIFICATION), and SYS_IRQ_ACK, by which the driver unmasks
 * it again once its device is quiet (seL4's IRQHandler Ack). The
 * controller's own handshake (riscv64: the PLIC's claim before the
 * handler, its complete after; x86_64: the 8259's end of interrupt) is the
 * board code's, around irq_dispatch (irq.h): the handler sees the line
 * already claimed and only decides whether it stays masked.
 * Entry points: irq_user (device.c registers it for each claimed line),
 * sys_irq_ack. Before lab 5 the line stays masked and SYS_IRQ_ACK is
 * -ENOSYS (device.c's weak fallbacks).
 */
#include "kernel.h"
#include "cap.h"
#include "ipc.h"
#include "irq.h"
#include "platform.h"
#include "syscall.h"
#include "task.h"

void irq_user(unsigned irq, void *arg)
{
	// @lab5 solution
	struct irq_handler *h = arg;

	platform_irq_mask(irq);
	if (h->ntfn)
		ntfn_signal(h->ntfn, h->badge);
	// @lab5 stub
	// TODO(lab5): exercise 10. mask line irq (platform_irq_mask: its device still holds it
	// raised, and an unmasked level-triggered line would interrupt again as soon as the
	// handler returns), then signal arg's notification (a struct irq_handler: ntfn, badge)
	// with its badge, when it has one (ntfn_signal; never switch threads here).
	// Hint: the driver unmasks it with SYS_IRQ_ACK once its device is quiet.
	(void)arg;
	platform_irq_mask(irq);
	// @lab5 end
}

long sys_irq_ack(const struct syscall_args *a)
{
	// @lab5 solution
	struct cte *c = cap_resolve(task_current()->cspace, a->arg[0]);

	if (!c || c->cap.type != KIT_CAP_IRQ_HANDLER)
		return -EINVAL;
	struct irq_handler *h = c->cap.obj;
	if (!h->ntfn)
		return -ENOENT;
	platform_irq_unmask(h->irq);
	return 0;
	// @lab5 stub
	// TODO(lab5): exercise 10. SYS_IRQ_ACK(a->arg[0]: the caller's IRQ handler capability):
	// unmask its line (platform_irq_unmask) and return 0; -EINVAL when the slot does not
	// hold an IRQ handler capability (cap_resolve in task_current()'s cspace), -ENOENT
	// when no notification is set for it (its irq_handler's ntfn is NULL: an interrupt
	// could only be lost). Hint: the object is the capability's obj.
	(void)a;
	return -ENOSYS;
	// @lab5 end
}

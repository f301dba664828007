/*
 * device.c: lab 4's device capabilities, for lab 5's user-space drivers
 * (kit/abi.h "Devices"): interrupt lines as IRQ handler objects claimed
 * from the IRQ control capability (seL4's IRQControl and IRQHandler), an
 * interrupt delivered as a notification signal and acknowledged by a
 * system call (the delivery and the acknowledgement are lab 5's:
 * solutions/common/irqnotify.c), and device registers as a frame (memory-mapped) or an I/O
 * port capability (x86_64, seL4's IOPort). A line's handler object is the
 * kernel's (one per line, not made from untyped memory); its capabilities
 * count references like any object's, and the last one's delete frees the
 * line. The board's other devices (platform_device: lab 5's virtio-blk)
 * are described, and their registers given out, by SYS_DEVICE_GET; a
 * driver's DMA learns its frames' addresses from SYS_FRAME_ADDR.
 * Entry points: cspace_add_devices, irq_handler_finalize,
 * irq_notification_gone, the SYS_IRQ_*, SYS_IOPORT_*, SYS_DEVICE_GET and
 * SYS_FRAME_ADDR handlers.
 */
#include "kernel.h"
#include "arch.h"
#include "cap.h"
#include "ipc.h"
#include "irq.h"
#include "mm.h"
#include "platform.h"
#include "string.h"
#include "syscall.h"
#include "task.h"

/* The handler object of each line: who is signalled when it interrupts. */
static struct irq_handler irq_handlers[PLATFORM_IRQ_COUNT];

/* irq_user, sys_irq_ack: lab 5's (solutions/common/irqnotify.c); until then a claimed
 * line stays masked (nothing is delivered) and SYS_IRQ_ACK is not implemented. */
__attribute__((weak)) void irq_user(unsigned irq, void *arg)
{
	(void)arg;
	platform_irq_mask(irq);
}

__attribute__((weak)) long sys_irq_ack(const struct syscall_args *a)
{
	(void)a;
	return -ENOSYS;
}

/* irq_claim: line irq's handler object with a first capability into empty dest, the line
 * masked; -EINVAL (irq out of range, or 0: no line), -EBUSY (a handler already). */
static int irq_claim(unsigned long irq, struct cte *dest)
{
	if (irq == 0 || irq >= PLATFORM_IRQ_COUNT)
		return -EINVAL;
	struct irq_handler *h = &irq_handlers[irq];
	int err = irq_register((unsigned)irq, irq_user, h);
	if (err)
		return err;
	platform_irq_mask((unsigned)irq);
	*h = (struct irq_handler){.hdr.type = KIT_CAP_IRQ_HANDLER, .irq = (unsigned)irq};
	struct cap c = {
	    .type = KIT_CAP_IRQ_HANDLER, .rights = KIT_RIGHTS_ALL, .obj = h, .badge = irq};
	cap_insert(dest, &c, NULL);
	return 0;
}

void irq_handler_finalize(struct irq_handler *h)
{
	irq_unregister(h->irq);
	h->ntfn = NULL;
}

void irq_notification_gone(struct notification *n)
{
	for (size_t i = 0; i < PLATFORM_IRQ_COUNT; i++)
		if (irq_handlers[i].ntfn == n) {
			platform_irq_mask((unsigned)i);
			irq_handlers[i].ntfn = NULL;
		}
}

/* log2_floor: the largest k with 2^k <= n (n > 0). */
static unsigned log2_floor(unsigned long n)
{
	unsigned k = 0;

	while (n >>= 1)
		k++;
	return k;
}

/* regs_cap: a capability for device d's registers into empty dest (nothing when it has none). */
static void regs_cap(const struct platform_device *d, struct cte *dest)
{
	struct cap c = {.rights = KIT_RIGHT_READ | KIT_RIGHT_WRITE};

	if (d->mmio) {
		c.type = KIT_CAP_FRAME;
		c.obj = pa_to_kva(d->mmio);
	} else if (d->nports) {
		c.type = KIT_CAP_IO_PORT;
		c.badge = d->port;
		c.size_bits = (uint8_t)log2_floor(d->nports);
	} else {
		return;
	}
	cap_insert(dest, &c, NULL);
}

void cspace_add_devices(struct cnode *cs)
{
	struct cap ctl = {.type = KIT_CAP_IRQ_CONTROL, .rights = KIT_RIGHTS_ALL};
	struct platform_device uart;

	cap_insert(&cs->slots[KIT_SLOT_IRQ_CONTROL], &ctl, NULL);
	if (platform_device(0, &uart) == 0)
		regs_cap(&uart, &cs->slots[KIT_SLOT_CONSOLE]);
	irq_claim(platform_console_irq(), &cs->slots[KIT_SLOT_CONSOLE_IRQ]); /* busy: empty */
}

/* device_cap: the caller's capability in slot when it has type, else NULL. */
static struct cte *device_cap(unsigned long slot, unsigned type)
{
	struct cte *c = cap_resolve(task_current()->cspace, slot);
	return c && c->cap.type == type ? c : NULL;
}

long sys_irq_get(const struct syscall_args *a)
{
	struct cte *dest = cap_resolve(task_current()->cspace, a->arg[2]);

	if (!device_cap(a->arg[0], KIT_CAP_IRQ_CONTROL) || !dest)
		return -EINVAL;
	if (dest->cap.type != KIT_CAP_NULL)
		return -EEXIST;
	return irq_claim(a->arg[1], dest);
}

long sys_irq_set_notification(const struct syscall_args *a)
{
	struct cte *c = device_cap(a->arg[0], KIT_CAP_IRQ_HANDLER);
	struct cte *n = a->arg[1] ? device_cap(a->arg[1], KIT_CAP_NOTIFICATION) : NULL;

	if (!c || (a->arg[1] && !n))
		return -EINVAL;
	if (n && !(n->cap.rights & KIT_RIGHT_WRITE))
		return -EPERM;
	struct irq_handler *h = c->cap.obj;
	if (!n)
		platform_irq_mask(h->irq);
	h->ntfn = n ? n->cap.obj : NULL;
	h->badge = n && n->cap.badge ? n->cap.badge : 1;
	return 0;
}

#if ARCH_HAS_PORT_IO
/* port_cap: the caller's I/O port capability in slot with right, covering [port, port +
 * size) for an access of size 1, 2 or 4 bytes: 0, -EINVAL or -EPERM. */
static int port_cap(unsigned long slot, unsigned right, unsigned long port, unsigned long size)
{
	struct cte *c = device_cap(slot, KIT_CAP_IO_PORT);

	if (!c || (size != 1 && size != 2 && size != 4))
		return -EINVAL;
	unsigned long first = c->cap.badge, n = 1UL << c->cap.size_bits;
	if (port < first || port - first >= n || size > n - (port - first))
		return -EINVAL;
	return c->cap.rights & right ? 0 : -EPERM;
}
#endif

long sys_ioport_in(const struct syscall_args *a)
{
#if ARCH_HAS_PORT_IO
	int err = port_cap(a->arg[0], KIT_RIGHT_READ, a->arg[1], a->arg[2]);
	return err ? err : (long)arch_port_in((unsigned)a->arg[1], (unsigned)a->arg[2]);
#else
	(void)a;
	return -ENOSYS; /* no I/O ports on this arch (arch.h) */
#endif
}

long sys_ioport_out(const struct syscall_args *a)
{
#if ARCH_HAS_PORT_IO
	int err = port_cap(a->arg[0], KIT_RIGHT_WRITE, a->arg[1], a->arg[3]);
	if (!err)
		arch_port_out((unsigned)a->arg[1], (unsigned)a->arg[3], (uint32_t)a->arg[2]);
	return err;
#else
	(void)a;
	return -ENOSYS;
#endif
}

long sys_device_get(const struct syscall_args *a)
{
	struct cte *dest = a->arg[2] ? cap_resolve(task_current()->cspace, a->arg[2]) : NULL;
	struct platform_device d;
	struct kit_device_info info = {0};

	if (!device_cap(a->arg[0], KIT_CAP_IRQ_CONTROL) || (a->arg[2] && !dest))
		return -EINVAL;
	if (a->arg[1] > 64 || platform_device((unsigned)a->arg[1], &d) != 0)
		return -ENOENT;
	if (dest && dest->cap.type != KIT_CAP_NULL)
		return -EEXIST;
	strlcpy(info.name, d.name, sizeof(info.name));
	info.irq = d.irq;
	info.mmio = d.mmio;
	info.port = d.port;
	info.nports = d.nports;
	int err = copy_to_user(a->arg[3], &info, sizeof(info));
	if (!err && dest)
		regs_cap(&d, dest);
	return err;
}

long sys_frame_addr(const struct syscall_args *a)
{
	struct cte *c = device_cap(a->arg[0], KIT_CAP_FRAME);

	return c ? (long)kva_to_pa(c->cap.obj) : -EINVAL;
}

/*
 * device.c: the device capabilities a task the monitor runs holds (lab 5's
 * drivers use them): the IRQ control capability, the console UART's
 * registers (riscv64 and aarch64 a frame it maps, x86_64 I/O ports) and an
 * IRQ handler for its line. It checks the registers answer, sets a
 * notification for the line's interrupts, then the errors, a line freed by
 * a delete and claimed again, and a notification deleted under its line.
 * The interrupt's delivery and its acknowledgement (SYS_IRQ_ACK) are lab
 * 5's (solutions/common/irqnotify.c), exercised by its console and disk
 * drivers. Checks "dev-*" in suite "device".
 */
#include "user.h"
#include "check.h"

#define NTFN	 9  /* a notification */
#define NTFN_B	 10 /* a badged copy: what the interrupt signals with */
#define NTFN_RO	 11 /* a copy without write */
#define HANDLER2 12 /* the line claimed again */
#define BADGE	 0x20
#define REGS_VA	 0x30000000UL

/*
 * The console UART's register this test reads: an ns16550's line status (riscv64 virt, x86_64
 * pc: byte registers) or a PL011's flags (aarch64 raspi3b: word registers).
 */
#ifdef __aarch64__
#define UART_WORD   1	 /* 32-bit registers */
#define UART_STATUS 0x18 /* UARTFR */
#define STATUS_TX   0x80 /* TXFE: the transmit FIFO is empty */
#else
#define UART_WORD   0
#define UART_STATUS 5	 /* LSR */
#define STATUS_TX   0x40 /* TEMT: the transmitter is empty */
#endif

static struct kit_cap_info info(unsigned long slot)
{
	struct kit_cap_info i;

	if (sys_cap_identify(slot, &i) != 0)
		i.type = 99;
	return i;
}

static struct kit_cap_info regs;

/* reg_read: one UART register through the console capability. */
static long reg_read(unsigned reg)
{
	if (regs.type != KIT_CAP_FRAME)
		return sys_ioport_in(KIT_SLOT_CONSOLE, regs.badge + reg, 1);
	if (UART_WORD)
		return *(volatile unsigned *)(REGS_VA + reg);
	return ((volatile unsigned char *)REGS_VA)[reg];
}

/* ports: the I/O port capability's errors (x86_64). */
static void ports(void)
{
	unsigned long base = regs.badge;

	check_eq("dev-port-size", regs.size_bits, 3);
	check_eq("dev-port-below", sys_ioport_in(KIT_SLOT_CONSOLE, base - 1, 1), -EINVAL);
	check_eq("dev-port-above", sys_ioport_in(KIT_SLOT_CONSOLE, base + 8, 1), -EINVAL);
	check_eq("dev-port-straddle", sys_ioport_in(KIT_SLOT_CONSOLE, base + 7, 2), -EINVAL);
	check_eq("dev-port-bad-size", sys_ioport_in(KIT_SLOT_CONSOLE, base, 3), -EINVAL);
	check_eq("dev-port-not-ports", sys_ioport_in(KIT_SLOT_IRQ_CONTROL, base, 1), -EINVAL);
}

int main(void)
{
	check_suite = "device";
	regs = info(KIT_SLOT_CONSOLE);
	struct kit_cap_info h = info(KIT_SLOT_CONSOLE_IRQ);
	unsigned long line = h.badge;
	check_eq("dev-boot-irq-control", info(KIT_SLOT_IRQ_CONTROL).type, KIT_CAP_IRQ_CONTROL);
	check_eq("dev-boot-console", regs.type == KIT_CAP_FRAME || regs.type == KIT_CAP_IO_PORT, 1);
	check_eq("dev-boot-handler", h.type, KIT_CAP_IRQ_HANDLER);
	if (regs.type == KIT_CAP_FRAME) {
		check_eq("dev-map", sys_frame_map(KIT_SLOT_CONSOLE, REGS_VA, KIT_RIGHTS_ALL), 0);
		check_eq("dev-no-ports", sys_ioport_in(KIT_SLOT_CONSOLE, 0, 1), -ENOSYS);
	} else
		ports();
	check_eq("dev-regs", reg_read(UART_STATUS) & STATUS_TX, STATUS_TX);

	check_eq("dev-get-busy", sys_irq_get(KIT_SLOT_IRQ_CONTROL, line, 8), -EBUSY);
	check_eq("dev-get-zero", sys_irq_get(KIT_SLOT_IRQ_CONTROL, 0, 8), -EINVAL);
	check_eq("dev-get-range", sys_irq_get(KIT_SLOT_IRQ_CONTROL, 1UL << 20, 8), -EINVAL);
	check_eq("dev-get-not-control", sys_irq_get(KIT_SLOT_CONSOLE_IRQ, line, 8), -EINVAL);
	check_eq("dev-get-full", sys_irq_get(KIT_SLOT_IRQ_CONTROL, line, KIT_SLOT_TCB), -EEXIST);
	check_eq("dev-ntfn", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1), 0);
	check_eq("dev-ntfn-mint", sys_cap_mint(NTFN_B, NTFN, KIT_RIGHT_WRITE, BADGE), 0);
	check_eq("dev-ntfn-ro", sys_cap_copy(NTFN_RO, NTFN, KIT_RIGHT_READ), 0);
	check_eq("dev-set-no-write", sys_irq_set_notification(KIT_SLOT_CONSOLE_IRQ, NTFN_RO),
		 -EPERM);
	check_eq("dev-set-not-ntfn", sys_irq_set_notification(KIT_SLOT_CONSOLE_IRQ, 8), -EINVAL);
	check_eq("dev-set", sys_irq_set_notification(KIT_SLOT_CONSOLE_IRQ, NTFN_B), 0);

	/* A delete frees the line; a deleted notification leaves it without one. */
	check_eq("dev-delete", sys_cap_delete(KIT_SLOT_CONSOLE_IRQ), 0);
	check_eq("dev-get-again", sys_irq_get(KIT_SLOT_IRQ_CONTROL, line, HANDLER2), 0);
	check_eq("dev-get-again-line", info(HANDLER2).badge, line);
	check_eq("dev-set-again", sys_irq_set_notification(HANDLER2, NTFN), 0);
	check_eq("dev-ntfn-delete", sys_cap_revoke(NTFN) || sys_cap_delete(NTFN), 0);
	return check_done();
}

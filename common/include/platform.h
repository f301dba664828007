/*
 * platform.h: the one interface between portable kernel code and the board,
 * beside arch.h's interface to the CPU (littlekernel's arch/platform split).
 *
 * The board is what surrounds the CPU: the console UART, the interrupt
 * controller, power-off and the device registers. Each board lives in
 * arch/<arch>/<board>/ (PLATFORM in arch/<arch>/rules.mk): riscv64/virt
 * (ns16550a, PLIC, sifive_test), x86_64/pc (16550 at port 0x3f8, 8259 pair,
 * PIT, ACPI), later aarch64/raspi3b (PL011, BCM2835/2836 controllers).
 *
 * Interrupt numbers (irq) are the controller's own input numbers: PLIC
 * source ids (1 and up; 0 means none), 8259 lines 0..15, BCM bank bits.
 * The portable layer above (irq.h) dispatches them to handlers.
 *
 * The board's header arch/<arch>/<board>/include/platform/board.h,
 * included at the end, defines the constants:
 *   PLATFORM_IRQ_COUNT   interrupt numbers run from 0 to this minus one
 *                        (virt: 97; pc: 16)
 */
#pragma once

#include "types.h"
#include "arch.h"

/*
 * platform_init: bring up the board, called once by the arch boot code before
 * kmain and before anything prints, with interrupts off: the console works,
 * every device interrupt is masked at the controller, and the board's own
 * handlers (x86_64 pc: the PIT's, and the PIC cascade's, so nobody claims
 * it) are registered with irq_register.
 */
void platform_init(void);

/*
 * platform_console_putc: write byte c to the console UART, waiting while its
 * transmitter is full. Callable from any context once platform_init ran.
 */
void platform_console_putc(int c);

/* platform_console_getc: one received byte (0..255), or -1 when none is waiting. Never blocks. */
int platform_console_getc(void);

/* Console interrupt events, for platform_console_irq_enable. */
#define CONSOLE_IRQ_RX 0x1 /* a byte was received */
#define CONSOLE_IRQ_TX 0x2 /* the transmitter is empty (fires at once when it is) */

/*
 * platform_console_irq_enable: which events the console UART interrupts for,
 * as CONSOLE_IRQ_* bits (0: none; the UART then drops its request). The
 * interrupt comes in as platform_console_irq() through irq.h; a handler
 * silences it by calling this with the event's bit cleared (or, for RX, by
 * reading the byte).
 */
void platform_console_irq_enable(unsigned events);

/* platform_console_irq: the console UART's interrupt number (virt: PLIC source 10; pc: IRQ 4). */
unsigned platform_console_irq(void);

/*
 * platform_console_regs: the console UART's registers as a user-space
 * driver is given them (lab 4's KIT_SLOT_CONSOLE): *mmio the physical
 * address of their page, or 0; *port and *nports its I/O ports, or 0
 * (virt: the ns16550a's page; pc: COM1's eight ports).
 */
void platform_console_regs(paddr_t *mmio, unsigned *port, unsigned *nports);
/* A device of the board that a user-space driver may be given (lab 5, SYS_DEVICE_GET). */
struct platform_device {
	const char *name;      /* what it is: "uart", "virtio-blk" */
	paddr_t mmio;	       /* the physical address of its page of registers, or 0 */
	unsigned port, nports; /* its I/O ports (a power of two of them), or 0 */
	unsigned irq;	       /* its interrupt number, 0: none */
};

/*
 * platform_device: device index of the board into *d; 0, or -ENOENT past
 * the last. Index 0 is the console UART (platform_console_regs); the others
 * are what the board has (virt: the first virtio-mmio slot, a virtio-blk
 * device when QEMU has a disk on bus virtio-mmio-bus.0; pc: a legacy
 * virtio-blk PCI function on bus 0, found by a scan of PCI configuration
 * space at the first call; raspi3b: none, the UART only). Call with
 * interrupts disabled.
 */
int platform_device(unsigned index, struct platform_device *d);

/* IRQ_NONE: what platform_irq_claim returns when there is nothing to handle. */
#define IRQ_NONE (~0U)

/*
 * platform_irq_claim: the interrupt the controller is asserting now, taken
 * for handling, or IRQ_NONE when it was spurious or already gone. hint is
 * what the CPU's trap told the arch (x86_64: the vector minus
 * X86_IRQ_VECTOR0; 0 where the controller is asked instead: PLIC, BCM).
 * PLIC: reads the claim register (RISC-V PLIC spec 1.0.0, "Interrupt
 * Claim Process"). 8259: checks for a spurious IRQ 7/15 and sends the EOI
 * at once, which is safe for its edge-triggered lines with interrupts off
 * (8259A datasheet, OCW2). Call with interrupts disabled.
 */
unsigned platform_irq_claim(unsigned hint);

/*
 * platform_irq_complete: tell the controller that claimed interrupt irq was
 * handled, so it may deliver irq again (PLIC: write the id back,
 * "Interrupt Completion"; 8259 and BCM: nothing). Works on a masked irq.
 * A line whose handler may switch threads (the x86_64 PIT) must have
 * nothing to do here.
 */
void platform_irq_complete(unsigned irq);

/*
 * platform_irq_mask / platform_irq_unmask: stop / let interrupt irq reach
 * the CPU (PLIC: the source's priority 0 / 1 plus its enable bit for this
 * hart's S-mode context; 8259: OCW1). Out-of-range irqs are ignored. Call
 * with interrupts disabled or from a handler.
 */
void platform_irq_mask(unsigned irq);
void platform_irq_unmask(unsigned irq);

/*
 * platform_poweroff: stop the machine. status 0 makes QEMU exit with status
 * 0, any other status makes it exit non-zero (virt: the sifive_test
 * finisher, then SBI SRST, RISC-V SBI spec chapter 10; pc: ACPI S5 for 0,
 * isa-debug-exit otherwise). Never returns.
 */
noreturn void platform_poweroff(int status);

/*
 * platform_mmio_regions: the board's device registers the kernel uses (page
 * aligned), to be mapped read+write no-exec at pa_to_kva(base); fills at most
 * max entries of regions and returns how many (0..max; pc: 0, its devices are
 * I/O ports).
 */
int platform_mmio_regions(struct mem_region *regions, int max);

#include <platform/board.h>

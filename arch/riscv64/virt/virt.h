/*
 * virt.h: QEMU's riscv64 virt board as the kernel uses it (QEMU 7.2
 * hw/riscv/virt.c memmap and irqs, and the device tree it generates), and
 * the board files' private functions.
 */
#pragma once

#include "types.h"
#include "mm.h"
#include "platform.h"

#define VIRT_TEST   0x100000UL	 /* VIRT_TEST: the sifive_test finisher */
#define VIRT_PLIC   0xc000000UL	 /* VIRT_PLIC: the platform-level interrupt controller */
#define VIRT_UART0  0x10000000UL /* VIRT_UART0: an ns16550a */
#define VIRT_VIRTIO 0x10001000UL /* VIRT_VIRTIO: the first of 8 virtio-mmio slots, a page each */

#define VIRT_PLIC_NDEV	(PLATFORM_IRQ_COUNT - 1) /* "riscv,ndev": source ids 1..96 */
#define VIRT_UART0_IRQ	10			 /* UART0_IRQ: the console's PLIC source */
#define VIRT_VIRTIO_IRQ 1 /* VIRTIO_IRQ: the first virtio-mmio slot's PLIC source */

/*
 * The PLIC's registers (RISC-V PLIC spec 1.0.0, "Memory Map"): a 32-bit
 * priority per source, an enable bit per source for each context, and a
 * threshold and claim/complete register per context. The kernel uses
 * context 1: hart 0's S mode (QEMU virt with one hart: context 0 is its M
 * mode; the device tree's interrupts-extended lists M, then S).
 */
#define VIRT_PLIC_CONTEXT	 1
#define PLIC_PRIORITY(id)	 (VIRT_PLIC + 4 * (id))
#define PLIC_ENABLE(ctx, id)	 (VIRT_PLIC + 0x2000 + 0x80 * (ctx) + 4 * ((id) / 32))
#define PLIC_THRESHOLD(ctx)	 (VIRT_PLIC + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM_COMPLETE(ctx) (PLIC_THRESHOLD(ctx) + 4)

/* virt_reg: the kernel address of device register physical address pa (the direct map). */
static inline volatile void *virt_reg(paddr_t pa)
{
	return pa_to_kva(pa);
}

/* virt_plic_init: mask every source and let every priority through (plic.c); once, at boot. */
void virt_plic_init(void);
/* virt_uart_init: no UART interrupts (uart.c; OpenSBI has set the line up); once, at boot. */
void virt_uart_init(void);

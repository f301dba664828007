/*
 * intc.c (aarch64 raspi3b): the two interrupt controllers between the
 * devices and core 0 (there is no GIC). The BCM2835 controller (BCM2835 ARM
 * Peripherals, 7.5) has a pending, enable and disable register per bank of
 * 32 GPU interrupts; its output reaches core 0 through the BCM2836 local
 * controller, which also carries each core's generic-timer interrupts
 * (core 0's CNTPNSIRQ: enable bit 1 at 0x40, pending bit 1 at 0x60).
 * Interrupt numbers are GPU interrupt numbers, 0..63.
 * Entry points: rpi_intc_init, the platform_irq_* functions (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "raspi3b.h"

#define IC_PENDING(bank) (RPI_IC + 0x04 + 4 * (bank)) /* pending 1, 2 */
#define IC_ENABLE(bank)	 (RPI_IC + 0x10 + 4 * (bank)) /* enable 1, 2 (write 1s) */
#define IC_DISABLE(bank) (RPI_IC + 0x1c + 4 * (bank)) /* disable 1, 2 (write 1s) */
#define IC_DISABLE_BASIC (RPI_IC + 0x24)
#define LOCAL_TIMER_CTL0 (RPI_LOCAL + 0x40) /* core 0's timer interrupt control */
#define LOCAL_CNTPNS_IRQ (1U << 1)

static uint32_t enabled[2]; /* what platform_irq_unmask enabled, per bank */

/* rpi_intc_init: every GPU and basic interrupt disabled; core 0's EL1 physical timer routed
 * to its IRQ line (the CPU's timer still masks it until arch_timer_set). */
void rpi_intc_init(void)
{
	rpi_write(IC_DISABLE(0), ~0U);
	rpi_write(IC_DISABLE(1), ~0U);
	rpi_write(IC_DISABLE_BASIC, ~0U);
	rpi_write(LOCAL_TIMER_CTL0, LOCAL_CNTPNS_IRQ);
}

/* platform_irq_claim (raspi3b): the lowest enabled GPU interrupt pending; nothing to take,
 * the device holds its line until its handler silences it. hint is unused. */
unsigned platform_irq_claim(unsigned hint)
{
	for (unsigned bank = 0; bank < 2; bank++) {
		uint32_t p = rpi_read(IC_PENDING(bank)) & enabled[bank];
		if (p)
			return bank * 32 + __builtin_ctz(p);
	}
	return IRQ_NONE;
}

/* platform_irq_complete (raspi3b): nothing; the controller has no end-of-interrupt. */
void platform_irq_complete(unsigned irq)
{
}

void platform_irq_mask(unsigned irq)
{
	if (irq >= PLATFORM_IRQ_COUNT)
		return;
	enabled[irq / 32] &= ~(1U << (irq % 32));
	rpi_write(IC_DISABLE(irq / 32), 1U << (irq % 32));
}

void platform_irq_unmask(unsigned irq)
{
	if (irq >= PLATFORM_IRQ_COUNT)
		return;
	enabled[irq / 32] |= 1U << (irq % 32);
	rpi_write(IC_ENABLE(irq / 32), 1U << (irq % 32));
}

/*
 * plic.c (riscv64 virt): the platform-level interrupt controller (RISC-V
 * PLIC spec 1.0.0) for hart 0's S mode. A source is masked by priority 0,
 * which "never interrupts", not by clearing its enable bit: a completion
 * for a source that is not enabled is ignored ("Interrupt Completion"),
 * which would leave a source masked inside its handler stuck forever.
 * Entry points: virt_plic_init, the platform_irq_* functions (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "virt.h"

static inline uint32_t plic_read(paddr_t reg)
{
	return *(volatile uint32_t *)virt_reg(reg);
}

static inline void plic_write(paddr_t reg, uint32_t v)
{
	*(volatile uint32_t *)virt_reg(reg) = v;
}

/* virt_plic_init: no source enabled for the context, threshold 0 (any priority above 0 passes). */
void virt_plic_init(void)
{
	for (unsigned id = 0; id <= VIRT_PLIC_NDEV; id += 32)
		plic_write(PLIC_ENABLE(VIRT_PLIC_CONTEXT, id), 0);
	plic_write(PLIC_THRESHOLD(VIRT_PLIC_CONTEXT), 0);
}

/* platform_irq_claim (virt): the claim register: the highest-priority pending source, now
 * claimed ("Interrupt Claim Process"); 0, nothing pending, is IRQ_NONE. hint is unused. */
unsigned platform_irq_claim(unsigned hint)
{
	uint32_t id = plic_read(PLIC_CLAIM_COMPLETE(VIRT_PLIC_CONTEXT));
	return id ? id : IRQ_NONE;
}

/* platform_irq_complete (virt): write the claimed id back ("Interrupt Completion"). */
void platform_irq_complete(unsigned irq)
{
	plic_write(PLIC_CLAIM_COMPLETE(VIRT_PLIC_CONTEXT), irq);
}

/* platform_irq_mask (virt): priority 0. */
void platform_irq_mask(unsigned irq)
{
	if (irq && irq <= VIRT_PLIC_NDEV)
		plic_write(PLIC_PRIORITY(irq), 0);
}

/* platform_irq_unmask (virt): the source's enable bit for the context, then priority 1. In
 * that order: QEMU 7.2's PLIC (hw/intc/sifive_plic.c) looks again at what is pending when a
 * priority is written, but not when an enable is, so a source already pending would wait. */
void platform_irq_unmask(unsigned irq)
{
	if (!irq || irq > VIRT_PLIC_NDEV)
		return;
	paddr_t enable = PLIC_ENABLE(VIRT_PLIC_CONTEXT, irq);
	plic_write(enable, plic_read(enable) | 1U << (irq % 32));
	plic_write(PLIC_PRIORITY(irq), 1);
}

/*
 * irq.c: the portable interrupt layer (irq.h): one handler per interrupt
 * number, dispatched between the board controller's claim and completion
 * (platform.h), the order the RISC-V PLIC spec's claim/complete protocol
 * wants and the 8259 and BCM2835 controllers allow.
 * Entry points: irq_register, irq_unregister, irq_dispatch, irq_count,
 * irq_last.
 */
#include "kernel.h"
#include "arch.h"
#include "irq.h"
#include "platform.h"
#include "trace.h"

struct irq_slot {
	void (*handler)(unsigned irq, void *arg);
	void *arg;
	unsigned long count; /* dispatches since boot */
};

/* Sized by the board (platform.h): lk's way, a table per platform's interrupt count. */
static struct irq_slot irq_slots[PLATFORM_IRQ_COUNT];

/* The last interrupt dispatched: its line and arch_cycles() at irq_dispatch's entry. */
static unsigned last_irq = PLATFORM_IRQ_COUNT;
static uint64_t last_irq_cycles;

int irq_register(unsigned irq, void (*handler)(unsigned irq, void *arg), void *arg)
{
	if (irq >= PLATFORM_IRQ_COUNT || !handler)
		return -EINVAL;
	bool was_enabled = arch_irq_save();
	int err = irq_slots[irq].handler ? -EBUSY : 0;
	if (!err)
		irq_slots[irq] = (struct irq_slot){handler, arg, irq_slots[irq].count};
	arch_irq_restore(was_enabled);
	return err;
}

int irq_unregister(unsigned irq)
{
	if (irq >= PLATFORM_IRQ_COUNT)
		return -EINVAL;
	bool was_enabled = arch_irq_save();
	platform_irq_mask(irq);
	irq_slots[irq].handler = NULL;
	irq_slots[irq].arg = NULL;
	arch_irq_restore(was_enabled);
	return 0;
}

void irq_dispatch(unsigned hint)
{
	uint64_t entry = arch_cycles(); /* first: lab 5's keystroke-to-echo path starts here */
	unsigned irq = platform_irq_claim(hint);
	if (irq >= PLATFORM_IRQ_COUNT)
		return;
	last_irq = irq, last_irq_cycles = entry;
	struct irq_slot *s = &irq_slots[irq];
	s->count++;
	TRACEPOINT(TRACE_DEV_IRQ, irq, 0);
	if (s->handler) {
		s->handler(irq, s->arg);
	} else {
		platform_irq_mask(irq);
		kprintf("irq: interrupt %u has no handler; masked\n", irq);
	}
	platform_irq_complete(irq);
}

unsigned long irq_count(unsigned irq)
{
	return irq < PLATFORM_IRQ_COUNT ? irq_slots[irq].count : 0;
}

uint64_t irq_last(unsigned *irq)
{
	*irq = last_irq;
	return last_irq_cycles;
}

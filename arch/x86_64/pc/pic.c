/*
 * pic.c (x86_64 pc): the interrupt controller, the two 8259A PICs (Intel
 * 8259A datasheet, "Initialization Command Words" and "Operation Command
 * Words"; the slave hangs off the master's IRQ 2), remapped to vectors
 * X86_IRQ_VECTOR0..+15.
 *
 * Why the 8259 pair and not the IOAPIC: with one CPU and the pc's ISA
 * devices (PIT, COM1) it does all the kit needs through I/O ports alone,
 * while the IOAPIC needs the local APIC as well (two MMIO pages to map, its
 * EOI register, the ACPI MADT to find both and the ISA overrides). An SMP
 * kernel would switch to them; the 8259s would then be masked entirely.
 *
 * Entry points: pc_pic_init, platform_irq_claim, platform_irq_complete,
 * platform_irq_mask, platform_irq_unmask (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "irq.h"
#include "arch/x86.h"
#include "pc.h"

#define PIC1_CMD       0x20
#define PIC1_DATA      0x21 /* after initialization: the interrupt mask (OCW1) */
#define PIC2_CMD       0xa0
#define PIC2_DATA      0xa1
#define ICW1_INIT_ICW4 0x11 /* start initialization: edge triggered, cascaded, ICW4 follows */
#define ICW3_MASTER    0x04 /* the master: a slave on IRQ 2 */
#define ICW3_SLAVE     0x02 /* the slave: its cascade identity, 2 */
#define ICW4_8086      0x01 /* 8086 mode, normal EOI */
#define OCW2_EOI       0x20 /* non-specific end of interrupt */
#define OCW3_READ_ISR  0x0b /* command-port reads return the in-service register */
#define IRQ_CASCADE    2    /* the master's line the slave drives */
#define IRQ_SPURIOUS   7 /* what a PIC reports when the request went away (and 15: the slave's) */

static uint16_t pic_masked = 0xffff; /* OCW1 of both PICs, bit irq set: masked */

/* pic_init: initialize the PIC at command port cmd to deliver its IRQ i at vector vector0 + i. */
static void pic_init(uint16_t cmd, uint8_t vector0, uint8_t icw3)
{
	x86_outb(cmd, ICW1_INIT_ICW4);
	x86_outb(cmd + 1, vector0);
	x86_outb(cmd + 1, icw3);
	x86_outb(cmd + 1, ICW4_8086);
}

/* pic_write_masks: load both PICs' OCW1 from pic_masked. */
static void pic_write_masks(void)
{
	x86_outb(PIC1_DATA, (uint8_t)pic_masked);
	x86_outb(PIC2_DATA, (uint8_t)(pic_masked >> 8));
}

/* pc_pic_init: move the PICs off the exception vectors, where the BIOS left them (8 and 0x70),
 * to X86_IRQ_VECTOR0..+15, and mask every line (called once by platform_init). */
/* pic_cascade: the cascade line's handler, never called (the slave's lines come as their own
 * numbers): registered so that nobody claims the line and masks the slave with it. */
static void pic_cascade(unsigned irq, void *arg)
{
	(void)irq, (void)arg;
}

void pc_pic_init(void)
{
	pic_init(PIC1_CMD, X86_IRQ_VECTOR0, ICW3_MASTER);
	pic_init(PIC2_CMD, X86_IRQ_VECTOR0 + 8, ICW3_SLAVE);
	pic_write_masks();
	irq_register(IRQ_CASCADE, pic_cascade, NULL);
}

/* pic_spurious: whether IRQ 7 or 15 is spurious, its in-service bit clear (8259A datasheet,
 * OCW3); it gets no EOI, but a spurious IRQ 15 gets one to the master (its IRQ 2 was real). */
static bool pic_spurious(unsigned irq)
{
	if (irq % 8 != IRQ_SPURIOUS)
		return false;
	uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;
	x86_outb(cmd, OCW3_READ_ISR);
	if (x86_inb(cmd) & (1U << IRQ_SPURIOUS))
		return false;
	if (irq >= 8)
		x86_outb(PIC1_CMD, OCW2_EOI);
	return true;
}

/*
 * platform_irq_claim (pc): hint is the line (vector - X86_IRQ_VECTOR0). A
 * spurious IRQ 7 or 15 is IRQ_NONE. Otherwise the EOI goes out now (the
 * slave's too for IRQ 8..15), before the handler: the lines are edge
 * triggered, so a new edge while the handler runs is latched, and the
 * handler runs with interrupts off. This lets the timer's handler switch
 * threads, with the next timer interrupt free to come in whichever runs.
 */
unsigned platform_irq_claim(unsigned hint)
{
	if (hint >= PLATFORM_IRQ_COUNT || pic_spurious(hint))
		return IRQ_NONE;
	if (hint >= 8)
		x86_outb(PIC2_CMD, OCW2_EOI);
	x86_outb(PIC1_CMD, OCW2_EOI);
	return hint;
}

/* platform_irq_complete (pc): nothing; platform_irq_claim sent the EOI. */
void platform_irq_complete(unsigned irq)
{
}

/* platform_irq_mask (pc): set the line's OCW1 bit. */
void platform_irq_mask(unsigned irq)
{
	if (irq >= PLATFORM_IRQ_COUNT)
		return;
	pic_masked |= 1U << irq;
	pic_write_masks();
}

/* platform_irq_unmask (pc): clear the line's OCW1 bit (and, for a slave line, the master's
 * cascade line's). */
void platform_irq_unmask(unsigned irq)
{
	if (irq >= PLATFORM_IRQ_COUNT)
		return;
	pic_masked &= ~(1U << irq);
	if (irq >= 8)
		pic_masked &= ~(1U << IRQ_CASCADE);
	pic_write_masks();
}

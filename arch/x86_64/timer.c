/*
 * timer.c (x86_64): interrupts and time on QEMU's pc machine, all through
 * I/O ports (no MMIO mapping needed): the two 8259A PICs, remapped to
 * vectors 32..47 with every line masked but IRQ 0; channel 0 of the 8254
 * PIT as a one-shot timer; the TSC as the clock; RFLAGS.IF for the
 * interrupt state.
 * Entry points: x86_timer_init, x86_irq, arch_irq_save, arch_irq_restore,
 * arch_irq_enable, arch_time_ns, arch_timer_set, arch_idle (arch.h).
 */
#include "arch.h"
#include "trap.h"
#include "arch/x86.h"

/* The 8259A pair (Intel 8259A datasheet, "Initialization Command Words" and
 * "Operation Command Words"): the slave hangs off the master's IRQ 2. */
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
#define IRQ_TIMER      0    /* the PIT's channel 0 */
#define IRQ_SPURIOUS   7 /* what a PIC reports when the request went away (and 15: the slave's) */

/* The 8254 PIT's channel 0 in mode 0, "interrupt on terminal count" (Intel
 * 82C54 datasheet; QEMU hw/timer/i8254.c): loading a count drives OUT low,
 * and OUT rises (IRQ 0, edge triggered) after that many ticks at 1.193182 MHz. */
#define PIT_CH0		0x40
#define PIT_MODE	0x43
#define PIT_CH0_ONESHOT 0x30 /* channel 0, count written low byte then high byte, mode 0, binary */
#define PIT_HZ		1193182UL
#define PIT_MAX_TICKS	65535UL
#define PIT_MAX_NS	(PIT_MAX_TICKS * NSEC_PER_SEC / PIT_HZ) /* 54924563: about 55 ms */

static uint64_t timer_deadline = ~0UL; /* the requested deadline (ns), ~0 when none */

/* pic_init: initialize the PIC at command port cmd to deliver its IRQ i at vector vector0 + i. */
static void pic_init(uint16_t cmd, uint8_t vector0, uint8_t icw3)
{
	x86_outb(cmd, ICW1_INIT_ICW4);
	x86_outb(cmd + 1, vector0);
	x86_outb(cmd + 1, icw3);
	x86_outb(cmd + 1, ICW4_8086);
}

/*
 * x86_timer_init: called once by x86_boot, interrupts off. Puts PIT channel
 * 0 in mode 0, which ends the BIOS's periodic 18.2 Hz tick (QEMU lets the
 * count loaded last run out: one more IRQ 0 edge at most); moves the PICs
 * off the exception vectors, where the BIOS left them (8 and 0x70), to
 * X86_IRQ_VECTOR0..+15; masks every line but IRQ 0 (OCW1).
 */
void x86_timer_init(void)
{
	x86_outb(PIT_MODE, PIT_CH0_ONESHOT);
	pic_init(PIC1_CMD, X86_IRQ_VECTOR0, ICW3_MASTER);
	pic_init(PIC2_CMD, X86_IRQ_VECTOR0 + 8, ICW3_SLAVE);
	x86_outb(PIC1_DATA, (uint8_t) ~(1U << IRQ_TIMER));
	x86_outb(PIC2_DATA, 0xff);
}

/* pit_arm: load channel 0 with the ticks from now to deadline_ns, rounded up, at least 1 and at
 * most PIT_MAX_TICKS (a later deadline takes several loads: timer_irq loads again). */
static void pit_arm(uint64_t deadline_ns)
{
	uint64_t now = arch_time_ns();
	uint64_t ns = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t ticks =
	    ns > PIT_MAX_NS ? PIT_MAX_TICKS : (ns * PIT_HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	if (!ticks)
		ticks = 1;
	x86_outb(PIT_CH0, (uint8_t)ticks);
	x86_outb(PIT_CH0, (uint8_t)(ticks >> 8));
}

/* timer_irq: IRQ 0, after its EOI. Calls the hook once the deadline has passed, clearing it
 * first (one-shot); before that (a capped load), loads the PIT again; without one (a count
 * loaded before a cancel, or the BIOS's last), does nothing. */
static void timer_irq(void)
{
	if (timer_deadline == ~0UL)
		return;
	if (arch_time_ns() < timer_deadline) {
		pit_arm(timer_deadline);
		return;
	}
	timer_deadline = ~0UL;
	if (timer_irq_hook)
		timer_irq_hook();
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
 * x86_irq: PIC interrupt tf, from x86_trap with interrupts disabled, on
 * the interrupted stack. IRQ 0: EOI to the master first, so the next timer
 * interrupt can come in whichever thread runs next, then timer_irq, which
 * may call timer_irq_hook (and so switch threads: this returns when the
 * interrupted thread runs again). A spurious IRQ 7 or 15 is ignored; any
 * other line is masked, so it is reported as unexpected.
 */
void x86_irq(struct trapframe *tf)
{
	unsigned irq = tf->vector - X86_IRQ_VECTOR0;
	if (irq == IRQ_TIMER) {
		x86_outb(PIC1_CMD, OCW2_EOI);
		timer_irq();
		return;
	}
	if (pic_spurious(irq))
		return;
	trap_unexpected("interrupt on a masked PIC line", tf->rip, 0, tf->rbp);
}

/* arch_irq_save (x86_64): RFLAGS.IF, then CLI (Intel SDM Vol. 2B, PUSHF and CLI). */
bool arch_irq_save(void)
{
	uint64_t rflags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(rflags)::"memory");
	return rflags & X86_RFLAGS_IF;
}

/* arch_irq_restore (x86_64): STI when was_enabled, else nothing. */
void arch_irq_restore(bool was_enabled)
{
	if (was_enabled)
		__asm__ volatile("sti" ::: "memory");
}

/* arch_irq_enable (x86_64): STI; a pending interrupt comes after the next instruction. */
void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

/*
 * arch_time_ns (x86_64): the TSC since reset, taken as ns. Under QEMU
 * -icount shift=0 (every run the kit makes) QEMU's TSC is its virtual clock
 * (one instruction is 1 ns; a halted CPU's time jumps to the next timer),
 * so this is exact, with a resolution of 1 ns. Without icount QEMU's TSC
 * runs at the host's TSC rate and these would not be ns.
 */
uint64_t arch_time_ns(void)
{
	return arch_cycles();
}

/*
 * arch_timer_set (x86_64): remember deadline_ns and load the PIT with the
 * time left, rounded up to a tick (838 ns): the interrupt comes less than a
 * tick after the deadline, or a tick after now for a past deadline. ~0
 * only forgets the deadline: the count already loaded runs out (QEMU's PIT
 * cannot be stopped), and its interrupt, within 55 ms, calls no hook.
 * Callable with interrupts on or off.
 */
void arch_timer_set(uint64_t deadline_ns)
{
	bool was_enabled = arch_irq_save();
	timer_deadline = deadline_ns;
	if (deadline_ns != ~0UL)
		pit_arm(deadline_ns);
	arch_irq_restore(was_enabled);
}

/*
 * arch_idle (x86_64): STI; HLT; CLI. Call with interrupts disabled: STI
 * enables them only after the next instruction (Intel SDM Vol. 2B, STI),
 * so an interrupt already pending wakes the HLT rather than slipping in
 * before it. Returns after one interrupt's handler (and hook) has run.
 * Under -icount sleep=off the halted CPU's virtual time jumps to the next
 * timer deadline.
 */
void arch_idle(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

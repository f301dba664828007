/*
 * pit.c (x86_64 pc): the one-shot timer interrupt, channel 0 of the 8254
 * PIT on IRQ 0, behind arch_timer_set (arch.h); the time base is the CPU's
 * TSC (arch_time_ns, arch.c).
 * Entry points: pc_pit_init, arch_timer_set (arch.h).
 */
#include "kernel.h"
#include "arch.h"
#include "irq.h"
#include "platform.h"
#include "arch/x86.h"
#include "pc.h"

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

/* pit_arm: load channel 0 with the ticks from now to deadline_ns, rounded up, at least 1 and at
 * most PIT_MAX_TICKS (a later deadline takes several loads: pit_irq loads again). */
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

/*
 * pit_irq: IRQ 0's handler (irq.h), after platform_irq_claim's EOI, so the
 * next timer interrupt can come in whichever thread runs next. Calls
 * timer_irq_hook once the deadline has passed, clearing it first
 * (one-shot); the hook may switch threads (this returns when the
 * interrupted thread runs again). Before the deadline (a capped load) it
 * loads the PIT again; without one (a count loaded before a cancel, or the
 * BIOS's last) it does nothing.
 */
static void pit_irq(unused unsigned irq, unused void *arg)
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

/*
 * pc_pit_init: called once by platform_init, interrupts off. Puts PIT
 * channel 0 in mode 0, which ends the BIOS's periodic 18.2 Hz tick (QEMU
 * lets the count loaded last run out: one more IRQ 0 edge at most), and
 * takes IRQ 0 for pit_irq.
 */
void pc_pit_init(void)
{
	x86_outb(PIT_MODE, PIT_CH0_ONESHOT);
	if (irq_register(PC_IRQ_PIT, pit_irq, NULL) < 0)
		panic("pc_pit_init: IRQ 0 is taken");
	platform_irq_unmask(PC_IRQ_PIT);
}

/*
 * arch_timer_set (x86_64 pc): remember deadline_ns and load the PIT with the
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

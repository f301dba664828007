// @file lab7
/*
 * timer.c (aarch64): the time base and the one-shot timer interrupt, over
 * the generic timer's EL1 physical timer (Arm ARM D11, "The Generic Timer
 * in AArch64 state": CNTPCT_EL0, CNTP_CVAL_EL0, CNTP_CTL_EL0). Its
 * interrupt reaches the CPU through the board's controller (raspi3b: the
 * BCM2836 local controller, which platform_init routes to core 0's IRQ).
 * Entry points: arm64_timer_init, arm64_timer_irq, arch_time_ns,
 * arch_timer_set (arch.h).
 */
#include "kernel.h"
#include "arch.h"
#include "arch/arm64.h"

static uint64_t timer_hz = 1; /* CNTFRQ_EL0: counter ticks per second */
static uint64_t ns_per_tick;  /* 0 when it is not a whole number */

/*
 * arm64_timer_init: read the counter's frequency from CNTFRQ_EL0 (set by the
 * firmware: 62.5 MHz under QEMU, 19.2 MHz on a real Pi 3; never assumed)
 * and disable the timer. Called once by arm64_boot.
 */
void arm64_timer_init(void)
{
	// @lab7 solution
	timer_hz = sysreg_read(cntfrq_el0);
	if (!timer_hz)
		panic("arm64_timer_init: CNTFRQ_EL0 is 0");
	ns_per_tick = NSEC_PER_SEC % timer_hz ? 0 : NSEC_PER_SEC / timer_hz;
	sysreg_write(cntp_ctl_el0, 0);
	// @lab7 stub
	// TODO(lab7): timer_hz from CNTFRQ_EL0 (sysreg_read; panic when it is 0), ns_per_tick
	// when 1e9 / timer_hz is whole (else 0), and the timer off (CNTP_CTL_EL0 = 0).
	// Hint: never assume 62.5 MHz: a Pi 3 runs its counter at 19.2 MHz.
	panic("TODO(lab7): arm64_timer_init");
	// @lab7 end
}

uint64_t arm64_timer_hz(void)
{
	return timer_hz;
}

/*
 * arch_time_ns (aarch64): CNTPCT_EL0 in ns, t * 1e9 / f without
 * overflowing (one multiply when 1e9 / f is whole: 16 ns per tick under
 * QEMU, so 16 instructions under -icount shift=0).
 */
uint64_t arch_time_ns(void)
{
	uint64_t t;
	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(t));
	return ticks_to_ns(t, timer_hz, ns_per_tick);
}

/*
 * arch_timer_set (aarch64): CNTP_CVAL_EL0 = deadline_ns rounded up to a
 * whole tick, the timer enabled and unmasked; the interrupt is asserted
 * while the counter is at or past it (so a past deadline fires at once).
 * ~0, or a deadline beyond the 64-bit tick range, disables the timer, which
 * also drops its interrupt.
 */
void arch_timer_set(uint64_t deadline_ns)
{
	// @lab7 solution
	uint64_t s = deadline_ns / NSEC_PER_SEC, rem = deadline_ns % NSEC_PER_SEC;
	if (deadline_ns == ~0UL || s >= ~0UL / timer_hz) {
		sysreg_write(cntp_ctl_el0, 0);
		return;
	}
	sysreg_write(cntp_cval_el0,
		     s * timer_hz + (rem * timer_hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
	sysreg_write(cntp_ctl_el0, CNTP_CTL_ENABLE);
	__asm__ volatile("isb");
	// @lab7 stub
	// TODO(lab7): the deadline in ticks (rounded up, without overflowing the product)
	// into CNTP_CVAL_EL0, then CNTP_CTL_EL0 = CNTP_CTL_ENABLE (IMASK clear) and an isb;
	// ~0 or a deadline past the 64-bit tick range: CNTP_CTL_EL0 = 0.
	// Hint: split deadline_ns into whole seconds and the rest before multiplying.
	(void)deadline_ns;
	panic("TODO(lab7): arch_timer_set");
	// @lab7 end
}

/*
 * arm64_timer_irq: if the timer is enabled, unmasked and its condition met
 * (CNTP_CTL_EL0.ISTATUS), it is this IRQ's source: one-shot, so disable it
 * (which drops the interrupt) and call timer_irq_hook; returns true. Runs on
 * the interrupted thread's stack with IRQs masked; the hook may set the next
 * deadline and switch threads (trap.S keeps ELR and SPSR in the frame).
 */
bool arm64_timer_irq(void)
{
	// @lab7 solution
	unsigned long ctl = sysreg_read(cntp_ctl_el0);
	if ((ctl & (CNTP_CTL_ENABLE | CNTP_CTL_IMASK | CNTP_CTL_ISTATUS)) !=
	    (CNTP_CTL_ENABLE | CNTP_CTL_ISTATUS))
		return false;
	sysreg_write(cntp_ctl_el0, 0);
	if (timer_irq_hook)
		timer_irq_hook();
	return true;
	// @lab7 stub
	// TODO(lab7): the timer is the source when CNTP_CTL_EL0 has ENABLE and ISTATUS set
	// and IMASK clear: then turn it off (it is one-shot; that drops the interrupt), call
	// timer_irq_hook if set and return true; else false. Hint: another device's IRQ
	// comes here first too (arm64_irq): a timer that is not asserting returns false.
	panic("TODO(lab7): arm64_timer_irq");
	// @lab7 end
}

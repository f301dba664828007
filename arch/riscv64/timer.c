/*
 * timer.c (riscv64): the time base and the one-shot timer interrupt, over
 * the time CSR (RISC-V unprivileged spec, "Zicntr") and the SBI TIME
 * extension (SBI spec chapter 6), for QEMU's virt machine with OpenSBI.
 * Entry points: riscv_timer_init, riscv_timer_irq, arch_time_ns,
 * arch_timer_set (arch.h).
 */
#include "kernel.h"
#include "arch.h"
#include "fdt.h"
#include "arch/riscv.h"

#define TIMEBASE_DEFAULT 10000000UL /* QEMU virt's ACLINT mtime: 10 MHz */

static uint64_t timebase = TIMEBASE_DEFAULT;		       /* time CSR ticks per second */
static uint64_t ns_per_tick = NSEC_PER_SEC / TIMEBASE_DEFAULT; /* 0 when it is not a whole number */

/*
 * riscv_timer_init: take the time CSR's frequency from the device tree's
 * /cpus "timebase-frequency" (Devicetree Specification v0.4, 3.7; one or
 * two cells), keeping 10 MHz when it is absent, and cancel any timer the
 * firmware left programmed (with Sstc, stimecmp resets to 0: already due).
 * Called once by riscv_boot, before interrupts can be enabled.
 */
void riscv_timer_init(const void *fdt)
{
	uint32_t len = 0;
	const uint8_t *p = fdt_getprop(fdt, "/cpus", "timebase-frequency", &len);
	uint64_t hz = 0;
	if (p && len == 4)
		hz = fdt32(p);
	else if (p && len == 8)
		hz = (uint64_t)fdt32(p) << 32 | fdt32(p + 4);
	if (hz) {
		timebase = hz;
		ns_per_tick = NSEC_PER_SEC % hz ? 0 : NSEC_PER_SEC / hz;
	}
	sbi_set_timer(~0UL);
}

static inline uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/*
 * arch_time_ns (riscv64): the time CSR in ns, t * 1e9 / timebase without
 * overflowing (t / f * 1e9 + t % f * 1e9 / f; one multiply when 1e9 / f is
 * whole, 100 ns per tick on virt). The resolution is one tick: under
 * -icount shift=0, 100 instructions on virt.
 */
uint64_t arch_time_ns(void)
{
	uint64_t t = rdtime();
	if (ns_per_tick)
		return t * ns_per_tick;
	return t / timebase * NSEC_PER_SEC + t % timebase * NSEC_PER_SEC / timebase;
}

/*
 * arch_timer_set (riscv64): deadline_ns rounded up to a whole tick, through
 * SBI set_timer (SBI spec 6.1), which also clears a pending timer
 * interrupt. ~0, or a deadline beyond the 64-bit tick range, cancels.
 */
void arch_timer_set(uint64_t deadline_ns)
{
	uint64_t s = deadline_ns / NSEC_PER_SEC, rem = deadline_ns % NSEC_PER_SEC;
	if (deadline_ns == ~0UL || s >= ~0UL / timebase) {
		sbi_set_timer(~0UL);
		return;
	}
	sbi_set_timer(s * timebase + (rem * timebase + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
}

/*
 * riscv_timer_irq: the supervisor timer interrupt (scause 5 with the
 * interrupt bit). Timers are one-shot: cancel, which clears sip.STIP, then
 * call timer_irq_hook. Runs on the interrupted thread's stack with
 * sstatus.SIE clear; the hook may arch_timer_set the next deadline and
 * switch threads (trap.S keeps sepc and sstatus in the trap frame).
 */
void riscv_timer_irq(void)
{
	sbi_set_timer(~0UL);
	if (timer_irq_hook)
		timer_irq_hook();
}

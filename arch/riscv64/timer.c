/*
 * timer.c (riscv64): the time base and the one-shot timer interrupt, over
 * the time CSR (RISC-V unprivileged spec, "Zicntr") and the SBI TIME
 * extension (SBI spec chapter 6), for QEMU's virt machine with OpenSBI.
 * Entry points: riscv_timer_init, riscv_timer_irq, arch_time_ns,
 * arch_timer_set (arch.h).
 *
 * Cancelling masks the interrupt (sie.STIE) and leaves the compare value
 * alone: the next arm rewrites it, which clears a pending sip.STIP. Never
 * program a compare value of ~0 as "never": QEMU 7.2 (target/riscv
 * time_helper.c, hw/intc/riscv_aclint.c) keeps a QEMU timer at INT64_MAX
 * for it, and an idle guest under -icount sleep=off then warps virtual
 * time to INT64_MAX, where QEMU's periodic timers (slirp's router
 * advertisements) expire again as soon as they are re-armed: its main loop
 * livelocks and the disk's completion never comes (lab 5's driver). A
 * compare value in the past fires once and leaves no QEMU timer.
 */
#include "kernel.h"
#include "arch.h"
#include "fdt.h"
#include "arch/riscv.h"

static inline uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

#define TIMEBASE_DEFAULT 10000000UL /* QEMU virt's ACLINT mtime: 10 MHz */

static uint64_t timebase = TIMEBASE_DEFAULT;		       /* time CSR ticks per second */
static uint64_t ns_per_tick = NSEC_PER_SEC / TIMEBASE_DEFAULT; /* 0 when it is not a whole number */

/*
 * riscv_timer_init: take the time CSR's frequency from the device tree's
 * /cpus "timebase-frequency" (Devicetree Specification v0.4, 3.7; one or
 * two cells), keeping 10 MHz when it is absent, and cancel any timer the
 * firmware left programmed: compare value 0, already due, so QEMU keeps no
 * timer for it (with Sstc stimecmp resets to 0 anyway), and sie.STIE clear
 * until arch_timer_set arms. Called once by riscv_boot, before interrupts
 * can be enabled.
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
	csr_clear(sie, SIE_STIE);
	sbi_set_timer(rdtime() + 1);
}

/*
 * arch_time_ns (riscv64): the time CSR in ns, t * 1e9 / timebase without
 * overflowing (t / f * 1e9 + t % f * 1e9 / f; one multiply when 1e9 / f is
 * whole, 100 ns per tick on virt). The resolution is one tick: under
 * -icount shift=0, 100 instructions on virt.
 */
uint64_t arch_time_ns(void)
{
	return ticks_to_ns(rdtime(), timebase, ns_per_tick);
}

/*
 * arch_timer_set (riscv64): deadline_ns rounded up to a whole tick, through
 * SBI set_timer (SBI spec 6.1), which also clears a pending timer
 * interrupt, then sie.STIE set. ~0, or a deadline beyond the 64-bit tick
 * range, cancels: sie.STIE clear, the compare value left as it is.
 */
void arch_timer_set(uint64_t deadline_ns)
{
	uint64_t s = deadline_ns / NSEC_PER_SEC, rem = deadline_ns % NSEC_PER_SEC;
	if (deadline_ns == ~0UL || s >= ~0UL / timebase) {
		csr_clear(sie, SIE_STIE);
		return;
	}
	sbi_set_timer(s * timebase + (rem * timebase + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
	csr_set(sie, SIE_STIE);
}

/*
 * riscv_timer_irq: the supervisor timer interrupt (scause 5 with the
 * interrupt bit). Timers are one-shot: cancel (mask sie.STIE; sip.STIP
 * stays set until the next arm), then call timer_irq_hook. Runs on the interrupted thread's stack with
 * sstatus.SIE clear; the hook may arch_timer_set the next deadline and
 * switch threads (trap.S keeps sepc and sstatus in the trap frame).
 */
void riscv_timer_irq(void)
{
	csr_clear(sie, SIE_STIE);
	if (timer_irq_hook)
		timer_irq_hook();
}

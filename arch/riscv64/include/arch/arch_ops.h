/*
 * arch_ops.h (riscv64): the inline half of common/include/arch.h.
 */
#pragma once

/* The instructions-retired counter (RISC-V unprivileged spec, Zicntr "instret");
 * OpenSBI lets S-mode read it. Under QEMU -icount shift=0 it counts exactly. */
static inline uint64_t arch_cycles(void)
{
	uint64_t v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

/* RISC-V psABI frame layout with -fno-omit-frame-pointer: fp is the frame's
 * top (the caller's sp); ra is saved at fp-8 and the caller's fp at fp-16. */
static inline uintptr_t arch_frame_ra(uintptr_t fp)
{
	return ((const uintptr_t *)fp)[-1];
}

static inline uintptr_t arch_frame_prev(uintptr_t fp)
{
	return ((const uintptr_t *)fp)[-2];
}

static inline void arch_cpu_relax(void)
{
	__asm__ volatile("nop");
}

static inline noreturn void arch_halt(void)
{
	__asm__ volatile("csrci sstatus, 2");
	for (;;)
		__asm__ volatile("wfi");
}

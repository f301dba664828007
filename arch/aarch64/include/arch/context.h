/*
 * context.h (aarch64): a kernel thread's saved registers across
 * arch_context_switch: the callee-saved x19..x28, the frame pointer x29,
 * the link register x30 and sp (AAPCS64 6.1.1); and struct trapframe, every
 * register a trap saves (trap.S), which lab 4's system calls read and write
 * through arch_ops.h's accessors.
 */
#pragma once

#include "types.h"

struct arch_context {
	uintptr_t x19_x28[10];
	uintptr_t fp, lr, sp;
};

/* Registers saved on a trap, in the order trap.S stores them: x0..x30, the interrupted sp
 * (SP_EL0 for a trap from EL0), ELR_EL1, SPSR_EL1, ESR_EL1, FAR_EL1. 36 words. */
struct trapframe {
	unsigned long x[31];
	unsigned long sp, elr, spsr, esr, far;
};

/* Lab 6: a Linux-ABI thread's user state that a trap does not save (arch_ustate_save): the
 * FP/SIMD registers q0..q31, FPCR and FPSR (Arm ARM B1.2.1), and its thread pointer,
 * TPIDR_EL0, which EL0 may write itself. q[2i], q[2i+1]: register i's low and high halves. */
struct arch_ustate {
	uint64_t q[64] __attribute__((aligned(16)));
	uint64_t fpcr, fpsr, tpidr;
};
_Static_assert(__builtin_offsetof(struct arch_ustate, fpcr) == 512 &&
		   __builtin_offsetof(struct arch_ustate, tpidr) == 528,
	       "arch.c's arch_ustate_save offsets");

/*
 * context.h (riscv64): a kernel thread's saved registers across
 * arch_context_switch: ra, sp and the callee-saved s0..s11 (RISC-V psABI,
 * "Integer Register Convention"); and struct trapframe, every register a
 * trap saves (trap.S), which lab 4's system calls read and write through
 * arch_ops.h's accessors.
 */
#pragma once

#include "types.h"

struct arch_context {
	uintptr_t ra, sp;
	uintptr_t s[12];
};

/* Registers saved on a trap, in the order trap.S stores them (x1..x31, then CSRs). */
struct trapframe {
	unsigned long ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
	unsigned long sepc, sstatus, scause, stval;
};

/* Lab 6: a Linux-ABI thread's user state that a trap does not save (arch_ustate_save): the F
 * and D extensions' f0..f31 and fcsr (RISC-V unprivileged spec, "D" Standard Extension). Its
 * thread pointer, tp, is in its trap frame. */
struct arch_ustate {
	uint64_t f[32];
	uint64_t fcsr;
};
_Static_assert(__builtin_offsetof(struct arch_ustate, fcsr) == 256, "arch.c's fcsr offset");

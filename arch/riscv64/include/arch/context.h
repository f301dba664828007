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

/*
 * context.h (riscv64): a kernel thread's saved registers across
 * arch_context_switch: ra, sp and the callee-saved s0..s11 (RISC-V psABI,
 * "Integer Register Convention").
 */
#pragma once

#include "types.h"

struct arch_context {
	uintptr_t ra, sp;
	uintptr_t s[12];
};

/*
 * context.h (x86_64): a kernel thread's saved registers across
 * arch_context_switch: rsp, the return rip and the callee-saved rbx, rbp,
 * r12..r15 (System V AMD64 ABI 3.2.1, Figure 3.4). context.S knows this
 * layout by its byte offsets (CTX_*), so the field order is fixed. And
 * struct trapframe, every register a trap saves (trap.S), which lab 4's
 * system calls read and write through arch_ops.h's accessors.
 */
#pragma once

#include "types.h"

struct arch_context {
	uint64_t rsp, rip, rbx, rbp, r12, r13, r14, r15;
};
_Static_assert(__builtin_offsetof(struct arch_context, r15) == 56, "context.S's CTX_R15");

/*
 * Registers saved on a trap, in the order trap.S pushes them (lowest address
 * first): the general registers, the vector and error code (0 when the CPU
 * pushes none), then the frame the CPU pushes (Intel SDM Vol. 3A,
 * "64-Bit Mode Stack Frame").
 */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(__builtin_offsetof(struct trapframe, rax) == 14 * 8 &&
		   __builtin_offsetof(struct trapframe, rsp) == 20 * 8 &&
		   sizeof(struct trapframe) == 22 * 8,
	       "trap.S's TF_* offsets");

/* Lab 6: a Linux-ABI thread's user state that a trap does not save (arch_ustate_save): the
 * x87, MMX and SSE registers as FXSAVE64 stores them (512 bytes, 16-byte aligned: Intel SDM
 * Vol. 1, 10.5.1 "FXSAVE Area") and its thread pointer, the FS base (IA32_FS_BASE). */
struct arch_ustate {
	uint8_t fxsave[512] __attribute__((aligned(16)));
	uint64_t fs_base;
};

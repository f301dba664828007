/*
 * context.h (x86_64): a kernel thread's saved registers across
 * arch_context_switch: rsp, the return rip and the callee-saved rbx, rbp,
 * r12..r15 (System V AMD64 ABI 3.2.1, Figure 3.4). context.S knows this
 * layout by its byte offsets (CTX_*), so the field order is fixed.
 */
#pragma once

#include "types.h"

struct arch_context {
	uint64_t rsp, rip, rbx, rbp, r12, r13, r14, r15;
};
_Static_assert(__builtin_offsetof(struct arch_context, r15) == 56, "context.S's CTX_R15");

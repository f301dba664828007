/*
 * kcpu.h: the CPU's hot kernel state in one object, kcpu: the running
 * thread, its kernel stack's bounds and the IPC counters. The IPC fastpath
 * and the trap code touch all three on every call; one object is one
 * address to form (riscv64: one auipc pair instead of one per variable,
 * the kernel keeping no gp; aarch64: one adrp), and a thread switch moves
 * the stack bounds with one store (a pointer to the thread's struct
 * kstack) instead of copying two words. The kit runs one CPU.
 *
 * The names the rest of the kernel uses stay: current (thread.h),
 * kstack_limit and kstack_top (trap.h), ipc_stats (ipc.h) are kcpu's
 * fields. Offsets the trap code uses: KCPU_KSTACK, KSTACK_LO, KSTACK_HI.
 */
#ifndef KCPU_H
#define KCPU_H

#define KCPU_KSTACK 8 /* offsetof(struct kcpu, kstack) */
#define KSTACK_LO   0 /* offsetof(struct kstack, lo) */
#define KSTACK_HI   8 /* offsetof(struct kstack, hi) */

#ifndef __ASSEMBLY__
#include "types.h"
#include "kit/abi.h" /* struct kit_ipc_stats */

/* kstack: a kernel stack's usable bytes, [lo, hi) (its guard page is below lo). */
struct kstack {
	uintptr_t lo, hi;
};

struct thread;
struct kcpu {
	struct thread *cur; /* the running thread (lab 3 on; main_thread at boot) */
	const struct kstack
	    *kstack;		  /* the running thread's kernel stack (the boot stack's at boot) */
	struct kit_ipc_stats ipc; /* the IPC counters (lab 4 on; SYS_IPC_STATS) */
};
extern struct kcpu kcpu;

_Static_assert(__builtin_offsetof(struct kcpu, kstack) == KCPU_KSTACK, "kcpu.h: KCPU_KSTACK");
_Static_assert(__builtin_offsetof(struct kstack, lo) == KSTACK_LO &&
		   __builtin_offsetof(struct kstack, hi) == KSTACK_HI,
	       "kcpu.h: KSTACK_LO, KSTACK_HI");
#endif
#endif

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

/* The system-call registers (user/include/kit/abi.h): the number in a7, arguments a0..a5,
 * the result in a0. */
static inline unsigned long arch_syscall_nr(const struct trapframe *tf)
{
	return tf->a7;
}

static inline unsigned long arch_syscall_arg(const struct trapframe *tf, int i)
{
	return (&tf->a0)[i];
}

/* arch_user_tls_set (lab 6): the user thread pointer becomes v: tp (x4, the psABI thread pointer), in the saved registers. */
static inline void arch_user_tls_set(struct trapframe *tf, unsigned long v)
{
	tf->tp = v;
}

/* arch_user_tls_get (lab 6): the user thread pointer tp, as saved in tf. */
static inline unsigned long arch_user_tls_get(const struct trapframe *tf)
{
	return tf->tp;
}

static inline void arch_syscall_set_ret(struct trapframe *tf, long v)
{
	tf->a0 = (unsigned long)v;
}

/* IPC's results (kit/abi.h): out 1..5 in a1..a5, out 6 (the badge) in a6. */
static inline void arch_syscall_set_out(struct trapframe *tf, int i, unsigned long v)
{
	(&tf->a0)[i] = v;
}

/* arch_user_frame: where a trap from user mode saves a thread's registers: the top of its
 * kernel stack minus trap.S's FRAME (36 words, the frame rounded to 16 bytes). */
static inline struct trapframe *arch_user_frame(uintptr_t kstack_top)
{
	return (struct trapframe *)(kstack_top - 36 * 8);
}

/* The kernel stack top for traps from U-mode while arch_user_probe runs (riscv_user_enter loads
 * it, less the frame's FRAME bytes, into sscratch). Every other way to U-mode loads sscratch
 * from the current thread's stack: the trap return from kstack_top (trap.h), the fastpath's
 * exit with the frame it returns from, the same place; kstack_top equals riscv_user_kstack but
 * while arch_user_probe runs (lab 3's switches set both, ktest_umode sets it back). */
extern uintptr_t riscv_user_kstack;

static inline void arch_set_kernel_stack(uintptr_t top)
{
	riscv_user_kstack = top;
}

/* arch_direct_kernel_stack (thread.h, lab 4's direct switch): nothing on riscv64: its exit to
 * U-mode loads sscratch itself, and trap returns take kstack_top, which the switch sets. */
static inline void arch_direct_kernel_stack(uintptr_t top)
{
	(void)top;
}

/*
 * arch_mmu_token (riscv64): the satp value for the root table at root_pa:
 * Sv39 (MODE 8 in bits 63..60), ASID 0, the root's PPN in bits 43..0
 * (Privileged spec 4.1.11).
 */
static inline uintptr_t arch_mmu_token(paddr_t root_pa)
{
	return (8UL << 60) | (root_pa >> 12);
}

/*
 * arch_mmu_switch (riscv64): satp = token (arch_mmu_token), then one
 * SFENCE.VMA x0, x0. Writing satp neither orders earlier page-table stores
 * before later walks nor invalidates cached translations; the fence after
 * does both, for every address space (Privileged spec 4.1.11, the note on
 * writing satp; 4.2.1), so no fence is needed before. Every address space
 * has ASID 0, so the fence is needed on every switch: lab 2's pt_unmap
 * flushes a page only when its table is the active one, which is right
 * only while every switch flushes. The kernel half is the same in every
 * table, so the instructions between the write and the fence translate
 * the same either way.
 */
static inline void arch_mmu_switch(uintptr_t token)
{
	__asm__ volatile("csrw satp, %0\n\t"
			 "sfence.vma zero, zero" ::"r"(token)
			 : "memory");
}

/* arch_mmu_activate (riscv64): arch_mmu_switch(arch_mmu_token(root_pa)). */
static inline void arch_mmu_activate(paddr_t root_pa)
{
	arch_mmu_switch(arch_mmu_token(root_pa));
}

#define ARCH_HAS_PORT_IO	 0 /* arch.h: no I/O ports: devices are memory-mapped */
#define ARCH_KERNEL_NO_USER_EXEC 1 /* arch.h: S-mode never runs a U page (priv. spec 4.3.1) */
#define ARCH_KERNEL_NO_USER_ACCESS                                                                 \
	1		     /* arch.h: sstatus.SUM is clear but in arch_copy_user (4.1.1.2) */
#define ARCH_ELF_MACHINE 243 /* EM_RISCV (RISC-V ELF psABI) */

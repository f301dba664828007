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

/* The kernel stack top for traps from U-mode (one CPU): trap.S loads it into sscratch right
 * before every sret to U-mode. */
extern uintptr_t riscv_user_kstack;

static inline void arch_set_kernel_stack(uintptr_t top)
{
	riscv_user_kstack = top;
}

/*
 * arch_mmu_activate (riscv64): satp = Sv39 (mode 8 at bit 60) | root_pa's
 * PPN (ASID 0), fenced on both sides with SFENCE.VMA: before, so the table
 * stores are seen by the page walker; after, so no stale translation
 * survives (Privileged spec 4.1.11, 4.2.1).
 */
static inline void arch_mmu_activate(paddr_t root_pa)
{
	unsigned long satp = (8UL << 60) | (root_pa >> 12);
	__asm__ volatile("sfence.vma zero, zero\n\t"
			 "csrw satp, %0\n\t"
			 "sfence.vma zero, zero" ::"r"(satp)
			 : "memory");
}

#define ARCH_HAS_PORT_IO	 0   /* arch.h: no I/O ports: devices are memory-mapped */
#define ARCH_KERNEL_NO_USER_EXEC 1   /* arch.h: S-mode never runs a U page (priv. spec 4.3.1) */
#define ARCH_ELF_MACHINE	 243 /* EM_RISCV (RISC-V ELF psABI) */

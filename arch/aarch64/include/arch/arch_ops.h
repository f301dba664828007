/*
 * arch_ops.h (aarch64): the inline half of common/include/arch.h.
 */
#pragma once

/* The PMU cycle counter PMCCNTR_EL0 (Arm ARM D7.10), enabled by entry.S. QEMU runs it at
 * 1 GHz of virtual time, so under -icount shift=0 it counts retired instructions exactly. */
static inline uint64_t arch_cycles(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v));
	return v;
}

/* AAPCS64 6.2.3 frame records with -fno-omit-frame-pointer: x29 points at the record, the
 * caller's x29 at [x29] and the return address (x30) at [x29 + 8]. */
static inline uintptr_t arch_frame_ra(uintptr_t fp)
{
	return ((const uintptr_t *)fp)[1];
}

static inline uintptr_t arch_frame_prev(uintptr_t fp)
{
	return ((const uintptr_t *)fp)[0];
}

static inline void arch_cpu_relax(void)
{
	__asm__ volatile("yield");
}

/* arch_halt: IRQs masked, then wfi forever (never wfe: under TCG a wfe loop is busy time). */
static inline noreturn void arch_halt(void)
{
	__asm__ volatile("msr daifset, #0xf");
	for (;;)
		__asm__ volatile("wfi");
}

/* The system-call registers (user/include/kit/abi.h): the number in x8, arguments x0..x5,
 * the result in x0; IPC's outputs 1..6 in x1..x6. */
static inline unsigned long arch_syscall_nr(const struct trapframe *tf)
{
	return tf->x[8];
}

static inline unsigned long arch_syscall_arg(const struct trapframe *tf, int i)
{
	return tf->x[i];
}

/* arch_user_tls_set (lab 6): the running thread's user thread pointer becomes v: TPIDR_EL0,
 * switched with the thread's other user state (arch_ustate_save). */
static inline void arch_user_tls_set(struct trapframe *tf, unsigned long v)
{
	(void)tf;
	__asm__ volatile("msr tpidr_el0, %0" ::"r"(v));
}

/* arch_user_tls_get (lab 6): the user thread pointer: TPIDR_EL0 as the CPU holds it (EL0 writes
 * it itself): the thread's whose user state is loaded (ustate.c's ustate_switch). */
static inline unsigned long arch_user_tls_get(const struct trapframe *tf)
{
	unsigned long v;

	(void)tf;
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	return v;
}

static inline void arch_syscall_set_ret(struct trapframe *tf, long v)
{
	tf->x[0] = (unsigned long)v;
}

static inline void arch_syscall_set_out(struct trapframe *tf, int i, unsigned long v)
{
	tf->x[i] = v;
}

/* arch_user_frame: where a trap from EL0 saves a thread's registers: the top of its kernel
 * stack minus trap.S's FRAME (struct trapframe, 36 words). */
static inline struct trapframe *arch_user_frame(uintptr_t kstack_top)
{
	return (struct trapframe *)(kstack_top - 36 * 8);
}

/* The kernel stack top for traps from EL0 (one CPU): trap.S loads it into SP_EL1 on every
 * eret to EL0 (the EL0 code runs on SP_EL0). */
extern uintptr_t arm64_user_kstack;

static inline void arch_set_kernel_stack(uintptr_t top)
{
	arm64_user_kstack = top;
}

/*
 * arch_mmu_activate (aarch64): the one root table in both TTBR0_EL1 (the lower half, user)
 * and TTBR1_EL1 (the upper half, the kernel): with T0SZ = T1SZ = 25 both regions index the
 * same 512 level-1 entries by VA bits 38..30, so one table serves both, as Sv39's does
 * (arch/mmu.h). A DSB before makes the table stores visible to the walker; the TLBI after
 * drops every stale translation (Arm ARM D8.13, "TLB maintenance").
 */
static inline void arch_mmu_activate(paddr_t root_pa)
{
	__asm__ volatile("dsb ishst\n\t"
			 "msr ttbr0_el1, %0\n\t"
			 "msr ttbr1_el1, %0\n\t"
			 "isb\n\t"
			 "tlbi vmalle1\n\t"
			 "dsb ish\n\t"
			 "isb" ::"r"(root_pa)
			 : "memory");
}

/* arch_direct_kernel_stack (thread.h, lab 4's direct switch): arch_set_kernel_stack. */
static inline void arch_direct_kernel_stack(uintptr_t top)
{
	arch_set_kernel_stack(top);
}

/* arch_mmu_token, arch_mmu_switch (arch.h): the token is root_pa itself. */
static inline uintptr_t arch_mmu_token(paddr_t root_pa)
{
	return root_pa;
}

static inline void arch_mmu_switch(uintptr_t token)
{
	arch_mmu_activate(token);
}

#define ARCH_HAS_PORT_IO	   0   /* arch.h: no I/O ports: devices are memory-mapped */
#define ARCH_KERNEL_NO_USER_EXEC   1   /* arch.h: user pages have PXN (pte.c; Arm ARM D5.4) */
#define ARCH_KERNEL_NO_USER_ACCESS 0   /* arch.h: no PAN on the Cortex-A53 (Armv8.0; PAN is v8.1) */
#define ARCH_ELF_MACHINE	   183 /* EM_AARCH64 (ELF for the Arm 64-bit Architecture) */

/*
 * arch_ops.h (x86_64): the inline half of common/include/arch.h.
 */
#pragma once

#include <arch/x86.h>

/* The time-stamp counter (Intel SDM Vol. 2B, RDTSC). Under QEMU -icount
 * shift=0 the virtual clock advances 1 ns per instruction and the TSC
 * follows it, so it counts retired instructions exactly. */
static inline uint64_t arch_cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* System V AMD64 ABI 3.2.2 with -fno-omit-frame-pointer: rbp points at the
 * caller's saved rbp, and the return address sits just above it. */
static inline uintptr_t arch_frame_ra(uintptr_t fp)
{
	return ((const uintptr_t *)fp)[1];
}

static inline uintptr_t arch_frame_prev(uintptr_t fp)
{
	return ((const uintptr_t *)fp)[0];
}

/* PAUSE: the spin-loop hint (Intel SDM Vol. 2B). */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("pause");
}

static inline noreturn void arch_halt(void)
{
	__asm__ volatile("cli");
	for (;;)
		__asm__ volatile("hlt");
}

/* The system-call registers (user/include/kit/abi.h): the number in rax, arguments rdi, rsi,
 * rdx, r10, r8, r9 (SYSCALL takes rcx and r11), the result in rax. */
static inline unsigned long arch_syscall_nr(const struct trapframe *tf)
{
	return tf->rax;
}

static inline unsigned long arch_syscall_arg(const struct trapframe *tf, int i)
{
	switch (i) {
	case 0:
		return tf->rdi;
	case 1:
		return tf->rsi;
	case 2:
		return tf->rdx;
	case 3:
		return tf->r10;
	case 4:
		return tf->r8;
	default:
		return tf->r9;
	}
}

/* arch_user_tls_set (lab 6): the running thread's user thread pointer becomes v: the FS base
 * (%fs:, what arch_prctl(ARCH_SET_FS) sets on Linux), switched with the thread's other user
 * state (arch_ustate_save). */
static inline void arch_user_tls_set(struct trapframe *tf, unsigned long v)
{
	(void)tf;
	/* wrmsr IA32_FS_BASE, 0xc0000100 (Intel SDM vol. 4, table 2-2) */
	__asm__ volatile("wrmsr" ::"c"(0xc0000100u), "a"((unsigned)v), "d"((unsigned)(v >> 32)));
}

/* arch_user_tls_get (lab 6): the user thread pointer: the FS base (rdmsr IA32_FS_BASE), the one
 * the CPU holds: the thread's whose user state is loaded (ustate.c's ustate_switch). */
static inline unsigned long arch_user_tls_get(const struct trapframe *tf)
{
	uint32_t lo, hi;

	(void)tf;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000100u));
	return (unsigned long)hi << 32 | lo;
}

static inline void arch_syscall_set_ret(struct trapframe *tf, long v)
{
	tf->rax = (unsigned long)v;
}

/* IPC's results (kit/abi.h): out 1..5 in rsi, rdx, r10, r8, r9; out 6 (the badge) in rdi. */
static inline void arch_syscall_set_out(struct trapframe *tf, int i, unsigned long v)
{
	switch (i) {
	case 1:
		tf->rsi = v;
		break;
	case 2:
		tf->rdx = v;
		break;
	case 3:
		tf->r10 = v;
		break;
	case 4:
		tf->r8 = v;
		break;
	case 5:
		tf->r9 = v;
		break;
	default:
		tf->rdi = v;
	}
}

/* arch_user_frame: where a trap from user mode saves a thread's registers: the CPU's frame
 * (ss..rip) at the top of the kernel stack (TSS.RSP0, or the SYSCALL entry's), then trap.S's. */
static inline struct trapframe *arch_user_frame(uintptr_t kstack_top)
{
	return (struct trapframe *)(kstack_top - sizeof(struct trapframe));
}

/*
 * arch_mmu_activate (x86_64): load CR3 with root_pa (a PML4, 4 KiB aligned; PCIDs are off, so
 * CR3's low bits are 0). Writing CR3 invalidates every TLB entry that is not global (Intel
 * SDM Vol. 3A, 4.10.4.1); CR4.PGE is never set, so the G bit is ignored and that is the whole
 * TLB. Inline, as arch_set_kernel_stack: lab 4's direct switch calls both.
 */
static inline void arch_mmu_activate(paddr_t root_pa)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(root_pa) : "memory");
}

/* arch_set_kernel_stack (x86_64): TSS.RSP0 for interrupts and exceptions from ring 3, and the
 * per-CPU area's for SYSCALL (trap.S). */
static inline void arch_set_kernel_stack(uintptr_t top)
{
	x86_tss.rsp[0] = top;
	x86_cpu.kstack_top = top;
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

#define ARCH_HAS_PORT_IO	 1	  /* arch.h: in and out (arch_port_in, arch_port_out) */
#define ARCH_KERNEL_NO_USER_EXEC x86_smep /* arch.h: CR4.SMEP is on (arch.c, smap_smep_init) */
#define ARCH_KERNEL_NO_USER_ACCESS                                                                 \
	x86_smap /* arch.h: CR4.SMAP is on, AC set in arch_copy_user only */
extern bool x86_smep, x86_smap;
#define ARCH_ELF_MACHINE 62 /* EM_X86_64 (System V AMD64 ABI) */

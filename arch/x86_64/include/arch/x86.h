/*
 * x86.h: x86_64 definitions the x86_64 port uses: port I/O, the kernel's
 * virtual layout, the trap frame and vectors, and the multiboot v1 boot
 * information (Intel SDM = Intel 64 and IA-32 Architectures Software Developer's Manual;
 * Multiboot = the Multiboot Specification 0.6.96).
 */
#pragma once

#include "types.h"
#include <arch/mmu.h>
#include <arch/context.h>

/*
 * Physical memory is reached through the direct map at ARCH_DIRECT_MAP_BASE
 * (arch/mmu.h). entry.S maps physical [0, X86_BOOT_MAP_END) there with 2 MiB
 * pages, so x86_p2v works from the first C instruction for any physical
 * address below 1 GiB (the multiboot data); lab 2's kernel page table keeps
 * the direct map of all RAM, so the pointers stay valid after the CR3 switch.
 */
#define X86_BOOT_MAP_END (1UL << 30)

/* x86_p2v: the direct-map address of physical address pa (at boot: pa < X86_BOOT_MAP_END). */
static inline void *x86_p2v(paddr_t pa)
{
	return (void *)(pa + ARCH_DIRECT_MAP_BASE);
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint16_t x86_inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t x86_inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t x86_read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* x86_cpuid: CPUID leaf (sub-leaf sub) into r[0..3] = EAX, EBX, ECX, EDX (SDM Vol. 2A, CPUID). */
static inline void x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t x86_read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void x86_write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

#define X86_CR4_SMEP (1UL << 20) /* supervisor-mode execution prevention (SDM Vol. 3A, 2.5) */
#define X86_CR4_SMAP (1UL << 21) /* supervisor-mode access prevention */

/* struct trapframe, the registers saved on a trap, is in arch/context.h (arch.h needs it). */

/* IDT vectors (Intel SDM Vol. 3A, "Interrupt Descriptor Table"): 0..31 the exceptions, then
 * the board's interrupt lines (pc: the two 8259 PICs' IRQ 0..15, remapped by pc/pic.c to
 * X86_IRQ_VECTOR0 + irq). */
#define X86_IRQ_VECTOR0 32
#define X86_IDT_VECTORS 48
#define X86_RFLAGS_IF	(1UL << 9)  /* RFLAGS.IF: maskable interrupts enabled (Vol. 1, "EFLAGS") */
#define X86_RFLAGS_TF	(1UL << 8)  /* trap flag: single-step */
#define X86_RFLAGS_DF	(1UL << 10) /* direction flag */
#define X86_RFLAGS_AC	(1UL << 18) /* alignment check (and SMAP's override) */

/* x86_trap: called by trap.S for every vector 0..47 with interrupts disabled; see arch.c. */
void x86_trap(struct trapframe *tf);

/* entry.S's GDT, 8-byte descriptors by selector / 8: null, kernel code, kernel data, user
 * data, user code (SYSCALL/SYSRET's order, see entry.S), then the two halves of the TSS
 * descriptor (X86_GDT_TSS), which x86_boot fills in (Intel SDM Vol. 3A, "TSS Descriptor in
 * 64-bit mode"). User selectors are used with RPL 3 (| 3). trap.S and context.S repeat them. */
#define X86_GDT_KCODE 0x08
#define X86_GDT_KDATA 0x10
#define X86_GDT_UDATA 0x18
#define X86_GDT_UCODE 0x20
#define X86_GDT_TSS   0x28
extern uint64_t boot_gdt[];

/* MSRs (Intel SDM Vol. 4, "Architectural MSRs") for SYSCALL/SYSRET (Vol. 2B) and swapgs. */
#define MSR_EFER	   0xc0000080
#define EFER_SCE	   (1UL << 0) /* SYSCALL/SYSRET enabled */
#define MSR_STAR	   0xc0000081 /* [47:32] kernel CS for SYSCALL, [63:48] user base for SYSRET */
#define MSR_LSTAR	   0xc0000082 /* SYSCALL's 64-bit entry point */
#define MSR_FMASK	   0xc0000084 /* RFLAGS bits SYSCALL clears */
#define MSR_FS_BASE	   0xc0000100 /* lab 6: a Linux thread's pointer (arch_prctl ARCH_SET_FS) */
#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102 /* swapped with GS base by swapgs */

static inline uint64_t x86_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/*
 * The 64-bit TSS (Intel SDM Vol. 3A, 8.7 "Task Management in 64-bit Mode",
 * Figure 8-11 "64-Bit TSS Format"). With no task switching the kernel uses
 * two fields: RSP0, the stack the CPU switches to for an interrupt or
 * exception from ring 3 (arch_set_kernel_stack), and IST1, the stack it
 * switches to for the gates whose IST field is 1 (Vol. 3A, "Interrupt Stack
 * Table"), here only the double fault's, so that a kernel stack overflow
 * can still be reported.
 */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3]; /* the stack for an interrupt from a less privileged ring, by CPL 0..2 */
	uint64_t reserved1;
	uint64_t ist[7]; /* IST1..IST7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base; /* at the limit or beyond: no I/O permission bit map */
} __attribute__((packed));
extern struct x86_tss x86_tss; /* arch.c */
_Static_assert(sizeof(struct x86_tss) == 104, "the 64-bit TSS is 104 bytes");

/*
 * The per-CPU area (one CPU), reached through GS: in the kernel GS base
 * points at it, in user mode KERNEL_GS_BASE does; swapgs exchanges the two
 * on every way in from and out to ring 3 (trap.S). trap.S reads the fields
 * by offset.
 */
struct x86_cpu {
	uint64_t kstack_top; /* offset 0: the kernel stack for SYSCALL (arch_set_kernel_stack) */
	uint64_t user_rsp;   /* offset 8: the user's rsp while the SYSCALL entry switches stacks */
};
extern struct x86_cpu x86_cpu;

/* The vector trap.S's SYSCALL entry gives its frame: beyond the IDT, so no gate can have it. */
#define X86_VEC_SYSCALL 256
#define X86_SYSCALL_LEN 2 /* the SYSCALL instruction's bytes (0f 05) */

/* x86_syscall_entry: SYSCALL's entry point, IA32_LSTAR (trap.S). */
void x86_syscall_entry(void);

/* arch_copy_user's one instruction that may fault, and where x86_trap resumes it (trap.S). */
extern const char x86_copy_user_insn[], x86_copy_user_fault[];

struct arch_context;
/* x86_user_enter: save the caller's context in *ctx, iretq to ring 3 at pc with sp (context.S). */
void x86_user_enter(struct arch_context *ctx, uintptr_t pc, uintptr_t sp);

/*
 * probe.S's state, for x86_trap: x86_probe_sp is the rsp at arch_probe's entry
 * while a probe runs, else 0; the probe's accesses are the instructions in
 * [arch_probe, x86_probe_fixup); x86_probe_exec_ret is the return address that
 * PROBE_EXEC's call pushes. Resumed at x86_probe_fixup with rsp = x86_probe_sp,
 * arch_probe returns -EFAULT.
 */
extern uintptr_t x86_probe_sp;
extern const uintptr_t x86_probe_exec_ret;
extern const char x86_probe_fixup[];

/* Multiboot v1 (Multiboot Specification 0.6.96, 3.2 "Machine state", 3.3 "Boot information
 * format"). */
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT_INFO_CMDLINE	   (1U << 2) /* cmdline is valid */
#define MULTIBOOT_INFO_MMAP	   (1U << 6) /* mmap_length and mmap_addr are valid */
#define MULTIBOOT_MEMORY_AVAILABLE 1

/* The boot information structure (the fields up to the memory map). */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper; /* KiB below 1 MiB / above 1 MiB (flags bit 0) */
	uint32_t boot_device;
	uint32_t cmdline; /* physical address of a NUL-terminated string */
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length; /* bytes */
	uint32_t mmap_addr;   /* physical address of the first entry */
};

/* One memory map entry; size counts the bytes after itself (the next entry is at +size+4). */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type; /* 1: available RAM; anything else: reserved */
} __attribute__((packed));

/*
 * arch.h: the one interface between portable kernel code and an architecture
 * (the CPU; the board around it is platform.h's).
 *
 * Portable code (common/, labs/) calls only what is declared here and in
 * platform.h and never tests __riscv or __x86_64__. Each arch/<arch>/
 * implements the out-of-line functions in its .c/.S files and supplies the
 * inline ones in arch/<arch>/include/arch/arch_ops.h, included at the end of
 * this file (the littlekernel split: one declaration, one body per arch).
 * arch_timer_set is the board's where the timer is a board device (x86_64
 * pc: the PIT).
 */
#pragma once

#include "types.h"

/* A range of physical memory, [base, base + size), size in bytes; name says what it is (or NULL). */
struct mem_region {
	paddr_t base;
	size_t size;
	const char *name;
};

/* Boot information an arch hands to kmain, filled before kmain runs. */
struct bootinfo {
	const char *arch;      /* "riscv64", "x86_64", "aarch64" */
	unsigned long cpu_id;  /* boot hart / APIC id */
	const void *firmware;  /* RISC-V: the flattened device tree; x86_64: the multiboot info */
	const char *bootargs;  /* kernel command line ("" when none), NUL-terminated */
	uint64_t entry_cycles; /* arch_cycles() read first thing at kernel entry */
};

/* The running kernel's boot information (filled by arch code before kmain). */
extern struct bootinfo bootinfo;

/* kmain: the portable kernel's entry, called once by the boot CPU on its boot stack. */
noreturn void kmain(void);

/*
 * arch_mem_detect: find the usable physical RAM from the firmware's
 * description (riscv64: the device tree /memory nodes; x86_64: the multiboot
 * memory map, type 1 entries).
 * regions: array of at least max entries, filled in ascending address order.
 * Returns the number of regions found (0..max), or -ENOSYS / -EINVAL when the
 * description is missing or malformed.
 */
int arch_mem_detect(struct mem_region *regions, int max);

/*
 * arch_mem_reserved: the physical ranges inside RAM that the kernel must
 * never allocate, besides its own image: riscv64 the firmware (OpenSBI,
 * below the kernel) and the device tree blob; x86_64 the first MiB (BIOS
 * data, the multiboot information). Each is named ("firmware", "fdt",
 * "low memory"). Fills at most max entries; returns how many (0..max).
 */
int arch_mem_reserved(struct mem_region *regions, int max);

/*
 * arch_mmu_activate: switch this CPU to the page table whose root table is at
 * physical address root_pa (riscv64: satp mode Sv39, Privileged spec 4.1.11;
 * x86_64: CR3, Intel SDM Vol. 3A 4.5) and flush the whole TLB. Declared
 * in arch_ops.h (inline where it is a few instructions, for lab 4's direct
 * switch):
 *   void arch_mmu_activate(paddr_t root_pa);
 * arch_mmu_token: root_pa as the value the CPU's page-table register takes
 * (riscv64: the whole satp; x86_64, aarch64: root_pa), computed once per
 * thread (struct thread's mmu_token) so that lab 4's direct switch only
 * loads it; arch_mmu_switch(token) is arch_mmu_activate(root_pa) with it,
 * the same fences and flush. Declared in arch_ops.h, inline:
 *   uintptr_t arch_mmu_token(paddr_t root_pa);
 *   void arch_mmu_switch(uintptr_t token);
 */

/* arch_mmu_active: the physical address of the active root table, or 0 when paging is off
 * (never, on riscv64 and x86_64: their entry code turns paging on with a boot page table). */
paddr_t arch_mmu_active(void);

/* arch_tlb_flush_page: drop this CPU's TLB entries for virtual address va (sfence.vma / invlpg). */
void arch_tlb_flush_page(uintptr_t va);

/* The boot stack and the unmapped guard page right under it (entry.S; page aligned, 4 KiB). */
extern char boot_stack_guard[], boot_stack[], boot_stack_top[];

/* -- lab 3: threads, interrupts, the timer --------------------------------- */

/*
 * struct arch_context (arch/<arch>/include/arch/context.h): the registers a
 * kernel thread keeps across arch_context_switch: the callee-saved ones,
 * the stack pointer and the return address (riscv64 psABI / System V AMD64
 * ABI 3.2.1).
 */
#include <arch/context.h>

/*
 * arch_context_init: prepare ctx so that the first arch_context_switch to
 * it runs entry(arg) on the stack whose top (highest address, 16-byte
 * aligned) is stack_top, with interrupts still disabled and a zero frame
 * pointer (backtraces end there). entry must never return.
 */
void arch_context_init(struct arch_context *ctx, uintptr_t stack_top, void (*entry)(void *),
		       void *arg);

/*
 * arch_context_switch: save the current thread's registers in *from and
 * resume the thread saved in *to. Returns (in the from thread) when some
 * later switch resumes it. Call with interrupts disabled.
 */
void arch_context_switch(struct arch_context *from, struct arch_context *to);

/* arch_irq_save: disable interrupts on this CPU; returns whether they were enabled. */
bool arch_irq_save(void);
/* arch_irq_restore: enable interrupts again if was_enabled (the value arch_irq_save returned). */
void arch_irq_restore(bool was_enabled);
/* arch_irq_enable: enable interrupts on this CPU. */
void arch_irq_enable(void);

/*
 * arch_time_ns: nanoseconds since boot, monotonic. Under QEMU -icount
 * shift=0 the virtual clock advances 1 ns per instruction, so this is exact
 * and repeatable (riscv64: the time CSR at the timebase-frequency from the
 * device tree; x86_64: the TSC, which QEMU runs at 1 GHz of virtual time).
 */
uint64_t arch_time_ns(void);

#define NSEC_PER_SEC  1000000000UL
#define NSEC_PER_MSEC 1000000UL

/*
 * ticks_to_ns: t ticks of a counter running at hz (Hz) in ns, without
 * overflowing t * 1e9: one multiply when ns_per_tick (1e9 / hz when that is
 * whole, else 0) is set, else t / hz * 1e9 + t % hz * 1e9 / hz. For the
 * arches' arch_time_ns (riscv64's time CSR, aarch64's CNTPCT_EL0).
 */
static inline uint64_t ticks_to_ns(uint64_t t, uint64_t hz, uint64_t ns_per_tick)
{
	if (ns_per_tick)
		return t * ns_per_tick;
	return t / hz * NSEC_PER_SEC + t % hz * NSEC_PER_SEC / hz;
}

/*
 * arch_timer_set: request one timer interrupt at or after time deadline_ns
 * (arch_time_ns scale); replaces any earlier request; ~0 cancels. The
 * interrupt calls timer_irq_hook (if set) with interrupts disabled, on the
 * interrupted thread's stack; the hook may switch threads.
 */
void arch_timer_set(uint64_t deadline_ns);
extern void (*timer_irq_hook)(void);

/* arch_idle: wait for an interrupt with interrupts enabled, then return with them disabled. */
void arch_idle(void);

/* -- user mode (lab 4 builds on this) --------------------------------------- */

/*
 * arch_set_kernel_stack: top is the highest address, 16-byte aligned, of the
 * stack that traps from user mode use on this CPU (riscv64: sscratch holds
 * it while the CPU runs in U-mode, trap.S; x86_64: TSS.RSP0 for interrupts
 * and exceptions, Intel SDM Vol. 3A 6.14.2, and the per-CPU area the
 * SYSCALL entry reads). The stack must be empty whenever the CPU enters user
 * mode. kmain sets the boot stack; lab 3 sets each thread's on every switch.
 * Declared in arch_ops.h, as arch_mmu_activate:
 *   void arch_set_kernel_stack(uintptr_t top);
 * arch_direct_kernel_stack(top): what lab 4's direct switch (thread.h) calls
 * instead: arch_set_kernel_stack, or nothing where the way back to user
 * mode finds the stack by itself (riscv64: kstack_top, trap.S).
 */

/* What arch_user_probe's user code trapped with. */
struct arch_user_trap {
	bool user;    /* taken from user mode (riscv64 sstatus.SPP 0; x86_64 CPL 3) */
	bool syscall; /* by the system-call instruction (riscv64 ecall, x86_64 syscall) */
	uintptr_t pc; /* the address of the instruction that trapped */
	uintptr_t
	    frame; /* where the trap entry saved the user's registers: on the stack it ran on */
};

/*
 * arch_user_probe: run the code at user virtual address pc in user mode
 * (riscv64 U-mode, x86_64 ring 3) with stack pointer sp and interrupts
 * masked, until its first trap (an exception or a system call), taken the
 * way lab 4's are: on the stack arch_set_kernel_stack set, which must not
 * be the caller's (the trap frame would overwrite its frames). Then returns
 * to the caller, on its own stack, with the trap in *trap. pc must be mapped
 * VM_USER | VM_EXEC in the active page table. For the kit's self-test
 * (common/lab3/ktest_umode.c), not lab 4's way to user mode: the other
 * registers reach user mode as the kernel left them. Call from a thread with
 * interrupts enabled or not, never from a trap handler.
 */
void arch_user_probe(uintptr_t pc, uintptr_t sp, struct arch_user_trap *trap);

/*
 * arch_user_test_syscall .. arch_user_test_end: position-independent user
 * code for arch_user_probe's test, to be copied into a user page: the
 * system-call instruction, then at arch_user_test_fault one that raises an
 * exception (riscv64 ebreak, x86_64 ud2). Data in the kernel, never run there.
 */
extern const char arch_user_test_syscall[], arch_user_test_fault[], arch_user_test_end[];

/* -- lab 4: user tasks, system calls, user memory ------------------------------------ */

/*
 * struct trapframe (arch/<arch>/include/arch/context.h): every register a
 * trap saved. A trap from user mode saves it at the top of the kernel stack
 * arch_set_kernel_stack set; portable code reads and writes it only through
 * the inline accessors below (arch_syscall_*) and these functions.
 */
struct trapframe;

/*
 * arch_user_frame_init: fill *tf so that arch_user_return(tf) starts user
 * code at pc with stack pointer sp (16-byte aligned), the first argument
 * register (riscv64 a0, x86_64 rdi) = arg, every other register 0 and
 * interrupts enabled in user mode.
 */
void arch_user_frame_init(struct trapframe *tf, uintptr_t pc, uintptr_t sp, unsigned long arg);

/*
 * arch_user_return: load the registers in *tf and return to user mode
 * (riscv64 sret, x86_64 iretq); never returns. Call with interrupts
 * disabled, the user's page table active and the current thread's kernel
 * stack set (arch_set_kernel_stack); tf may be anywhere on that stack.
 */
noreturn void arch_user_return(struct trapframe *tf);

/*
 * arch_copy_user: copy n bytes from src to dst, one of which is a user
 * address range the caller has checked lies below ARCH_USER_TOP (mmu.h):
 * the only code that touches user memory (riscv64 sets sstatus.SUM for the
 * copy alone). Returns 0, or -EFAULT when an access faulted (unmapped, or
 * a write to a read-only page): the trap code resumes the copy at its
 * fixup, without a report, instead of panicking (Linux's exception table
 * idea, one entry). Bytes before the fault may have been copied.
 */
int arch_copy_user(void *dst, const void *src, size_t n);

/*
 * syscall_hook: when set (lab 4 sets it), the arch trap code calls it for
 * every system call from user mode (riscv64 ecall, x86_64 syscall) with
 * the user's saved registers, the pc already past the instruction; the
 * registers in *tf are what user mode gets back. Interrupts disabled; the
 * hook may block or switch threads, and may never return (an exit).
 */
extern void (*syscall_hook)(struct trapframe *tf);

/*
 * fastpath_call_hook, fastpath_reply_recv_hook: never NULL (fastpath_none
 * until lab 4 sets them, and while the IPC fastpath is off). The arch trap
 * code calls the first for SYS_CALL and the second for SYS_REPLY_RECV from
 * user mode before syscall_hook, with the system call's first two
 * arguments (slot: the endpoint's capability slot; info: the message tag,
 * KIT_MSGINFO) as the C arguments, still in the registers they came in, and
 * only the number, the arguments (arch_syscall_arg 0..5) and the user's
 * return address register saved in the current thread's user frame
 * (arch_user_frame): the callee-saved registers are still in the CPU, the
 * user's pc and sp in the trap CSRs (x86_64: in the frame too), and the
 * caller-saved ones, which an IPC system call clobbers (kit/abi.h), are
 * lost. NULL back: the trap code completes the frame (the clobbered
 * registers 0) and calls syscall_hook. A frame back:
 * the hook switched threads (its page table, its kernel stack) and wrote
 * the other thread's result and badge (arch_syscall_set_ret, output 6) in
 * that frame; the trap code saves the caller's callee-saved registers, sp
 * and pc in its frame and returns to user mode with the other thread's
 * callee-saved registers, sp and pc from its frame, that result and
 * badge, the message (outputs 1..5: the tag and MRs 0..3) straight from
 * the caller's arguments 1..5, and 0 in every other register (x86_64:
 * sysret's rcx and r11). Interrupts disabled.
 */
typedef struct trapframe *fastpath_fn(unsigned long slot, unsigned long info);
extern fastpath_fn *fastpath_call_hook, *fastpath_reply_recv_hook;
/* fastpath_none: the hooks while there is no fastpath: NULL (the slowpath), no miss counted. */
struct trapframe *fastpath_none(unsigned long slot, unsigned long info);

/*
 * arch_ipc_frame_complete: tf is the saved user registers of a thread that
 * entered the kernel through the fastpath's hook and blocked there (a
 * direct switch away from it): the hook's entry saved only what an IPC
 * system call keeps (kit/abi.h: the callee-saved registers, sp, the return
 * address, the pc past the instruction) and its arguments. Fill the rest
 * so that arch_user_return(tf) is a return from that system call: the
 * registers the call clobbers 0 (never another thread's or the kernel's
 * values), the status a return to user mode needs. tcb_wake calls it
 * before it gives such a thread a kernel context. Interrupts disabled.
 */
void arch_ipc_frame_complete(struct trapframe *tf);

/*
 * arch_port_in / arch_port_out: read / write the I/O port port, size bytes
 * (1, 2 or 4): x86_64's in and out, for lab 4's SYS_IOPORT_IN /
 * SYS_IOPORT_OUT. Only an arch whose arch_ops.h sets ARCH_HAS_PORT_IO to 1
 * provides them; on the others (0: riscv64, aarch64, whose devices are all
 * memory-mapped) no I/O port capability exists and those system calls
 * return -ENOSYS.
 */
uint32_t arch_port_in(unsigned port, unsigned size);
void arch_port_out(unsigned port, unsigned size, uint32_t v);

/*
 * ARCH_KERNEL_NO_USER_EXEC (arch_ops.h): true where the kernel can never
 * execute a page user mode can reach (riscv64: the U bit, always; aarch64:
 * PXN on every user page, set by the PTE hooks; x86_64: CR4.SMEP, on when
 * the CPU has it, as the kit's QEMU model does), false where nothing stops
 * it. ARCH_KERNEL_NO_USER_ACCESS: true where a kernel load or store to a
 * user page faults outside arch_copy_user (riscv64: sstatus.SUM clear;
 * x86_64: CR4.SMAP), false where it goes through (aarch64: the Pi 3's
 * Cortex-A53 has no PAN). `test umode` checks each where it is true.
 */

/* A fault (an exception other than a system call) taken in user mode. */
struct user_fault {
	const char *what; /* the decoded cause: "load page fault", "illegal instruction" */
	uintptr_t pc;	  /* the faulting instruction */
	uintptr_t addr;	  /* the faulting address (stval / CR2), 0 when none */
	bool memory;	  /* a memory-access fault (then access says which) */
	int access;	  /* enum fault_access (trap.h) */
};

/*
 * user_fault_hook: when set (lab 4), the arch trap code calls it for every
 * exception taken in user mode, instead of reporting a kernel fault; it
 * reports the fault and stops the thread (or resumes user mode at tf's pc
 * if it returns). Interrupts disabled.
 */
extern void (*user_fault_hook)(struct trapframe *tf, const struct user_fault *f);

/*
 * user_return_hook: when set (lab 4), the arch trap code calls it after an
 * interrupt taken in user mode, on the way back (a thread whose task is
 * ending leaves there instead). Interrupts disabled; may not return.
 */
extern void (*user_return_hook)(struct trapframe *tf);

/* -- lab 6: a Linux-ABI thread's FP/SIMD registers and thread pointer ----------------- */

/*
 * struct arch_ustate (arch/<arch>/include/arch/context.h): the user state a
 * Linux program keeps that no trap saves and the kit's own programs never
 * touch (they are built without FP/SIMD: rules.mk's USER_ARCH_CFLAGS): the
 * FP/SIMD registers, and the thread pointer where it is not in the trap
 * frame (x86_64 the FS base, aarch64 TPIDR_EL0; riscv64's tp is). The
 * kernel is built without FP/SIMD too, so these registers hold the last
 * user value loaded until the next load (common/lab4/ustate.c keeps whose).
 *
 * arch_ustate_init: fill *s with the state a new Linux process starts with
 * (FP registers 0, the control registers' defaults, thread pointer 0).
 * arch_ustate_save: store this CPU's current FP/SIMD registers (and thread
 * pointer) into *s. arch_ustate_load: the CPU's become *s's. Both enable
 * the FP unit for the kernel's access first (riscv64 sstatus.FS, aarch64
 * CPACR_EL1.FPEN). Interrupts disabled.
 */
void arch_ustate_init(struct arch_ustate *s);
void arch_ustate_save(struct arch_ustate *s);
void arch_ustate_load(const struct arch_ustate *s);

/*
 * The inline part (arch/<arch>/include/arch/arch_ops.h) provides:
 *   uint64_t arch_cycles(void)      the cycle counter; under QEMU -icount
 *                                   shift=0 it counts retired instructions
 *   uintptr_t arch_frame_ra(uintptr_t fp)   return address saved in frame fp
 *   uintptr_t arch_frame_prev(uintptr_t fp) caller's frame pointer saved in frame fp
 *   void arch_cpu_relax(void)       a hint inside spin loops
 *   noreturn void arch_halt(void)   stop this CPU forever, interrupts off
 *   unsigned long arch_syscall_nr(const struct trapframe *tf)   the system-call number
 *   unsigned long arch_syscall_arg(const struct trapframe *tf, int i)   argument i, 0..5
 *   void arch_syscall_set_ret(struct trapframe *tf, long v)    the result user mode sees
 *   void arch_user_tls_set(struct trapframe *tf, unsigned long v)   lab 6: the user thread
 *        pointer (riscv64 tp, x86_64 the FS base, aarch64 TPIDR_EL0)
 *   unsigned long arch_user_tls_get(const struct trapframe *tf)   lab 6: that pointer now
 *   void arch_syscall_set_out(struct trapframe *tf, int i, unsigned long v)   IPC's output
 *                                   register i, 1..6
 *   struct trapframe *arch_user_frame(uintptr_t kstack_top)   where traps from user mode
 *                                   save a thread's registers on its kernel stack
 *   ARCH_ELF_MACHINE                the e_machine of this arch's ELF files
 * (the system-call registers: user/include/kit/abi.h).
 */
#include <arch/arch_ops.h>

/* arch_frame_pointer: the calling function's frame pointer (the same GCC builtin on every arch). */
#define arch_frame_pointer() ((uintptr_t)__builtin_frame_address(0))

/*
 * arch.c (x86_64): boot hand-off to kmain, the TSS and its double-fault
 * stack, the SYSCALL MSRs and the per-CPU area, the IDT and the trap
 * handler (with arch_probe's fault recovery, the stack-overflow report and
 * arch_user_probe; device interrupts go on to irq_dispatch), the interrupt
 * flag, the TSC clock and idle: the CPU side, booted through multiboot v1.
 * The board (QEMU pc) is in pc/.
 * Entry points: x86_boot (from entry.S), the arch.h functions, x86_trap.
 */
#include "kernel.h"
#include "string.h"
#include "arch.h"
#include "irq.h"
#include "platform.h"
#include "trap.h"
#include "arch/x86.h"

/* Exception vectors 0..31 (Intel SDM Vol. 3A, the table "Protected-Mode Exceptions and
 * Interrupts"; 28-30: AMD64 APM Vol. 2, "Vectors"). */
static const char *const exception_names[X86_IRQ_VECTOR0] = {
    "divide error",
    "debug exception",
    "NMI interrupt",
    "breakpoint",
    "overflow",
    "BOUND range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved (15)",
    "x87 floating-point error",
    "alignment check",
    "machine check",
    "SIMD floating-point exception",
    "virtualization exception",
    "control protection exception",
    "reserved (22)",
    "reserved (23)",
    "reserved (24)",
    "reserved (25)",
    "reserved (26)",
    "reserved (27)",
    "hypervisor injection exception",
    "VMM communication exception",
    "security exception",
    "reserved (31)",
};
#define VEC_DOUBLE_FAULT 8
#define VEC_GP_FAULT	 13
#define VEC_PAGE_FAULT	 14

/* Page-fault error code bits (Intel SDM Vol. 3A, 4.7 "Page-Fault Exceptions"). */
#define PF_ERR_W  (1U << 1) /* the access was a write (else a read) */
#define PF_ERR_U  (1U << 2) /* taken in user mode */
#define PF_ERR_ID (1U << 4) /* an instruction fetch (reported with EFER.NXE set, as entry.S does) */

/* page_fault_report: decode page fault tf at linear address addr (CR2) and hand it to
 * trap_fault_hook, when one is set. */
static void page_fault_report(const struct trapframe *tf, uintptr_t addr)
{
	if (!trap_fault_hook)
		return;
	struct page_fault pf = {
	    .addr = addr,
	    .access = tf->error & PF_ERR_ID  ? FAULT_EXEC
		      : tf->error & PF_ERR_W ? FAULT_WRITE
					     : FAULT_READ,
	    .user = tf->error & PF_ERR_U,
	    .pc = tf->rip,
	    .fp = tf->rbp,
	};
	trap_fault_hook(&pf);
}

/* probe_fault: whether kernel fault tf is the access a running arch_probe makes (probe.S): at
 * one of its instructions, or at the address PROBE_EXEC called, with only the call's return
 * address pushed since arch_probe's entry (x86_probe_sp - 8 is PROBE_EXEC's alignment word). */
static bool probe_fault(const struct trapframe *tf)
{
	if (!x86_probe_sp || (tf->cs & 3))
		return false;
	if (tf->rip >= (uintptr_t)arch_probe && tf->rip < (uintptr_t)x86_probe_fixup)
		return true;
	return tf->rsp == x86_probe_sp - 16 && *(const uintptr_t *)tf->rsp == x86_probe_exec_ret;
}

/*
 * A kernel stack overflow: a fault (or an interrupt) whose frame the CPU
 * cannot push, because rsp is in the unmapped guard page under the stack,
 * page-faults while being delivered, which makes it a double fault (Intel
 * SDM Vol. 3A, "Interrupt 8--Double Fault Exception (#DF)"). #DF runs on its
 * own stack (IST1, see tss_init), so x86_trap gets to see it; it is a stack
 * overflow when the interrupted rsp is below kstack_limit, or less than
 * OVERFLOW_SLACK bytes above it (too close for the CPU's 6-word frame).
 */
#define OVERFLOW_SLACK 256

/* stack_overflow: whether double fault tf is a kernel stack overflow (see above). */
static bool stack_overflow(const struct trapframe *tf)
{
	return !(tf->cs & 3) && kstack_limit && tf->rsp < kstack_limit + OVERFLOW_SLACK;
}

static struct arch_context user_probe_ctx; /* arch_user_probe's caller, while it runs */
struct arch_user_trap *x86_user_probe_out; /* non-NULL while arch_user_probe runs (trap.S) */

void arch_user_probe(uintptr_t pc, uintptr_t sp, struct arch_user_trap *trap)
{
	bool irq = arch_irq_save();
	x86_user_probe_out = trap;
	x86_user_enter(&user_probe_ctx, pc, sp);
	arch_irq_restore(irq);
}

/* user_probe_done: the first exception or SYSCALL during arch_user_probe: record it, resume the
 * probe's caller (GS base is the kernel's: trap.S swapped it on the way in). */
static noreturn void user_probe_done(struct trapframe *tf)
{
	bool syscall = tf->vector == X86_VEC_SYSCALL;
	*x86_user_probe_out = (struct arch_user_trap){
	    .user = (tf->cs & 3) == 3,
	    .syscall = syscall,
	    .pc = syscall ? tf->rip - X86_SYSCALL_LEN : tf->rip,
	    .frame = (uintptr_t)tf,
	};
	x86_user_probe_out = NULL;
	struct arch_context discard;
	arch_context_switch(&discard, &user_probe_ctx);
	panic("user_probe_done: resumed");
}

/* user_fault: decode an exception from ring 3 for user_fault_hook (lab 4). */
static void user_fault(struct trapframe *tf)
{
	struct user_fault f = {.what = exception_names[tf->vector], .pc = tf->rip};
	if (tf->vector == VEC_PAGE_FAULT) {
		f.addr = x86_read_cr2();
		f.memory = true;
		f.access = tf->error & PF_ERR_ID  ? FAULT_EXEC
			   : tf->error & PF_ERR_W ? FAULT_WRITE
						  : FAULT_READ;
	}
	user_fault_hook(tf, &f);
}

void arch_ipc_frame_complete(struct trapframe *tf)
{
	tf->rcx = tf->r11 = 0;
	tf->vector = X86_VEC_SYSCALL;
	tf->error = 0;
	tf->cs = X86_GDT_UCODE | 3;
	tf->ss = X86_GDT_UDATA | 3;
}

/* Lab 6: SSE is on for every user thread (CR4.OSFXSR, entry.S); the kernel and the kit's programs
 * are built -mno-sse, so only a Linux-ABI thread's registers are switched (the ustate.c switch).
 * The FXSAVE image's defaults (Intel SDM Vol. 1, 10.5.1 Table 10-2): the x87 control word
 * 0x037f, as FINIT leaves it (8.1.5), all x87 registers empty (abridged tag 0), and
 * MXCSR 0x1f80, its power-up value (10.2.3: every SIMD exception masked, round to nearest). */
#define FX_FCW	 0
#define FX_MXCSR 24

void arch_ustate_init(struct arch_ustate *s)
{
	*s = (struct arch_ustate){0};
	s->fxsave[FX_FCW] = 0x7f;
	s->fxsave[FX_FCW + 1] = 0x03;
	s->fxsave[FX_MXCSR] = 0x80;
	s->fxsave[FX_MXCSR + 1] = 0x1f;
}

void arch_ustate_save(struct arch_ustate *s)
{
	__asm__ volatile("fxsave64 %0" : "=m"(s->fxsave));
	s->fs_base = x86_rdmsr(MSR_FS_BASE);
}

void arch_ustate_load(const struct arch_ustate *s)
{
	__asm__ volatile("fxrstor64 %0" ::"m"(s->fxsave));
	x86_wrmsr(MSR_FS_BASE, s->fs_base);
}

void arch_user_frame_init(struct trapframe *tf, uintptr_t pc, uintptr_t sp, unsigned long arg)
{
	*tf = (struct trapframe){
	    .rdi = arg,
	    .rip = pc,
	    .cs = X86_GDT_UCODE | 3,
	    .rflags = X86_RFLAGS_IF | 0x2, /* bit 1 is always 1 */
	    .rsp = sp,
	    .ss = X86_GDT_UDATA | 3,
	};
}

/*
 * x86_trap: called by trap.S for every vector, on the interrupted stack (a
 * double fault: on the IST1 stack; from ring 3: on the stack
 * arch_set_kernel_stack set), with interrupts disabled (interrupt gates,
 * IA32_FMASK). During arch_user_probe, the first exception or SYSCALL
 * goes back to the probe's caller. A SYSCALL goes to syscall_hook (lab 4),
 * or is unexpected; from lab 4 on an exception from ring 3 goes to
 * user_fault_hook, and a fault in arch_copy_user resumes at its fixup. A device interrupt (vector X86_IRQ_VECTOR0 or more) goes to
 * irq_dispatch with its line; if its handler switches threads, this call
 * returns, and the iretq resumes the interrupted code, only when the
 * interrupted thread is switched back to. A
 * double fault that is a kernel stack overflow goes to trap_stack_overflow.
 * A page fault is first reported to trap_fault_hook (with CR2, the faulting
 * linear address; Intel SDM Vol. 3A, "Control Registers"). A page fault or
 * a general protection fault (a non-canonical address) of a running
 * arch_probe then resumes the probe's caller with -EFAULT. Anything else
 * goes to trap_unexpected; if that returns (kit.break=storm), the iretq in
 * trap.S resumes at tf->rip: the fault repeats.
 */
void x86_trap(struct trapframe *tf)
{
	if (x86_user_probe_out && (tf->vector < X86_IRQ_VECTOR0 || tf->vector == X86_VEC_SYSCALL))
		user_probe_done(tf);
	if (tf->vector == X86_VEC_SYSCALL) {
		/* rip (the user's rcx) is below ARCH_USER_TOP: the instruction ran there. */
		if (syscall_hook)
			syscall_hook(tf);
		else
			trap_unexpected("system call from user mode", tf->rip, 0, tf->rbp);
		return;
	}
	if (tf->vector >= X86_IRQ_VECTOR0) {
		irq_dispatch(tf->vector - X86_IRQ_VECTOR0);
		if ((tf->cs & 3) == 3 && user_return_hook)
			user_return_hook(tf);
		return;
	}
	if ((tf->cs & 3) == 3 && user_fault_hook) {
		user_fault(tf);
		return;
	}
	if ((tf->vector == VEC_PAGE_FAULT || tf->vector == VEC_GP_FAULT) && !(tf->cs & 3) &&
	    tf->rip == (uintptr_t)x86_copy_user_insn) {
		tf->rip = (uintptr_t)x86_copy_user_fault; /* arch_copy_user returns -EFAULT */
		return;
	}
	if (tf->vector == VEC_DOUBLE_FAULT && stack_overflow(tf))
		trap_stack_overflow(tf->rip, tf->rsp, tf->rbp);
	const char *what = exception_names[tf->vector];
	uintptr_t addr = 0;
	if (tf->vector == VEC_PAGE_FAULT) {
		addr = x86_read_cr2();
		page_fault_report(tf, addr);
	}
	if ((tf->vector == VEC_PAGE_FAULT || tf->vector == VEC_GP_FAULT) && probe_fault(tf)) {
		tf->rip = (uintptr_t)x86_probe_fixup;
		tf->rsp = x86_probe_sp;
		return;
	}
	trap_unexpected(what, tf->rip, addr, tf->rbp);
}

#define IST_DOUBLE_FAULT 1
#define IST_NMI		 2 /* NMI and machine check: IF does not mask them, so they can arrive */
#define IST_MCE		 3 /* in x86_syscall_entry before it leaves the user's stack */
#define VEC_NMI		 2
#define VEC_MCE		 18
#define TSS_AVAILABLE	 0x9UL	     /* descriptor type: available 64-bit TSS */
#define DESC_PRESENT	 (1UL << 47) /* descriptor P bit */

struct x86_tss x86_tss;
static uint8_t double_fault_stack[4096] __attribute__((aligned(16)));
static uint8_t nmi_stack[4096] __attribute__((aligned(16)));
static uint8_t mce_stack[4096] __attribute__((aligned(16)));

/* tss_init: point IST1 at the top of double_fault_stack (IST2, IST3: the NMI's and the
 * machine check's stacks), fill in the TSS descriptor in
 * entry.S's GDT ("TSS Descriptor in 64-bit mode") and load TR with it; once, at boot, before
 * idt_init. */
static void tss_init(void)
{
	uint64_t base = (uintptr_t)&x86_tss, limit = sizeof(x86_tss) - 1;
	x86_tss.ist[IST_DOUBLE_FAULT - 1] =
	    (uintptr_t)double_fault_stack + sizeof(double_fault_stack);
	x86_tss.ist[IST_NMI - 1] = (uintptr_t)nmi_stack + sizeof(nmi_stack);
	x86_tss.ist[IST_MCE - 1] = (uintptr_t)mce_stack + sizeof(mce_stack);
	x86_tss.iomap_base = sizeof(x86_tss);
	boot_gdt[X86_GDT_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
				    TSS_AVAILABLE << 40 | DESC_PRESENT | (limit >> 16 & 0xf) << 48 |
				    (base >> 24 & 0xff) << 56;
	boot_gdt[X86_GDT_TSS / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" ::"r"(X86_GDT_TSS));
}

struct x86_cpu x86_cpu;

/*
 * syscall_init: GS base = the per-CPU area (KERNEL_GS_BASE 0, the user's
 * until lab 4 gives it one) and SYSCALL on (Intel SDM Vol. 2B SYSCALL and
 * SYSRET, Vol. 3A 5.8.8 "Fast System Calls in 64-Bit Mode"): EFER.SCE;
 * STAR[47:32] = kernel CS (SS = CS + 8); STAR[63:48] = X86_GDT_KDATA | 3, so
 * SYSRET to 64-bit mode loads SS = 0x18 | 3 (user data) and CS = 0x20 | 3
 * (user code) (a 32-bit SYSRET, never used, would load CS 0x13); LSTAR =
 * x86_syscall_entry; FMASK clears IF (no interrupt before the stack
 * switch), DF (the ABI's direction), TF (no single-step into the kernel)
 * and AC. Once, at boot.
 */
static void syscall_init(void)
{
	x86_wrmsr(MSR_GS_BASE, (uintptr_t)&x86_cpu);
	x86_wrmsr(MSR_KERNEL_GS_BASE, 0);
	x86_wrmsr(MSR_STAR, (uint64_t)(X86_GDT_KDATA | 3) << 48 | (uint64_t)X86_GDT_KCODE << 32);
	x86_wrmsr(MSR_LSTAR, (uintptr_t)x86_syscall_entry);
	x86_wrmsr(MSR_FMASK, X86_RFLAGS_IF | X86_RFLAGS_DF | X86_RFLAGS_TF | X86_RFLAGS_AC);
	x86_wrmsr(MSR_EFER, x86_rdmsr(MSR_EFER) | EFER_SCE);
}

/* A 64-bit interrupt gate (Intel SDM Vol. 3A, "64-Bit Mode IDT"). */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate (IF cleared on entry) */

extern const uintptr_t x86_trap_stubs[X86_IDT_VECTORS];
static struct idt_gate idt[X86_IDT_VECTORS];

/* idt_init: point gate v at trap.S's stub v, the double fault's with IST1 (tss_init's stack);
 * once, at boot, after tss_init. */
static void idt_init(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(idt); v++) {
		uintptr_t h = x86_trap_stubs[v];
		idt[v] = (struct idt_gate){
		    .offset_lo = (uint16_t)h,
		    .selector = X86_GDT_KCODE,
		    .ist = v == VEC_DOUBLE_FAULT ? IST_DOUBLE_FAULT
			   : v == VEC_NMI	 ? IST_NMI
			   : v == VEC_MCE	 ? IST_MCE
						 : 0,
		    .type_attr = GATE_INTERRUPT,
		    .offset_mid = (uint16_t)(h >> 16),
		    .offset_hi = (uint32_t)(h >> 32),
		};
	}
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uintptr_t)idt};
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

/* arch_irq_save (x86_64): RFLAGS.IF, then CLI (Intel SDM Vol. 2B, PUSHF and CLI). */
bool arch_irq_save(void)
{
	uint64_t rflags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(rflags)::"memory");
	return rflags & X86_RFLAGS_IF;
}

/* arch_irq_restore (x86_64): STI when was_enabled, else nothing. */
void arch_irq_restore(bool was_enabled)
{
	if (was_enabled)
		__asm__ volatile("sti" ::: "memory");
}

/* arch_irq_enable (x86_64): STI; a pending interrupt comes after the next instruction. */
void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

/*
 * arch_time_ns (x86_64): the TSC since reset, taken as ns. Under QEMU
 * -icount shift=0 (every run the kit makes) QEMU's TSC is its virtual clock
 * (one instruction is 1 ns; a halted CPU's time jumps to the next timer),
 * so this is exact, with a resolution of 1 ns. Without icount QEMU's TSC
 * runs at the host's TSC rate and these would not be ns.
 */
uint64_t arch_time_ns(void)
{
	return arch_cycles();
}

/*
 * arch_idle (x86_64): STI; HLT; CLI. Call with interrupts disabled: STI
 * enables them only after the next instruction (Intel SDM Vol. 2B, STI),
 * so an interrupt already pending wakes the HLT rather than slipping in
 * before it. Returns after one interrupt's handler (and hook) has run.
 * Under -icount sleep=off the halted CPU's virtual time jumps to the next
 * timer deadline.
 */
void arch_idle(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* The kernel command line, copied out of the loader's memory (QEMU puts it after the kernel
 * image, in RAM that lab 2 hands out); a longer one is truncated. */
static char boot_args[1024];

/* boot_string: the multiboot command line without its first word, the image path
 * that QEMU (hw/i386/multiboot.c) and GRUB put there, copied into boot_args; "" when
 * there is none. */
static const char *boot_string(const struct multiboot_info *mbi)
{
	if (!mbi || !(mbi->flags & MULTIBOOT_INFO_CMDLINE) || mbi->cmdline >= X86_BOOT_MAP_END)
		return "";
	const char *s = x86_p2v(mbi->cmdline);
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	strlcpy(boot_args, s, sizeof(boot_args));
	return boot_args;
}

/*
 * x86_smep, x86_smap: CR4.SMEP and CR4.SMAP are on (smap_smep_init, when
 * CPUID leaf 7 says the CPU has them: EBX bits 7 and 20; the kit runs QEMU's
 * qemu64 with +smep,+smap, whose TCG checks both; Intel SDM Vol. 3A, 4.6
 * "Access Rights"). With SMEP a fetch from a user page in ring 0 faults (a
 * ret2usr jump); with SMAP so does any data access to one while RFLAGS.AC
 * is clear: arch_copy_user sets AC (stac) for its copy alone, and every
 * trap entry clears it (clac), since ring 3 may set AC itself (popfq);
 * SYSCALL clears it through IA32_FMASK.
 */
bool x86_smep, x86_smap;

static void smap_smep_init(void)
{
	uint32_t r[4];

	x86_cpuid(0, 0, r);
	if (r[0] < 7)
		return;
	x86_cpuid(7, 0, r);
	uint64_t cr4 = x86_read_cr4();
	if (r[1] & 1u << 7)
		cr4 |= X86_CR4_SMEP, x86_smep = true;
	if (r[1] & 1u << 20)
		cr4 |= X86_CR4_SMAP, x86_smap = true;
	x86_write_cr4(cr4);
}

/* The boot CPU's initial APIC id (CPUID leaf 1, EBX bits 31..24; Intel SDM Vol. 2A CPUID). */
static unsigned long boot_apic_id(void)
{
	uint32_t r[4];

	x86_cpuid(1, 0, r);
	return r[1] >> 24;
}

/*
 * x86_boot: called once by entry.S, in 64-bit mode on the boot stack, with
 * the loader's eax (mb_magic), ebx (mb_info, a physical address below 1 GiB)
 * and the TSC read at entry; fills bootinfo and enters kmain.
 */
noreturn void x86_boot(uint32_t mb_magic, paddr_t mb_info, uint64_t entry_tsc)
{
	platform_init();
	tss_init();
	syscall_init();
	idt_init();
	smap_smep_init();
	if (mb_magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("x86_boot: eax=0x%x at entry, not the multiboot magic 0x2badb002", mb_magic);
	const struct multiboot_info *mbi =
	    mb_info && mb_info < X86_BOOT_MAP_END ? x86_p2v(mb_info) : NULL;
	bootinfo = (struct bootinfo){
	    .arch = "x86_64",
	    .cpu_id = boot_apic_id(),
	    .firmware = mbi,
	    .bootargs = boot_string(mbi),
	    .entry_cycles = entry_tsc,
	};
	kmain();
}

uint32_t arch_port_in(unsigned port, unsigned size)
{
	return size == 1   ? x86_inb((uint16_t)port)
	       : size == 2 ? x86_inw((uint16_t)port)
			   : x86_inl((uint16_t)port);
}

void arch_port_out(unsigned port, unsigned size, uint32_t v)
{
	if (size == 1)
		x86_outb((uint16_t)port, (uint8_t)v);
	else if (size == 2)
		x86_outw((uint16_t)port, (uint16_t)v);
	else
		x86_outl((uint16_t)port, v);
}

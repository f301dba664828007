/*
 * arch.c (riscv64): boot hand-off to kmain, SBI calls, the interrupt
 * switch and the kernel trap handler (the CPU side; the board, QEMU virt
 * with OpenSBI, is in virt/).
 * Entry points: riscv_boot (from entry.S), the arch.h functions, riscv_trap.
 */
#include "kernel.h"
#include "arch.h"
#include "fdt.h"
#include "irq.h"
#include "mm.h"
#include "platform.h"
#include "trap.h"
#include "arch/riscv.h"

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r6 __asm__("a6") = fid;
	register long r7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){r0, r1};
}

void sbi_set_timer(uint64_t stime_value)
{
	sbi_call(SBI_EXT_TIME, 0, (long)stime_value, 0, 0);
}

static const char *const exception_names[] = {
    "instruction address misaligned",
    "instruction access fault",
    "illegal instruction",
    "breakpoint",
    "load address misaligned",
    "load access fault",
    "store/AMO address misaligned",
    "store/AMO access fault",
    "environment call from U-mode",
    "environment call from S-mode",
    "reserved (10)",
    "reserved (11)",
    "instruction page fault",
    "load page fault",
    "reserved (14)",
    "store/AMO page fault",
};

/* fault_access: the access a memory fault's scause code reports; false for any other cause. */
static bool fault_access(unsigned long cause, enum fault_access *access)
{
	switch (cause) {
	case EXC_INST_ACCESS:
	case EXC_INST_PAGE:
		*access = FAULT_EXEC;
		return true;
	case EXC_LOAD_ACCESS:
	case EXC_LOAD_PAGE:
		*access = FAULT_READ;
		return true;
	case EXC_STORE_ACCESS:
	case EXC_STORE_PAGE:
		*access = FAULT_WRITE;
		return true;
	}
	return false;
}

/*
 * memory_fault: report a memory fault through trap_fault_hook, then resume
 * the arch_probe in progress, if any, as returning -EFAULT: at
 * riscv_probe_fault with its caller's ra and sp. The probe is over before
 * the hook runs, so a fault inside the hook is not taken for the probe's.
 * Returns true when resumed, false when the fault is unexpected.
 */
static bool memory_fault(struct trapframe *tf, enum fault_access access)
{
	struct page_fault pf = {
	    .addr = tf->stval,
	    .access = access,
	    .user = !(tf->sstatus & SSTATUS_SPP),
	    .pc = tf->sepc,
	    .fp = tf->s0,
	};
	struct riscv_probe probe = riscv_probe;
	if (!pf.user)
		riscv_probe.ra = 0;
	if (trap_fault_hook)
		trap_fault_hook(&pf);
	if (pf.user || !probe.ra)
		return false;
	tf->a0 = (unsigned long)-EFAULT;
	tf->ra = probe.ra;
	tf->sp = probe.sp;
	tf->sepc = (uintptr_t)riscv_probe_fault;
	return true;
}

/* -- user mode: the kernel stack for traps from U-mode, arch_user_probe -- */

uintptr_t riscv_user_kstack; /* arch_set_kernel_stack (arch_ops.h) */

static struct arch_context user_probe_ctx;   /* arch_user_probe's caller, while it runs */
struct arch_user_trap *riscv_user_probe_out; /* non-NULL while arch_user_probe runs (trap.S) */

void arch_user_probe(uintptr_t pc, uintptr_t sp, struct arch_user_trap *trap)
{
	bool irq = arch_irq_save();
	unsigned long sie = csr_read(sie);
	csr_write(sie, 0UL); /* in U-mode, S-mode interrupts are on whatever SIE says (3.1.6.1) */
	riscv_user_probe_out = trap;
	riscv_user_enter(&user_probe_ctx, pc, sp);
	csr_write(sie, sie);
	arch_irq_restore(irq);
}

/* user_probe_done: the first exception during arch_user_probe: record it, resume the probe's caller. */
static noreturn void user_probe_done(struct trapframe *tf)
{
	*riscv_user_probe_out = (struct arch_user_trap){
	    .user = !(tf->sstatus & SSTATUS_SPP),
	    .syscall = tf->scause == EXC_U_ECALL,
	    .pc = tf->sepc,
	    .frame = (uintptr_t)tf,
	};
	riscv_user_probe_out = NULL;
	struct arch_context discard;
	arch_context_switch(&discard, &user_probe_ctx);
	panic("user_probe_done: resumed");
}

/* user_fault: decode an exception from U-mode for user_fault_hook (lab 4). */
static void user_fault(struct trapframe *tf)
{
	enum fault_access access = FAULT_READ;
	struct user_fault f = {
	    .what = tf->scause < ARRAY_SIZE(exception_names) ? exception_names[tf->scause]
							     : "unknown exception",
	    .pc = tf->sepc,
	    .addr = tf->stval,
	    .memory = fault_access(tf->scause, &access),
	};
	f.access = access;
	user_fault_hook(tf, &f);
}

/* Lab 6: user mode may use the FPU (sstatus.FS Initial, RISC-V privileged spec 4.1.1.6): a
 * static glibc's lp64d code does (setjmp saves fs0..fs11). The kernel and the kit's programs
 * are rv64imac: only a Linux-ABI thread's f registers are switched (arch_ustate_save, the
 * common/lab4/ustate.c switch). */
#define SSTATUS_FS_INITIAL (1UL << 13)
/* FS Dirty: any FS but Off lets S-mode reach f0..f31 and fcsr (Privileged spec 3.1.6.6). */
#define SSTATUS_FS_DIRTY (3UL << 13)

void arch_ustate_init(struct arch_ustate *s)
{
	*s = (struct arch_ustate){0}; /* fcsr 0: round to nearest, no flags (unpriv. spec 11.2) */
}

/* The F registers are not in the kernel's -march (rv64imac): the D extension's fsd, fld,
 * frcsr and fscsr are allowed for these two asm statements alone (.option arch). */
void arch_ustate_save(struct arch_ustate *s)
{
	csr_set(sstatus, SSTATUS_FS_DIRTY);
	__asm__ volatile(".option push\n"
			 ".option arch, +d\n"
			 "fsd f0, 0(%0)\n"
			 "fsd f1, 8(%0)\n"
			 "fsd f2, 16(%0)\n"
			 "fsd f3, 24(%0)\n"
			 "fsd f4, 32(%0)\n"
			 "fsd f5, 40(%0)\n"
			 "fsd f6, 48(%0)\n"
			 "fsd f7, 56(%0)\n"
			 "fsd f8, 64(%0)\n"
			 "fsd f9, 72(%0)\n"
			 "fsd f10, 80(%0)\n"
			 "fsd f11, 88(%0)\n"
			 "fsd f12, 96(%0)\n"
			 "fsd f13, 104(%0)\n"
			 "fsd f14, 112(%0)\n"
			 "fsd f15, 120(%0)\n"
			 "fsd f16, 128(%0)\n"
			 "fsd f17, 136(%0)\n"
			 "fsd f18, 144(%0)\n"
			 "fsd f19, 152(%0)\n"
			 "fsd f20, 160(%0)\n"
			 "fsd f21, 168(%0)\n"
			 "fsd f22, 176(%0)\n"
			 "fsd f23, 184(%0)\n"
			 "fsd f24, 192(%0)\n"
			 "fsd f25, 200(%0)\n"
			 "fsd f26, 208(%0)\n"
			 "fsd f27, 216(%0)\n"
			 "fsd f28, 224(%0)\n"
			 "fsd f29, 232(%0)\n"
			 "fsd f30, 240(%0)\n"
			 "fsd f31, 248(%0)\n"
			 "frcsr t0\n"
			 "sd t0, 256(%0)\n"
			 ".option pop"
			 :
			 : "r"(s)
			 : "t0", "memory");
}

void arch_ustate_load(const struct arch_ustate *s)
{
	csr_set(sstatus, SSTATUS_FS_DIRTY);
	__asm__ volatile(".option push\n"
			 ".option arch, +d\n"
			 "fld f0, 0(%0)\n"
			 "fld f1, 8(%0)\n"
			 "fld f2, 16(%0)\n"
			 "fld f3, 24(%0)\n"
			 "fld f4, 32(%0)\n"
			 "fld f5, 40(%0)\n"
			 "fld f6, 48(%0)\n"
			 "fld f7, 56(%0)\n"
			 "fld f8, 64(%0)\n"
			 "fld f9, 72(%0)\n"
			 "fld f10, 80(%0)\n"
			 "fld f11, 88(%0)\n"
			 "fld f12, 96(%0)\n"
			 "fld f13, 104(%0)\n"
			 "fld f14, 112(%0)\n"
			 "fld f15, 120(%0)\n"
			 "fld f16, 128(%0)\n"
			 "fld f17, 136(%0)\n"
			 "fld f18, 144(%0)\n"
			 "fld f19, 152(%0)\n"
			 "fld f20, 160(%0)\n"
			 "fld f21, 168(%0)\n"
			 "fld f22, 176(%0)\n"
			 "fld f23, 184(%0)\n"
			 "fld f24, 192(%0)\n"
			 "fld f25, 200(%0)\n"
			 "fld f26, 208(%0)\n"
			 "fld f27, 216(%0)\n"
			 "fld f28, 224(%0)\n"
			 "fld f29, 232(%0)\n"
			 "fld f30, 240(%0)\n"
			 "fld f31, 248(%0)\n"
			 "ld t0, 256(%0)\n"
			 "fscsr t0\n"
			 ".option pop"
			 :
			 : "r"(s)
			 : "t0", "memory");
}

void arch_user_frame_init(struct trapframe *tf, uintptr_t pc, uintptr_t sp, unsigned long arg)
{
	*tf = (struct trapframe){.sp = sp, .a0 = arg, .sepc = pc};
	tf->sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM)) |
		      SSTATUS_SPIE | SSTATUS_FS_INITIAL;
}

void arch_ipc_frame_complete(struct trapframe *tf)
{
	tf->t0 = tf->t1 = tf->t2 = tf->t3 = tf->t4 = tf->t5 = tf->t6 = 0;
	tf->a6 = tf->a7 = 0;
	tf->sstatus = (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM)) |
		      SSTATUS_SPIE | SSTATUS_FS_INITIAL;
}

/*
 * riscv_trap: called by trap.S for every trap (Privileged spec 4.1.9
 * scause), from S-mode or U-mode (tf->sstatus.SPP says which). The
 * supervisor timer interrupt goes to riscv_timer_irq (timer.c), the
 * supervisor external interrupt (the board's interrupt controller) to
 * irq_dispatch, the first exception during arch_user_probe back to its
 * caller. From lab 4 on (its hooks set), an ecall from U-mode goes to
 * syscall_hook (trap.S calls it directly, except during arch_user_probe)
 * and any other exception from U-mode to user_fault_hook; a memory fault
 * in arch_copy_user resumes at its fixup. Other memory faults
 * (access and page faults) go to memory_fault; whatever is not handled
 * there is unexpected.
 */
void riscv_trap(struct trapframe *tf)
{
	enum fault_access access;
	bool user = !(tf->sstatus & SSTATUS_SPP);
	if (tf->scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER) ||
	    tf->scause == (SCAUSE_INTERRUPT | IRQ_S_EXTERNAL)) {
		if (tf->scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER))
			riscv_timer_irq();
		else
			irq_dispatch(0);
		if (user && user_return_hook)
			user_return_hook(tf);
		return;
	}
	if (riscv_user_probe_out && !(tf->scause & SCAUSE_INTERRUPT))
		user_probe_done(tf);
	if (user && tf->scause == EXC_U_ECALL && syscall_hook) {
		tf->sepc += 4; /* ecall is 4 bytes: return after it */
		syscall_hook(tf);
		return;
	}
	if (user && !(tf->scause & SCAUSE_INTERRUPT) && user_fault_hook) {
		user_fault(tf);
		return;
	}
	if (!user && tf->sepc >= (uintptr_t)riscv_copy_user &&
	    tf->sepc < (uintptr_t)riscv_copy_user_end && fault_access(tf->scause, &access)) {
		tf->sepc = (uintptr_t)riscv_copy_user_fault; /* arch_copy_user returns -EFAULT */
		return;
	}
	if (!(tf->scause & SCAUSE_INTERRUPT) && fault_access(tf->scause, &access) &&
	    memory_fault(tf, access))
		return;
	const char *what = "interrupt";
	if (!(tf->scause & SCAUSE_INTERRUPT))
		what = tf->scause < ARRAY_SIZE(exception_names) ? exception_names[tf->scause]
								: "unknown exception";
	trap_unexpected(what, tf->sepc, tf->stval, tf->s0);
}

/*
 * Interrupts are on while sstatus.SIE is set (Privileged spec 4.1.1); a trap
 * clears it and sret restores it from SPIE. sie enables the external
 * interrupt (the board's controller masks each device's) and, while one is
 * armed, the timer (timer.c).
 */
bool arch_irq_save(void)
{
	unsigned long old;
	__asm__ volatile("csrrci %0, sstatus, %1" : "=r"(old) : "i"(SSTATUS_SIE) : "memory");
	return old & SSTATUS_SIE;
}

void arch_irq_restore(bool was_enabled)
{
	if (was_enabled)
		csr_set(sstatus, SSTATUS_SIE);
}

void arch_irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

/*
 * arch_idle (riscv64): call with interrupts disabled. wfi first, with SIE
 * still clear: it returns as soon as an interrupt enabled in sie is pending,
 * whatever SIE says (Privileged spec 3.3.3), so one that came in before
 * the call is not slept through. Then SIE on for one instruction takes it
 * (a CSR write ends QEMU's translation block) and off again. Under -icount
 * sleep=off QEMU jumps the virtual clock to the next timer deadline.
 */
void arch_idle(void)
{
	__asm__ volatile("wfi\n\tcsrsi sstatus, %0\n\tcsrci sstatus, %0" ::"i"(SSTATUS_SIE)
			 : "memory");
}

extern char riscv_trap_vector[];

/*
 * riscv_boot: called once by entry.S on the boot stack, paging on, with the
 * device tree's physical address fdt_pa (reached through the direct map from
 * here on); fills bootinfo and enters kmain.
 */
noreturn void riscv_boot(unsigned long hartid, paddr_t fdt_pa, uint64_t entry_instret)
{
	const void *fdt = pa_to_kva(fdt_pa);
	platform_init();
	csr_write(stvec, (unsigned long)riscv_trap_vector);
	riscv_timer_init(fdt);
	csr_set(sie, SIE_SEIE); /* sstatus.SIE stays clear until a lab enables it; STIE: timer.c */
	csr_write(scounteren,
		  7UL); /* U-mode may read cycle, time, instret (4.1.5): lab 4 measures */
	uint32_t len = 0;
	const char *args = fdt_getprop(fdt, "/chosen", "bootargs", &len);
	bootinfo = (struct bootinfo){
	    .arch = "riscv64",
	    .cpu_id = hartid,
	    .firmware = fdt,
	    .bootargs = args && len ? args : "",
	    .entry_cycles = entry_instret,
	};
	kmain();
}

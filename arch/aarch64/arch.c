/*
 * arch.c (aarch64): boot hand-off to kmain, semihosting, the interrupt
 * switch and the kernel's exception handlers (the CPU side; the board,
 * QEMU's raspi3b, is in raspi3b/).
 * Entry points: arm64_boot (from entry.S), the arch.h functions,
 * arm64_trap and arm64_irq (from trap.S), arm64_semihost.
 */
#include "kernel.h"
#include "arch.h"
#include "irq.h"
#include "mm.h"
#include "platform.h"
#include "string.h"
#include "trap.h"
#include "monitor.h"
#include "arch/arm64.h"
#include "arch/mmu.h"

/*
 * arm64_semihost: a semihosting call (Arm "Semihosting for AArch32 and
 * AArch64", 2.1: HLT #0xF000 with the operation in w0 and a pointer to its
 * parameter block in x1; the result in x0). QEMU serves it with
 * -semihosting-config enable=on (rules.mk); on a Pi without a debugger
 * HLT is an undefined instruction: arm64_trap resumes after it with -1 and
 * every later call returns -1 at once (no command line; power-off by the
 * watchdog, platform.c). Not inlined: arm64_semihost_hlt is its one HLT.
 */
static bool no_semihosting;

noinline long arm64_semihost(long op, void *param)
{
	register long x0 __asm__("x0") = op;
	register void *x1 __asm__("x1") = param;
	if (no_semihosting)
		return -1;
	__asm__ volatile(".globl arm64_semihost_hlt\n"
			 "arm64_semihost_hlt: hlt #0xf000"
			 : "+r"(x0)
			 : "r"(x1)
			 : "memory");
	return x0;
}

/* ec_name: ESR_EL1's exception class as words (Arm ARM D17.2.37, Table D17-44). */
static const char *ec_name(unsigned long esr)
{
	switch (ESR_EC(esr)) {
	case EC_UNKNOWN:
		return "unknown reason (undefined instruction)";
	case EC_SVC64:
		return "svc from AArch64";
	case EC_IABT_LOW:
		return "instruction abort from EL0";
	case EC_IABT_CUR:
		return "instruction abort from EL1";
	case EC_PC_ALIGN:
		return "pc alignment fault";
	case EC_DABT_LOW:
		return "data abort from EL0";
	case EC_DABT_CUR:
		return "data abort from EL1";
	case EC_SP_ALIGN:
		return "sp alignment fault";
	case EC_BRK64:
		return "brk instruction";
	case 0x2f:
		return "SError";
	}
	return "unexpected exception class";
}

/* fault_access: the access an abort's ESR reports (WnR for data aborts); false for any other class. */
static bool fault_access(unsigned long esr, enum fault_access *access)
{
	switch (ESR_EC(esr)) {
	case EC_IABT_LOW:
	case EC_IABT_CUR:
		*access = FAULT_EXEC;
		return true;
	case EC_DABT_LOW:
	case EC_DABT_CUR:
		*access = esr & ESR_DABT_WNR ? FAULT_WRITE : FAULT_READ;
		return true;
	}
	return false;
}

static bool from_user(const struct trapframe *tf)
{
	return (tf->spsr & SPSR_MODE_MASK) == SPSR_EL0T;
}

/*
 * memory_fault: report a kernel memory fault through trap_fault_hook, then
 * resume the arch_probe in progress, if any, as returning -EFAULT: at
 * arm64_probe_fault with its caller's lr and sp. The probe is over before
 * the hook runs, so a fault inside the hook is not taken for the probe's.
 * Returns true when resumed, false when the fault is unexpected.
 */
/* fault_status: an abort's fault status code (ESR ISS bits 5..0, Arm ARM D17.2.37) as words. */
static const char *fault_status(unsigned long esr)
{
	static const char *const kind[] = {"address size fault", "translation fault",
					   "access flag fault", "permission fault"};
	unsigned fsc = esr & 0x3f;
	return fsc < 16 ? kind[fsc >> 2] : "other fault status";
}

static bool memory_fault(struct trapframe *tf, enum fault_access access)
{
	struct page_fault pf = {
	    .addr = tf->far,
	    .access = access,
	    .user = from_user(tf),
	    .pc = tf->elr,
	    .fp = tf->x[29],
	};
	struct arm64_probe probe = arm64_probe;
	if (!pf.user)
		arm64_probe.lr = 0;
	kprintf("esr: 0x%lx %s: %s, level %lu\n", tf->esr, ec_name(tf->esr), fault_status(tf->esr),
		tf->esr & 3);
	if (trap_fault_hook)
		trap_fault_hook(&pf);
	if (pf.user || !probe.lr)
		return false;
	tf->x[0] = (unsigned long)-EFAULT;
	tf->x[30] = probe.lr;
	tf->sp = probe.sp;
	tf->elr = (uintptr_t)arm64_probe_fault;
	return true;
}

/* -- user mode: the kernel stack for traps from EL0, arch_user_probe -- */

uintptr_t arm64_user_kstack; /* arch_set_kernel_stack (arch_ops.h) */

static struct arch_context user_probe_ctx;   /* arch_user_probe's caller, while it runs */
struct arch_user_trap *arm64_user_probe_out; /* non-NULL while arch_user_probe runs (trap.S) */

void arch_user_probe(uintptr_t pc, uintptr_t sp, struct arch_user_trap *trap)
{
	bool irq = arch_irq_save();
	/* The code was just copied through the data side: make it visible to fetches. */
	__asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
	arm64_user_probe_out = trap;
	arm64_user_enter(&user_probe_ctx, pc, sp);
	arch_irq_restore(irq);
}

/* user_probe_done: the first exception during arch_user_probe: record it, resume the probe's caller. */
static noreturn void user_probe_done(struct trapframe *tf)
{
	bool svc = ESR_EC(tf->esr) == EC_SVC64;
	*arm64_user_probe_out = (struct arch_user_trap){
	    .user = from_user(tf),
	    .syscall = svc,
	    .pc = svc ? tf->elr - 4 : tf->elr, /* ELR is past an svc, at any other fault */
	    .frame = (uintptr_t)tf,
	};
	arm64_user_probe_out = NULL;
	struct arch_context discard;
	arch_context_switch(&discard, &user_probe_ctx);
	panic("user_probe_done: resumed");
}

/* user_fault: decode an exception from EL0 for user_fault_hook (lab 4). */
static void user_fault(struct trapframe *tf)
{
	enum fault_access access = FAULT_READ;
	struct user_fault f = {
	    .what = ec_name(tf->esr),
	    .pc = tf->elr,
	    .addr = tf->far,
	    .memory = fault_access(tf->esr, &access),
	};
	if (!f.memory)
		f.addr = 0;
	f.access = access;
	user_fault_hook(tf, &f);
}

void arch_ipc_frame_complete(struct trapframe *tf)
{
	for (int i = 6; i <= 18; i++)
		tf->x[i] = 0;
}

/* Lab 6: a Linux-ABI thread's FP/SIMD registers (the kernel and the kit's programs are built
 * -mgeneral-regs-only). CPACR_EL1.FPEN 0b11 (bits 21:20) stops trapping their use at EL0 and
 * EL1 (Arm ARM, CPACR_EL1's description); set at the first load, for good (isb: the write takes effect before
 * the next instruction). Zeroed state: FPCR 0 is round to nearest, no trapped exceptions
 * (Arm ARM, FPCR's description). The q registers are not in the kernel's -march: .arch_extension fp, simd
 * for these asm statements alone. */
#define CPACR_FPEN (3UL << 20)

static void fp_enable(void)
{
	unsigned long v;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(v));
	if (!(v & CPACR_FPEN))
		__asm__ volatile("msr cpacr_el1, %0\n"
				 "isb" ::"r"(v | CPACR_FPEN));
}

void arch_ustate_init(struct arch_ustate *s)
{
	*s = (struct arch_ustate){0};
}

void arch_ustate_save(struct arch_ustate *s)
{
	fp_enable();
	__asm__ volatile(".arch_extension fp\n"
			 ".arch_extension simd\n"
			 "stp q0, q1, [%0, #0]\n"
			 "stp q2, q3, [%0, #32]\n"
			 "stp q4, q5, [%0, #64]\n"
			 "stp q6, q7, [%0, #96]\n"
			 "stp q8, q9, [%0, #128]\n"
			 "stp q10, q11, [%0, #160]\n"
			 "stp q12, q13, [%0, #192]\n"
			 "stp q14, q15, [%0, #224]\n"
			 "stp q16, q17, [%0, #256]\n"
			 "stp q18, q19, [%0, #288]\n"
			 "stp q20, q21, [%0, #320]\n"
			 "stp q22, q23, [%0, #352]\n"
			 "stp q24, q25, [%0, #384]\n"
			 "stp q26, q27, [%0, #416]\n"
			 "stp q28, q29, [%0, #448]\n"
			 "stp q30, q31, [%0, #480]\n"
			 "mrs x9, fpcr\n"
			 "mrs x10, fpsr\n"
			 "mrs x11, tpidr_el0\n"
			 "str x9, [%0, #512]\n"
			 "str x10, [%0, #520]\n"
			 "str x11, [%0, #528]"
			 :
			 : "r"(s)
			 : "x9", "x10", "x11", "memory");
}

void arch_ustate_load(const struct arch_ustate *s)
{
	fp_enable();
	__asm__ volatile(".arch_extension fp\n"
			 ".arch_extension simd\n"
			 "ldp q0, q1, [%0, #0]\n"
			 "ldp q2, q3, [%0, #32]\n"
			 "ldp q4, q5, [%0, #64]\n"
			 "ldp q6, q7, [%0, #96]\n"
			 "ldp q8, q9, [%0, #128]\n"
			 "ldp q10, q11, [%0, #160]\n"
			 "ldp q12, q13, [%0, #192]\n"
			 "ldp q14, q15, [%0, #224]\n"
			 "ldp q16, q17, [%0, #256]\n"
			 "ldp q18, q19, [%0, #288]\n"
			 "ldp q20, q21, [%0, #320]\n"
			 "ldp q22, q23, [%0, #352]\n"
			 "ldp q24, q25, [%0, #384]\n"
			 "ldp q26, q27, [%0, #416]\n"
			 "ldp q28, q29, [%0, #448]\n"
			 "ldp q30, q31, [%0, #480]\n"
			 "ldr x9, [%0, #512]\n"
			 "ldr x10, [%0, #520]\n"
			 "ldr x11, [%0, #528]\n"
			 "msr fpcr, x9\n"
			 "msr fpsr, x10\n"
			 "msr tpidr_el0, x11"
			 :
			 : "r"(s)
			 : "x9", "x10", "x11", "memory");
}

void arch_user_frame_init(struct trapframe *tf, uintptr_t pc, uintptr_t sp, unsigned long arg)
{
	*tf = (struct trapframe){.sp = sp, .elr = pc, .spsr = SPSR_EL0T};
	tf->x[0] = arg;
}

/*
 * arm64_trap: called by trap.S for every synchronous exception (and the
 * vectors never expected), from EL1 or EL0 (SPSR.M says which). The first
 * exception during arch_user_probe goes back to its caller. From lab 4 on
 * (its hooks set), an svc from EL0 goes to syscall_hook (trap.S calls it
 * directly, except during arch_user_probe) and any other exception from
 * EL0 to user_fault_hook; a data abort in arch_copy_user resumes at its
 * fixup. Other aborts go to memory_fault; whatever is not handled there is
 * unexpected.
 */
void arm64_trap(struct trapframe *tf)
{
	enum fault_access access;
	bool user = from_user(tf);
	if (!user && ESR_EC(tf->esr) == EC_UNKNOWN && tf->elr == (uintptr_t)arm64_semihost_hlt) {
		no_semihosting = true; /* a Pi without a debugger: see arm64_semihost */
		tf->x[0] = (unsigned long)-1;
		tf->elr += 4;
		return;
	}
	if (arm64_user_probe_out && user)
		user_probe_done(tf);
	if (user && ESR_EC(tf->esr) == EC_SVC64 && syscall_hook) {
		syscall_hook(tf);
		return;
	}
	if (user && user_fault_hook) {
		user_fault(tf);
		return;
	}
	if (!user && tf->elr >= (uintptr_t)arm64_copy_user &&
	    tf->elr < (uintptr_t)arm64_copy_user_end && fault_access(tf->esr, &access)) {
		tf->elr = (uintptr_t)arm64_copy_user_fault; /* arch_copy_user returns -EFAULT */
		return;
	}
	if (fault_access(tf->esr, &access) && memory_fault(tf, access))
		return;
	bool addr = fault_access(tf->esr, &access) || ESR_EC(tf->esr) == EC_PC_ALIGN;
	trap_unexpected(ec_name(tf->esr), tf->elr, addr ? tf->far : 0, tf->x[29]);
}

/*
 * arm64_irq: an IRQ (from EL1 or EL0). The generic timer is the CPU's own
 * (timer.c checks its status); anything else is the board's interrupt
 * controller's, dispatched through irq.h. From EL0, user_return_hook on the
 * way back (lab 4).
 */
void arm64_irq(struct trapframe *tf)
{
	if (!arm64_timer_irq())
		irq_dispatch(0);
	if (from_user(tf) && user_return_hook)
		user_return_hook(tf);
}

/* IRQs are on while PSTATE.I is clear (DAIF); an exception sets it and eret restores SPSR's. */
bool arch_irq_save(void)
{
	unsigned long daif = sysreg_read(daif);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	return !(daif & DAIF_I);
}

void arch_irq_restore(bool was_enabled)
{
	if (was_enabled)
		__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

/*
 * arch_idle (aarch64): call with IRQs masked. wfi first, with PSTATE.I
 * still set: it wakes on a pending IRQ whatever PSTATE.I says (Arm ARM
 * D1.16.2, "Wait For Interrupt"), so one that came in before the call is not
 * slept through. Then IRQs on for one isb (which takes it) and off again.
 * Under -icount sleep=off QEMU jumps the virtual clock to the next timer
 * deadline.
 */
void arch_idle(void)
{
	__asm__ volatile("wfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
}

/*
 * semihost_cmdline: the kernel's command line from semihosting
 * SYS_GET_CMDLINE: QEMU answers with the -kernel file's name, a space and
 * -append's text; the first word is dropped. "" when there is none.
 */
static const char *semihost_cmdline(void)
{
	static char buf[512];
	struct {
		char *buf;
		size_t len;
	} block = {buf, sizeof(buf) - 1};
	if (arm64_semihost(SEMIHOST_SYS_GET_CMDLINE, &block) != 0)
		return "";
	buf[block.len < sizeof(buf) ? block.len : sizeof(buf) - 1] = '\0';
	const char *p = strchr(buf, ' ');
	return p ? p + 1 : "";
}

/* -- cores 1-3: parked out of the firmware's spin table -- */

/* The spin table (QEMU's raspi3b stub, the Pi's armstub): core c waits at 0xd8 + 8 c with wfe
 * until the word there is not zero, then jumps to it, MMU off, in EL2. */
#define SPIN_TABLE(core) (0xd8UL + 8 * (core))

volatile uint8_t arm64_parked[4];

/* arm64_park: PC-relative only (it runs at its physical address): mark this core parked,
 * then wfi forever (never wfe: under TCG a wfe loop is busy time). */
__asm__(".pushsection .text\n"
	".balign 8\n"
	".globl arm64_park\n"
	"arm64_park:\n"
	"	mrs x0, mpidr_el1\n"
	"	and x0, x0, #3\n"
	"	adrp x1, arm64_parked\n"
	"	add x1, x1, :lo12:arm64_parked\n"
	"	mov w2, #1\n"
	"	strb w2, [x1, x0]\n"
	"	dsb sy\n"
	"1:	wfi\n"
	"	b 1b\n"
	".popsection\n");

/* park_cores: send cores 1-3 from the spin table to arm64_park (the words cleaned to memory:
 * on a Pi the waiting cores read it with their caches off), then sev to wake them. */
static void park_cores(void)
{
	for (unsigned core = 1; core < 4; core++) {
		volatile uint64_t *slot = pa_to_kva(SPIN_TABLE(core));
		*slot = kimg_to_pa(arm64_park);
		__asm__ volatile("dc civac, %0" ::"r"(slot) : "memory");
	}
	__asm__ volatile("dsb sy\n\tsev" ::: "memory");
}

/*
 * arm64_user_counter_init: this CPU lets EL0 read the virtual counter CNTVCT_EL0 and its
 * frequency CNTFRQ_EL0 (CNTKCTL_EL1.EL0VCTEN), and nothing else of the generic timer (Arm ARM
 * D11, "The Generic Timer in AArch64 state"; CNTKCTL_EL1 is per CPU, so each CPU that enters
 * EL0 sets its own; Linux does the same for its vDSO's clock). entry.S set CNTVOFF_EL2 to 0
 * (started at EL2 or EL3, as on raspi3b and a Pi), so CNTVCT_EL0 is CNTPCT_EL0, arch_time_ns's
 * counter: user and kernel times agree (lab 8's kws reads its clock this way). The physical
 * counter and both timers stay EL1's.
 */
static void arm64_user_counter_init(void)
{
	unsigned long k = sysreg_read(cntkctl_el1);

	k &= ~(CNTKCTL_EL0PCTEN | CNTKCTL_EL0VTEN | CNTKCTL_EL0PTEN);
	sysreg_write(cntkctl_el1, k | CNTKCTL_EL0VCTEN);
	__asm__ volatile("isb");
}

static unsigned entry_el; /* the exception level entry.S was started at */

/*
 * mon_cpu (the monitor's `cpu`, aarch64): the state lab 7's port sets up: the exception
 * level and the one it came from, the stack pointer in use, the vectors, SCTLR_EL1, which
 * cores parked, and the timer's frequency as read (CNTFRQ_EL0) and used, with how much
 * counter time 1,000,000 instructions take (1,000,000 ns of virtual time under -icount
 * shift=0).
 */
static int mon_cpu(int argc, char **argv)
{
	kprintf("cpu: EL%lu, entered at EL%u, SPSel %lu\n", sysreg_read(CurrentEL) >> 2, entry_el,
		sysreg_read(SPSel));
	kprintf("cpu: VBAR_EL1 0x%lx, SCTLR_EL1 0x%lx\n", sysreg_read(vbar_el1),
		sysreg_read(sctlr_el1));
	for (unsigned core = 1; core < 4; core++) {
		__asm__ volatile("dc civac, %0" ::"r"(&arm64_parked[core]) : "memory");
		kprintf("cpu: core %u %s\n", core, arm64_parked[core] ? "parked" : "not parked");
	}
	uint64_t c0 = arch_cycles(), t0 = arch_time_ns();
	while (arch_cycles() - c0 < 1000000)
		;
	uint64_t c1 = arch_cycles(), t1 = arch_time_ns();
	kprintf("cpu: timer CNTFRQ_EL0 %lu Hz, used %lu Hz; %lu ns of counter time in %lu "
		"instructions\n",
		sysreg_read(cntfrq_el0), (unsigned long)arm64_timer_hz(), (unsigned long)(t1 - t0),
		(unsigned long)(c1 - c0));
	return 0;
}
MONITOR_CMD("cpu", "aarch64: exception level, vectors, parked cores, timer frequency", mon_cpu);

/*
 * arm64_boot: called once by entry.S on the boot stack at EL1, the MMU on,
 * the vectors set, with the cycle count read at entry and the exception
 * level it started at; parks cores 1-3, fills bootinfo (the board's
 * platform_init adds its firmware description) and enters kmain.
 */
noreturn void arm64_boot(uint64_t entry_cycles, unsigned long entry_level)
{
	entry_el = (unsigned)entry_level;
	park_cores();
	bootinfo = (struct bootinfo){
	    .arch = "aarch64",
	    .cpu_id = sysreg_read(mpidr_el1) & 0xff,
	    .bootargs = semihost_cmdline(),
	    .entry_cycles = entry_cycles,
	};
	platform_init();
	arm64_timer_init();
	/* EL0 may read the cycle counter: lab 4's programs measure with it. */
	sysreg_write(pmuserenr_el0, PMUSERENR_CR);
	arm64_user_counter_init();
	kmain();
}

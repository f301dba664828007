/*
 * ktest_umode.c: the kit's own test of the way into and out of user mode,
 * ahead of lab 4 (suite "umode", `test umode`; not graded). It maps one user
 * page in the lower half of kernel_pt holding the arch's test code
 * (arch_user_test_syscall: a system call, then an exception) and runs each
 * instruction with arch_user_probe, with the kernel stack for traps from
 * user mode set by arch_set_kernel_stack to one of two spare pages in turn.
 * Each trap must come from user mode, at the instruction run, with its
 * frame saved on the page just set: never on the stack of the caller,
 * whose frames it would overwrite, nor on a page set before.
 * Built from lab 3 on (common/lab3/rules.mk): it needs lab 2's page tables
 * and frames and lab 3's per-switch arch_set_kernel_stack.
 */
#include "kernel.h"
#include "arch.h"
#include "ktest.h"
#include "mm.h"
#include "pt.h"
#include "string.h"
#include "trap.h"

#define UMODE_VA 0x400000UL /* the user page: 4 MiB, in every arch's lower half */

/* probe_on: run user code at pc with traps from user mode on stack page stack (a kva); the
 * current thread's stack is set back before interrupts are (a switch would set its own). */
static void probe_on(void *stack, uintptr_t pc, struct arch_user_trap *t)
{
	*t = (struct arch_user_trap){0};
	bool irq = arch_irq_save();
	arch_set_kernel_stack((uintptr_t)stack + PAGE_SIZE);
	arch_user_probe(pc, UMODE_VA + PAGE_SIZE, t);
	arch_set_kernel_stack(kstack_top);
	arch_irq_restore(irq);
}

/* on_page: whether trap frame address frame lies in stack page stack, away from the caller's stack. */
static bool on_page(uintptr_t frame, void *stack)
{
	bool callers = frame >= kstack_limit && frame < kstack_top;
	return !callers && frame >= (uintptr_t)stack && frame < (uintptr_t)stack + PAGE_SIZE;
}

/* one: run the instruction at pc (syscall: the system call, else the exception) on stack, checked as name-*. */
static void one(const char *name, uintptr_t pc, bool syscall, void *stack)
{
	char checks[3][32];
	struct arch_user_trap t;
	probe_on(stack, pc, &t);
	snprintf(checks[0], sizeof(checks[0]), "%s-from-user", name);
	snprintf(checks[1], sizeof(checks[1]), "%s-at-pc", name);
	snprintf(checks[2], sizeof(checks[2]), "%s-on-set-stack", name);
	ktest_check(t.user, checks[0]);
	ktest_check(t.syscall == syscall && t.pc == pc, checks[1]);
	ktest_check(on_page(t.frame, stack), checks[2]);
}

static void ktest_umode(void)
{
	size_t len = (size_t)(arch_user_test_end - arch_user_test_syscall);
	uintptr_t fault = UMODE_VA + (size_t)(arch_user_test_fault - arch_user_test_syscall);
	void *code = frame_alloc(0), *a = frame_alloc(0), *b = frame_alloc(0);
	if (!ktest_check(kernel_pt.root && code && a && b, "setup"))
		goto out;
	memcpy(code, arch_user_test_syscall, len);
	if (!ktest_check(pt_map(&kernel_pt, UMODE_VA, kva_to_pa(code), PAGE_SIZE,
				VM_USER | VM_READ | VM_EXEC) == 0,
			 "map-user-page"))
		goto out;
	/* The kernel jumping into a user page (a ret2usr exploit's first step) must fault. */
	if (ARCH_KERNEL_NO_USER_EXEC)
		ktest_check(arch_probe(PROBE_EXEC, UMODE_VA) == -EFAULT, "kernel-exec-user-faults");
	/* So must a load from one outside arch_copy_user (a stray user pointer in the kernel). */
	if (ARCH_KERNEL_NO_USER_ACCESS)
		ktest_check(arch_probe(PROBE_READ, UMODE_VA) == -EFAULT, "kernel-read-user-faults");
	one("syscall", UMODE_VA, true, a);
	one("fault", fault, false, b);
	one("syscall-again", UMODE_VA, true, b);
	one("fault-again", fault, false, a);
	pt_unmap(&kernel_pt, UMODE_VA, PAGE_SIZE); /* its page-table frames stay, empty */
out:
	if (code)
		frame_free(code);
	if (a)
		frame_free(a);
	if (b)
		frame_free(b);
}
KTEST_SUITE("umode", ktest_umode);

/*
 * trap.h: the portable end of trap handling. Arch trap entry code decodes the
 * cause and calls these.
 */
#pragma once

#include "types.h"
#include "kcpu.h"

/*
 * trap_unexpected: report a trap the kernel did not expect (a fault in kernel
 * mode, an unknown interrupt) as one line
 *     "trap: <what> pc=<pc> <function>+0x<off> addr=<addr>"
 * and panic. what: the decoded cause ("illegal instruction"); pc: the
 * faulting instruction; addr: the faulting address (stval / CR2) or 0;
 * fp: the frame pointer at the trap, for the backtrace.
 * Returns only under the fault-injection boot argument kit.break=storm, in
 * which case the arch code resumes at pc (so the grader can be shown a
 * trap storm).
 */
void trap_unexpected(const char *what, uintptr_t pc, uintptr_t addr, uintptr_t fp);

/* A memory-access fault (page fault, or an access fault), decoded by the arch trap code. */
enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };
struct page_fault {
	uintptr_t addr;		  /* the faulting virtual address (stval / CR2) */
	enum fault_access access; /* what the instruction tried */
	bool user;		  /* taken from user mode */
	uintptr_t pc;		  /* the faulting instruction */
	uintptr_t fp;		  /* the frame pointer at the fault, for the backtrace */
};

/*
 * trap_fault_hook: when set (lab 2 sets it), the arch trap code calls it
 * first for every memory-access fault taken in the kernel, to report it;
 * then the arch resumes an arch_probe that faulted, or else calls
 * trap_unexpected (which panics).
 */
extern void (*trap_fault_hook)(const struct page_fault *pf);

/*
 * arch_probe: try one access at addr in the kernel and survive a fault:
 *   PROBE_READ   load 8 bytes from addr
 *   PROBE_WRITE  load 8 bytes from addr and store them back unchanged
 *   PROBE_EXEC   call addr as a function taking no arguments (arch_probe_ret
 *                is a return instruction in .data, for testing no-exec data)
 * Returns 0 when the access completed, -EFAULT when it faulted: the fault was
 * reported (trap_fault_hook) and the kernel resumed after the probe. The
 * kit's tests use it to show W^X and NULL faults without a reboot.
 */
enum probe_kind { PROBE_READ, PROBE_WRITE, PROBE_EXEC };
int arch_probe(enum probe_kind kind, uintptr_t addr);
extern const char arch_probe_ret[];

/*
 * kstack_limit: the lowest address of the current kernel stack (kcpu.h:
 * boot_stack at boot; lab 3's switches point kcpu.kstack at the next
 * thread's bounds). The arch trap entry compares the stack pointer against
 * it before saving registers: a trap that would save below it is a kernel
 * stack overflow, handled on a separate emergency stack by
 * trap_stack_overflow. Read-only: a switch changes kcpu.kstack.
 */
#define kstack_limit (kcpu.kstack->lo)
/* kstack_top: the current kernel stack's top (one past its highest byte); backtraces accept
 * frame pointers in [kstack_limit, kstack_top] besides the kernel image. */
#define kstack_top (kcpu.kstack->hi)

/*
 * trap_stack_overflow: report a kernel stack overflow, as
 *     "panic: kernel stack overflow: sp 0x<sp> is below the stack's end 0x<limit>"
 * with the pc and a backtrace, and power off with status 1. sp: the stack
 * pointer at the trap; pc, fp: the interrupted pc and frame pointer.
 */
noreturn void trap_stack_overflow(uintptr_t pc, uintptr_t sp, uintptr_t fp);

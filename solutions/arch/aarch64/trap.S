// @file lab7
/*
 * trap.S (aarch64): the EL1 exception vector table (Arm ARM D1.10.2,
 * "Exception vectors"), for exceptions taken in the kernel (EL1 on SP_EL1)
 * and from user mode (EL0, AArch64). Each entry saves every register into
 * a struct trapframe on the kernel stack, calls arm64_trap (synchronous
 * exceptions) or arm64_irq (IRQs) with it, restores and returns with eret.
 * The other entries (SP_EL0 at EL1, FIQ, SError, AArch32) are never
 * expected and go to arm64_trap too, which reports them by their ESR.
 *
 * The kernel runs on SP_EL1; user code on SP_EL0. A trap from EL0 finds
 * SP_EL1 at the kernel stack top arch_set_kernel_stack set: the way out to
 * EL0 loads it (arm64_user_kstack) right before eret. From EL1, before the
 * first store, the entry checks that the frame fits above kstack_limit
 * (trap.h); one that would not is a kernel stack overflow, reported on
 * arm64_emergency_stack by trap_stack_overflow. TPIDR_EL1 holds x0 while
 * the check needs a register.
 *
 * A system call (svc from EL0) goes straight to syscall_hook, past
 * arm64_trap's decoding (not during arch_user_probe, which wants it in
 * arm64_trap); ELR_EL1 is already past the svc. SYS_CALL and
 * SYS_REPLY_RECV try the IPC fastpath first (arch.h, fastpath_call_hook):
 * .Lfast saves the registers without ESR and FAR, calls the hook and, on
 * a hit, returns to EL0 with the frame it gave back.
 */
#define FRAME	    (36 * 8) /* struct trapframe (arch/context.h), a multiple of 16 */
#define TF_SP	    (31 * 8)
#define TF_ELR	    (32 * 8)
#define TF_SPSR	    (33 * 8)
#define TF_ESR	    (34 * 8)
#define TF_FAR	    (35 * 8)
#define EC_SVC64    0x15
#define NEG_EFAULT  -14 /* -EFAULT, errno.h (C only) */
#include "kit/abi.h"		/* SYS_CALL, SYS_REPLY_RECV */
#include "kcpu.h"		/* kcpu: kstack_limit */

/* save_gprs: x2..x30 into the frame at sp. */
.macro save_gprs
	// @lab7 solution
	stp x2, x3, [sp, #2 * 8]
	stp x4, x5, [sp, #4 * 8]
	stp x6, x7, [sp, #6 * 8]
	stp x8, x9, [sp, #8 * 8]
	stp x10, x11, [sp, #10 * 8]
	stp x12, x13, [sp, #12 * 8]
	stp x14, x15, [sp, #14 * 8]
	stp x16, x17, [sp, #16 * 8]
	stp x18, x19, [sp, #18 * 8]
	stp x20, x21, [sp, #20 * 8]
	stp x22, x23, [sp, #22 * 8]
	stp x24, x25, [sp, #24 * 8]
	stp x26, x27, [sp, #26 * 8]
	stp x28, x29, [sp, #28 * 8]
	str x30, [sp, #30 * 8]
	// @lab7 stub
	// TODO(lab7): store x2..x30 into struct trapframe (arch/context.h) at sp: x[i] at
	// i * 8. Hint: stp stores two registers at once; x30 is left alone at 30 * 8.
	b .Ltodo_frame
	// @lab7 end
.endm

/* save_regs: x2..x30 and ELR, SPSR, ESR, FAR into the frame at sp (x0, x1 are the caller's). */
.macro save_regs
	save_gprs
	mrs x2, elr_el1
	mrs x3, spsr_el1
	stp x2, x3, [sp, #TF_ELR]
	mrs x2, esr_el1
	mrs x3, far_el1
	stp x2, x3, [sp, #TF_ESR]
.endm

/* kernel_entry: a trap from EL1: the overflow check, then the frame with the sp before it. */
.macro kernel_entry
	msr tpidr_el1, x0
	sub sp, sp, #FRAME
	adrp x0, kcpu
	ldr x0, [x0, :lo12:kcpu + KCPU_KSTACK]
	ldr x0, [x0, #KSTACK_LO]		/* kstack_limit (kcpu.h) */
	cmp sp, x0
	b.lo .Lstack_overflow		/* unsigned: a zero limit never fires */
	mrs x0, tpidr_el1
	stp x0, x1, [sp]
	add x1, sp, #FRAME
	str x1, [sp, #TF_SP]
	save_regs
.endm

/* user_entry: a trap from EL0: sp is the kernel stack's top; the user's sp is SP_EL0. */
.macro user_entry
	sub sp, sp, #FRAME
	stp x0, x1, [sp]
	user_save
.endm

/* user_save: the rest of user_entry, x0 and x1 saved. */
.macro user_save
	mrs x1, sp_el0
	str x1, [sp, #TF_SP]
	save_regs
.endm

.macro ventry label
	.balign 0x80
	b \label
.endm

	.section .text
	.balign 2048
	.globl arm64_vectors
arm64_vectors:
	// @lab7 solution
	ventry .Lk_sync			/* current EL with SP_EL0: never used */
	ventry .Lk_irq
	ventry .Lk_sync
	ventry .Lk_sync
	ventry .Lk_sync			/* current EL with SP_EL1: the kernel */
	ventry .Lk_irq
	ventry .Lk_sync
	ventry .Lk_sync
	ventry .Lu_sync			/* lower EL, AArch64: user mode */
	ventry .Lu_irq
	ventry .Lu_sync
	ventry .Lu_sync
	ventry .Lu_sync			/* lower EL, AArch32: not supported, reported */
	ventry .Lu_sync
	ventry .Lu_sync
	ventry .Lu_sync
	// @lab7 stub
	// TODO(lab7): the 16 entries, 0x80 bytes apart (Arm ARM D1.10.2), four groups of
	// synchronous, IRQ, FIQ, SError: from the current EL on SP_EL0 (never used), from
	// the current EL on SP_EL1 (the kernel: .Lk_sync, .Lk_irq), from a lower EL in
	// AArch64 (user mode: .Lu_sync, .Lu_irq), from a lower EL in AArch32 (not supported).
	// Hint: ventry LABEL aligns one entry and branches; anything unexpected goes to a
	// sync handler, which arm64_trap reports by its ESR class.
	.rept 16
	ventry .Ltodo_vectors
	.endr
	// @lab7 end

.Lk_sync:
	kernel_entry
	mov x0, sp
	bl arm64_trap
	b .Lreturn
.Lk_irq:
	kernel_entry
	mov x0, sp
	bl arm64_irq
	b .Lreturn
.Lu_irq:
	user_entry
	mov x29, #0			/* kernel backtraces end at the user boundary */
	mov x0, sp
	bl arm64_irq
	b .Lreturn
.Lu_sync:
	sub sp, sp, #FRAME
	stp x0, x1, [sp]
	cmp x8, #SYS_CALL
	b.eq .Lcall
	cmp x8, #SYS_REPLY_RECV
	b.ne .Lu_sync_save
	adrp x1, fastpath_reply_recv_hook
	ldr x1, [x1, :lo12:fastpath_reply_recv_hook]
	b .Lfast_try
.Lcall:
	adrp x1, fastpath_call_hook
	ldr x1, [x1, :lo12:fastpath_call_hook]
.Lfast_try:
	mrs x0, esr_el1
	lsr x0, x0, #26
	cmp x0, #EC_SVC64
	b.eq .Lfast
.Lu_sync_save:
	user_save
	mov x29, #0			/* kernel backtraces end at the user boundary */
	ldr x2, [sp, #TF_ESR]
	lsr x2, x2, #26
	cmp x2, #EC_SVC64
	b.ne 1f
	adrp x2, arm64_user_probe_out
	ldr x2, [x2, :lo12:arm64_user_probe_out]
	cbnz x2, 1f
	adrp x3, syscall_hook
	ldr x3, [x3, :lo12:syscall_hook]
	cbz x3, 1f
	mov x0, sp
	blr x3				/* syscall_hook(tf) */
	b .Lreturn
1:	mov x0, sp
	bl arm64_trap
	b .Lreturn

/*
 * The IPC fastpath (arch.h, fastpath_call_hook; x1 the hook, x0 and x1
 * saved). An IPC system call keeps only x19..x30 and sp (kit/abi.h), so
 * before hook(slot x0, info x1) only the arguments x0..x5, the number x8, x29 and
 * x30, the user's sp, ELR and SPSR go into the frame; x19..x28 are still
 * the user's, in the CPU. A hit (x0 the other thread's frame, on its
 * kernel stack, the switch done): the caller's x19..x28 go into its
 * frame; the message (x1..x5: the tag and MRs 0..3) goes from the
 * caller's frame (the hook's C may change those registers) to the other
 * thread, with the result (x0) and the badge (x6) the hook wrote in its
 * frame, its x19..x30, sp, ELR and SPSR from its frame, and 0 in x7..x18;
 * SP_EL1 is its kernel stack's top again. A miss: the rest of the frame
 * (the clobbered registers 0, ESR, FAR) and the slowpath. arm64_user_enter
 * clears x8, so arch_user_probe's svc never comes here.
 */
.Lfast:
	stp x2, x3, [sp, #2 * 8]
	stp x4, x5, [sp, #4 * 8]
	str x8, [sp, #8 * 8]
	stp x29, x30, [sp, #29 * 8]
	mrs x2, sp_el0
	str x2, [sp, #TF_SP]
	mrs x2, elr_el1
	mrs x3, spsr_el1
	stp x2, x3, [sp, #TF_ELR]
	mov x29, #0			/* kernel backtraces end at the user boundary */
	mov x9, x1
	ldp x0, x1, [sp]		/* the slot and the tag, as the svc left them */
	blr x9				/* hook(slot, info) */
	stp x19, x20, [sp, #19 * 8]
	stp x21, x22, [sp, #21 * 8]
	stp x23, x24, [sp, #23 * 8]
	stp x25, x26, [sp, #25 * 8]
	stp x27, x28, [sp, #27 * 8]
	cbz x0, .Lfast_miss
	ldp x1, x2, [sp, #1 * 8]
	ldp x3, x4, [sp, #3 * 8]
	ldr x5, [sp, #5 * 8]
	mov sp, x0
	ldp x7, x8, [sp, #TF_ELR]
	msr elr_el1, x7
	msr spsr_el1, x8
	ldr x7, [sp, #TF_SP]
	msr sp_el0, x7
	ldr x0, [sp]
	ldr x6, [sp, #6 * 8]
	ldp x19, x20, [sp, #19 * 8]
	ldp x21, x22, [sp, #21 * 8]
	ldp x23, x24, [sp, #23 * 8]
	ldp x25, x26, [sp, #25 * 8]
	ldp x27, x28, [sp, #27 * 8]
	ldp x29, x30, [sp, #29 * 8]
	mov x7, #0
	mov x8, #0
	mov x9, #0
	mov x10, #0
	mov x11, #0
	mov x12, #0
	mov x13, #0
	mov x14, #0
	mov x15, #0
	mov x16, #0
	mov x17, #0
	mov x18, #0
	add sp, sp, #FRAME		/* its kernel stack's top (arm64_user_kstack) */
	eret
.Lfast_miss:
	stp xzr, xzr, [sp, #6 * 8]	/* x6, x7, x9..x18: clobbered, 0 (the ABI's) */
	stp xzr, xzr, [sp, #9 * 8]
	stp xzr, xzr, [sp, #11 * 8]
	stp xzr, xzr, [sp, #13 * 8]
	stp xzr, xzr, [sp, #15 * 8]
	stp xzr, xzr, [sp, #17 * 8]
	mrs x2, esr_el1
	mrs x3, far_el1
	stp x2, x3, [sp, #TF_ESR]
	adrp x3, syscall_hook
	ldr x3, [x3, :lo12:syscall_hook]
	mov x0, sp
	blr x3				/* syscall_hook(tf) */

.Lreturn:				/* arch_user_return joins here with sp = its frame */
	ldp x2, x3, [sp, #TF_ELR]
	msr elr_el1, x2
	msr spsr_el1, x3
	tst x3, #0xf			/* SPSR.M: 0 is EL0t */
	b.ne 1f
	ldr x2, [sp, #TF_SP]
	msr sp_el0, x2
	adrp x2, arm64_user_kstack	/* back to EL0: the next trap's kernel stack */
	ldr x2, [x2, :lo12:arm64_user_kstack]
	str x2, [sp, #TF_SP]
1:
	// @lab7 solution
	ldp x2, x3, [sp, #2 * 8]
	ldp x4, x5, [sp, #4 * 8]
	ldp x6, x7, [sp, #6 * 8]
	ldp x8, x9, [sp, #8 * 8]
	ldp x10, x11, [sp, #10 * 8]
	ldp x12, x13, [sp, #12 * 8]
	ldp x14, x15, [sp, #14 * 8]
	ldp x16, x17, [sp, #16 * 8]
	ldp x18, x19, [sp, #18 * 8]
	ldp x20, x21, [sp, #20 * 8]
	ldp x22, x23, [sp, #22 * 8]
	ldp x24, x25, [sp, #24 * 8]
	ldp x26, x27, [sp, #26 * 8]
	ldp x28, x29, [sp, #28 * 8]
	ldr x30, [sp, #30 * 8]
	// @lab7 stub
	// TODO(lab7): load x2..x30 back from the frame at sp (save_gprs' layout); x0, x1 and
	// sp follow below. Hint: ldp loads two at once.
	b .Ltodo_frame
	// @lab7 end
	ldr x0, [sp, #TF_SP]		/* the sp to return with (arm64_trap may change it) */
	mov x1, sp
	mov sp, x0
	ldp x0, x1, [x1]
	eret

/* The starter's stubs end here (lab 7): a panic that names what is missing. */
.Ltodo_vectors:
	adrp x0, .Ltodo_vectors_msg
	add x0, x0, :lo12:.Ltodo_vectors_msg
	bl panic
.Ltodo_frame:
	adrp x0, .Ltodo_frame_msg
	add x0, x0, :lo12:.Ltodo_frame_msg
	bl panic

/* trap_stack_overflow(elr, sp before the trap, x29) never returns. */
.Lstack_overflow:
	mrs x0, elr_el1
	add x1, sp, #FRAME
	mov x2, x29
	adrp x3, arm64_emergency_stack_top
	add x3, x3, :lo12:arm64_emergency_stack_top
	mov sp, x3
	bl trap_stack_overflow

/*
 * void arm64_user_enter(struct arch_context *ctx (x0), uintptr_t pc (x1),
 *			 uintptr_t sp (x2)): arch_user_probe's way to EL0. Saves
 * x19..x30 and sp in *ctx (arch_context_switch's layout, context.S), so
 * that switching to ctx returns from this call; then eret to EL0 at pc on
 * SP_EL0 = sp with IRQs masked, SP_EL1 loaded like the trap return's.
 * Call with interrupts disabled.
 */
	.globl arm64_user_enter
	.type arm64_user_enter, @function
arm64_user_enter:
	stp x19, x20, [x0, #0]
	stp x21, x22, [x0, #16]
	stp x23, x24, [x0, #32]
	stp x25, x26, [x0, #48]
	stp x27, x28, [x0, #64]
	stp x29, x30, [x0, #80]
	mov x9, sp
	str x9, [x0, #96]
	msr elr_el1, x1
	msr sp_el0, x2
	mov x9, #0x3c0			/* EL0t, D A I F masked */
	msr spsr_el1, x9
	adrp x9, arm64_user_kstack
	ldr x9, [x9, :lo12:arm64_user_kstack]
	mov sp, x9
	mov x8, #0			/* not a fastpath call (SYS_CALL, SYS_REPLY_RECV) */
	eret
	.size arm64_user_enter, . - arm64_user_enter

/*
 * noreturn void arch_user_return(struct trapframe *tf (x0)) (arch.h): the
 * trap return path with tf as its frame: back to the level tf->spsr says
 * (EL0 for a user thread's first entry), with SP_EL1 loaded.
 */
	.globl arch_user_return
	.type arch_user_return, @function
arch_user_return:
	mov sp, x0
	b .Lreturn
	.size arch_user_return, . - arch_user_return

/*
 * int arch_copy_user(void *dst (x0), const void *src (x1), size_t n (x2))
 * (arch.h): a byte loop (EL1 reaches EL0's pages: no PAN on the Cortex-A53).
 * A data abort in [arm64_copy_user, arm64_copy_user_end) resumes at
 * arm64_copy_user_fault (arm64_trap), which returns -EFAULT.
 */
	.globl arch_copy_user, arm64_copy_user, arm64_copy_user_end, arm64_copy_user_fault
	.type arch_copy_user, @function
arch_copy_user:
arm64_copy_user:
	cbz x2, 2f
1:	ldrb w3, [x1], #1
	strb w3, [x0], #1
	subs x2, x2, #1
	b.ne 1b
arm64_copy_user_end:
2:	mov x0, #0
	ret
arm64_copy_user_fault:
	mov x0, #NEG_EFAULT
	ret
	.size arch_copy_user, . - arch_copy_user

/* arch_user_probe's test code (arch.h): svc, then brk. */
	.section .rodata
.Ltodo_vectors_msg:
	.asciz "TODO(lab7): trap.S: the exception vector table"
.Ltodo_frame_msg:
	.asciz "TODO(lab7): trap.S: the trap frame's save and restore"
	.balign 4
	.globl arch_user_test_syscall, arch_user_test_fault, arch_user_test_end
arch_user_test_syscall:
	svc #0
arch_user_test_fault:
	brk #0
arch_user_test_end:

	.section .bss
	.balign 16
arm64_emergency_stack:
	.space 4096
arm64_emergency_stack_top:

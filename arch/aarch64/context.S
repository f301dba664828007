/*
 * context.S (aarch64): kernel-thread contexts (arch.h): arch_context_init,
 * arch_context_switch, and arm64_thread_start, where a new thread's first
 * switch returns to.
 *
 * A context is struct arch_context (arch/context.h): x19..x28 at 0..72, x29
 * (fp) at 80, x30 (lr) at 88, sp at 96 -- the registers a callee keeps
 * (AAPCS64 6.1.1). The caller-saved ones need no slot: a thread is only
 * ever switched out inside a call to arch_context_switch.
 */
	.section .text
	.globl arch_context_switch, arch_context_init
	.balign 4
/*
 * void arch_context_switch(struct arch_context *from (x0),
 *			    struct arch_context *to (x1)):
 * store x19..x30 and sp in *from, load them from *to and return through
 * to's lr: into the call that switched to away, or arm64_thread_start for
 * a new thread. Touches no system register: DAIF stays as it is (call it
 * with interrupts disabled, arch.h). 17 instructions.
 */
	.type arch_context_switch, @function
arch_context_switch:
	stp x19, x20, [x0, #0]
	stp x21, x22, [x0, #16]
	stp x23, x24, [x0, #32]
	stp x25, x26, [x0, #48]
	stp x27, x28, [x0, #64]
	stp x29, x30, [x0, #80]
	mov x9, sp
	str x9, [x0, #96]
	ldp x19, x20, [x1, #0]
	ldp x21, x22, [x1, #16]
	ldp x23, x24, [x1, #32]
	ldp x25, x26, [x1, #48]
	ldp x27, x28, [x1, #64]
	ldp x29, x30, [x1, #80]
	ldr x9, [x1, #96]
	mov sp, x9
	ret
	.size arch_context_switch, . - arch_context_switch

/*
 * void arch_context_init(struct arch_context *ctx (x0), uintptr_t stack_top (x1),
 *			  void (*entry)(void *) (x2), void *arg (x3)):
 * lr = arm64_thread_start, sp = stack_top (16-byte aligned, AAPCS64),
 * x19 = entry, x20 = arg, every other slot (x29 the frame pointer too) 0.
 */
	.type arch_context_init, @function
arch_context_init:
	stp x2, x3, [x0, #0]
	stp xzr, xzr, [x0, #16]
	stp xzr, xzr, [x0, #32]
	stp xzr, xzr, [x0, #48]
	stp xzr, xzr, [x0, #64]
	adr x9, arm64_thread_start
	stp xzr, x9, [x0, #80]
	str x1, [x0, #96]
	ret
	.size arch_context_init, . - arch_context_init

/*
 * arm64_thread_start: a new thread's first instruction, reached by the `ret`
 * of its first arch_context_switch, interrupts as the switcher left them
 * (disabled). Calls entry(arg) with a zero frame pointer, so a backtrace
 * shows entry called from here and stops. entry must not return: if it
 * does, panic.
 */
	.type arm64_thread_start, @function
arm64_thread_start:
	mov x0, x20
	mov x29, #0
	blr x19
	adrp x0, .Lreturned
	add x0, x0, :lo12:.Lreturned
	bl panic
	.size arm64_thread_start, . - arm64_thread_start

	.section .rodata
.Lreturned:
	.string "arch_context_init: a thread's entry function returned"

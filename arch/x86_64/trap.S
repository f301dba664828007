/*
 * trap.S (x86_64): the stubs of IDT vectors 0..47 (the exceptions, then the
 * 8259 PICs' IRQ 0..15, which pc/pic.c remaps to 32..47) and their common
 * path. Each stub pushes a zero error code when the CPU pushes none
 * (Intel SDM Vol. 3A, "Error Code" and the table "Protected-Mode Exceptions
 * and Interrupts": vectors 8, 10-14, 17 and 21 push one; AMD64 APM Vol. 2
 * "Vectors": 29 and 30 too) and its vector, so every trap leaves the same
 * frame. x86_trap_common saves the general registers into a struct
 * trapframe (arch/x86.h), calls x86_trap(tf), restores them and returns
 * with iretq to the saved rip (Intel SDM Vol. 3A, "Exception and Interrupt
 * Handling in 64-bit Mode").
 * Entry points: the stubs, whose addresses x86_trap_stubs[vector] lists.
 */
#define ERROR_CODE_VECTORS 0x60227d00 /* bits 8, 10-14, 17, 21, 29, 30 */
#define VECTORS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
	21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, \
	42, 43, 44, 45, 46, 47

	.section .rodata
	.balign 8
	.globl x86_trap_stubs
x86_trap_stubs:
	.irp vec, VECTORS
	.quad x86_trap_\vec
	.endr

	.section .text
	.irp vec, VECTORS
	.balign 16
	.type x86_trap_\vec, @function
x86_trap_\vec:
	.if !((ERROR_CODE_VECTORS >> \vec) & 1)
	pushq $0
	.endif
	pushq $\vec
	jmp x86_trap_common
	.size x86_trap_\vec, . - x86_trap_\vec
	.endr

/* The CPU aligned rsp to 16 before its 5-word frame ("64-Bit Mode Stack Frame"); with the error
 * code, the vector and 15 registers rsp is 16-aligned again at the call. */
	.type x86_trap_common, @function
x86_trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld				/* the ABI's calling convention wants DF clear */
	movq %rsp, %rdi
	call x86_trap
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* the vector and the error code */
	iretq
	.size x86_trap_common, . - x86_trap_common

/*
 * crt0.S (x86_64 user): _start, where a user program begins: a zero frame
 * pointer ends backtraces, the stack is 16-byte aligned before the call
 * (System V AMD64 ABI 3.2.2), then main(); its return value (eax, sign
 * extended) goes to the exit system call (kit/abi.h). Should exit ever
 * return (a kernel whose system calls are still stubs), an int3 hands
 * control to the kernel as a user fault. The kernel sets rsp before entry;
 * the 16 bytes under it stay unused (the kit's tests of -EFAULT on ranges
 * past the stack's end write there).
 */
#include "kit/abi.h"

	.section .text.entry
	.globl _start
	.type _start, @function
_start:
	movq %rdi, kit_start_arg(%rip)	/* the kernel's argument (rdi), for kit_start_arg */
	xorl %ebp, %ebp
	andq $-16, %rsp
	subq $16, %rsp			/* 16 bytes at the top stay unused */
	call main
	movslq %eax, %rdi
	movl $SYS_EXIT, %eax
	syscall
1:	int3
	jmp 1b
	.size _start, . - _start

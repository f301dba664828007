/*
 * crt0.S (x86_64 user): _start, where a user program begins: a zero frame
 * pointer ends backtraces, the stack is 16-byte aligned before the call
 * (System V AMD64 ABI 3.2.2), then main(); its return value stays in eax
 * and an int3 hands control to the kernel (lab 4 replaces it with the exit
 * system call). The kernel sets rsp before entry.
 */
	.section .text.entry
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call main
1:	int3
	jmp 1b
	.size _start, . - _start

/*
 * crt0.S (riscv64 user): _start, where a user program begins: a zero frame
 * pointer ends backtraces, then main(); its return value stays in a0 and
 * an ebreak hands control to the kernel (lab 4 replaces it with the exit
 * system call). The kernel sets sp before entry.
 */
	.section .text.entry
	.globl _start
	.type _start, @function
_start:
	li s0, 0
	call main
1:	ebreak
	j 1b
	.size _start, . - _start

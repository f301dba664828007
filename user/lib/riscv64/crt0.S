/*
 * crt0.S (riscv64 user): _start, where a user program begins: a zero frame
 * pointer ends backtraces, then main(); its return value (a0) goes to the
 * exit system call (kit/abi.h). Should exit ever return (a kernel whose
 * system calls are still stubs), an ebreak hands control to the kernel as a
 * user fault. The kernel sets sp before entry; the 16 bytes under it stay
 * unused (the kit's tests of -EFAULT on ranges past the stack's end write there).
 */
#include "kit/abi.h"

	.section .text.entry
	.globl _start
	.type _start, @function
_start:
	la t0, kit_start_arg		/* the kernel's argument (a0), for kit_start_arg */
	sd a0, 0(t0)
	li s0, 0
	addi sp, sp, -16		/* 16 bytes at the top stay unused */
	call main
	li a7, SYS_EXIT
	ecall
1:	ebreak
	j 1b
	.size _start, . - _start

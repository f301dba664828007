/*
 * crt0.S (aarch64 user): _start, where a user program begins: a zero frame
 * pointer and link register end backtraces, then main(); its return value
 * (x0) goes to the exit system call (kit/abi.h). Should exit ever return (a
 * kernel whose system calls are still stubs), a brk hands control to the
 * kernel as a user fault. The kernel sets sp before entry; the 16 bytes under
 * it stay unused (the kit's tests of -EFAULT on ranges past the stack's end
 * write there).
 */
#include "kit/abi.h"

	.section .text.entry
	.globl _start
	.type _start, @function
_start:
	adrp x9, kit_start_arg		/* the kernel's argument (x0), for kit_start_arg */
	str x0, [x9, :lo12:kit_start_arg]
	mov x29, #0
	mov x30, #0
	sub sp, sp, #16			/* 16 bytes at the top stay unused */
	bl main
	mov x8, #SYS_EXIT
	svc #0
1:	brk #0
	b 1b
	.size _start, . - _start

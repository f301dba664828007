/*
 * sys.S (riscv64 user): the one system-call stub and the instruction
 * counter (kit/syscall.h). The registers are kit/abi.h's.
 */
	.section .text
	.globl kit_syscall, kit_cycles
/* long kit_syscall(long nr, long a0, ..., long a5): ecall with nr in a7; the result in a0. */
	.type kit_syscall, @function
kit_syscall:
	mv a7, a0
	mv a0, a1
	mv a1, a2
	mv a2, a3
	mv a3, a4
	mv a4, a5
	mv a5, a6
	ecall
	ret
	.size kit_syscall, . - kit_syscall

/* uint64_t kit_cycles(void): instret (Zicntr; the kernel lets U-mode read it). */
	.type kit_cycles, @function
kit_cycles:
	rdinstret a0
	ret
	.size kit_cycles, . - kit_cycles

/* kit_thread_entry: where a thread started by kit_thread_start begins (a0: its index): a zero
 * frame pointer, then kit_thread_main, which never returns. */
	.globl kit_thread_entry
	.type kit_thread_entry, @function
kit_thread_entry:
	li s0, 0
	call kit_thread_main
1:	ebreak
	j 1b
	.size kit_thread_entry, . - kit_thread_entry

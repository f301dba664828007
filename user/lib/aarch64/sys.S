/*
 * sys.S (aarch64 user): the one system-call stub and the instruction
 * counter (kit/syscall.h). The registers are kit/abi.h's.
 */
	.section .text
	.globl kit_syscall, kit_cycles
/* long kit_syscall(long nr, long a0, ..., long a5): svc with nr in x8, the arguments in
 * x0..x5; the result in x0. */
	.type kit_syscall, @function
kit_syscall:
	mov x8, x0
	mov x0, x1
	mov x1, x2
	mov x2, x3
	mov x3, x4
	mov x4, x5
	mov x5, x6
	svc #0
	ret
	.size kit_syscall, . - kit_syscall

/* uint64_t kit_cycles(void): PMCCNTR_EL0 (the kernel lets EL0 read it), which counts
 * instructions under QEMU -icount shift=0. */
	.type kit_cycles, @function
kit_cycles:
	mrs x0, pmccntr_el0
	ret
	.size kit_cycles, . - kit_cycles

/* kit_thread_entry: where a thread started by kit_thread_start begins (x0: its index): a zero
 * frame pointer, then kit_thread_main, which never returns. */
	.globl kit_thread_entry
	.type kit_thread_entry, @function
kit_thread_entry:
	mov x29, #0
	mov x30, #0
	bl kit_thread_main
1:	brk #0
	b 1b
	.size kit_thread_entry, . - kit_thread_entry

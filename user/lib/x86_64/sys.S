/*
 * sys.S (x86_64 user): the one system-call stub and the instruction
 * counter (kit/syscall.h). The registers are kit/abi.h's.
 */
	.section .text
	.globl kit_syscall, kit_cycles
/* long kit_syscall(long nr, long a0, ..., long a5): the C arguments (rdi, rsi, rdx, rcx, r8,
 * r9, then the stack) move to rax, rdi, rsi, rdx, r10, r8, r9; syscall; the result in rax. */
	.type kit_syscall, @function
kit_syscall:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	movq %r9, %r8
	movq 8(%rsp), %r9
	syscall
	ret
	.size kit_syscall, . - kit_syscall

/* uint64_t kit_cycles(void): the TSC, which counts instructions under QEMU -icount shift=0. */
	.type kit_cycles, @function
kit_cycles:
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	ret
	.size kit_cycles, . - kit_cycles

/* kit_thread_entry: where a thread started by kit_thread_start begins (rdi: its index): a zero
 * frame pointer, the stack aligned for the call, then kit_thread_main, which never returns. */
	.globl kit_thread_entry
	.type kit_thread_entry, @function
kit_thread_entry:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call kit_thread_main
1:	int3
	jmp 1b
	.size kit_thread_entry, . - kit_thread_entry

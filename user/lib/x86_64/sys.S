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

/*
 * long kit_ipc(long nr (rdi), unsigned long slot (rsi), struct kit_msg *m (rdx)): an IPC
 * system call: slot in rdi, m's tag and MRs 0..3 in rsi, rdx, r10, r8, r9; back come the
 * result (rax), the tag and MRs (rsi, rdx, r10, r8, r9) and the badge (rdi), into *m. rbx
 * keeps m across the syscall: an IPC call keeps only rbx, rbp, r12..r15 and rsp (kit/abi.h),
 * as a C call does.
 */
	.globl kit_ipc
	.type kit_ipc, @function
kit_ipc:
	pushq %rbx
	movq %rdx, %rbx
	movq %rdi, %rax
	movq %rsi, %rdi
	movq 0(%rbx), %rsi
	movq 8(%rbx), %rdx
	movq 16(%rbx), %r10
	movq 24(%rbx), %r8
	movq 32(%rbx), %r9
	syscall
	movq %rsi, 0(%rbx)
	movq %rdx, 8(%rbx)
	movq %r10, 16(%rbx)
	movq %r8, 24(%rbx)
	movq %r9, 32(%rbx)
	movq %rdi, 40(%rbx)
	popq %rbx
	ret
	.size kit_ipc, . - kit_ipc

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

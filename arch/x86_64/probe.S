/*
 * probe.S (x86_64): arch_probe, one access at an address that may fault
 * (common/include/trap.h), and arch_probe_ret, a return instruction in .data.
 *
 * Recovery: arch_probe records its entry rsp in x86_probe_sp (0 when no probe
 * runs). x86_trap (arch.c) takes a page fault or general protection fault as
 * the probe's own when x86_probe_sp is set and the fault is at an instruction
 * in [arch_probe, x86_probe_fixup), or, for PROBE_EXEC, at the called address
 * with the stack as the call left it (rsp = x86_probe_sp - 16, holding
 * x86_probe_exec_ret). It then resumes at x86_probe_fixup with rsp =
 * x86_probe_sp, which returns -EFAULT to arch_probe's caller. arch_probe
 * changes no callee-saved register and has no stack frame of its own, so
 * nothing else needs restoring. Entry points: arch_probe, x86_probe_fixup.
 */
#define PROBE_READ  0 /* enum probe_kind, trap.h */
#define PROBE_WRITE 1
#define PROBE_EXEC  2
#define EFAULT      14 /* errno.h */
#define EINVAL      22

	.section .text
	.globl arch_probe, x86_probe_fixup
/* int arch_probe(enum probe_kind kind = edi, uintptr_t addr = rsi); -EINVAL for another kind. */
	.type arch_probe, @function
arch_probe:
	cmpl $PROBE_EXEC, %edi
	ja 4f
	movq %rsp, x86_probe_sp(%rip)
	cmpl $PROBE_READ, %edi
	jne 1f
	movq (%rsi), %rax
	jmp 3f
1:	cmpl $PROBE_WRITE, %edi
	jne 2f
	movq (%rsi), %rax
	movq %rax, (%rsi)
	jmp 3f
2:	subq $8, %rsp			/* the callee starts with rsp + 8 16-aligned (SysV ABI 3.2.2) */
	call *%rsi
.Lexec_ret:
	addq $8, %rsp
3:	movq $0, x86_probe_sp(%rip)
	xorl %eax, %eax
	ret
4:	movl $-EINVAL, %eax
	ret
	.size arch_probe, . - arch_probe

	.type x86_probe_fixup, @function
x86_probe_fixup:
	movq $0, x86_probe_sp(%rip)
	movl $-EFAULT, %eax
	ret
	.size x86_probe_fixup, . - x86_probe_fixup

	.section .rodata
	.balign 8
	.globl x86_probe_exec_ret
x86_probe_exec_ret:
	.quad .Lexec_ret

	.section .data
	.globl arch_probe_ret
arch_probe_ret:
	ret

	.section .bss
	.balign 8
	.globl x86_probe_sp
x86_probe_sp:
	.space 8

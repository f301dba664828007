/*
 * trap.S (x86_64): the stubs of IDT vectors 0..47 (the exceptions, then the
 * 8259 PICs' IRQ 0..15, which pc/pic.c remaps to 32..47) and their common
 * path. Each stub pushes a zero error code when the CPU pushes none
 * (Intel SDM Vol. 3A, "Error Code" and the table "Protected-Mode Exceptions
 * and Interrupts": vectors 8, 10-14, 17 and 21 push one; AMD64 APM Vol. 2
 * "Vectors": 29 and 30 too) and its vector, so every trap leaves the same
 * frame. x86_trap_common saves the general registers into a struct
 * trapframe (arch/x86.h), calls x86_trap(tf), restores them and returns
 * with iretq to the saved rip (Intel SDM Vol. 3A, "Exception and Interrupt
 * Handling in 64-bit Mode"). A trap from ring 3 arrives on the stack in
 * TSS.RSP0 (arch_set_kernel_stack) and swaps GS to the per-CPU area on the
 * way in and back on the way out (swapgs; arch/x86.h, struct x86_cpu).
 *
 * x86_syscall_entry, SYSCALL's entry point (IA32_LSTAR), builds the same
 * frame on the per-CPU kernel stack as if vector X86_VEC_SYSCALL had been
 * taken from ring 3, and returns by SYSRET (lab 4's fastpath and
 * syscall_hook) or the common path (iretq). x86_trap hands it to
 * syscall_hook (lab 4), or reports it as unexpected.
 * Entry points: the stubs, whose addresses x86_trap_stubs[vector] lists,
 * and x86_syscall_entry.
 */
#define GDT_UCODE	0x20 /* X86_GDT_UCODE, arch/x86.h */
#define GDT_UDATA	0x18 /* X86_GDT_UDATA */
#define CPU_KSTACK_TOP	0    /* struct x86_cpu, arch/x86.h */
#define CPU_USER_RSP	8
#define VEC_SYSCALL	256  /* X86_VEC_SYSCALL */
#define TF_R15		(0 * 8)	 /* struct trapframe, arch/context.h */
#define TF_R14		(1 * 8)
#define TF_R13		(2 * 8)
#define TF_R12		(3 * 8)
#define TF_R10		(5 * 8)
#define TF_R9		(6 * 8)
#define TF_R8		(7 * 8)
#define TF_RBP		(8 * 8)
#define TF_RDI		(9 * 8)
#define TF_RSI		(10 * 8)
#define TF_RDX		(11 * 8)
#define TF_RBX		(13 * 8)
#define TF_RAX		(14 * 8)
#define TF_RIP		(17 * 8)
#define TF_RFLAGS	(19 * 8)
#define TF_RSP		(20 * 8)
#define TF_SIZE		(22 * 8)
#include "kit/abi.h"		/* SYS_CALL, SYS_REPLY_RECV */
#define ERROR_CODE_VECTORS 0x60227d00 /* bits 8, 10-14, 17, 21, 29, 30 */
#define VECTORS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
	21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, \
	42, 43, 44, 45, 46, 47

	.section .rodata
	.balign 8
	.globl x86_trap_stubs
x86_trap_stubs:
	.irp vec, VECTORS
	.quad x86_trap_\vec
	.endr

/* SAVE_REGS: the general registers, in struct trapframe's order; DF clear for C. */
.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld				/* the ABI's calling convention wants DF clear */
.endm

/* FAST_FRAME: the fastpath's part of the frame (below the SYSCALL entry's kernel stack top):
 * the number, the arguments, rip (rcx), RFLAGS (r11) and the user's rsp; the arguments stay in
 * their registers (rdi, rsi: the hook's slot and info). */
.macro FAST_FRAME
	subq $TF_SIZE, %rsp
	movq %rcx, TF_RIP(%rsp)
	movq %r11, TF_RFLAGS(%rsp)
	movq %gs:CPU_USER_RSP, %rcx
	movq %rcx, TF_RSP(%rsp)
	movq %rax, TF_RAX(%rsp)
	movq %rdi, TF_RDI(%rsp)
	movq %rsi, TF_RSI(%rsp)
	movq %rdx, TF_RDX(%rsp)
	movq %r10, TF_R10(%rsp)
	movq %r8, TF_R8(%rsp)
	movq %r9, TF_R9(%rsp)
.endm

	.section .text
	.irp vec, VECTORS
	.balign 16
	.type x86_trap_\vec, @function
x86_trap_\vec:
	.if !((ERROR_CODE_VECTORS >> \vec) & 1)
	pushq $0
	.endif
	pushq $\vec
	jmp x86_trap_common
	.size x86_trap_\vec, . - x86_trap_\vec
	.endr

/* The CPU aligned rsp to 16 before its 5-word frame ("64-Bit Mode Stack Frame"); with the error
 * code, the vector and 15 registers rsp is 16-aligned again at the call. */
	.type x86_trap_common, @function
x86_trap_common:
	testb $1, x86_smap(%rip)
	jz 1f
	clac				/* AC may be ring 3's, or arch_copy_user's (arch.c, x86_smap) */
1:	testb $3, 24(%rsp)		/* the CS the CPU pushed (above vector, error, rip) */
	jz .Lsave
	swapgs				/* from ring 3: GS base is the per-CPU area again */
.Lsave:
	SAVE_REGS
	movq %rsp, %rdi
	call x86_trap
.Lrestore:				/* arch_user_return joins here with rsp = its frame */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* the vector and the error code */
	testb $3, 8(%rsp)		/* the CS to return to */
	jz 1f
	swapgs				/* to ring 3: GS base is the user's again */
1:	iretq
	.size x86_trap_common, . - x86_trap_common

/*
 * SYSCALL from ring 3 (Intel SDM Vol. 2B, SYSCALL): rcx = the user's rip
 * after the instruction, r11 = the user's RFLAGS, RFLAGS masked by
 * IA32_FMASK (IF, DF, TF, AC clear), CS and SS from IA32_STAR, rsp still
 * the user's. Switch GS and then the stack, and build the frame an
 * interrupt from ring 3 would have left (ss, rsp, rflags, cs, rip, error 0,
 * vector X86_VEC_SYSCALL). SYS_CALL and SYS_REPLY_RECV go to the IPC
 * fastpath's hook first (arch.h: a frame back means it switched threads,
 * and that thread's frame is the one to return with); the rest, and a
 * miss, go to syscall_hook directly, past x86_trap's decoding (except
 * during arch_user_probe, which wants them in x86_trap). Until the stack
 * switch, ring-0 code runs on the user's rsp with the user's GS base
 * possibly in place; an NMI or machine check there (IF does not mask them)
 * would run on that stack, so those vectors have IST stacks of their own
 * (arch.c, tss_init).
 *
 * The way back is SYSRET (.Lsysret), which loads rip from rcx and RFLAGS
 * from r11: right for a frame a SYSCALL saved, whose rcx and r11 the ABI
 * gives up (the fastpath's other thread is blocked in a system call too).
 * On Intel CPUs a non-canonical rcx makes SYSRET raise #GP in ring 0 with
 * the user's rsp already loaded (CVE-2012-0217), a fault on a user-chosen
 * stack: a rip that is not a lower-half address (bits 63..47 not all 0)
 * never reaches sysretq, it returns by iretq (.Lrestore), which raises any
 * fault on the kernel stack. The last page below the lower half's end is
 * never user space (ARCH_USER_TOP), so no SYSCALL returns to its end.
 */
	.balign 16
	.globl x86_syscall_entry
	.type x86_syscall_entry, @function
x86_syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USER_RSP
	movq %gs:CPU_KSTACK_TOP, %rsp
	cmpq $SYS_CALL, %rax
	je .Lfast_call
	cmpq $SYS_REPLY_RECV, %rax
	je .Lfast_reply_recv
.Lsyscall_frame:
	pushq $(GDT_UDATA | 3)		/* ss */
	pushq %gs:CPU_USER_RSP		/* rsp */
	pushq %r11			/* rflags */
	pushq $(GDT_UCODE | 3)		/* cs */
	pushq %rcx			/* rip */
	pushq $0			/* error */
	pushq $VEC_SYSCALL
	SAVE_REGS
	movq %rsp, %rdi
.Lsyscall_slow:				/* rdi: the frame */
	cmpq $0, x86_user_probe_out(%rip)
	jne 1f
	movq syscall_hook(%rip), %rax
	testq %rax, %rax
	jz 1f
	call *%rax			/* syscall_hook(tf) */
	jmp .Lsysret
1:	call x86_trap			/* during arch_user_probe, or no hook */
	jmp .Lrestore

/*
 * The IPC fastpath (arch.h, fastpath_call_hook). An IPC system call keeps
 * only rbx, rbp, r12..r15 and rsp (kit/abi.h), so before hook(slot rdi,
 * info rsi)
 * only the number, the arguments and what SYSCALL left (rip in rcx,
 * RFLAGS in r11, the user's rsp) go into the frame; the callee-saved
 * registers are still the user's, in the CPU. A hit (rax the other
 * thread's frame, the switch done): the caller's callee-saved registers
 * go into its frame, the message (rsi, rdx, r10, r8, r9: the tag and MRs
 * 0..3) from the caller's frame (the hook's C may change those registers)
 * to the other thread, with the result (rax) and badge (rdi) the hook
 * wrote in its frame, its callee-saved registers, rip and RFLAGS (rcx,
 * r11) and rsp from its frame, out by SYSRET: every register is the
 * other thread's or its message. A miss: the rest of the frame (rcx and
 * r11 0: clobbered) and the slowpath.
 */
.Lfast_call:
	FAST_FRAME
	call *fastpath_call_hook(%rip)	/* hook(slot, info): NULL or the frame to return with */
	jmp 2f
.Lfast_reply_recv:
	FAST_FRAME
	call *fastpath_reply_recv_hook(%rip)
2:	testq %rax, %rax
	jz .Lfast_miss
	movq %rbx, TF_RBX(%rsp)
	movq %rbp, TF_RBP(%rsp)
	movq %r12, TF_R12(%rsp)
	movq %r13, TF_R13(%rsp)
	movq %r14, TF_R14(%rsp)
	movq %r15, TF_R15(%rsp)
	movq TF_RSI(%rsp), %rsi
	movq TF_RDX(%rsp), %rdx
	movq TF_R10(%rsp), %r10
	movq TF_R8(%rsp), %r8
	movq TF_R9(%rsp), %r9
	movq %rax, %rsp
	movq TF_RBX(%rsp), %rbx
	movq TF_RBP(%rsp), %rbp
	movq TF_R12(%rsp), %r12
	movq TF_R13(%rsp), %r13
	movq TF_R14(%rsp), %r14
	movq TF_R15(%rsp), %r15
	movq TF_RAX(%rsp), %rax
	movq TF_RDI(%rsp), %rdi
	movq TF_RIP(%rsp), %rcx
	movq %rcx, %r11
	shrq $47, %r11
	jnz .Lrestore			/* not a lower-half rip: never to sysretq */
	movq TF_RFLAGS(%rsp), %r11
	movq TF_RSP(%rsp), %rsp
	swapgs
	sysretq
.Lfast_miss:
	movq %rbx, TF_RBX(%rsp)
	movq %rbp, TF_RBP(%rsp)
	movq %r12, TF_R12(%rsp)
	movq %r13, TF_R13(%rsp)
	movq %r14, TF_R14(%rsp)
	movq %r15, TF_R15(%rsp)
	movq %rsp, %rdi
	call arch_ipc_frame_complete	/* rcx, r11 0; vector, error, cs, ss */
	movq %rsp, %rdi
	jmp .Lsyscall_slow

.Lsysret:				/* rsp: a frame a SYSCALL saved */
	movq TF_RIP(%rsp), %rcx
	movq %rcx, %r11
	shrq $47, %r11
	jnz .Lrestore			/* not a lower-half rip: never to sysretq */
	movq TF_RFLAGS(%rsp), %r11
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	addq $8, %rsp			/* r11: the rflags */
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	addq $8, %rsp			/* rcx: the rip */
	popq %rbx
	popq %rax
	movq 5*8(%rsp), %rsp		/* past vector, error, rip, cs, rflags: the user's rsp */
	swapgs
	sysretq
	.size x86_syscall_entry, . - x86_syscall_entry

/*
 * noreturn void arch_user_return(struct trapframe *tf (rdi)) (arch.h): the
 * common path's way out with tf as its frame: iretq to the ring tf->cs
 * says (ring 3 for a user thread's first entry, with swapgs).
 */
	.globl arch_user_return
	.type arch_user_return, @function
arch_user_return:
	movq %rdi, %rsp
	jmp .Lrestore
	.size arch_user_return, . - arch_user_return

/*
 * int arch_copy_user(void *dst (rdi), const void *src (rsi), size_t n (rdx))
 * (arch.h): rep movsb, with RFLAGS.AC set around it where SMAP is on
 * (stac/clac, arch.c x86_smap; a CPU without SMAP has no stac: #UD). A page
 * fault or #GP at x86_copy_user_insn resumes at x86_copy_user_fault
 * (x86_trap), which returns -EFAULT.
 */
	.globl arch_copy_user, x86_copy_user_insn, x86_copy_user_fault
	.type arch_copy_user, @function
arch_copy_user:
	movq %rdx, %rcx
	testb $1, x86_smap(%rip)
	jz x86_copy_user_insn
	stac
x86_copy_user_insn:
	rep movsb
	xorl %eax, %eax
	jmp 1f
x86_copy_user_fault:
	movl $-14, %eax			/* -EFAULT, errno.h */
1:	testb $1, x86_smap(%rip)
	jz 2f
	clac
2:	ret
	.size arch_copy_user, . - arch_copy_user

/* arch_user_probe's test code (arch.h): syscall, then ud2 (#UD, vector 6). */
	.section .rodata
	.globl arch_user_test_syscall, arch_user_test_fault, arch_user_test_end
arch_user_test_syscall:
	syscall
arch_user_test_fault:
	ud2
arch_user_test_end:

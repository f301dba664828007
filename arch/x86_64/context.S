/*
 * context.S (x86_64): kernel-thread contexts (arch.h): arch_context_init,
 * arch_context_switch, and x86_thread_start, where a new thread's first
 * switch jumps to.
 *
 * A context is struct arch_context (arch/context.h): rsp at 0, rip at 8,
 * then rbx, rbp, r12..r15 -- the registers a callee keeps (System V AMD64
 * ABI 3.2.1, Figure 3.4). The others need no slot: a thread is only ever
 * switched out inside a call to arch_context_switch. RFLAGS needs none
 * either: IF is clear at every switch (arch.h) and DF is clear at every
 * call (ABI 3.2.1).
 */
#define CTX_RSP 0
#define CTX_RIP 8
#define CTX_RBX 16
#define CTX_RBP 24
#define CTX_R12 32
#define CTX_R13 40
#define CTX_R14 48
#define CTX_R15 56
#define CTX_ENTRY CTX_RBX		/* a new thread's entry and arg live in rbx, r12 */
#define CTX_ARG	  CTX_R12

	.section .text
/*
 * save_context: pop the return address into (rdi)'s rip and store rsp (as
 * the caller's ret would leave it) and the callee-saved registers in the
 * struct arch_context at rdi. Clobbers rax.
 */
	.macro save_context
	popq %rax
	movq %rsp, CTX_RSP(%rdi)
	movq %rax, CTX_RIP(%rdi)
	movq %rbx, CTX_RBX(%rdi)
	movq %rbp, CTX_RBP(%rdi)
	movq %r12, CTX_R12(%rdi)
	movq %r13, CTX_R13(%rdi)
	movq %r14, CTX_R14(%rdi)
	movq %r15, CTX_R15(%rdi)
	.endm

	.globl arch_context_switch, arch_context_init
/*
 * void arch_context_switch(struct arch_context *from (rdi),
 *			    struct arch_context *to (rsi)):
 * pop the return address into from's rip, store rsp (as the caller's ret
 * would leave it) and rbx, rbp, r12..r15 in *from, load them from *to and
 * jump to to's rip: into the call that switched to away, or
 * x86_thread_start for a new thread. Leaves RFLAGS as it is (call it with
 * interrupts disabled, arch.h). 17 instructions.
 */
	.balign 16
	.type arch_context_switch, @function
arch_context_switch:
	save_context
	movq CTX_RSP(%rsi), %rsp
	movq CTX_RBX(%rsi), %rbx
	movq CTX_RBP(%rsi), %rbp
	movq CTX_R12(%rsi), %r12
	movq CTX_R13(%rsi), %r13
	movq CTX_R14(%rsi), %r14
	movq CTX_R15(%rsi), %r15
	jmpq *CTX_RIP(%rsi)
	.size arch_context_switch, . - arch_context_switch

/*
 * void arch_context_init(struct arch_context *ctx (rdi), uintptr_t stack_top (rsi),
 *			  void (*entry)(void *) (rdx), void *arg (rcx)):
 * a context whose first switch runs x86_thread_start with rsp = stack_top
 * (16-byte aligned), rbp = 0, entry in rbx and arg in r12.
 */
	.type arch_context_init, @function
arch_context_init:
	movq %rsi, CTX_RSP(%rdi)
	leaq x86_thread_start(%rip), %rax
	movq %rax, CTX_RIP(%rdi)
	movq %rdx, CTX_ENTRY(%rdi)
	movq $0, CTX_RBP(%rdi)
	movq %rcx, CTX_ARG(%rdi)
	movq $0, CTX_R13(%rdi)
	movq $0, CTX_R14(%rdi)
	movq $0, CTX_R15(%rdi)
	ret
	.size arch_context_init, . - arch_context_init

/*
 * x86_thread_start: a new thread's first instruction, interrupts still
 * disabled, on its own stack with rbp = 0 (the backtrace ends here). Calls
 * entry(arg) with rsp 16-byte aligned at the call (ABI 3.2.2); entry must
 * not return, and if it does the kernel panics with a reason instead of
 * running off the stack.
 */
	.type x86_thread_start, @function
x86_thread_start:
	movq %r12, %rdi
	call *%rbx
	leaq .Lreturned(%rip), %rdi
	xorl %eax, %eax			/* panic is variadic: no vector registers */
	call panic
	ud2				/* not reached; keeps panic's return address in here */
	.size x86_thread_start, . - x86_thread_start

/*
 * void x86_user_enter(struct arch_context *ctx (rdi), uintptr_t pc (rsi),
 *		       uintptr_t sp (rdx)): arch_user_probe's way to ring 3.
 * Saves the context the way arch_context_switch does, so that switching to
 * ctx returns from this call; then iretq to ring 3 at pc with rsp = sp and
 * RFLAGS = 0x2 (IF clear: interrupts stay masked in ring 3), GS base the
 * user's (swapgs). Call with interrupts disabled.
 */
#define GDT_UDATA 0x18 /* X86_GDT_UDATA, arch/x86.h */
#define GDT_UCODE 0x20 /* X86_GDT_UCODE */
	.globl x86_user_enter
	.type x86_user_enter, @function
x86_user_enter:
	save_context
	pushq $(GDT_UDATA | 3)		/* ss */
	pushq %rdx			/* rsp */
	pushq $0x2			/* rflags: bit 1 is always 1; IF clear */
	pushq $(GDT_UCODE | 3)		/* cs */
	pushq %rsi			/* rip */
	xorl %eax, %eax			/* not a fastpath call (SYS_CALL, SYS_REPLY_RECV) */
	swapgs
	iretq
	.size x86_user_enter, . - x86_user_enter

	.section .rodata
.Lreturned:
	.asciz "x86_thread_start: a thread's entry function returned"

/*
 * context.S (riscv64): kernel-thread contexts (arch.h): arch_context_init,
 * arch_context_switch, and riscv_thread_start, where a new thread's first
 * switch returns to.
 *
 * A context is struct arch_context (arch/context.h): ra at 0, sp at 8,
 * s0..s11 at 16..104 -- the registers a callee keeps (RISC-V psABI,
 * "Integer Register Convention"). The caller-saved ones need no slot: a
 * thread is only ever switched out inside a call to arch_context_switch.
 */
#define CTX_RA	  0
#define CTX_SP	  8
#define CTX_S(n)  (16 + 8 * (n))
#define CTX_ENTRY CTX_S(1)		/* a new thread's entry and arg live in s1, s2 */
#define CTX_ARG	  CTX_S(2)

	.section .text
	.globl arch_context_switch, arch_context_init
	.balign 4
/*
 * void arch_context_switch(struct arch_context *from (a0),
 *			    struct arch_context *to (a1)):
 * store ra, sp, s0..s11 in *from, load them from *to and return through
 * to's ra: into the call that switched to away, or riscv_thread_start for a
 * new thread. Touches no CSR: sstatus.SIE stays as it is (call it with
 * interrupts disabled, arch.h). 29 instructions.
 */
	.type arch_context_switch, @function
arch_context_switch:
	sd ra, CTX_RA(a0)
	sd sp, CTX_SP(a0)
	sd s0, CTX_S(0)(a0)
	sd s1, CTX_S(1)(a0)
	sd s2, CTX_S(2)(a0)
	sd s3, CTX_S(3)(a0)
	sd s4, CTX_S(4)(a0)
	sd s5, CTX_S(5)(a0)
	sd s6, CTX_S(6)(a0)
	sd s7, CTX_S(7)(a0)
	sd s8, CTX_S(8)(a0)
	sd s9, CTX_S(9)(a0)
	sd s10, CTX_S(10)(a0)
	sd s11, CTX_S(11)(a0)
	ld ra, CTX_RA(a1)
	ld sp, CTX_SP(a1)
	ld s0, CTX_S(0)(a1)
	ld s1, CTX_S(1)(a1)
	ld s2, CTX_S(2)(a1)
	ld s3, CTX_S(3)(a1)
	ld s4, CTX_S(4)(a1)
	ld s5, CTX_S(5)(a1)
	ld s6, CTX_S(6)(a1)
	ld s7, CTX_S(7)(a1)
	ld s8, CTX_S(8)(a1)
	ld s9, CTX_S(9)(a1)
	ld s10, CTX_S(10)(a1)
	ld s11, CTX_S(11)(a1)
	ret
	.size arch_context_switch, . - arch_context_switch

/*
 * void arch_context_init(struct arch_context *ctx (a0), uintptr_t stack_top (a1),
 *			  void (*entry)(void *) (a2), void *arg (a3)):
 * ra = riscv_thread_start, sp = stack_top (16-byte aligned, psABI),
 * s1 = entry, s2 = arg, every other slot (s0 the frame pointer too) 0.
 */
	.type arch_context_init, @function
arch_context_init:
	la t0, riscv_thread_start
	sd t0, CTX_RA(a0)
	sd a1, CTX_SP(a0)
	sd zero, CTX_S(0)(a0)
	sd a2, CTX_ENTRY(a0)
	sd a3, CTX_ARG(a0)
	sd zero, CTX_S(3)(a0)
	sd zero, CTX_S(4)(a0)
	sd zero, CTX_S(5)(a0)
	sd zero, CTX_S(6)(a0)
	sd zero, CTX_S(7)(a0)
	sd zero, CTX_S(8)(a0)
	sd zero, CTX_S(9)(a0)
	sd zero, CTX_S(10)(a0)
	sd zero, CTX_S(11)(a0)
	ret
	.size arch_context_init, . - arch_context_init

/*
 * riscv_thread_start: a new thread's first instruction, reached by the
 * `ret` of its first arch_context_switch, interrupts as the switcher left
 * them (disabled). Calls entry(arg) with a zero frame pointer, so a
 * backtrace shows entry called from here and stops. entry must not return:
 * if it does, panic.
 */
	.type riscv_thread_start, @function
riscv_thread_start:
	mv a0, s2
	li s0, 0
	jalr s1
	la a0, .Lreturned
	call panic
	.size riscv_thread_start, . - riscv_thread_start

	.section .rodata
.Lreturned:
	.string "arch_context_init: a thread's entry function returned"

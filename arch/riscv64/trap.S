/*
 * trap.S (riscv64): the supervisor trap vector, for traps taken in the
 * kernel and from user mode. Saves every register into a struct trapframe
 * on a kernel stack, calls riscv_trap(tf), restores and returns with sret
 * (RISC-V Privileged Architecture v1.12, 4.1.2 stvec, 4.1.6 sscratch,
 * 3.3.2 xRET).
 *
 * sscratch tells the two apart: it is 0 while the CPU runs in S-mode, and
 * the frame's place on the kernel stack (its top, less FRAME: kstack_top's,
 * the running thread's; riscv_user_kstack's while arch_user_probe runs)
 * while it runs in U-mode. The
 * first instruction swaps it with sp: non-zero, the trap came from U-mode
 * and sp is now that frame (sscratch holds the user's sp until it is
 * saved, then 0 again); zero, it came from S-mode and a second swap puts
 * both back. The way out to U-mode loads sscratch again, with interrupts
 * still off, right before sret.
 *
 * In S-mode, before the first store it checks that the frame fits above
 * kstack_limit (trap.h); one that would not is a kernel stack overflow
 * (saving it would fault again, forever, in the guard page), reported on
 * riscv_emergency_stack by trap_stack_overflow. t0 waits in sscratch
 * meanwhile. The check costs six instructions, two of them loads; telling
 * U from S costs three.
 *
 * A system call (an ecall from U-mode) goes straight to syscall_hook, past
 * riscv_trap's decoding (not during arch_user_probe, which wants it in
 * riscv_trap), with sepc already past the ecall and stval not saved. A
 * Call or ReplyRecv goes to the IPC fastpath's hook first (FASTPATH, arch.h),
 * before the callee-saved registers are saved.
 */
#define SSTATUS_SPP 0x100 /* arch/riscv.h */
#define SSTATUS_SUM 0x40000
#define EXC_U_ECALL 8 /* scause: environment call from U-mode */
#define NEG_EFAULT  -14 /* -EFAULT, errno.h (C only) */
#define FRAME	    (36 * 8) /* struct trapframe, rounded up to 16 bytes */
#include "kit/abi.h"		/* SYS_CALL, SYS_REPLY_RECV */
#include "kcpu.h"		/* kcpu: kstack_limit, kstack_top */

/* SAVE_CALLEE_SAVED: the registers a C function keeps (and gp, tp) into the frame at sp. */
.macro SAVE_CALLEE_SAVED
	sd gp, 2*8(sp)
	sd tp, 3*8(sp)
	sd s0, 7*8(sp)
	sd s1, 8*8(sp)
	sd s2, 17*8(sp)
	sd s3, 18*8(sp)
	sd s4, 19*8(sp)
	sd s5, 20*8(sp)
	sd s6, 21*8(sp)
	sd s7, 22*8(sp)
	sd s8, 23*8(sp)
	sd s9, 24*8(sp)
	sd s10, 25*8(sp)
	sd s11, 26*8(sp)
.endm

/* SAVE_ARGS: a system call's arguments a0..a5 into the frame at sp. */
.macro SAVE_ARGS
	sd a0, 9*8(sp)
	sd a1, 10*8(sp)
	sd a2, 11*8(sp)
	sd a3, 12*8(sp)
	sd a4, 13*8(sp)
	sd a5, 14*8(sp)
.endm

/*
 * The IPC fastpath (arch.h, fastpath_call_hook; the hook in t0, the
 * user's t0 saved). An IPC system call keeps only ra, sp, gp, tp and
 * s0..s11 (kit/abi.h), so only ra, the arguments a0..a5 and the user's sp
 * go into the frame before hook(slot a0, info a1), which finds them in the
 * registers they came in; the callee-saved registers are still the
 * user's, in the CPU, and sepc still holds the ecall's pc. Then the
 * caller's s*, gp, tp and pc past the ecall go into its frame. A hit (a0
 * the other thread's frame, the switch done, .Lfast_hit): the message
 * (a1..a5: the tag and MRs 0..3) goes from the caller's registers
 * (through its frame: the hook's C may change them) to the other thread,
 * with the result (a0) and the badge (a6) the hook wrote in its frame,
 * and the other thread's kept registers from its frame; t0..t6 and a7 are
 * 0. sstatus needs no restore: SPP is U-mode and SPIE set, as the ecall
 * left them and as that thread's own ecall left them. A miss (NULL): the
 * number nr and the rest of the frame (the clobbered registers 0,
 * .Lfast_miss), then the trap's own way to syscall_hook.
 */
.macro FASTPATH nr
	sd ra, 0*8(sp)
	SAVE_ARGS
	csrrw t1, sscratch, zero	/* sscratch is 0 in S-mode */
	sd t1, 1*8(sp)
	jalr t0				/* hook(slot, info) */
	SAVE_CALLEE_SAVED
	csrr t0, sepc
	addi t0, t0, 4			/* ecall is 4 bytes: return after it */
	sd t0, 31*8(sp)
	bnez a0, .Lfast_hit
	li t0, \nr
	sd t0, 16*8(sp)
	j .Lfast_miss
.endm

	.section .text
	.globl riscv_trap_vector, riscv_user_enter
	.balign 4
riscv_trap_vector:
	csrrw sp, sscratch, sp
	bnez sp, .Lfrom_user
	csrrw sp, sscratch, sp		/* from S-mode: sp back, sscratch 0 again */
	csrw sscratch, t0
	ld t0, kcpu+KCPU_KSTACK
	ld t0, KSTACK_LO(t0)		/* kstack_limit */
	addi sp, sp, -FRAME
	bltu sp, t0, .Lstack_overflow	/* unsigned: a zero limit never fires */
	csrrw t0, sscratch, zero
	sd t0, 4*8(sp)
	addi t0, sp, FRAME
	sd t0, 1*8(sp)			/* the sp before the trap */
	j .Lsave

.Lfrom_user:				/* sp: the frame; sscratch: the user's sp */
	sd t0, 4*8(sp)
	csrr t0, scause
	addi t0, t0, -EXC_U_ECALL
	bnez t0, .Lfrom_user_save
	addi t0, a7, -SYS_CALL
	beqz t0, .Lfast_call
	addi t0, a7, -SYS_REPLY_RECV
	bnez t0, .Lfrom_user_save
	ld t0, fastpath_reply_recv_hook
	FASTPATH SYS_REPLY_RECV
.Lfast_call:
	ld t0, fastpath_call_hook
	FASTPATH SYS_CALL
.Lfrom_user_save:
	csrrw t0, sscratch, zero
	sd t0, 1*8(sp)

.Lsave:
	SAVE_CALLEE_SAVED
	sd ra, 0*8(sp)
	sd t1, 5*8(sp)
	sd t2, 6*8(sp)
	SAVE_ARGS
	sd a6, 15*8(sp)
	sd a7, 16*8(sp)
	sd t3, 27*8(sp)
	sd t4, 28*8(sp)
	sd t5, 29*8(sp)
	sd t6, 30*8(sp)
.Lsave_csrs:				/* the fastpath's miss joins here, every register saved */
	csrr t0, sstatus
	sd t0, 32*8(sp)
	csrr t1, sepc
	csrr t0, scause
	sd t0, 33*8(sp)
	li t2, EXC_U_ECALL		/* only U-mode raises it */
	bne t0, t2, .Ltrap
	ld t0, riscv_user_probe_out
	ld t2, syscall_hook
	bnez t0, .Ltrap
	beqz t2, .Ltrap
	addi t1, t1, 4			/* ecall is 4 bytes: return after it */
	sd t1, 31*8(sp)
	mv a0, sp
	jalr t2				/* syscall_hook(tf) */
	j .Lreturn
.Ltrap:
	sd t1, 31*8(sp)
	csrr t0, stval
	sd t0, 34*8(sp)
	mv a0, sp
	call riscv_trap
.Lreturn:				/* arch_user_return joins here with sp = its frame */
	ld t0, 31*8(sp)
	csrw sepc, t0
	ld t0, 32*8(sp)
	csrw sstatus, t0		/* SIE stays clear until sret */
	andi t0, t0, SSTATUS_SPP
	bnez t0, .Lload
	ld t0, kcpu+KCPU_KSTACK
	ld t0, KSTACK_HI(t0)		/* kstack_top; back to U-mode: the next trap's frame, on this thread's */
	addi t0, t0, -FRAME		/* stack (riscv_user_kstack is arch_user_probe's, arch_ops.h) */
	csrw sscratch, t0
.Lload:
	ld ra, 0*8(sp)
	ld gp, 2*8(sp)
	ld tp, 3*8(sp)
	ld t0, 4*8(sp)
	ld t1, 5*8(sp)
	ld t2, 6*8(sp)
	ld s0, 7*8(sp)
	ld s1, 8*8(sp)
	ld a0, 9*8(sp)
	ld a1, 10*8(sp)
	ld a2, 11*8(sp)
	ld a3, 12*8(sp)
	ld a4, 13*8(sp)
	ld a5, 14*8(sp)
	ld a6, 15*8(sp)
	ld a7, 16*8(sp)
	ld s2, 17*8(sp)
	ld s3, 18*8(sp)
	ld s4, 19*8(sp)
	ld s5, 20*8(sp)
	ld s6, 21*8(sp)
	ld s7, 22*8(sp)
	ld s8, 23*8(sp)
	ld s9, 24*8(sp)
	ld s10, 25*8(sp)
	ld s11, 26*8(sp)
	ld t3, 27*8(sp)
	ld t4, 28*8(sp)
	ld t5, 29*8(sp)
	ld t6, 30*8(sp)
	ld sp, 1*8(sp)			/* the sp before the trap (riscv_trap may change it) */
	sret

.Lfast_hit:
	ld a1, 10*8(sp)
	ld a2, 11*8(sp)
	ld a3, 12*8(sp)
	ld a4, 13*8(sp)
	ld a5, 14*8(sp)
	mv sp, a0
	ld t0, 31*8(sp)
	csrw sepc, t0
	csrw sscratch, sp		/* its next trap's frame: this one (kstack_top's) */
	ld a0, 9*8(sp)
	ld a6, 15*8(sp)
	ld ra, 0*8(sp)
	ld gp, 2*8(sp)
	ld tp, 3*8(sp)
	ld s0, 7*8(sp)
	ld s1, 8*8(sp)
	ld s2, 17*8(sp)
	ld s3, 18*8(sp)
	ld s4, 19*8(sp)
	ld s5, 20*8(sp)
	ld s6, 21*8(sp)
	ld s7, 22*8(sp)
	ld s8, 23*8(sp)
	ld s9, 24*8(sp)
	ld s10, 25*8(sp)
	ld s11, 26*8(sp)
	li t0, 0
	li t1, 0
	li t2, 0
	li t3, 0
	li t4, 0
	li t5, 0
	li t6, 0
	li a7, 0
	ld sp, 1*8(sp)
	sret
.Lfast_miss:
	sd zero, 4*8(sp)		/* t0..t6, a6: clobbered, 0 (the ABI's) */
	sd zero, 5*8(sp)
	sd zero, 6*8(sp)
	sd zero, 15*8(sp)
	sd zero, 27*8(sp)
	sd zero, 28*8(sp)
	sd zero, 29*8(sp)
	sd zero, 30*8(sp)
	j .Lsave_csrs

/* trap_stack_overflow(sepc, sp before the trap, s0) never returns. */
.Lstack_overflow:
	csrw sscratch, zero
	csrr a0, sepc
	addi a1, sp, FRAME
	mv a2, s0
	la sp, riscv_emergency_stack_top
	call trap_stack_overflow

/*
 * void riscv_user_enter(struct arch_context *ctx (a0), uintptr_t pc (a1),
 *			 uintptr_t sp (a2)): arch_user_probe's way to U-mode. Saves
 * ra, sp, s0..s11 in *ctx (arch_context_switch's layout, context.S), so
 * that switching to ctx returns from this call; then sret to U-mode at pc
 * with sp, sscratch loaded like the trap return's. Call with interrupts
 * disabled.
 */
	.type riscv_user_enter, @function
riscv_user_enter:
	sd ra, 0(a0)
	sd sp, 8(a0)
	sd s0, 16(a0)
	sd s1, 24(a0)
	sd s2, 32(a0)
	sd s3, 40(a0)
	sd s4, 48(a0)
	sd s5, 56(a0)
	sd s6, 64(a0)
	sd s7, 72(a0)
	sd s8, 80(a0)
	sd s9, 88(a0)
	sd s10, 96(a0)
	sd s11, 104(a0)
	csrw sepc, a1
	li t0, SSTATUS_SPP
	csrc sstatus, t0		/* sret goes to U-mode */
	ld t0, riscv_user_kstack
	addi t0, t0, -FRAME
	csrw sscratch, t0
	li a7, 0			/* not a fastpath call (SYS_CALL, SYS_REPLY_RECV) */
	mv sp, a2
	sret
	.size riscv_user_enter, . - riscv_user_enter

/*
 * noreturn void arch_user_return(struct trapframe *tf (a0)) (arch.h): the
 * trap return path with tf as its frame: back to the mode tf->sstatus.SPP
 * says (U-mode for a user thread's first entry), with sscratch loaded.
 */
	.globl arch_user_return
	.type arch_user_return, @function
arch_user_return:
	mv sp, a0
	j .Lreturn
	.size arch_user_return, . - arch_user_return

/*
 * int arch_copy_user(void *dst (a0), const void *src (a1), size_t n (a2))
 * (arch.h): a byte loop with sstatus.SUM set around it. A load or store
 * fault in [riscv_copy_user, riscv_copy_user_end) resumes at
 * riscv_copy_user_fault (riscv_trap), which clears SUM and returns -EFAULT.
 */
	.globl arch_copy_user, riscv_copy_user, riscv_copy_user_end, riscv_copy_user_fault
	.type arch_copy_user, @function
arch_copy_user:
	li t1, SSTATUS_SUM
	csrs sstatus, t1
riscv_copy_user:
	beqz a2, 2f
1:	lbu t0, 0(a1)
	sb t0, 0(a0)
	addi a1, a1, 1
	addi a0, a0, 1
	addi a2, a2, -1
	bnez a2, 1b
riscv_copy_user_end:
2:	csrc sstatus, t1
	li a0, 0
	ret
riscv_copy_user_fault:
	li t1, SSTATUS_SUM
	csrc sstatus, t1
	li a0, NEG_EFAULT
	ret
	.size arch_copy_user, . - arch_copy_user

/* arch_user_probe's test code (arch.h): ecall, then ebreak (delegated to S-mode by OpenSBI). */
	.section .rodata
	.balign 4
	.globl arch_user_test_syscall, arch_user_test_fault, arch_user_test_end
arch_user_test_syscall:
	ecall
arch_user_test_fault:
	ebreak
arch_user_test_end:

	.section .bss
	.balign 16
riscv_emergency_stack:
	.space 4096
riscv_emergency_stack_top:

/*
 * trap.S (riscv64): the supervisor trap vector for traps taken in the
 * kernel. Saves every register into a struct trapframe on the current stack,
 * calls riscv_trap(tf), restores and returns with sret (RISC-V Privileged
 * Architecture v1.12, 4.1.2 stvec, 3.3.2 xRET).
 *
 * Before the first store it checks that the frame fits above kstack_limit
 * (trap.h); one that would not is a kernel stack overflow (saving it would
 * fault again, forever, in the guard page), reported on riscv_emergency_stack
 * by trap_stack_overflow. t0 waits in sscratch meanwhile (4.1.6). The check
 * costs five instructions, one of them a load.
 */
	.section .text
	.globl riscv_trap_vector
	.balign 4
riscv_trap_vector:
	csrw sscratch, t0
	ld t0, kstack_limit
	addi sp, sp, -36*8
	bltu sp, t0, .Lstack_overflow	/* unsigned: a zero limit never fires */
	csrr t0, sscratch
	sd ra, 0*8(sp)
	sd gp, 2*8(sp)
	sd tp, 3*8(sp)
	sd t0, 4*8(sp)
	sd t1, 5*8(sp)
	sd t2, 6*8(sp)
	sd s0, 7*8(sp)
	sd s1, 8*8(sp)
	sd a0, 9*8(sp)
	sd a1, 10*8(sp)
	sd a2, 11*8(sp)
	sd a3, 12*8(sp)
	sd a4, 13*8(sp)
	sd a5, 14*8(sp)
	sd a6, 15*8(sp)
	sd a7, 16*8(sp)
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
	sd t3, 27*8(sp)
	sd t4, 28*8(sp)
	sd t5, 29*8(sp)
	sd t6, 30*8(sp)
	addi t0, sp, 36*8
	sd t0, 1*8(sp)			/* the sp before the trap */
	csrr t0, sepc
	sd t0, 31*8(sp)
	csrr t0, sstatus
	sd t0, 32*8(sp)
	csrr t0, scause
	sd t0, 33*8(sp)
	csrr t0, stval
	sd t0, 34*8(sp)
	mv a0, sp
	call riscv_trap
	ld t0, 31*8(sp)
	csrw sepc, t0
	ld t0, 32*8(sp)
	csrw sstatus, t0
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
	addi sp, sp, 36*8
	sret

/* trap_stack_overflow(sepc, sp before the trap, s0) never returns. */
.Lstack_overflow:
	csrr a0, sepc
	addi a1, sp, 36*8
	mv a2, s0
	la sp, riscv_emergency_stack_top
	call trap_stack_overflow

	.section .bss
	.balign 16
riscv_emergency_stack:
	.space 4096
riscv_emergency_stack_top:

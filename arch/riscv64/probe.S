/*
 * probe.S (riscv64): arch_probe (common/include/trap.h), one kernel access
 * that may fault, and arch_probe_ret, a return instruction in .data.
 *
 * arch_probe is a leaf with no stack frame. It records its caller's ra and
 * sp in riscv_probe (ra != 0: a probe is in progress), makes the access and
 * clears riscv_probe. A memory fault taken meanwhile (access or page fault,
 * Privileged spec 4.1.9) goes through riscv_trap (arch.c), which reports it,
 * clears riscv_probe and resumes at riscv_probe_fault with a0 = -EFAULT and
 * the recorded ra and sp: arch_probe returns -EFAULT to its caller. So a
 * PROBE_EXEC fault is caught wherever the called code faults, even at its
 * first instruction (sepc = addr, outside arch_probe).
 */
#define PROBE_READ  0 /* enum probe_kind, trap.h */
#define PROBE_WRITE 1
#define PROBE_EXEC  2
#define NEG_EINVAL  -22 /* -EINVAL, errno.h (C only) */

	.section .text
	.globl arch_probe, riscv_probe_fault
	.type arch_probe, @function
	.balign 4
/*
 * int arch_probe(enum probe_kind kind (a0), uintptr_t addr (a1)): 0 when the
 * access completed, -EFAULT when it faulted, -EINVAL for an unknown kind.
 * PROBE_EXEC calls addr with ra pointing back here; the called code must
 * keep sp, s0..s11 and return (a bare `ret` will do, arch_probe_ret).
 * Clobbers t0, t1 (and, for PROBE_EXEC, what the called code clobbers).
 */
arch_probe:
	la t0, riscv_probe
	sd sp, 8(t0)
	sd ra, 0(t0)			/* from here a fault returns -EFAULT */
	li t1, PROBE_READ
	beq a0, t1, .Lread
	li t1, PROBE_WRITE
	beq a0, t1, .Lwrite
	li t1, PROBE_EXEC
	beq a0, t1, .Lexec
	li a0, NEG_EINVAL
	j .Ldone
.Lread:
	ld t1, 0(a1)
	j .Lok
.Lwrite:
	ld t1, 0(a1)
	sd t1, 0(a1)
	j .Lok
.Lexec:
	jalr a1				/* ra = .Lok: the called code's ret comes back */
.Lok:
	li a0, 0
.Ldone:
	la t0, riscv_probe
	ld ra, 0(t0)			/* the caller's ra, whatever the access did to ra */
	sd zero, 0(t0)			/* the probe is over */
riscv_probe_fault:			/* riscv_trap resumes a faulted probe here */
	ret
	.size arch_probe, . - arch_probe

	.section .bss
	.balign 8
	.globl riscv_probe
	.type riscv_probe, @object
riscv_probe:				/* struct riscv_probe (riscv.h): ra, sp */
	.space 16
	.size riscv_probe, . - riscv_probe

	.section .data
	.balign 4
	.globl arch_probe_ret
	.type arch_probe_ret, @object
arch_probe_ret:				/* in .data: no-exec once the kernel maps W^X */
	.word 0x00008067		/* ret (jalr x0, 0(ra)) */
	.size arch_probe_ret, . - arch_probe_ret

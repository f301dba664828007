/*
 * probe.S (aarch64): arch_probe (common/include/trap.h), one kernel access
 * that may fault, and arch_probe_ret, a return instruction in .data.
 *
 * arch_probe is a leaf with no stack frame. It records its caller's lr and
 * sp in arm64_probe (lr != 0: a probe is in progress), makes the access and
 * clears arm64_probe. A data or instruction abort taken meanwhile goes
 * through arm64_trap (arch.c), which reports it, clears arm64_probe and
 * resumes at arm64_probe_fault with x0 = -EFAULT and the recorded lr and
 * sp: arch_probe returns -EFAULT to its caller. So a PROBE_EXEC fault is
 * caught wherever the called code faults, even at its first instruction.
 */
#define PROBE_READ  0 /* enum probe_kind, trap.h */
#define PROBE_WRITE 1
#define PROBE_EXEC  2
#define NEG_EINVAL  -22 /* -EINVAL, errno.h (C only) */

	.section .text
	.globl arch_probe, arm64_probe_fault
	.type arch_probe, @function
	.balign 4
/*
 * int arch_probe(enum probe_kind kind (w0), uintptr_t addr (x1)): 0 when the
 * access completed, -EFAULT when it faulted, -EINVAL for an unknown kind.
 * PROBE_EXEC calls addr with lr pointing back here; the called code must
 * keep sp, x19..x29 and return (a bare `ret` will do, arch_probe_ret).
 * Clobbers x9, x10 (and, for PROBE_EXEC, what the called code clobbers).
 */
arch_probe:
	adrp x9, arm64_probe
	add x9, x9, :lo12:arm64_probe
	mov x10, sp
	str x10, [x9, #8]
	str x30, [x9]			/* from here a fault returns -EFAULT */
	cmp w0, #PROBE_READ
	b.eq .Lread
	cmp w0, #PROBE_WRITE
	b.eq .Lwrite
	cmp w0, #PROBE_EXEC
	b.eq .Lexec
	mov x0, #NEG_EINVAL
	b .Ldone
.Lread:
	ldr x10, [x1]
	b .Lok
.Lwrite:
	ldr x10, [x1]
	str x10, [x1]
	b .Lok
.Lexec:
	blr x1				/* lr = .Lok: the called code's ret comes back */
.Lok:
	mov x0, #0
.Ldone:
	adrp x9, arm64_probe
	add x9, x9, :lo12:arm64_probe
	ldr x30, [x9]			/* the caller's lr, whatever the access did to lr */
	str xzr, [x9]			/* the probe is over */
arm64_probe_fault:			/* arm64_trap resumes a faulted probe here */
	ret
	.size arch_probe, . - arch_probe

	.section .bss
	.balign 8
	.globl arm64_probe
	.type arm64_probe, @object
arm64_probe:				/* struct arm64_probe (arm64.h): lr, sp */
	.space 16
	.size arm64_probe, . - arm64_probe

	.section .data
	.balign 4
	.globl arch_probe_ret
	.type arch_probe_ret, @object
arch_probe_ret:				/* in .data: no-exec once the kernel maps W^X */
	.word 0xd65f03c0		/* ret */
	.size arch_probe_ret, . - arch_probe_ret

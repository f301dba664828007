/*
 * entry.S (riscv64): the kernel's first instructions. OpenSBI jumps here in
 * S-mode at 0x80200000 with a0 = hart id and a1 = the device tree
 * (RISC-V SBI spec, "Boot" and the OpenSBI fw_dynamic/fw_jump convention).
 * One hart wins the boot lottery; any other parks. The winner sets up the
 * boot stack, clears .bss and calls riscv_boot(hartid, fdt, entry_instret).
 */
	.section .text.entry
	.globl _start
	.type _start, @function
_start:
	rdinstret t0			/* first thing: the boot path length starts here */
	la t1, boot_lottery
	li t2, 1
	amoswap.w t2, t2, (t1)
	bnez t2, .Lpark
	mv s1, a0
	mv s2, a1
	mv s3, t0
	la t1, __bss_start
	la t2, __bss_end
1:	bgeu t1, t2, 2f
	sd zero, 0(t1)
	addi t1, t1, 8
	j 1b
2:	la sp, boot_stack_top
	li s0, 0			/* a zero frame pointer ends every backtrace */
	mv a0, s1
	mv a1, s2
	mv a2, s3
	call riscv_boot
.Lpark:
	wfi
	j .Lpark
	.size _start, . - _start

	.section .data
	.balign 4
boot_lottery:
	.word 0

/*
 * The boot stack, 16 KiB, and right under it one guard page that lab 2's
 * kernel address space leaves unmapped, so an overflow faults (arch.h).
 * Both page aligned; cleared with the rest of .bss.
 */
	.section .bss.stack
	.balign 4096
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.space 4096
boot_stack:
	.space 16384
boot_stack_top:

/*
 * entry.S (riscv64): the kernel's first instructions. OpenSBI jumps here in
 * S-mode at physical 0x80200000, paging off (satp Bare), with a0 = hart id
 * and a1 = the device tree's physical address (RISC-V SBI spec, "Boot" and
 * the OpenSBI fw_dynamic/fw_jump convention). The image is linked in the
 * upper half (kernel.ld, arch/mmu.h), so until the jump up the code here
 * uses only PC-relative addresses (la), which give physical ones.
 *
 * One hart wins the boot lottery; any other parks. The winner turns on
 * Sv39 with boot_pagetable, jumps to the image's link address, drops the
 * identity mapping it came through, clears .bss, sets up the boot stack and
 * calls riscv_boot(hartid, fdt (physical), entry_instret). About 20
 * instructions besides clearing .bss.
 */
#define KERNEL_OFFSET	 0xffffffff00000000 /* ARCH_KERNEL_IMAGE_OFFSET, arch/mmu.h */
#define DIRECT_MAP_VPN2	 320		    /* ARCH_DIRECT_MAP_BASE 0xffffffd000000000 >> 30 & 511 */
#define IMAGE_PA	 0x80000000	    /* the GiB OpenSBI loads the image into (QEMU virt RAM) */
#define IMAGE_VPN2	 510		    /* (IMAGE_PA + KERNEL_OFFSET) >> 30 & 511 */
#define IDENTITY_VPN2	 2		    /* IMAGE_PA >> 30 */
#define SATP_SV39	 (8 << 60)	    /* satp.MODE = Sv39 (Privileged spec 4.1.11) */

/* A 1 GiB leaf PTE for physical pa with permissions perm (Privileged spec 4.4.1,
 * Figure 4.21): V, then perm, then A and D preset so the hardware never sets them. */
#define PTE_V		 0x01
#define PTE_RW		 0x06
#define PTE_RWX		 0x0e
#define PTE_AD		 0xc0
#define GIGA(pa, perm)	 ((((pa) >> 12) << 10) | PTE_V | (perm) | PTE_AD)

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
	/* Paging on (4.1.11 satp; 4.2.1: SFENCE.VMA after the switch), then up to the link address. */
	la t0, boot_pagetable
	srli t0, t0, 12
	li t1, SATP_SV39
	or t0, t0, t1
	csrw satp, t0
	sfence.vma zero, zero
	la t0, .Lhigh
	li t1, KERNEL_OFFSET
	add t0, t0, t1
	jr t0
.Lhigh:
	la t1, boot_pagetable		/* now the image's virtual addresses */
	sd zero, IDENTITY_VPN2 * 8(t1)	/* the lower half is user space's from here on */
	sfence.vma zero, zero
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
 * The boot page table: one Sv39 root table of 1 GiB leaves (4.4.1; a leaf at
 * the root maps 1 GiB), built by the assembler: the image's GiB at
 * IMAGE_VPN2 (read, write, exec: lab 1 has no W^X), the direct map of
 * physical [0, 4 GiB) from DIRECT_MAP_VPN2 (read, write: the test finisher
 * 0x100000, the PLIC 0x0c000000, the UART 0x10000000, RAM from 0x80000000),
 * and, only until the jump up, the identity map of the image's GiB. Lab 1
 * runs on it; lab 2's kvm_init replaces it. In .data, not .bss: it is in use
 * before .bss is cleared.
 */
	.balign 4096
	.globl boot_pagetable
boot_pagetable:
	.fill IDENTITY_VPN2, 8, 0
	.quad GIGA(IMAGE_PA, PTE_RWX)
	.fill DIRECT_MAP_VPN2 - IDENTITY_VPN2 - 1, 8, 0
	.quad GIGA(0 << 30, PTE_RW), GIGA(1 << 30, PTE_RW), GIGA(2 << 30, PTE_RW), GIGA(3 << 30, PTE_RW)
	.fill IMAGE_VPN2 - DIRECT_MAP_VPN2 - 4, 8, 0
	.quad GIGA(IMAGE_PA, PTE_RWX)
	.fill 511 - IMAGE_VPN2, 8, 0

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

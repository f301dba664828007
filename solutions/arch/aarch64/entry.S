// @file lab7
/*
 * entry.S (aarch64): the kernel's first instructions. QEMU's raspi3b (like
 * the Pi's firmware) starts core 0 at physical 0x80000 in EL2 with the MMU
 * off, cores 1-3 waiting on the firmware's spin table; an ELF image instead
 * starts every core here in EL3. The image is linked in the upper half
 * (kernel.ld, arch/mmu.h), so until the jump up the code uses only
 * PC-relative addresses (adr, adrp), which give physical ones.
 *
 * Core 0 enables the cycle counter and reads it (the boot path length
 * starts here), drops to EL1 (from EL3: through SCR_EL3; from EL2: HCR_EL2.RW
 * for an AArch64 EL1, the physical timer and counter open to EL1), turns the
 * MMU on with boot_pagetable, jumps to the image's link address, drops the
 * identity mapping it came through, clears .bss, sets up the boot stack and
 * the vectors and calls arm64_boot(entry_cycles, entry_el). Any other core parks in a
 * wfi loop (never wfe: under TCG a wfe loop is emulated busy time).
 */
#define KERNEL_OFFSET 0xffffffff00000000 /* ARCH_KERNEL_IMAGE_OFFSET, arch/mmu.h */
#define DIRECT_MAP_L1 320		 /* ARCH_DIRECT_MAP_BASE 0xffffffd000000000 >> 30 & 511 */
#define IMAGE_L1      508		 /* (0x80000 + KERNEL_OFFSET) >> 30 & 511 */
#define DEVICE_PA     0x3f000000	 /* ARM64_DEVICE_PA, arch/mmu.h */
#define UART0_PA      0x3f201000	 /* RPI_UART0, raspi3b.h: the PL011's data register */
#define SEMIHOST_SYS_EXIT	  0x18	/* arch/arm64.h */
#define SEMIHOST_APPLICATION_EXIT 0x20026

/* System registers (Arm ARM D17). */
#define PMCR_E_C_LC	(1 << 0 | 1 << 2 | 1 << 6) /* enable, reset the cycle counter, 64 bits */
#define PMCCFILTR_NSH	(1 << 27)	/* count at EL2 too */
#define SCR_EL3_NS_RW	(1 << 0 | 1 << 10) /* EL2/EL1 non-secure, EL2 AArch64 */
#define HCR_EL2_RW	(1 << 31)	/* EL1 is AArch64 */
#define CNTHCTL_EL1PC	3		/* EL1 may read the counter and use the physical timer */
#define SPSR_EL1H_MASKED 0x3c5		/* EL1 on SP_EL1, D, A, I, F masked */
#define SCTLR_EL1_RES1	0x30d00800
#define SCTLR_EL1_ON	(SCTLR_EL1_RES1 | 1 << 0 | 1 << 2 | 1 << 12) /* M, C, I */
#define MAIR_EL1_VALUE	0x00ff		/* attr 0: normal write-back; attr 1: Device-nGnRnE */
/* TCR_EL1: T0SZ = T1SZ = 25 (39-bit halves), 4 KiB granules, walks write-back inner
 * shareable, 36-bit physical addresses. */
#define TCR_EL1_VALUE	(25 | 1 << 8 | 1 << 10 | 3 << 12 | 25 << 16 | 1 << 24 | 1 << 26 | \
			 3 << 28 | 2 << 30 | 1 << 32)

/* Block descriptors (arch/mmu.h): normal memory, read-write, EL1-executable; device memory
 * never executable. */
#define BLOCK_NORMAL	(1 | 0 << 2 | 3 << 8 | 1 << 10 | 1 << 54)
#define BLOCK_DEVICE	(1 | 1 << 2 | 1 << 10 | 1 << 53 | 1 << 54)
#define TABLE		3

	.section .text.entry
	.globl _start
	.type _start, @function
_start:
	mrs x9, mpidr_el1
	and x9, x9, #3
	cbnz x9, .Lpark
	mov x10, #PMCCFILTR_NSH
	msr pmccfiltr_el0, x10
	mov x10, #PMCR_E_C_LC
	msr pmcr_el0, x10
	mov x10, #(1 << 31)
	msr pmcntenset_el0, x10
	isb
	mrs x19, pmccntr_el0		/* the boot path length starts here */
	mrs x20, CurrentEL		/* the level QEMU or the firmware started us at */
	lsr x20, x20, #2

	// @lab7 solution
	mrs x10, CurrentEL
	lsr x10, x10, #2
	cmp x10, #2
	b.lt .Lel1
	b.eq 1f
	mov x11, #SCR_EL3_NS_RW		/* EL3 (an ELF boot): EL2 and EL1 below it in AArch64 */
	msr scr_el3, x11
1:	mov x11, #HCR_EL2_RW
	msr hcr_el2, x11
	mrs x11, cnthctl_el2
	orr x11, x11, #CNTHCTL_EL1PC
	msr cnthctl_el2, x11
	msr cntvoff_el2, xzr
	ldr x11, =SCTLR_EL1_RES1
	msr sctlr_el1, x11
	mov x11, #SPSR_EL1H_MASKED
	adr x12, .Lel1
	cmp x10, #3
	b.eq 2f
	msr spsr_el2, x11
	msr elr_el2, x12
	eret
2:	msr spsr_el3, x11
	msr elr_el3, x12
	eret
	// @lab7 stub
	// TODO(lab7): drop to EL1 (handout/lab7-rpi.md, "Exception levels"). QEMU's raspi3b
	// and the Pi's firmware start here in EL2, an ELF boot in EL3 (CurrentEL bits 3..2).
	// From EL2: HCR_EL2.RW (an AArch64 EL1), CNTHCTL_EL2 |= CNTHCTL_EL1PC (the counter
	// and the physical timer open to EL1), CNTVOFF_EL2 = 0, SCTLR_EL1 = SCTLR_EL1_RES1
	// (MMU off), then SPSR_EL2 = SPSR_EL1H_MASKED, ELR_EL2 = .Lel1 and eret. From EL3
	// first SCR_EL3 = SCR_EL3_NS_RW, then the same through SPSR_EL3 and ELR_EL3.
	// Hint: already at EL1, branch to .Lel1; eret never returns here.
	adr x0, .Ltodo_el_drop
	b .Lboot_fail
	// @lab7 end

.Lel1:	/* EL1, MMU off: on with the boot table in both halves (arch_mmu_activate's way). */
	ldr x0, =MAIR_EL1_VALUE
	msr mair_el1, x0
	ldr x0, =TCR_EL1_VALUE
	msr tcr_el1, x0
	adrp x0, boot_pagetable
	msr ttbr0_el1, x0
	msr ttbr1_el1, x0
	isb
	tlbi vmalle1
	dsb nsh
	ldr x0, =SCTLR_EL1_ON
	msr sctlr_el1, x0
	isb
	ldr x0, =.Lhigh
	br x0
.Lhigh:
	adrp x0, boot_pagetable		/* now the image's virtual addresses */
	str xzr, [x0]			/* the lower half is user space's from here on */
	dsb ishst
	tlbi vmalle1
	dsb ish
	isb
	adrp x0, __bss_start
	add x0, x0, :lo12:__bss_start
	adrp x1, __bss_end
	add x1, x1, :lo12:__bss_end
1:	cmp x0, x1
	b.hs 2f
	str xzr, [x0], #8
	b 1b
2:	adrp x0, boot_stack_top
	add x0, x0, :lo12:boot_stack_top
	mov sp, x0
	adrp x0, arm64_vectors
	add x0, x0, :lo12:arm64_vectors
	msr vbar_el1, x0
	isb
	mov x29, #0			/* a zero frame pointer ends every backtrace */
	mov x30, #0
	mov x0, x19
	mov x1, x20
	bl arm64_boot
.Lpark:
	wfi
	b .Lpark

/* .Lboot_fail: print the NUL-terminated string at x0 on the PL011 (physical, the MMU off)
 * and end QEMU by semihosting SYS_EXIT with status 1 (arch/arm64.h; a Pi stops at the hlt). */
.Lboot_fail:
	ldr x1, =UART0_PA
1:	ldrb w2, [x0], #1
	cbz w2, 2f
	str w2, [x1]
	b 1b
2:	adr x1, .Lexit_block
	mov x0, #SEMIHOST_SYS_EXIT
	hlt #0xf000
	b .Lpark
	.size _start, . - _start
	.ltorg
	.balign 8
.Lexit_block:
	.quad SEMIHOST_APPLICATION_EXIT, 1
.Ltodo_el_drop:
	.asciz "\nTODO(lab7): entry.S: the drop to EL1 (the kernel is still in EL2)\n"

/*
 * The boot page table (arch/mmu.h's layout): a level-1 root whose entries 0
 * (the identity map, only until the jump up), DIRECT_MAP_L1 and IMAGE_L1
 * all point at boot_l2, physical [0, 1 GiB) in 2 MiB blocks (normal memory
 * up to DEVICE_PA, device memory above), and DIRECT_MAP_L1 + 1 maps
 * [1 GiB, 2 GiB) as one device block (the local interrupt controller at
 * 0x40000000). Lab 1 runs on it (no W^X yet); lab 2's kvm_init replaces it.
 * In .data, not .bss: it is in use before .bss is cleared.
 */
	.section .data
	.balign 4096
	.globl boot_pagetable
boot_pagetable:
	.quad boot_l2 - KERNEL_OFFSET + TABLE
	.fill DIRECT_MAP_L1 - 1, 8, 0
	.quad boot_l2 - KERNEL_OFFSET + TABLE
	.quad (1 << 30) + BLOCK_DEVICE
	.fill IMAGE_L1 - DIRECT_MAP_L1 - 2, 8, 0
	.quad boot_l2 - KERNEL_OFFSET + TABLE
	.fill 511 - IMAGE_L1, 8, 0
boot_l2:
	.set pa, 0
	.rept DEVICE_PA >> 21
	.quad pa + BLOCK_NORMAL
	.set pa, pa + (1 << 21)
	.endr
	.rept 512 - (DEVICE_PA >> 21)
	.quad pa + BLOCK_DEVICE
	.set pa, pa + (1 << 21)
	.endr

/*
 * The boot stack, 16 KiB, and right under it one guard page that lab 2's
 * kernel address space leaves unmapped, so an overflow faults (arch.h).
 * Both page aligned; cleared with the rest of .bss.
 */
	.section .bss.stack, "aw", %nobits
	.balign 4096
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.space 4096
boot_stack:
	.space 16384
boot_stack_top:

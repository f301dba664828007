/*
 * entry.S (x86_64): the multiboot header and the kernel's first
 * instructions, from 32-bit protected mode to x86_boot in 64-bit mode.
 *
 * A multiboot v1 loader (QEMU -kernel, GRUB) jumps to _start in 32-bit
 * protected mode, paging off, interrupts off, with eax = 0x2BADB002 and
 * ebx = the multiboot information's physical address (Multiboot
 * Specification 0.6.96, 3.2 "Machine state"). The code here runs at its
 * physical address although it is linked in the higher half, so until the
 * jump to the higher half every address it uses is PHYS(symbol). It clears .bss,
 * maps physical [0, 1 GiB) with 2 MiB pages three times: at 0 (the identity
 * map, for the jump to 64-bit mode), at 0xffff800000000000 (the direct map,
 * ARCH_DIRECT_MAP_BASE in arch/mmu.h, through which C reaches physical memory)
 * and at KERNEL_VBASE (the image; there without the boot stack's guard page),
 * enters IA-32e mode (Intel SDM Vol. 3A, "Initializing IA-32e Mode"), jumps
 * to the higher half and calls x86_boot(magic, info, entry_tsc) on the boot
 * stack.
 */
#define KERNEL_VBASE 0xffffffff80000000
#define PHYS(x)      ((x) - KERNEL_VBASE)

/* Multiboot header (spec 3.1.1-3.1.3). Flag 1: pass the memory map; flag 16:
 * the address fields are valid (the "a.out kludge"), which is how a loader
 * places an image that is not ELF32, like ours (QEMU refuses ELF64). */
#define MB_HEADER_MAGIC 0x1BADB002
#define MB_FLAGS        ((1 << 1) | (1 << 16))

#define CR0_WP    (1 << 16)
#define CR0_PG    (1 << 31)
#define CR4_PAE   (1 << 5)
/* Lab 6: SSE for user mode (a static glibc's x86-64 baseline); the kernel and the kit's
 * programs are built -mno-sse, so only Linux-ABI threads' XMM state is switched (arch.c,
 * arch_ustate_save). */
#define CR4_OSFXSR     (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER  0xC0000080 /* Intel SDM Vol. 4, IA32_EFER */
#define EFER_LME  (1 << 8)
#define EFER_NXE  (1 << 11)
#define CPUID_LM  (1 << 29) /* CPUID 0x80000001 EDX (Intel SDM Vol. 2A, CPUID) */
#define CPUID_NX  (1 << 20)
/* Page-table entry bits (Intel SDM Vol. 3A, "4-Level Paging", the PML4E, PDPTE, PDE and PTE
 * formats). */
#define PTE_P     (1 << 0)
#define PTE_W     (1 << 1)
#define PTE_PS    (1 << 7) /* in a page-directory entry: maps a 2 MiB page */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define COM1      0x3f8
#define COM1_LSR  (COM1 + 5)
#define LSR_THRE  0x20

	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MB_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MB_HEADER_MAGIC + MB_FLAGS)
	.long PHYS(multiboot_header)	/* header_addr */
	.long PHYS(_start_image)	/* load_addr: the image file's first byte */
	.long PHYS(_edata)		/* load_end_addr */
	.long PHYS(_end)		/* bss_end_addr: the loader zeroes up to here */
	.long PHYS(_start)		/* entry_addr */

	.section .text.entry, "ax"
	.code32
	.globl _start
	.type _start, @function
_start:
	movl %eax, PHYS(boot_mb_magic)
	rdtsc				/* the boot path length starts here */
	movl %eax, PHYS(boot_entry_tsc)
	movl %edx, PHYS(boot_entry_tsc) + 4
	movl %ebx, PHYS(boot_mb_info)

	/* Clear .bss before its page tables are built (the flags other than VM and IF are undefined). */
	cld
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/* Long mode and NX, or a clear message instead of a triple fault. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb .Lno_long_mode
	movl $0x80000001, %eax
	cpuid
	andl $(CPUID_LM | CPUID_NX), %edx
	cmpl $(CPUID_LM | CPUID_NX), %edx
	jne .Lno_long_mode

	/* boot_pd: 512 2 MiB pages, physical [0, 1 GiB). PML4[0] -> PDPT[0] (identity)
	 * and PML4[256] -> the same PDPT (the direct map at 0xffff800000000000) use it;
	 * PML4[511] -> PDPT[510] (KERNEL_VBASE) uses boot_pd_image, a copy. */
	movl $PHYS(boot_pd), %edi
	movl $(PTE_P | PTE_W | PTE_PS), %eax
	movl $512, %ecx
1:	movl %eax, (%edi)
	movl %eax, boot_pd_image - boot_pd(%edi)
	addl $0x200000, %eax
	addl $8, %edi
	loop 1b
	movl $(PHYS(boot_pdpt_low) + PTE_P + PTE_W), PHYS(boot_pml4)
	movl $(PHYS(boot_pdpt_low) + PTE_P + PTE_W), PHYS(boot_pml4) + 256 * 8
	movl $(PHYS(boot_pdpt_high) + PTE_P + PTE_W), PHYS(boot_pml4) + 511 * 8
	movl $(PHYS(boot_pd) + PTE_P + PTE_W), PHYS(boot_pdpt_low)
	movl $(PHYS(boot_pd_image) + PTE_P + PTE_W), PHYS(boot_pdpt_high) + 510 * 8

	/* In the image map, the 2 MiB page that holds the boot stack's guard page is
	 * split into 4 KiB pages (boot_pt) and the guard page left out, so that a
	 * stack overflow faults (x86_trap in arch.c reports it) instead of running
	 * on into these page tables. */
	movl $PHYS(boot_stack_guard), %ebx
	movl %ebx, %eax
	andl $~0x1fffff, %eax
	orl $(PTE_P | PTE_W), %eax
	movl $PHYS(boot_pt), %edi
	movl $512, %ecx
1:	movl %eax, (%edi)
	addl $0x1000, %eax
	addl $8, %edi
	loop 1b
	movl %ebx, %eax
	shrl $12, %eax
	andl $511, %eax
	movl $0, PHYS(boot_pt)(, %eax, 8)
	shrl $21, %ebx
	movl $(PHYS(boot_pt) + PTE_P + PTE_W), PHYS(boot_pd_image)(, %ebx, 8)

	/* IA-32e mode: PAE, CR3, EFER.LME, then paging (Intel SDM Vol. 3A, "Initializing IA-32e Mode"). */
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	lgdt PHYS(boot_gdt_ptr32)
	ljmp $GDT_KCODE, $PHYS(.Lentry64)

/* No long mode: say why on COM1, then exit QEMU through isa-debug-exit with a failure status. */
.Lno_long_mode:
	movl $PHYS(.Lno_long_mode_msg), %esi
1:	movw $COM1_LSR, %dx
2:	inb %dx, %al
	testb $LSR_THRE, %al
	jz 2b
	lodsb
	testb %al, %al
	jz 3f
	movw $COM1, %dx
	outb %al, %dx
	jmp 1b
3:	movb $1, %al
	outb %al, $0xf4
4:	cli
	hlt
	jmp 4b

	.code64
.Lentry64:
	movq $.Lentry_high, %rax		/* still at the physical address: jump up */
	jmp *%rax
.Lentry_high:
	lgdt boot_gdt_ptr(%rip)		/* the same GDT, by its higher-half address */
	movl $GDT_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp			/* a zero frame pointer ends every backtrace */
	movl boot_mb_magic(%rip), %edi
	movl boot_mb_info(%rip), %esi
	movq boot_entry_tsc(%rip), %rdx
	call x86_boot
5:	cli
	hlt
	jmp 5b
	.size _start, . - _start

	.section .rodata
.Lno_long_mode_msg:
	.asciz "\nkit: this CPU has no long mode (x86_64) or no NX; stopping\n"

	/* The boot GDT (Intel SDM Vol. 3A, "Segment Descriptors" and "Code Segment
	 * Descriptor in 64-bit Mode"): null, 64-bit kernel code, kernel data, user
	 * data, 64-bit user code, in the order SYSCALL and SYSRET need (Vol. 2B,
	 * SYSCALL/SYSRET: kernel SS = CS + 8; user SS = STAR[63:48] + 8, user CS =
	 * STAR[63:48] + 16; arch.c's syscall_init), then the 16-byte TSS descriptor
	 * (selector 0x28) that arch.c's tss_init fills in and loads into TR ("TSS
	 * Descriptor in 64-bit mode"). Selectors in arch/x86.h. */
	.section .data
	.balign 16
	.globl boot_gdt
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08 kernel code: present, DPL 0, L = 1 */
	.quad 0x00cf92000000ffff	/* 0x10 kernel data: present, DPL 0, writable */
	.quad 0x00cff2000000ffff	/* 0x18 user data: present, DPL 3, writable */
	.quad 0x00affa000000ffff	/* 0x20 user code: present, DPL 3, L = 1 */
	.quad 0, 0			/* 0x28 the TSS */
boot_gdt_end:
boot_gdt_ptr:				/* for lgdt in 64-bit mode: limit, 64-bit base */
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt
boot_gdt_ptr32:				/* for lgdt in 32-bit mode: limit, 32-bit physical base */
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
	/* What the loader handed over, kept here: .bss is cleared after they are read. */
	.balign 8
boot_entry_tsc:
	.quad 0
boot_mb_magic:
	.long 0
boot_mb_info:
	.long 0

	.section .bss.pgtable, "aw", @nobits
	.balign 4096
boot_pml4:
	.space 4096
boot_pdpt_low:
	.space 4096
boot_pdpt_high:
	.space 4096
boot_pd:
	.space 4096
boot_pd_image:
	.space 4096
boot_pt:
	.space 4096

	/* The boot stack, 16 KiB, and a guard page under it that the boot page table
	 * and lab 2's kernel page table leave unmapped, so that an overflow faults
	 * instead of overwriting. */
	.section .bss.stack, "aw", @nobits
	.balign 4096
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.space 4096
boot_stack:
	.space 16384
boot_stack_top:

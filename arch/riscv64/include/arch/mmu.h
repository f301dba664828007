/*
 * mmu.h (riscv64): the page-table format portable code (pt.c) builds on:
 * Sv39 (RISC-V Privileged Architecture v1.12, 4.4 "Sv39: Page-Based
 * 39-bit Virtual-Memory System" and 4.3.1 "Addressing and Memory
 * Protection"). Three levels of 512 8-byte PTEs; a leaf may sit at any
 * level (4 KiB, 2 MiB, 1 GiB pages). Pure C, so host unit tests build it.
 *
 * The kernel's layout (virtual addresses; VPN[2] is the root-table index,
 * bits 38..30). The lower half, [0, 0x0000004000000000), is left to user
 * space; the kernel lives in the upper half (bit 38 set, 4.4.1):
 *   0xffffffc000000000  ARCH_KSTACK_AREA_BASE: lab 3's thread stacks (VPN[2] 256)
 *   0xffffffd000000000  ARCH_DIRECT_MAP_BASE: physical x at base + x (VPN[2] 320..),
 *                       so RAM (at physical 0x80000000 on QEMU virt) from
 *                       0xffffffd080000000 and the devices below it
 *   0xffffffff80200000  the kernel image (VPN[2] 510): linked there, loaded by
 *                       OpenSBI at physical 0x80200000 (ARCH_KERNEL_IMAGE_OFFSET
 *                       = virtual minus physical)
 * entry.S turns paging on with a boot page table of 1 GiB pages (the image's
 * GiB, the direct map of physical [0, 4 GiB)); lab 2's kvm_init replaces it.
 */
#pragma once

#include "types.h"
#include "vm_perm.h"

#define PAGE_SHIFT    12
#define PAGE_SIZE     (1UL << PAGE_SHIFT)
#define PT_LEVELS     3
#define PT_INDEX_BITS 9
#define PT_ENTRIES    (1UL << PT_INDEX_BITS)
#define VA_BITS	      39

#ifndef ARCH_DIRECT_MAP_BASE /* host unit tests may define their own */
#define ARCH_DIRECT_MAP_BASE 0xffffffd000000000UL
#endif
#define ARCH_KERNEL_IMAGE_OFFSET 0xffffffff00000000UL /* kernel image: virtual minus physical */

/* User space (lab 4): [0, ARCH_USER_TOP), the lower half. */
#define ARCH_USER_TOP 0x0000004000000000UL

/* Lab 3's kernel-thread stacks are mapped from here: the first address of Sv39's upper half (bit 38 set, sign-extended; 4.4.1). */
#define ARCH_KSTACK_AREA_BASE 0xffffffc000000000UL

typedef uint64_t pte_t;

/* Sv39 PTE bits (4.4.1, Figure 4.21). */
#define SV39_V	       (1UL << 0)
#define SV39_R	       (1UL << 1)
#define SV39_W	       (1UL << 2)
#define SV39_X	       (1UL << 3)
#define SV39_U	       (1UL << 4)
#define SV39_G	       (1UL << 5)
#define SV39_A	       (1UL << 6)
#define SV39_D	       (1UL << 7)
#define SV39_PPN_SHIFT 10
#define SV39_PPN_MASK  ((1UL << 44) - 1)

/* arch_va_canonical: Sv39 wants bits 63..39 equal to bit 38 (4.4.1). */
static inline bool arch_va_canonical(uintptr_t va)
{
	return (uintptr_t)((intptr_t)(va << (64 - VA_BITS)) >> (64 - VA_BITS)) == va;
}

/*
 * arch_pte_leaf: a leaf PTE mapping physical address pa (aligned to the
 * level's page size) with VM_* perm. A and D are preset, so the hardware
 * never needs to update them (4.3.1, "A and D bits").
 */
static inline pte_t arch_pte_leaf(paddr_t pa, unsigned perm, int level)
{
	(void)level;
	pte_t pte = ((pa >> PAGE_SHIFT) << SV39_PPN_SHIFT) | SV39_V | SV39_A | SV39_D;
	pte |= (perm & VM_READ ? SV39_R : 0) | (perm & VM_WRITE ? SV39_W : 0);
	pte |= (perm & VM_EXEC ? SV39_X : 0) | (perm & VM_USER ? SV39_U : 0);
	pte |= perm & VM_GLOBAL ? SV39_G : 0;
	return pte;
}

/* arch_pte_table: a non-leaf PTE pointing at the next-level table at physical table_pa (R=W=X=0). */
static inline pte_t arch_pte_table(paddr_t table_pa)
{
	return ((table_pa >> PAGE_SHIFT) << SV39_PPN_SHIFT) | SV39_V;
}

static inline bool arch_pte_present(pte_t pte)
{
	return pte & SV39_V;
}

/* arch_pte_is_leaf: a present PTE at level is a leaf when any of R, W, X is set (4.3.2 step 4). */
static inline bool arch_pte_is_leaf(pte_t pte, int level)
{
	(void)level;
	return pte & (SV39_R | SV39_W | SV39_X);
}

/* arch_pte_pa: the physical address a PTE holds (a table's, or a leaf page's). */
static inline paddr_t arch_pte_pa(pte_t pte)
{
	return ((pte >> SV39_PPN_SHIFT) & SV39_PPN_MASK) << PAGE_SHIFT;
}

/* arch_pte_perm: the VM_* permissions of a leaf PTE. */
static inline unsigned arch_pte_perm(pte_t pte)
{
	return (pte & SV39_R ? VM_READ : 0) | (pte & SV39_W ? VM_WRITE : 0) |
	       (pte & SV39_X ? VM_EXEC : 0) | (pte & SV39_U ? VM_USER : 0) |
	       (pte & SV39_G ? VM_GLOBAL : 0);
}

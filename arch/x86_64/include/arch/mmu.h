/*
 * mmu.h (x86_64): the page-table format portable code (pt.c) builds on:
 * 4-level paging with 48-bit virtual addresses (Intel SDM Vol. 3A, 4.5
 * "4-Level Paging and 5-Level Paging", Tables 4-15 to 4-20). Four levels of
 * 512 8-byte entries; a leaf at level 1 (PS=1 in a PDE) maps a 2 MiB page;
 * level 0 maps 4 KiB pages. Pure C, so host unit tests build it.
 *
 * x86 cannot express a present page that is not readable: VM_READ is implied
 * by P. Execute-disable (bit 63) needs EFER.NXE, which entry.S sets.
 *
 * The kernel's layout: the direct map of physical memory starts at
 * ARCH_DIRECT_MAP_BASE (the first address of the upper half); the kernel
 * image runs at ARCH_KERNEL_IMAGE_OFFSET + its physical address (the top
 * 2 GiB, the kernel code model).
 */
#pragma once

#include "types.h"
#include "vm_perm.h"

#define PAGE_SHIFT    12
#define PAGE_SIZE     (1UL << PAGE_SHIFT)
#define PT_LEVELS     4
#define PT_INDEX_BITS 9
#define PT_ENTRIES    (1UL << PT_INDEX_BITS)
#define VA_BITS	      48

#ifndef ARCH_DIRECT_MAP_BASE /* host unit tests may define their own */
#define ARCH_DIRECT_MAP_BASE 0xffff800000000000UL
#endif
#define ARCH_KERNEL_IMAGE_OFFSET 0xffffffff80000000UL /* kernel image: virtual minus physical */

/* User space (lab 4): [0, ARCH_USER_TOP), the lower half but its last page, so that no
 * instruction in user space ends at the non-canonical 0x800000000000 (a SYSCALL there would
 * return to it; Linux's TASK_SIZE keeps the same guard page). */
#define ARCH_USER_TOP 0x00007ffffffff000UL

/* Lab 3's kernel-thread stacks are mapped from here: PML4 slot 384, above the direct map's 64 TiB and below the image (SDM Vol. 3A 4.5). */
#define ARCH_KSTACK_AREA_BASE 0xffffc00000000000UL

typedef uint64_t pte_t;

/* Paging-structure entry bits (SDM Vol. 3A, Tables 4-15 .. 4-20). */
#define X86_PTE_P    (1UL << 0)
#define X86_PTE_W    (1UL << 1)
#define X86_PTE_U    (1UL << 2)
#define X86_PTE_A    (1UL << 5)
#define X86_PTE_D    (1UL << 6)
#define X86_PTE_PS   (1UL << 7) /* in a PDE or PDPTE: this entry maps a page */
#define X86_PTE_G    (1UL << 8)
#define X86_PTE_NX   (1UL << 63)
#define X86_PTE_ADDR 0x000ffffffffff000UL /* bits 51..12 */

/* arch_va_canonical: bits 63..48 must equal bit 47 (SDM Vol. 1, 3.3.7.1 "Canonical Addressing"). */
static inline bool arch_va_canonical(uintptr_t va)
{
	return (uintptr_t)((intptr_t)(va << (64 - VA_BITS)) >> (64 - VA_BITS)) == va;
}

/* arch_pte_leaf: a leaf entry mapping pa (aligned to the level's page size) with VM_* perm. */
static inline pte_t arch_pte_leaf(paddr_t pa, unsigned perm, int level)
{
	pte_t pte = (pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_A | X86_PTE_D;
	pte |= (perm & VM_WRITE ? X86_PTE_W : 0) | (perm & VM_USER ? X86_PTE_U : 0);
	pte |= (perm & VM_EXEC ? 0 : X86_PTE_NX) | (perm & VM_GLOBAL ? X86_PTE_G : 0);
	return pte | (level > 0 ? X86_PTE_PS : 0);
}

/* arch_pte_table: an entry pointing at the next-level table at physical table_pa. Permissive:
 * the leaf decides (the effective rights are the AND over the walk, SDM 4.6). */
static inline pte_t arch_pte_table(paddr_t table_pa)
{
	return (table_pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_W | X86_PTE_U;
}

static inline bool arch_pte_present(pte_t pte)
{
	return pte & X86_PTE_P;
}

/* arch_pte_is_leaf: level 0 entries always map a page; above, PS says so. */
static inline bool arch_pte_is_leaf(pte_t pte, int level)
{
	return level == 0 || (pte & X86_PTE_PS);
}

/* arch_pte_pa: the physical address an entry holds (a table's, or a page's). */
static inline paddr_t arch_pte_pa(pte_t pte)
{
	return pte & X86_PTE_ADDR;
}

/* arch_pte_perm: the VM_* permissions of a leaf entry. */
static inline unsigned arch_pte_perm(pte_t pte)
{
	return VM_READ | (pte & X86_PTE_W ? VM_WRITE : 0) | (pte & X86_PTE_NX ? 0 : VM_EXEC) |
	       (pte & X86_PTE_U ? VM_USER : 0) | (pte & X86_PTE_G ? VM_GLOBAL : 0);
}

/*
 * mmu.h (aarch64): the page-table format portable code (pt.c) builds on:
 * the VMSAv8-64 translation regime of EL1&0 with a 4 KiB granule and 39-bit
 * virtual addresses (Arm ARM D8, "The AArch64 Virtual Memory System
 * Architecture"; TCR_EL1.T0SZ = T1SZ = 25). Three levels of 512 8-byte
 * descriptors, the walk starting at level 1 (pt.h's level 2); a block may
 * sit at the upper two levels (1 GiB, 2 MiB), pages at the last. Pure C, so
 * host unit tests build it.
 *
 * Both halves index the same root table by VA bits 38..30: TTBR0_EL1 (the
 * lower half, [0, 2^39)) and TTBR1_EL1 (the upper half, [2^64 - 2^39, 2^64))
 * hold the same root (arch_mmu_activate), so the layout is Sv39's: user
 * space below ARCH_USER_TOP (bit 38 clear), the kernel where bit 38 is set:
 *   0xffffffc000000000  ARCH_KSTACK_AREA_BASE: lab 3's thread stacks (L1 256)
 *   0xffffffd000000000  ARCH_DIRECT_MAP_BASE: physical x at base + x (L1 320..):
 *                       RAM from physical 0, the peripherals at 0x3f000000
 *   0xffffffff00080000  the kernel image (L1 508): linked there, loaded by QEMU
 *                       (or the Pi's firmware) at physical 0x80000
 *                       (ARCH_KERNEL_IMAGE_OFFSET = virtual minus physical)
 * entry.S turns the MMU on with a boot table (the image's GiB, the direct map
 * of [0, 2 GiB)); lab 2's kvm_init replaces it.
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

/* Lab 3's kernel-thread stacks are mapped from here: the first upper-half address with bit 38 set. */
#define ARCH_KSTACK_AREA_BASE 0xffffffc000000000UL

/* Physical addresses from here up are device registers, mapped Device-nGnRnE: the BCM2837's
 * peripherals (0x3f000000) and the BCM2836 local controller (0x40000000) on the raspi3b. */
#define ARM64_DEVICE_PA 0x3f000000UL

typedef uint64_t pte_t;

/* VMSAv8-64 descriptor bits (Arm ARM D8.3, "Translation table descriptor formats"). */
#define ARM64_PTE_VALID	   (1UL << 0)
#define ARM64_PTE_TABLE	   (1UL << 1) /* table at levels 0..2, page at level 3; 0: a block */
#define ARM64_PTE_ATTR(i)  ((unsigned long)(i) << 2) /* MAIR_EL1 index (entry.S sets MAIR) */
#define ARM64_PTE_AP_USER  (1UL << 6)		     /* AP[1]: EL0 may access */
#define ARM64_PTE_AP_RO	   (1UL << 7)		     /* AP[2]: read-only */
#define ARM64_PTE_SH_INNER (3UL << 8)
#define ARM64_PTE_AF	   (1UL << 10) /* access flag, preset so no access faults */
#define ARM64_PTE_NG	   (1UL << 11) /* not global: tagged with the ASID */
#define ARM64_PTE_PXN	   (1UL << 53) /* EL1 may not execute */
#define ARM64_PTE_UXN	   (1UL << 54) /* EL0 may not execute */
#define ARM64_PTE_ADDR	   0x0000fffffffff000UL
#define ARM64_ATTR_NORMAL  0 /* MAIR_EL1 attribute 0: normal memory, write-back */
#define ARM64_ATTR_DEVICE  1 /* MAIR_EL1 attribute 1: Device-nGnRnE */

/* arch_va_canonical: with both halves 39 bits wide, bits 63..39 equal to bit 38 (as Sv39). */
static inline bool arch_va_canonical(uintptr_t va)
{
	return (uintptr_t)((intptr_t)(va << (64 - VA_BITS)) >> (64 - VA_BITS)) == va;
}

/*
 * arm64_pte_attrs (pte.c, lab 7): every bit but the address of a page (level 0) or block
 * (level 1, 2) descriptor for physical address pa with VM_* perm: valid, the type, AF, the
 * memory attribute (device memory from ARM64_DEVICE_PA up), shareability, AP, nG, UXN/PXN.
 * arm64_pte_perm: the VM_* permissions of a leaf descriptor, its inverse.
 */
pte_t arm64_pte_attrs(paddr_t pa, unsigned perm, int level);
unsigned arm64_pte_perm(pte_t pte);

/* arch_pte_leaf: a page or block descriptor for pa with perm (arm64_pte_attrs). */
static inline pte_t arch_pte_leaf(paddr_t pa, unsigned perm, int level)
{
	return (pa & ARM64_PTE_ADDR) | arm64_pte_attrs(pa, perm, level);
}

/* arch_pte_table: a table descriptor pointing at the next-level table at physical table_pa. */
static inline pte_t arch_pte_table(paddr_t table_pa)
{
	return (table_pa & ARM64_PTE_ADDR) | ARM64_PTE_VALID | ARM64_PTE_TABLE;
}

static inline bool arch_pte_present(pte_t pte)
{
	return pte & ARM64_PTE_VALID;
}

/* arch_pte_is_leaf: a valid descriptor is a leaf at the last level (a page) or, above it,
 * when bit 1 is clear (a block). */
static inline bool arch_pte_is_leaf(pte_t pte, int level)
{
	return level == 0 || !(pte & ARM64_PTE_TABLE);
}

/* arch_pte_pa: the physical address a descriptor holds (a table's, or a page's or block's). */
static inline paddr_t arch_pte_pa(pte_t pte)
{
	return pte & ARM64_PTE_ADDR;
}

/* arch_pte_perm: the VM_* permissions of a leaf descriptor (arm64_pte_perm). */
static inline unsigned arch_pte_perm(pte_t pte)
{
	return arm64_pte_perm(pte);
}

/*
 * mmu.c (aarch64): the physical memory the firmware keeps and the MMU
 * controls (Arm ARM D8: TTBR1_EL1, TLBI).
 * Entry points: arch_mem_reserved, arch_mmu_active, arch_tlb_flush_page (arch.h).
 */
#include "kernel.h"
#include "arch.h"
#include "mm.h"
#include "arch/arm64.h"
#include "arch/mmu.h"

/*
 * arch_mem_reserved (aarch64): "firmware", everything below the kernel's
 * load address (the physical address of _start, 0x80000): QEMU's boot stub
 * and the spin table where cores 1-3 wait (0xd8..0xf0), the Pi firmware's
 * armstub on real hardware.
 */
int arch_mem_reserved(struct mem_region *regions, int max)
{
	paddr_t kernel = kimg_to_pa(_start);
	if (max < 1)
		return 0;
	regions[0] = (struct mem_region){0, kernel, "firmware"};
	return 1;
}

/* arch_mmu_active (aarch64): the root table's physical address from TTBR1_EL1, 0 with the
 * MMU off (SCTLR_EL1.M clear). */
paddr_t arch_mmu_active(void)
{
	if (!(sysreg_read(sctlr_el1) & 1))
		return 0;
	return sysreg_read(ttbr1_el1) & ARM64_PTE_ADDR;
}

/* arch_tlb_flush_page (aarch64): TLBI VAAE1IS: va's entries for every ASID (D8.13). */
void arch_tlb_flush_page(uintptr_t va)
{
	__asm__ volatile(
	    "dsb ishst\n\ttlbi vaae1is, %0\n\tdsb ish\n\tisb" ::"r"((va >> 12) & ((1UL << 44) - 1))
	    : "memory");
}

/*
 * mmu.c (x86_64): the memory half of arch.h for lab 2: the physical ranges
 * the kernel must not allocate and the control of the MMU (CR3, INVLPG).
 * Entry points: arch_mem_reserved, arch_mmu_active,
 * arch_tlb_flush_page.
 */
#include "kernel.h"
#include "arch.h"
#include "arch/x86.h"

/*
 * Low memory, [0, 1 MiB): the real-mode IVT and BIOS data area, the EBDA,
 * and the multiboot information and memory map, which QEMU's loader
 * (hw/i386/multiboot.c) puts at 0x9500 and 0x9000. The command line it puts
 * in the page after the kernel image is copied by x86_boot before kmain.
 */
#define LOW_MEMORY_END (1 * MiB)

/* reserve_boot_data: append [pa, pa + size), rounded out to pages, to regions[n] (of max) as
 * name, unless it lies in low memory; returns the new count. */
static int reserve_boot_data(struct mem_region *regions, int max, int n, paddr_t pa, size_t size,
			     const char *name)
{
	if (n == max || pa + size <= LOW_MEMORY_END)
		return n;
	paddr_t base = ROUNDDOWN(pa, PAGE_SIZE);
	regions[n] = (struct mem_region){base, ROUNDUP(pa + size, PAGE_SIZE) - base, name};
	return n + 1;
}

/*
 * arch_mem_reserved: "low memory" [0, 1 MiB), plus the multiboot information
 * ("multiboot info") and memory map ("multiboot mmap") where a loader put them
 * elsewhere (QEMU does not; GRUB may), since bootinfo.firmware and
 * arch_mem_detect read them after boot. Regions are page aligned; returns
 * how many of max were filled.
 */
int arch_mem_reserved(struct mem_region *regions, int max)
{
	if (max < 1)
		return 0;
	regions[0] = (struct mem_region){0, LOW_MEMORY_END, "low memory"};
	int n = 1;
	const struct multiboot_info *mbi = bootinfo.firmware;
	if (!mbi)
		return n;
	n = reserve_boot_data(regions, max, n, (uintptr_t)mbi - ARCH_DIRECT_MAP_BASE, sizeof(*mbi),
			      "multiboot info");
	if (mbi->flags & MULTIBOOT_INFO_MMAP)
		n = reserve_boot_data(regions, max, n, mbi->mmap_addr, mbi->mmap_length,
				      "multiboot mmap");
	return n;
}

/* arch_mmu_active: CR3's PML4 address (bits 51..12; Intel SDM Vol. 3A, 4.5, Table 4-12). */
paddr_t arch_mmu_active(void)
{
	return x86_read_cr3() & X86_PTE_ADDR;
}

/* arch_tlb_flush_page: INVLPG (Intel SDM Vol. 2A) drops the entries for va's page. */
void arch_tlb_flush_page(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

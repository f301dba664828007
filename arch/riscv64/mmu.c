/*
 * mmu.c (riscv64): the physical layout lab 2 needs to know and the Sv39 MMU
 * controls (RISC-V Privileged Architecture v1.12, 4.1.11 satp, 4.2.1
 * SFENCE.VMA), for QEMU's virt machine with OpenSBI.
 * Entry points: arch_mem_reserved, arch_mmu_active,
 * arch_tlb_flush_page (arch.h).
 */
#include "kernel.h"
#include "arch.h"
#include "fdt.h"
#include "mm.h"
#include "arch/riscv.h"

/*
 * ram_base: the physical address of the first /memory "reg" entry, its
 * length the root's #address-cells (Devicetree Specification v0.4, 2.3.5
 * and 3.4); VIRT_DRAM when the device tree does not say.
 */
static paddr_t ram_base(const void *fdt)
{
	uint32_t len, ac = 2;
	const void *cells = fdt_getprop(fdt, "/", "#address-cells", &len);
	if (cells && len == 4)
		ac = fdt32(cells);
	const uint8_t *reg = fdt_getprop(fdt, "/memory", "reg", &len);
	if (!reg || (ac != 1 && ac != 2) || len < 4 * ac)
		return VIRT_DRAM;
	return ac == 2 ? (paddr_t)fdt32(reg) << 32 | fdt32(reg + 4) : fdt32(reg);
}

/*
 * arch_mem_reserved (riscv64): "firmware", OpenSBI from the start of RAM up
 * to the kernel's load address (the physical address of _start), and "fdt",
 * the device tree blob at bootinfo.firmware (a direct-map address), its
 * header's totalsize bytes (Devicetree Specification v0.4, 5.2), widened to
 * whole 4 KiB pages.
 */
int arch_mem_reserved(struct mem_region *regions, int max)
{
	const void *fdt = bootinfo.firmware;
	paddr_t base = ram_base(fdt), kernel = kimg_to_pa(_start), fdt_pa = kva_to_pa(fdt);
	int n = 0;
	if (n < max && base < kernel)
		regions[n++] = (struct mem_region){base, kernel - base, "firmware"};
	if (n < max && fdt_check(fdt) == 0) {
		paddr_t start = ROUNDDOWN(fdt_pa, PAGE_SIZE);
		paddr_t end = ROUNDUP(fdt_pa + fdt32((const uint8_t *)fdt + 4), PAGE_SIZE);
		regions[n++] = (struct mem_region){start, end - start, "fdt"};
	}
	return n;
}

_Static_assert(SATP_MODE_SV39 == 8UL << 60 && PAGE_SHIFT == 12, "arch_mmu_activate's satp");

/* arch_mmu_active (riscv64): the root table's physical address from satp, 0 in Bare mode. */
paddr_t arch_mmu_active(void)
{
	unsigned long satp = csr_read(satp);
	if (!(satp >> SATP_MODE_SHIFT))
		return 0;
	return (satp & SATP_PPN_MASK) << PAGE_SHIFT;
}

/* arch_tlb_flush_page (riscv64): SFENCE.VMA va, x0: va's entries in every address space (4.2.1). */
void arch_tlb_flush_page(uintptr_t va)
{
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}

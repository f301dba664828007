/*
 * memdetect.c (x86_64): arch_mem_detect from the multiboot memory map (lab 1).
 *
 * When bit 6 of the multiboot information's flags is set, mmap_addr and
 * mmap_length (bytes) describe a list of entries, each a 32-bit size (the
 * bytes that follow it, so the next entry is size + 4 bytes further), a
 * 64-bit base address, a 64-bit length and a 32-bit type, 1 for available
 * RAM (Multiboot Specification 0.6.96, 3.3 "Boot information format"). QEMU
 * builds the list from the BIOS's E820 map, which reserves the holes below
 * 1 MiB and the top of RAM for the firmware.
 */
#include "kernel.h"
#include "arch.h"
#include "arch/x86.h"

int arch_mem_detect(struct mem_region *regions, int max)
{
	const struct multiboot_info *mbi = bootinfo.firmware;
	if (!mbi || !(mbi->flags & MULTIBOOT_INFO_MMAP) || mbi->mmap_addr >= X86_BOOT_MAP_END)
		return -EINVAL;
	const uint8_t *p = x86_p2v(mbi->mmap_addr), *end = p + mbi->mmap_length;
	int n = 0;
	for (; p + sizeof(struct multiboot_mmap_entry) <= end; p += ((const uint32_t *)p)[0] + 4) {
		const struct multiboot_mmap_entry *e = (const void *)p;
		if (e->type != MULTIBOOT_MEMORY_AVAILABLE || e->len == 0 || n == max)
			continue;
		/* Insert in address order: the specification does not promise a sorted map. */
		int i = n++;
		for (; i > 0 && regions[i - 1].base > e->addr; i--)
			regions[i] = regions[i - 1];
		regions[i] = (struct mem_region){e->addr, e->len};
	}
	return n;
}

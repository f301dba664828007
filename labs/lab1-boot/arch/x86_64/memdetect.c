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
	// TODO(lab1): fill regions[] with the available-RAM (type 1) entries of
	// the multiboot memory map, in ascending address order, and return how
	// many you found (at most max); -EINVAL when there is no map.
	// Hint: mbi->flags bit 6 (MULTIBOOT_INFO_MMAP) says mmap_addr and
	// mmap_length are valid; x86_p2v() turns a physical address into a
	// pointer; each struct multiboot_mmap_entry's size field does not count
	// itself, so the next entry starts size + 4 bytes further on.
	(void)mbi, (void)regions, (void)max;
	return -ENOSYS;
}

/*
 * memdetect.c (riscv64): arch_mem_detect from the device tree (lab 1).
 *
 * RAM is described by /memory nodes whose "reg" property is a list of
 * (address, size) pairs, each #address-cells and #size-cells 32-bit
 * big-endian cells long, those counts read from the root node (Devicetree
 * Specification v0.4, 2.3.5 and 3.4). QEMU's virt machine has one node,
 * memory@80000000, with two cells each.
 */
#include "kernel.h"
#include "arch.h"
#include "fdt.h"

int arch_mem_detect(struct mem_region *regions, int max)
{
	const void *fdt = bootinfo.firmware;
	// TODO(lab1): fill regions[] from the "reg" property of the device tree's
	// /memory node and return how many you found (at most max).
	// Hint: fdt_getprop(fdt, "/memory", "reg", &len) finds it; each entry is
	// #address-cells then #size-cells big-endian 32-bit cells (read those
	// counts from the root node "/"); fdt32() reads one cell.
	(void)fdt, (void)regions, (void)max;
	return -ENOSYS;
}

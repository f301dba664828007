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

/* read_cells: a value of n big-endian 32-bit cells (1 or 2) at p. */
static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = (v << 32) | fdt32(p + 4 * i);
	return v;
}

/* root_cells: the root node's #address-cells or #size-cells, or dflt when absent. */
static uint32_t root_cells(const void *fdt, const char *prop, uint32_t dflt)
{
	uint32_t len;
	const void *v = fdt_getprop(fdt, "/", prop, &len);
	return v && len == 4 ? fdt32(v) : dflt;
}

int arch_mem_detect(struct mem_region *regions, int max)
{
	const void *fdt = bootinfo.firmware;
	if (fdt_check(fdt) < 0)
		return -EINVAL;
	uint32_t ac = root_cells(fdt, "#address-cells", 2), sc = root_cells(fdt, "#size-cells", 1);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -EINVAL;
	uint32_t len;
	const uint8_t *reg = fdt_getprop(fdt, "/memory", "reg", &len);
	if (!reg)
		return -EINVAL;
	uint32_t entry = 4 * (ac + sc);
	int n = 0;
	for (uint32_t off = 0; off + entry <= len && n < max; off += entry) {
		regions[n].base = read_cells(reg + off, ac);
		regions[n].size = read_cells(reg + off + 4 * ac, sc);
		if (regions[n].size)
			n++;
	}
	return n;
}

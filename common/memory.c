/*
 * memory.c: reporting the RAM that lab 1's arch_mem_detect finds.
 */
#include "kernel.h"
#include "arch.h"
#include "memory.h"

int memory_report(bool verbose)
{
	struct mem_region r[MEM_MAX_REGIONS];
	int n = arch_mem_detect(r, MEM_MAX_REGIONS);
	if (n <= 0) {
		kprintf("memory: unknown (%s)\n", n < 0 ? errstr(n) : "no regions");
		return n < 0 ? n : -ENOENT;
	}
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += r[i].size;
	kprintf("memory: %lu KiB usable in %d region(s), top %p\n", (unsigned long)(total / KiB), n,
		(void *)(r[n - 1].base + r[n - 1].size));
	for (int i = 0; verbose && i < n; i++)
		kprintf("  [%p, %p) %lu KiB\n", (void *)r[i].base, (void *)(r[i].base + r[i].size),
			(unsigned long)(r[i].size / KiB));
	return 0;
}

/*
 * memdetect_host.c: the student's arch_mem_detect (lab 1) on firmware
 * descriptions the grader builds (grader/test_lab1.py, test_memory_maps).
 *
 * usage: memdetect_host FILE...  Each FILE holds one description: a
 * flattened device tree (riscv64), or a multiboot information block with
 * its memory map behind it (x86_64), laid out for physical address
 * LOAD_PA. The host has no direct map: the kernel headers are built with
 * ARCH_DIRECT_MAP_BASE 0, and the file is loaded at host address LOAD_PA,
 * so x86_p2v(pa) == pa. Prints per file "<file>: <ret> [<base> <size>]...".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel.h"
#include "arch.h"
#include "memory.h"

#define LOAD_PA	  0x10000000UL /* below x86's X86_BOOT_MAP_END; the grader builds for it */
#define LOAD_SIZE (1UL << 20)

struct bootinfo bootinfo;

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	exit(3);
}

int main(int argc, char **argv)
{
	void *base = mmap((void *)LOAD_PA, LOAD_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (base != (void *)LOAD_PA) {
		perror("mmap at LOAD_PA");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		memset(base, 0, LOAD_SIZE);
		fread(base, 1, LOAD_SIZE, f);
		fclose(f);
		bootinfo.firmware = base;
		struct mem_region r[MEM_MAX_REGIONS + 1];
		memset(r, 0, sizeof(r));
		int n = arch_mem_detect(r, MEM_MAX_REGIONS);
		printf("%s: %d", argv[i], n);
		for (int k = 0; k < n && k < MEM_MAX_REGIONS; k++)
			printf(" 0x%lx 0x%lx", (unsigned long)r[k].base, (unsigned long)r[k].size);
		printf("\n");
		fflush(stdout);
	}
	return 0;
}

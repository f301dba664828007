/*
 * lx_mem.c: a Linux program's memory calls (brk, mmap, munmap), carved out
 * of the heap window the kernel mapped when it made the task
 * (KIT_LINUX_HEAP_BASE, struct lx_proc's brk, mmap_low, heap_end).
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"

/* brk (addr): the break moves to addr when it lies in the window below the mmap'd pages;
 * the new break either way (Linux's brk returns the old one on failure). */
LX_HANDLER(brk)
{
	unsigned long addr = c->a[0];

	if (addr >= KIT_LINUX_HEAP_BASE && addr <= p->mmap_low) {
		if (addr < p->brk) /* memory given back comes back zeroed */
			lx_mem_zero(p, addr, p->brk - addr);
		p->brk = addr;
	}
	return (long)p->brk;
}

/* mmap (addr, len, prot, flags, fd, off): anonymous private memory, pages below the lowest
 * mapped so far; -ENOMEM when they would meet the break, -EINVAL for a file or MAP_FIXED. */
LX_HANDLER(mmap)
{
	unsigned long len = (c->a[1] + LX_PAGESZ - 1) & ~(LX_PAGESZ - 1);

	if (!(c->a[3] & LX_MAP_ANONYMOUS) || (c->a[3] & LX_MAP_FIXED) || !len)
		return -LX_EINVAL;
	if (len > p->mmap_low - p->brk)
		return -LX_ENOMEM;
	p->mmap_low -= len;
	return (long)p->mmap_low;
}

/* munmap (addr, len): the pages are zeroed (reused zeroed); the lowest ones are reused. */
LX_HANDLER(munmap)
{
	unsigned long addr = c->a[0], len = (c->a[1] + LX_PAGESZ - 1) & ~(LX_PAGESZ - 1);

	if (addr % LX_PAGESZ || addr < p->mmap_low || len > p->heap_end - addr)
		return -LX_EINVAL;
	lx_mem_zero(p, addr, len);
	if (addr == p->mmap_low)
		p->mmap_low += len;
	return 0;
}

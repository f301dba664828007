// @file lab6
/*
 * lx_mem.c: a Linux program's memory calls (brk, mmap, munmap, mprotect),
 * carved out of the heap window the kernel mapped read-write when it made
 * the task (KIT_LINUX_HEAP_BASE up to struct lx_proc's heap_end): the
 * break grows up from the window's base, anonymous mappings take free pages
 * from the top down (Linux's mmap layout, top-down), and a bitmap of the
 * window's pages (struct lx_proc's mmap_map) says which are mapped, so
 * pages given back by munmap are reused wherever they lie. The pages stay
 * mapped in the task all along: "unmapped" pages are zeroed (a later mmap
 * must hand out zeros, as Linux's fresh anonymous pages are) and reading
 * them does not fault. mremap is not here (-ENOSYS): glibc's realloc then
 * allocates, copies and frees, as it does on kernels without it.
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/syscall.h"

#define PAGE_ROUND(n) (((n) + LX_PAGESZ - 1) & ~(unsigned long)(LX_PAGESZ - 1))
#define WORD_BITS     (8 * sizeof(unsigned long))

/* page: the index in the window of the page at addr (addr in the window). */
static unsigned long page(unsigned long addr)
{
	return (addr - KIT_LINUX_HEAP_BASE) / LX_PAGESZ;
}

static bool mapped(struct lx_proc *p, unsigned long i)
{
	return p->mmap_map[i / WORD_BITS] >> (i % WORD_BITS) & 1;
}

/* mark: pages [i, i + n) of the window become mapped (on) or free. */
static void mark(struct lx_proc *p, unsigned long i, unsigned long n, bool on)
{
	for (; n; i++, n--)
		if (on)
			p->mmap_map[i / WORD_BITS] |= 1UL << (i % WORD_BITS);
		else
			p->mmap_map[i / WORD_BITS] &= ~(1UL << (i % WORD_BITS));
}

/* low_update: mmap_low becomes the lowest mapped page's address (heap_end: none). */
static void low_update(struct lx_proc *p)
{
	unsigned long n = page(p->heap_end), i = page(PAGE_ROUND(p->brk));

	while (i < n && !mapped(p, i))
		i++;
	p->mmap_low = KIT_LINUX_HEAP_BASE + i * LX_PAGESZ;
}

/* sync: the bitmap agrees with mmap_low, which is all that a process table resets or copies
 * (execve: mmap_low = heap_end, nothing mapped; a fork that copies only mmap_low: every page
 * from it up mapped, as it may be). */
static void sync(struct lx_proc *p)
{
	unsigned long any = 0, words = sizeof(p->mmap_map) / sizeof(p->mmap_map[0]);

	for (unsigned long w = 0; w < words; w++)
		any |= p->mmap_map[w];
	if (p->mmap_low >= p->heap_end)
		memset(p->mmap_map, 0, sizeof(p->mmap_map));
	else if (!any)
		mark(p, page(p->mmap_low), page(p->heap_end) - page(p->mmap_low), true);
}

/* brk (addr): the break moves to addr when it lies in the window below the lowest mapped
 * page; the new break either way (Linux's brk returns the old one on failure). */
LX_HANDLER(brk)
{
	// @lab6 solution
	unsigned long addr = c->a[0];

	sync(p);
	if (addr >= KIT_LINUX_HEAP_BASE && addr <= p->mmap_low) {
		if (addr < p->brk) /* memory given back comes back zeroed */
			lx_mem_zero(p, addr, p->brk - addr);
		p->brk = addr;
	}
	return (long)p->brk;
	// @lab6 stub
	// TODO(lab6): exercise 3. brk (addr c->a[0]), man 2 brk (the raw call): the break p->brk
	// moves to addr when addr lies in the window, from KIT_LINUX_HEAP_BASE up to the lowest
	// mapped page (p->mmap_low); the bytes a shrinking break gives back are zeroed
	// (lx_mem_zero). Return the break, moved or not: brk(0) asks where it is.
	// Hint: call sync(p) first. Static glibc's start takes its TLS block from brk: until this
	// works no program starts.
	(void)p, (void)c;
	printf("linuxd: brk: TODO(lab6) exercise 3\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* free_run: the first page of the highest run of n free pages above the break, or -1. */
static long free_run(struct lx_proc *p, unsigned long n)
{
	unsigned long run = 0, low = page(PAGE_ROUND(p->brk));

	for (unsigned long k = page(p->heap_end); k > low; k--)
		if (mapped(p, k - 1))
			run = 0;
		else if (++run == n)
			return (long)(k - 1);
	return -1;
}

/* in_window: [addr, addr + len) lies in the mmap part of the window (above the break). */
static bool in_window(struct lx_proc *p, unsigned long addr, unsigned long len)
{
	return addr >= PAGE_ROUND(p->brk) && addr <= p->heap_end && len <= p->heap_end - addr;
}

/*
 * mmap (addr, len, prot, flags, fd, off): anonymous memory (MAP_PRIVATE or MAP_SHARED: with
 * no fork sharing it they are alike), zeroed, at the highest free pages above the break
 * (addr a hint, ignored), or with MAP_FIXED at addr, which must be page-aligned and lie in
 * the window above the break (what was mapped there is replaced, zeroed). Its address;
 * -EINVAL (a file, len 0, no MAP_PRIVATE or MAP_SHARED, MAP_FIXED's addr unaligned or
 * outside), -ENOMEM (no free run of pages that long). prot: the window stays read-write,
 * whatever it asks (mprotect's rule).
 */
LX_HANDLER(mmap)
{
	// @lab6 solution
	unsigned long addr = c->a[0], len = PAGE_ROUND(c->a[1]), flags = c->a[3], i;
	unsigned long type = flags & (LX_MAP_SHARED | LX_MAP_PRIVATE);

	if (!(flags & LX_MAP_ANONYMOUS) || !c->a[1] || !type ||
	    type == (LX_MAP_SHARED | LX_MAP_PRIVATE))
		return -LX_EINVAL;
	if (len < c->a[1]) /* so long it wraps */
		return -LX_ENOMEM;
	sync(p);
	unsigned long n = len / LX_PAGESZ;
	if (flags & LX_MAP_FIXED) {
		if (addr % LX_PAGESZ || !in_window(p, addr, len))
			return -LX_EINVAL;
		i = page(addr);
	} else {
		long run = free_run(p, n);
		if (run < 0)
			return -LX_ENOMEM;
		i = (unsigned long)run;
	}
	addr = KIT_LINUX_HEAP_BASE + i * LX_PAGESZ;
	for (unsigned long k = 0; k < n; k++) /* free pages are zero already; replaced ones not */
		if (mapped(p, i + k) && lx_mem_zero(p, addr + k * LX_PAGESZ, LX_PAGESZ))
			return -LX_EFAULT;
	mark(p, i, n, true);
	low_update(p);
	return (long)addr;
	// @lab6 stub
	// TODO(lab6): exercise 3. mmap (addr, len, prot, flags, fd, off: c->a[0..5]) of anonymous
	// memory, as the comment above says: validate (MAP_ANONYMOUS, len not 0, exactly one of
	// MAP_SHARED and MAP_PRIVATE: -EINVAL; a len that wraps when rounded up to pages:
	// -ENOMEM), then take len's pages at the highest free run above the break (free_run;
	// none: -ENOMEM) or, with MAP_FIXED, at addr (page-aligned and in_window, else -EINVAL).
	// Pages that were mapped already are zeroed (lx_mem_zero); mark them mapped, update
	// mmap_low (low_update), return the address.
	// Hint: sync(p) first; page() turns an address into its page's index in the window.
	(void)p, (void)c, (void)free_run, (void)in_window, (void)low_update;
	printf("linuxd: mmap: TODO(lab6) exercise 3\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/* munmap (addr, len): the pages become free (zeroed) and may be handed out again; pages in
 * the range that were not mapped are fine (Linux's rule). 0; -EINVAL (addr unaligned, len 0,
 * a range outside the window's mmap part: the program's image, stack or break). */
LX_HANDLER(munmap)
{
	// @lab6 solution
	unsigned long addr = c->a[0], len = PAGE_ROUND(c->a[1]);

	sync(p);
	if (addr % LX_PAGESZ || !len || len < c->a[1] || !in_window(p, addr, len))
		return -LX_EINVAL;
	for (unsigned long i = page(addr), k = 0; k < len / LX_PAGESZ; i++, k++)
		if (mapped(p, i)) {
			lx_mem_zero(p, addr + k * LX_PAGESZ, LX_PAGESZ);
			mark(p, i, 1, false);
		}
	low_update(p);
	return 0;
	// @lab6 stub
	// TODO(lab6): exercise 3. munmap (addr c->a[0], len c->a[1]): each mapped page of the
	// range is zeroed and marked free, and mmap_low follows (low_update); 0. -EINVAL as the
	// comment above says.
	// Hint: mapped() reads the bitmap; a free page must read as zeros when mmap hands it out
	// again.
	(void)p, (void)c;
	printf("linuxd: munmap: TODO(lab6) exercise 3\n");
	return -LX_ENOSYS;
	// @lab6 end
}

/*
 * mprotect (addr, len, prot): checked, not applied: the window stays read-write (the kit's
 * SYS_TASK_CREATE maps it so and no call changes a Linux task's page permissions). 0;
 * -EINVAL (addr unaligned, prot bits Linux does not know, both PROT_GROWSDOWN and
 * PROT_GROWSUP), -ENOMEM (the range wraps, or part of it in the window is neither below the
 * break nor mapped). Outside the window (the program's image, its stack) every range is
 * accepted: linuxd does not track those pages.
 */
LX_HANDLER(mprotect)
{
	unsigned long addr = c->a[0], len = PAGE_ROUND(c->a[1]), prot = c->a[2];
	const unsigned long grows = LX_PROT_GROWSDOWN | LX_PROT_GROWSUP;

	if (addr % LX_PAGESZ || prot & ~(LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC | grows) ||
	    (prot & grows) == grows)
		return -LX_EINVAL;
	if (len < c->a[1] || addr + len < addr)
		return -LX_ENOMEM;
	sync(p);
	for (unsigned long a = addr; a < addr + len; a += LX_PAGESZ)
		if (a >= PAGE_ROUND(p->brk) && a < p->heap_end && !mapped(p, page(a)))
			return -LX_ENOMEM;
	return 0;
}

// @file lab2
/*
 * kvm.c: the kernel address space (lab 2) and the page-fault report.
 * Entry points: kvm_init, vm_fault_report (contracts in pt.h).
 */
#include "kernel.h"
#include "arch.h"
#include "platform.h"
#include "ksyms.h"
#include "backtrace.h"
#include "memory.h"
#include "mm.h"
#include "pt.h"

struct pagetable kernel_pt;

// @lab2 solution
/* map_image: map kernel image addresses [start, end) (both rounded up to pages) with perm. */
static int map_image(struct pagetable *pt, uintptr_t start, uintptr_t end, unsigned perm)
{
	start = ROUNDUP(start, PAGE_SIZE);
	end = ROUNDUP(end, PAGE_SIZE);
	if (start == end)
		return 0;
	return pt_map(pt, start, kimg_to_pa((void *)start), end - start, perm | VM_GLOBAL);
}

/* map_direct: the direct map of physical [base, end), read+write, no exec. */
static int map_direct(struct pagetable *pt, paddr_t base, paddr_t end)
{
	if (base >= end)
		return 0;
	return pt_map(pt, (uintptr_t)pa_to_kva(base), base, end - base,
		      VM_READ | VM_WRITE | VM_GLOBAL | VM_LARGE);
}

static int build(struct pagetable *pt)
{
	struct mem_region r[MEM_MAX_REGIONS];
	int n = arch_mem_detect(r, MEM_MAX_REGIONS), err = 0;
	paddr_t kbase = ROUNDDOWN(kimg_to_pa(_start), PAGE_SIZE);
	paddr_t kend = ROUNDUP(kimg_to_pa(_end), PAGE_SIZE);
	/* RAM minus the image: the image's frames are reached only through its own mapping. */
	for (int i = 0; i < n && !err; i++) {
		paddr_t base = ROUNDUP(r[i].base, PAGE_SIZE);
		paddr_t end = ROUNDDOWN(r[i].base + r[i].size, PAGE_SIZE);
		err = map_direct(pt, base, end < kbase ? end : kbase);
		if (!err)
			err = map_direct(pt, base > kend ? base : kend, end);
	}
	n = platform_mmio_regions(r, MEM_MAX_REGIONS);
	for (int i = 0; i < n && !err; i++)
		err = pt_map(pt, (uintptr_t)pa_to_kva(r[i].base), r[i].base, r[i].size,
			     VM_READ | VM_WRITE | VM_GLOBAL);
	if (!err)
		err = map_image(pt, ROUNDDOWN((uintptr_t)_start, PAGE_SIZE), (uintptr_t)_etext,
				VM_READ | VM_EXEC);
	if (!err)
		err = map_image(pt, (uintptr_t)_etext, (uintptr_t)_erodata, VM_READ);
	if (!err) /* data and bss, with a hole for the boot stack's guard page */
		err = map_image(pt, (uintptr_t)_erodata, (uintptr_t)boot_stack_guard,
				VM_READ | VM_WRITE);
	if (!err)
		err = map_image(pt, (uintptr_t)boot_stack, (uintptr_t)_end, VM_READ | VM_WRITE);
	return err;
}
// @lab2 end

int kvm_init(void)
{
	// @lab2 solution
	struct pagetable pt;
	int err = pt_create(&pt);
	if (err)
		return err;
	err = build(&pt);
	if (err) {
		pt_destroy(&pt);
		return err;
	}
	kernel_pt = pt;
	arch_mmu_activate(pt.root_pa);
	return 0;
	// @lab2 stub
	// TODO(lab2): build the kernel address space (pt.h, kvm_init) in a new
	// page table and switch to it with arch_mmu_activate.
	// Hint: _start, _etext, _erodata, _end (kernel.h) bound text, rodata and
	// data+bss; boot_stack_guard (arch.h) must stay unmapped; the image's
	// physical address is kimg_to_pa(its virtual address);
	// arch_mem_detect and platform_mmio_regions list what the direct map needs.
	return -ENOSYS;
	// @lab2 end
}

void vm_fault_report(struct pagetable *pt, const struct page_fault *pf)
{
	// @lab2 solution
	static const char *const access[] = {"read", "write", "exec"};
	uintptr_t off = 0;
	const char *fn = ksyms_lookup(pf->pc, &off);
	kprintf("page fault: %s at %p pc=%p %s+0x%lx\n", access[pf->access], (void *)pf->addr,
		(void *)pf->pc, fn ? fn : "<unknown>", (unsigned long)(fn ? off : 0));
	pte_t *table = pt->root;
	for (int l = PT_LEVELS - 1; table && l >= 0; l--) {
		size_t i = pt_index(pf->addr, l);
		pte_t pte = table[i];
		char buf[6];
		const char *what = !arch_pte_present(pte) ? "not present"
				   : arch_pte_is_leaf(pte, l)
				       ? vm_perm_string(arch_pte_perm(pte), buf)
				       : "table";
		kprintf("  L%d[%lu] pte %p %s\n", l, (unsigned long)i, (void *)pte, what);
		table = arch_pte_present(pte) && !arch_pte_is_leaf(pte, l)
			    ? pa_to_kva(arch_pte_pa(pte))
			    : NULL;
	}
	if (!pt->root)
		kprintf("  (paging is off)\n");
	kprintf("backtrace:\n");
	backtrace_print(pf->fp);
	// @lab2 stub
	// TODO(lab2): print the report pt.h describes: the access and address,
	// the pc and its function (ksyms_lookup), one line per level walked,
	// and the backtrace (backtrace_print(pf->fp)).
	(void)pt, (void)pf;
	// @lab2 end
}

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

int kvm_init(void)
{
	// TODO(lab2): build the kernel address space (pt.h, kvm_init) in a new
	// page table and switch to it with arch_mmu_activate.
	// Hint: _start, _etext, _erodata, _end (kernel.h) bound text, rodata and
	// data+bss; boot_stack_guard (arch.h) must stay unmapped; the image's
	// physical address is kimg_to_pa(its virtual address);
	// arch_mem_detect and platform_mmio_regions list what the direct map needs.
	return -ENOSYS;
}

void vm_fault_report(struct pagetable *pt, const struct page_fault *pf)
{
	// TODO(lab2): print the report pt.h describes: the access and address,
	// the pc and its function (ksyms_lookup), one line per level walked,
	// and the backtrace (backtrace_print(pf->fp)).
	(void)pt, (void)pf;
}

/*
 * pt.h: multi-level page tables, written once for every arch (lab 2).
 *
 * A page table is a tree of PT_LEVELS levels of PT_ENTRIES-entry tables,
 * one frame each. Level PT_LEVELS-1 is the root; level 0 maps 4 KiB pages;
 * a leaf at level 1 maps a 2 MiB page (riscv64 Sv39: RISC-V Privileged
 * Architecture v1.12, 4.4; x86_64 4-level paging: Intel SDM Vol. 3A, 4.5).
 * The index into the level-l table is bits [12 + 9l, 21 + 9l) of the
 * virtual address. PTE encoding is the arch's (arch/<arch>/include/arch/mmu.h).
 * Locking: none (one CPU); the caller flushes nothing: pt_map/pt_unmap flush
 * the TLB entries they change when pt is the active table.
 */
#pragma once

#include "types.h"
#include "trap.h"
#include <arch/mmu.h>

#define LARGE_PAGE_SIZE (PAGE_SIZE << PT_INDEX_BITS) /* bytes mapped by a level-1 leaf */

/* pt_index: the index of va's entry in a level-`level` table (bits [12 + 9 level, 21 + 9 level)). */
static inline size_t pt_index(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + PT_INDEX_BITS * level)) & (PT_ENTRIES - 1);
}

/* level_size: the bytes a leaf at level maps (4 KiB at level 0, 2 MiB at level 1, ...). */
static inline size_t level_size(int level)
{
	return PAGE_SIZE << (PT_INDEX_BITS * level);
}

struct pagetable {
	pte_t *root; /* the root table, through the direct map */
	paddr_t root_pa;
};

/* pt_create: allocate an empty root table. 0, or -ENOMEM. */
int pt_create(struct pagetable *pt);

/*
 * pt_destroy: free every table frame of pt (not the frames its leaves map).
 * The caller must not have pt active.
 */
void pt_destroy(struct pagetable *pt);

/*
 * pt_walk: the PTE for va at the lowest level the walk reaches: stops at a
 * leaf (*level, when level, says which level) or at level want, and with
 * create allocates the missing tables down to level want (0..PT_LEVELS-1).
 * Returns NULL at a non-present entry above level want (without create) or
 * when a table frame cannot be allocated (with create).
 */
pte_t *pt_walk(struct pagetable *pt, vaddr_t va, int want, bool create, int *level);

/*
 * pt_map: map [va, va + len) to [pa, pa + len) with perm (VM_* bits).
 * va, pa, len must be page aligned; va canonical (arch_va_canonical).
 * With VM_LARGE, a 2 MiB leaf wherever va, pa and the remaining length are
 * 2 MiB aligned and no level-0 table is already there; 4 KiB pages elsewhere.
 * Returns 0; -EINVAL for bad alignment, a non-canonical range, or perm
 * without VM_READ or VM_EXEC (a writable page must be readable: Sv39
 * reserves W without R); -EEXIST if any page in the range is
 * already mapped (reported through mm_misuse as "pt_map: already mapped
 * 0x<va> (called from ...)"); -ENOMEM when a table frame cannot be
 * allocated. On failure every mapping is as before the call: pages it
 * mapped before failing are unmapped (and flushed) again; table frames it
 * allocated stay, empty, until pt_destroy (as pt_unmap leaves them).
 */
int pt_map(struct pagetable *pt, vaddr_t va, paddr_t pa, size_t len, unsigned perm);

/*
 * pt_unmap: remove the mappings of [va, va + len) (page aligned); a 2 MiB
 * leaf must be unmapped whole. Table frames left empty are not freed.
 * Returns 0; -EINVAL for bad alignment, a non-canonical range or a partial
 * large page; -ENOENT if
 * a page in the range was not mapped (the pages before it are unmapped).
 */
int pt_unmap(struct pagetable *pt, vaddr_t va, size_t len);

/*
 * pt_translate: the physical address va maps to, with the mapping's VM_*
 * permissions in *perm (when perm) and its page size in bytes in *size (when size).
 * Returns 0, or -ENOENT when va is not mapped (or not canonical).
 */
int pt_translate(struct pagetable *pt, vaddr_t va, paddr_t *pa, unsigned *perm, size_t *size);

/* kernel_pt: the kernel address space kvm_init built (root NULL until then). */
extern struct pagetable kernel_pt;

/*
 * kvm_init: build the kernel address space and switch to it: the direct
 * map of RAM (read+write, no exec), the kernel image at its link address
 * with text read+exec, rodata read-only, data and bss read+write no-exec
 * (W^X), the boot stack's guard page unmapped, the arch's MMIO regions
 * read+write. 0, or a negative -E* code (the boot mapping stays).
 */
int kvm_init(void);

/*
 * vm_fault_report: print the report of a page fault in the kernel:
 *     "page fault: <read|write|exec> at 0x<addr> pc=0x<pc> <function>+0x<off>"
 *     "  L<level>[<index>] pte 0x<pte> <perm>"   one line per level walked, root first,
 *                                             <perm> "rwxug" with '-' for a missing
 *                                             bit, "table" for a
 *                                             pointer to the next level, or "not present"
 *     "backtrace:" and the frames (backtrace_print)
 * pt: the active page table. The arch trap code calls it for every page
 * fault, then either resumes a probe (arch_probe) or panics.
 */
void vm_fault_report(struct pagetable *pt, const struct page_fault *pf);

/* vm_perm_string: perm as "rwxug" with '-' for each missing bit, into buf (6 bytes). */
const char *vm_perm_string(unsigned perm, char buf[6]);

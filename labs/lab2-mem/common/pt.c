/*
 * pt.c: multi-level page tables for every arch (lab 2), contract in pt.h.
 * The tree walk is portable; the PTE format, the number of levels and the
 * index width come from the arch (arch/<arch>/include/arch/mmu.h).
 * Entry points: pt_create, pt_destroy, pt_walk, pt_map, pt_unmap, pt_translate.
 */
#include "kernel.h"
#include "arch.h"
#include "string.h"
#include "mm.h"
#include "pt.h"

/* flush: drop the TLB entry of va when pt is the table the CPU uses. */
static void flush(struct pagetable *pt, uintptr_t va)
{
	if (pt->root_pa == arch_mmu_active())
		arch_tlb_flush_page(va);
}

int pt_create(struct pagetable *pt)
{
	// TODO(lab2): allocate a zeroed frame for the root table; set
	// pt->root (its direct-map address) and pt->root_pa. -ENOMEM if none.
	(void)pt;
	return -ENOSYS;
}

void pt_destroy(struct pagetable *pt)
{
	// TODO(lab2): free every table frame, the root last; not the frames
	// that leaves map.
	(void)pt;
}

pte_t *pt_walk(struct pagetable *pt, uintptr_t va, int want, bool create, int *level)
{
	// TODO(lab2): start at the root (level PT_LEVELS - 1); at each level
	// take the entry va indexes (bits [12 + 9l, 21 + 9l) of va). Stop and
	// return it at level want or at a leaf (arch_pte_is_leaf); otherwise
	// descend through arch_pte_pa, allocating a zeroed table for a
	// non-present entry when create (arch_pte_table builds the entry).
	(void)pt, (void)va, (void)want, (void)create, (void)level;
	return NULL;
}

int pt_map(struct pagetable *pt, uintptr_t va, paddr_t pa, size_t len, unsigned perm)
{
	// TODO(lab2): check the arguments (see pt.h), then for each page walk
	// with create and fill the leaf with arch_pte_leaf. With VM_LARGE use
	// a level-1 leaf (LARGE_PAGE_SIZE) wherever va and pa are aligned to it,
	// at least that much is left and no level-0 table is there already. A
	// present entry means the range is already mapped: report it with
	// mm_misuse("pt_map", "already mapped", va, caller) and return -EEXIST.
	// Call flush() after changing a PTE. On any failure part-way, first
	// undo what this call mapped (pt_unmap of the part done) so the table
	// is as it was.
	(void)pt, (void)va, (void)pa, (void)len, (void)perm, (void)flush;
	return -ENOSYS;
}

int pt_unmap(struct pagetable *pt, uintptr_t va, size_t len)
{
	// TODO(lab2): check the arguments (see pt.h), then for each page of
	// the range walk without create and clear the leaf (then flush()).
	// -ENOENT where nothing is mapped; -EINVAL when a large leaf would only
	// be partly unmapped.
	(void)pt, (void)va, (void)len;
	return -ENOSYS;
}

int pt_translate(struct pagetable *pt, uintptr_t va, paddr_t *pa, unsigned *perm, size_t *size)
{
	// TODO(lab2): walk without create; the physical address is the leaf's
	// page plus va's offset within that page (whose size depends on the
	// level the leaf is at). -ENOENT when not mapped.
	(void)pt, (void)va, (void)pa, (void)perm, (void)size;
	return -ENOSYS;
}

// @file lab2
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

// @lab2 solution
/* table_alloc: a zeroed frame for a page table, or NULL. */
static pte_t *table_alloc(void)
{
	pte_t *t = frame_alloc(0);
	if (t)
		memset(t, 0, PAGE_SIZE);
	return t;
}

/* free_tables: free table (at level) and every table below it. */
static void free_tables(pte_t *table, int level)
{
	for (size_t i = 0; level > 0 && i < PT_ENTRIES; i++)
		if (arch_pte_present(table[i]) && !arch_pte_is_leaf(table[i], level))
			free_tables(pa_to_kva(arch_pte_pa(table[i])), level - 1);
	frame_free(table);
}
// @lab2 end

int pt_create(struct pagetable *pt)
{
	// @lab2 solution
	pt->root = table_alloc();
	if (!pt->root)
		return -ENOMEM;
	pt->root_pa = kva_to_pa(pt->root);
	return 0;
	// @lab2 stub
	// TODO(lab2): allocate a zeroed frame for the root table; set
	// pt->root (its direct-map address) and pt->root_pa. -ENOMEM if none.
	(void)pt;
	return -ENOSYS;
	// @lab2 end
}

void pt_destroy(struct pagetable *pt)
{
	// @lab2 solution
	free_tables(pt->root, PT_LEVELS - 1);
	pt->root = NULL;
	pt->root_pa = 0;
	// @lab2 stub
	// TODO(lab2): free every table frame, the root last; not the frames
	// that leaves map.
	(void)pt;
	// @lab2 end
}

pte_t *pt_walk(struct pagetable *pt, uintptr_t va, int want, bool create, int *level)
{
	// @lab2 solution
	pte_t *table = pt->root;
	for (int l = PT_LEVELS - 1;; l--) {
		pte_t *pte = &table[pt_index(va, l)];
		if (l == want || (arch_pte_present(*pte) && arch_pte_is_leaf(*pte, l))) {
			if (level)
				*level = l;
			return pte;
		}
		if (!arch_pte_present(*pte)) {
			pte_t *next = create ? table_alloc() : NULL;
			if (!next)
				return NULL;
			*pte = arch_pte_table(kva_to_pa(next));
		}
		table = pa_to_kva(arch_pte_pa(*pte));
	}
	// @lab2 stub
	// TODO(lab2): start at the root (level PT_LEVELS - 1); at each level
	// take the entry va indexes (bits [12 + 9l, 21 + 9l) of va). Stop and
	// return it at level want or at a leaf (arch_pte_is_leaf); otherwise
	// descend through arch_pte_pa, allocating a zeroed table for a
	// non-present entry when create (arch_pte_table builds the entry).
	(void)pt, (void)va, (void)want, (void)create, (void)level;
	return NULL;
	// @lab2 end
}

int pt_map(struct pagetable *pt, uintptr_t va, paddr_t pa, size_t len, unsigned perm)
{
	// @lab2 solution
	uintptr_t caller = (uintptr_t)__builtin_return_address(0);
	if (((va | pa | len) & (PAGE_SIZE - 1)) || !arch_va_canonical(va) ||
	    (len && !arch_va_canonical(va + len - 1)) || !(perm & (VM_READ | VM_EXEC)))
		return -EINVAL;
	uintptr_t start = va;
	int err = 0;
	while (len) {
		int want = (perm & VM_LARGE) && !((va | pa) & (LARGE_PAGE_SIZE - 1)) &&
			   len >= LARGE_PAGE_SIZE;
		int level;
		pte_t *pte = pt_walk(pt, va, want, true, &level);
		if (pte && want && arch_pte_present(*pte) && !arch_pte_is_leaf(*pte, level))
			pte = pt_walk(pt, va, want = 0, true,
				      &level); /* a table is there: 4 KiB pages */
		if (!pte) {
			err = -ENOMEM;
			goto undo;
		}
		if (arch_pte_present(*pte)) {
			mm_misuse("pt_map", "already mapped", va, caller);
			err = -EEXIST;
			goto undo;
		}
		*pte = arch_pte_leaf(pa, perm, want);
		flush(pt, va);
		va += level_size(want);
		pa += level_size(want);
		len -= level_size(want);
	}
	return 0;
undo: /* [start, va) is exactly what this call mapped; its new tables stay, empty */
	pt_unmap(pt, start, va - start);
	return err;
	// @lab2 stub
	// TODO(lab2): check the arguments (see pt.h), then for each page walk
	// with create and fill the leaf with arch_pte_leaf. With VM_LARGE use
	// a level-1 leaf (LARGE_PAGE_SIZE) wherever va and pa are aligned to it,
	// at least that much is left and no level-0 table is there already. A
	// present entry means the range is already mapped: report it with
	// mm_misuse("pt_map", "already mapped", va, caller) and return -EEXIST,
	// caller being pt_map's return address (__builtin_return_address(0)).
	// Call flush() after changing a PTE. On any failure part-way, first
	// undo what this call mapped (pt_unmap of the part done) so the table
	// is as it was.
	(void)pt, (void)va, (void)pa, (void)len, (void)perm, (void)flush;
	return -ENOSYS;
	// @lab2 end
}

int pt_unmap(struct pagetable *pt, uintptr_t va, size_t len)
{
	// @lab2 solution
	if (((va | len) & (PAGE_SIZE - 1)) || !arch_va_canonical(va) ||
	    (len && !arch_va_canonical(va + len - 1)))
		return -EINVAL;
	while (len) {
		int level;
		pte_t *pte = pt_walk(pt, va, 0, false, &level);
		if (!pte || !arch_pte_present(*pte))
			return -ENOENT;
		if ((va & (level_size(level) - 1)) || len < level_size(level))
			return -EINVAL;
		*pte = 0;
		flush(pt, va);
		va += level_size(level);
		len -= level_size(level);
	}
	return 0;
	// @lab2 stub
	// TODO(lab2): check the arguments (see pt.h), then for each page of
	// the range walk without create and clear the leaf (then flush()).
	// -ENOENT where nothing is mapped; -EINVAL when a large leaf would only
	// be partly unmapped.
	(void)pt, (void)va, (void)len;
	return -ENOSYS;
	// @lab2 end
}

int pt_translate(struct pagetable *pt, uintptr_t va, paddr_t *pa, unsigned *perm, size_t *size)
{
	// @lab2 solution
	int level;
	pte_t *pte = arch_va_canonical(va) ? pt_walk(pt, va, 0, false, &level) : NULL;
	if (!pte || !arch_pte_present(*pte))
		return -ENOENT;
	*pa = arch_pte_pa(*pte) + (va & (level_size(level) - 1));
	if (perm)
		*perm = arch_pte_perm(*pte);
	if (size)
		*size = level_size(level);
	return 0;
	// @lab2 stub
	// TODO(lab2): walk without create; the physical address is the leaf's
	// page plus va's offset within that page (whose size depends on the
	// level the leaf is at). -ENOENT when not mapped.
	(void)pt, (void)va, (void)pa, (void)perm, (void)size;
	return -ENOSYS;
	// @lab2 end
}

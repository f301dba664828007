/*
 * test_pt.c: host unit test of the page-table code, pt.c compiled unchanged
 * with the kernel's headers and one arch's mmu.h (pytest builds it once per
 * PTE format, defining TEST_VA_BITS, TEST_PT_LEVELS and TEST_READ_IMPLIED
 * from its own table, and ARCH_DIRECT_MAP_BASE 0 so that the direct map is
 * the identity on the host). Table frames come from host.c's pool.
 * Modes:
 *   random    a seeded sequence of pt_map/pt_unmap over windows of the
 *             address space (both ends of each half, index boundaries),
 *             with 4 KiB and VM_LARGE 2 MiB mappings, some with frames
 *             short, checked against a reference model: every result code
 *             (-EEXIST with its report, -ENOMEM, a failed pt_map undone,
 *             -ENOENT, -EINVAL for a partial large page), pt_translate of
 *             the pages around each change, TLB flushes of the active table,
 *             and the table tree (every table a pool frame, leaves = model);
 *             pt_destroy gives every table frame back.
 *   directed  argument checks, non-canonical addresses in both halves,
 *             pt_walk, -ENOMEM, two address spaces, large-page edge cases.
 *   unmap-noncanonical  pt_unmap of a non-canonical address must not
 *             remove the canonical mapping whose index bits it shares.
 *   large-over-table  a VM_LARGE pt_map where 4 KiB pages were mapped and
 *             unmapped succeeds (no page there is mapped).
 *   map-undo  a pt_map that fails part-way (-EEXIST after mapped pages, a
 *             2 MiB leaf before a clash, -ENOMEM for each table in turn)
 *             leaves every leaf of the tree as it was, flushed.
 */
#include "kernel.h"
#include "mm.h"
#include "pt.h"
#include "host.h"

#if !defined(TEST_VA_BITS) || !defined(TEST_PT_LEVELS) || !defined(TEST_READ_IMPLIED)
#error "pytest (tests/test_host_units.py) defines TEST_VA_BITS, TEST_PT_LEVELS, TEST_READ_IMPLIED"
#endif

#define NWIN	      6
#define WIN_PAGES     2048 /* 8 MiB per window */
#define LARGE_PAGES   (LARGE_PAGE_SIZE / PAGE_SIZE)
#define HALF	      (1UL << (VA_BITS - 1)) /* the first non-canonical address above the lower half */
#define PERM_MASK     (VM_READ | VM_WRITE | VM_EXEC | VM_USER | VM_GLOBAL)
#define EPOCHS	      10
#define OPS_PER_EPOCH 600

/* The reference model: one entry per 4 KiB page of each window. */
struct page {
	paddr_t pa;
	uint8_t perm;
	bool mapped, large;
};

static struct page model[NWIN][WIN_PAGES];
static uintptr_t win_base[NWIN];
static struct pagetable pt;
static size_t n_small, n_large; /* leaves in the model */
static struct {
	size_t maps, large_leaves, eexist, undone, enomem, unmaps, enoent, partial, translations;
} stats;

/* canonical: bits 63..VA_BITS-1 all equal, worked out apart from arch_va_canonical. */
static bool canonical(uintptr_t va)
{
	uintptr_t top = va >> (VA_BITS - 1);
	return top == 0 || top == ~0UL >> (VA_BITS - 1);
}

static unsigned want_perm(unsigned perm)
{
	return (perm & PERM_MASK) | (TEST_READ_IMPLIED ? VM_READ : 0);
}

static uintptr_t va_of(int w, size_t i)
{
	return win_base[w] + i * PAGE_SIZE;
}

/* check_va: pt_translate(va) against a model page (NULL: not mapped). */
static void check_va(struct pagetable *p, uintptr_t va, const struct page *m)
{
	paddr_t pa = 0;
	unsigned perm = 0;
	size_t size = 0, off = va & (PAGE_SIZE - 1);
	int r = host_below(8) ? pt_translate(p, va, &pa, &perm, &size)
			      : pt_translate(p, va, &pa, NULL, NULL);
	stats.translations++;
	if (!m || !m->mapped) {
		CHECK(r == -ENOENT, "pt_translate(0x%lx) = %d pa 0x%lx, want -ENOENT", va, r, pa);
		return;
	}
	CHECK(r == 0 && pa == m->pa + off, "pt_translate(0x%lx) = %d pa 0x%lx, want 0 pa 0x%lx", va,
	      r, pa, m->pa + off);
	CHECK(!size ||
		  (perm == want_perm(m->perm) && size == (m->large ? LARGE_PAGE_SIZE : PAGE_SIZE)),
	      "pt_translate(0x%lx): perm 0x%x size 0x%lx, want perm 0x%x size 0x%lx", va, perm,
	      size, want_perm(m->perm), m->large ? LARGE_PAGE_SIZE : PAGE_SIZE);
}

static void check_page(int w, size_t i)
{
	check_va(&pt, va_of(w, i) + host_below(PAGE_SIZE), &model[w][i]);
}

/* count_tables: walk a table tree; every table is a pool frame, leaves only at levels 0 and 1. */
static void count_tables(const pte_t *table, int level, size_t *tables, size_t leaves[2])
{
	CHECK(host_frame_owned(kva_to_pa(table)), "level-%d table at %p is not a frame_alloc frame",
	      level, (void *)table);
	(*tables)++;
	for (size_t i = 0; i < PT_ENTRIES; i++) {
		pte_t pte = table[i];
		if (!arch_pte_present(pte))
			continue;
		if (arch_pte_is_leaf(pte, level)) {
			CHECK(level <= 1, "a leaf at level %d, index %lu: 0x%lx", level, i, pte);
			leaves[level]++;
		} else {
			CHECK(level > 0, "a table pointer at level 0, index %lu: 0x%lx", i, pte);
			count_tables(pa_to_kva(arch_pte_pa(pte)), level - 1, tables, leaves);
		}
	}
}

/* check_tree: the tree holds exactly the model's leaves, and every outstanding frame is a table of pt. */
static void check_tree(void)
{
	size_t tables = 0, leaves[2] = {0, 0};
	count_tables(pt.root, PT_LEVELS - 1, &tables, leaves);
	CHECK(tables == host_frames_out, "%lu tables reachable, %lu frames allocated", tables,
	      host_frames_out);
	CHECK(leaves[0] == n_small && leaves[1] == n_large,
	      "the tree has %lu 4 KiB and %lu 2 MiB leaves, want %lu and %lu", leaves[0], leaves[1],
	      n_small, n_large);
}

static void check_all_pages(void)
{
	for (int w = 0; w < NWIN; w++)
		for (size_t i = 0; i < WIN_PAGES; i++)
			check_page(w, i);
	check_tree();
}

/* check_flushed: a TLB flush since the operation began hit [va, va + size). */
static void check_flushed(uintptr_t va, size_t size)
{
	CHECK(host_flushes <= HOST_FLUSH_LOG, "more flushes than the log holds");
	for (size_t f = 0; f < host_flushes; f++)
		if (host_flush_log[f] - va < size)
			return;
	CHECK(false, "the leaf for 0x%lx (0x%lx bytes) of the active table changed without a flush",
	      va, size);
}

static unsigned random_perm(void)
{
	static const unsigned base[] = {VM_READ, VM_READ | VM_WRITE, VM_READ | VM_EXEC,
					VM_READ | VM_WRITE | VM_EXEC, VM_EXEC};
	unsigned perm = base[host_below(ARRAY_SIZE(base))];
	perm |= host_below(3) ? 0 : VM_USER;
	return perm | (host_below(3) ? 0 : VM_GLOBAL);
}

/* The leaves one random operation changed, whose flushes are checked after its result. */
static uintptr_t changed[2 * WIN_PAGES]; /* a failed pt_map: mapped, then undone */
static size_t changed_size[2 * WIN_PAGES], nchanged;

/* set_pages: the model maps (or, with !map, unmaps) pages [i, i + n) of window w. */
static void set_pages(int w, size_t i, size_t n, bool map, paddr_t pa, unsigned perm)
{
	for (size_t j = 0; j < n; j++) {
		struct page *m = &model[w][i + j];
		m->mapped = map;
		m->large = map && n == LARGE_PAGES;
		m->pa = pa + j * PAGE_SIZE;
		m->perm = (uint8_t)perm;
	}
	if (n == LARGE_PAGES)
		n_large += map ? 1 : -1;
	else
		n_small += map ? 1 : -1;
	changed[nchanged] = va_of(w, i);
	changed_size[nchanged++] = n * PAGE_SIZE;
}

/* check_changes: translate every page of [s - 1, s + n] in window w, then the flushes. */
static void check_changes(int w, size_t s, size_t n)
{
	for (size_t i = s ? s - 1 : 0; i <= s + n && i < WIN_PAGES; i++)
		check_page(w, i);
	for (size_t c = 0; c < nchanged; c++)
		check_flushed(changed[c], changed_size[c]);
	nchanged = 0;
}

/* level0_table_at: whether the tree has a level-0 table for va (read with the arch's PTE accessors). */
static bool level0_table_at(uintptr_t va)
{
	const pte_t *table = pt.root;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		pte_t pte = table[(va >> (PAGE_SHIFT + PT_INDEX_BITS * level)) & (PT_ENTRIES - 1)];
		if (!arch_pte_present(pte) || arch_pte_is_leaf(pte, level))
			return false;
		table = pa_to_kva(arch_pte_pa(pte));
	}
	return true;
}

/* Per 2 MiB chunk of the window: a level-0 table was there before this pt_map call. */
static bool table_before[WIN_PAGES / LARGE_PAGES];

/*
 * large_chunk: whether pt_map maps page i of window w with a 2 MiB leaf (pa:
 * the page's): VM_LARGE, everything aligned, enough left, and no level-0
 * table there already (pt.c never frees tables; over one it maps 4 KiB pages).
 */
static bool large_chunk(int w, size_t i, paddr_t pa, size_t left, unsigned perm)
{
	return (perm & VM_LARGE) && !(va_of(w, i) & (LARGE_PAGE_SIZE - 1)) &&
	       !(pa & (LARGE_PAGE_SIZE - 1)) && left >= LARGE_PAGES &&
	       !table_before[i / LARGE_PAGES];
}

/* The chunks (first page, pages) the model mapped for the current pt_map, undone if it fails. */
static size_t mapped[WIN_PAGES], mapped_len[WIN_PAGES];

static bool mapped_any(int w, size_t i, size_t n)
{
	for (size_t j = i; j < i + n; j++)
		if (model[w][j].mapped)
			return true;
	return false;
}

static void random_map(void)
{
	int w = (int)host_below(NWIN);
	unsigned perm = random_perm();
	size_t s, n;
	paddr_t pa = (host_rand() & ((1UL << 34) - 1)) << PAGE_SHIFT;
	if (host_below(10) < 3) { /* a large mapping, maybe with 4 KiB pages around */
		s = LARGE_PAGES * host_below(WIN_PAGES / LARGE_PAGES);
		s += host_below(4) ? 0 : host_below(8);
		n = LARGE_PAGES * (1 + host_below(2)) +
		    (host_below(2) ? host_below(LARGE_PAGES) : 0);
		pa = (pa & ~(LARGE_PAGE_SIZE - 1)) + (s % LARGE_PAGES) * PAGE_SIZE;
		pa += host_below(6) ? 0 : PAGE_SIZE; /* misaligned: 4 KiB pages only */
		perm |= VM_LARGE;
	} else {
		s = host_below(WIN_PAGES);
		n = 1 + host_below(16);
		perm |= host_below(4) ? 0 : VM_LARGE;
	}
	if (s + n > WIN_PAGES)
		n = WIN_PAGES - s;
	for (size_t c = 0; c < WIN_PAGES / LARGE_PAGES; c++)
		table_before[c] = level0_table_at(va_of(w, c * LARGE_PAGES));
	bool limited = !host_below(8); /* a few frames only: maybe -ENOMEM part-way */
	if (limited)
		host_frames_limit = (long)(host_frames_out + host_below(3));
	size_t misuses = host_misuses, nmapped = 0, clash = 0, large_leaves = 0;
	host_flushes = 0;
	int r = pt_map(&pt, va_of(w, s), pa, n * PAGE_SIZE, perm);
	host_frames_limit = -1;
	/* The model, chunk by chunk as pt.h specifies, up to the first clash. */
	int want = 0;
	for (size_t off = 0, len; off < n; off += len) {
		size_t i = s + off;
		bool large = large_chunk(w, i, pa + off * PAGE_SIZE, n - off, perm);
		len = large ? LARGE_PAGES : 1;
		if (mapped_any(w, i, len)) {
			want = -EEXIST;
			clash = i;
			break;
		}
		set_pages(w, i, len, true, pa + off * PAGE_SIZE, perm);
		mapped[nmapped] = i;
		mapped_len[nmapped++] = len;
		large_leaves += large;
	}
	CHECK(r == want || (limited && r == -ENOMEM),
	      "pt_map(0x%lx, pa 0x%lx, %lu pages, perm 0x%x) = %d, want %d%s", va_of(w, s), pa, n,
	      perm, r, want, limited ? " or -ENOMEM (frames were short)" : "");
	if (r == -EEXIST) {
		CHECK(host_misuses == misuses + 1 && host_streq(host_misuse_fn, "pt_map") &&
			  host_streq(host_misuse_what, "already mapped") &&
			  host_misuse_addr == va_of(w, clash),
		      "pt_map(0x%lx, pa 0x%lx, %lu pages, perm 0x%x) = -EEXIST should be reported "
		      "as 'pt_map: already mapped 0x%lx' (%lu reports, last '%s' 0x%lx)",
		      va_of(w, s), pa, n, perm, va_of(w, clash), host_misuses - misuses,
		      host_misuse_what ? host_misuse_what : "", host_misuse_addr);
		stats.eexist++;
		stats.undone += nmapped > 0;
	} else {
		CHECK(host_misuses == misuses, "pt_map = %d reported misuse", r);
	}
	if (r) { /* a failed pt_map leaves every mapping as it was */
		while (nmapped--)
			set_pages(w, mapped[nmapped], mapped_len[nmapped], false, 0, 0);
		if (r == -ENOMEM) /* which pages it mapped and undid is unknown: no flush checks */
			nchanged = 0;
		stats.enomem += r == -ENOMEM;
	} else {
		stats.maps++;
		stats.large_leaves += large_leaves;
	}
	check_changes(w, s, n);
}

/* random_unmap: mostly around a mapped page, sometimes cutting a large page, sometimes anywhere. */
static void random_unmap(void)
{
	int w = (int)host_below(NWIN);
	size_t s = host_below(WIN_PAGES), n = 1 + host_below(16);
	if (host_below(4)) {
		for (size_t k = 0; k < WIN_PAGES && !model[w][s].mapped; k++)
			s = (s + 1) % WIN_PAGES;
		if (model[w][s].large) {
			s &= ~(LARGE_PAGES - 1);
			n = LARGE_PAGES * (1 + host_below(2));
			if (!host_below(4)) { /* a part of it only */
				s += host_below(2) ? 1 + host_below(LARGE_PAGES - 1) : 0;
				n = 1 + host_below(LARGE_PAGES - 1);
			}
		} else {
			n = 1 + host_below(8);
		}
	}
	if (s + n > WIN_PAGES)
		n = WIN_PAGES - s;
	host_flushes = 0;
	int r = pt_unmap(&pt, va_of(w, s), n * PAGE_SIZE);
	int want = 0;
	for (size_t off = 0, len; off < n; off += len) {
		size_t i = s + off;
		struct page *m = &model[w][i];
		len = m->large ? LARGE_PAGES : 1;
		if (!m->mapped) {
			want = -ENOENT;
			stats.enoent++;
			break;
		}
		if (m->large && ((i % LARGE_PAGES) || n - off < LARGE_PAGES)) {
			want = -EINVAL;
			stats.partial++;
			break;
		}
		set_pages(w, i, len, false, 0, 0);
	}
	CHECK(r == want, "pt_unmap(0x%lx, %lu pages) = %d, want %d", va_of(w, s), n, r, want);
	stats.unmaps += !want;
	check_changes(w, s, n);
}

static void init_windows(void)
{
	uintptr_t base[NWIN] = {
	    0,				      /* the lowest pages */
	    1 * GiB - 4 * MiB,		      /* across a 1 GiB boundary */
	    (1UL << (VA_BITS - 2)) - 4 * MiB, /* across a root-table index boundary */
	    HALF - 8 * MiB,		      /* the top of the lower half */
	    0 - HALF,			      /* the bottom of the upper half */
	    0 - 8 * MiB,		      /* the top of the address space */
	};
	for (int w = 0; w < NWIN; w++) {
		win_base[w] = base[w];
		CHECK(canonical(base[w]) && canonical(base[w] + WIN_PAGES * PAGE_SIZE - 1),
		      "window 0x%lx", base[w]);
	}
}

/* test_random: EPOCHS fresh address spaces, each OPS_PER_EPOCH random operations, then pt_destroy. */
static void test_random(void)
{
	size_t tables = 0;
	init_windows();
	for (int epoch = 0; epoch < EPOCHS; epoch++) {
		CHECK(pt_create(&pt) == 0, "pt_create");
		host_mmu_root = pt.root_pa; /* pt is "active": its changes must be flushed */
		check_all_pages();
		for (int op = 1; op <= OPS_PER_EPOCH; op++) {
			if (host_below(100) < 50)
				random_map();
			else
				random_unmap();
			for (int k = 0; k < 8; k++)
				check_page((int)host_below(NWIN), host_below(WIN_PAGES));
			if (op % 250 == 0)
				check_all_pages();
		}
		check_all_pages();
		tables += host_frames_out;
		host_mmu_root = 0;
		pt_destroy(&pt); /* with its mappings in place: only the tables go */
		CHECK(host_frames_out == 0, "pt_destroy left %lu table frames allocated",
		      host_frames_out);
		for (int w = 0; w < NWIN; w++)
			for (size_t i = 0; i < WIN_PAGES; i++)
				model[w][i].mapped = false;
		n_small = n_large = 0;
	}
	CHECK(stats.maps && stats.large_leaves && stats.eexist && stats.undone && stats.enomem &&
		  stats.unmaps && stats.enoent && stats.partial,
	      "coverage: maps %lu large %lu eexist %lu undone %lu enomem %lu unmaps %lu enoent %lu "
	      "partial %lu",
	      stats.maps, stats.large_leaves, stats.eexist, stats.undone, stats.enomem,
	      stats.unmaps, stats.enoent, stats.partial);
	kprintf("random: %lu maps (%lu large leaves), %lu -EEXIST (%lu after mapping pages), %lu "
		"-ENOMEM, %lu unmaps, %lu -ENOENT, %lu partial large -EINVAL, %lu translations, "
		"%lu tables freed\n",
		stats.maps, stats.large_leaves, stats.eexist, stats.undone, stats.enomem,
		stats.unmaps, stats.enoent, stats.partial, stats.translations, tables);
}

/* expect_map: pt_map's result, with the frames it may use and no misuse report unless -EEXIST. */
static void expect_map(struct pagetable *p, uintptr_t va, paddr_t pa, size_t len, unsigned perm,
		       int want)
{
	size_t frames = host_frames_out, misuses = host_misuses;
	int r = pt_map(p, va, pa, len, perm);
	CHECK(r == want, "pt_map(0x%lx, 0x%lx, 0x%lx, 0x%x) = %d, want %d", va, pa, len, perm, r,
	      want);
	CHECK(want != -EINVAL || host_frames_out == frames,
	      "pt_map(0x%lx) = -EINVAL allocated %lu table frames", va, host_frames_out - frames);
	CHECK(host_misuses == misuses + (want == -EEXIST), "pt_map(0x%lx): %lu misuse reports", va,
	      host_misuses - misuses);
}

static void expect_unmap(struct pagetable *p, uintptr_t va, size_t len, int want)
{
	int r = pt_unmap(p, va, len);
	CHECK(r == want, "pt_unmap(0x%lx, 0x%lx) = %d, want %d", va, len, r, want);
}

/* expect_at: va translates to pa with size (pa == -1: not mapped). */
static void expect_at(struct pagetable *p, uintptr_t va, paddr_t pa, size_t size)
{
	struct page m = {.pa = pa - (va & (PAGE_SIZE - 1)),
			 .perm = VM_READ | VM_WRITE,
			 .mapped = pa != ~0UL,
			 .large = size == LARGE_PAGE_SIZE};
	check_va(p, va, &m);
}

static void test_noncanonical(void)
{
	const uintptr_t bad[] = {
	    HALF,		    /* just above the lower half */
	    HALF + LARGE_PAGE_SIZE, /* ...and 2 MiB aligned */
	    1UL << 62,		    /* far above it */
	    0x0000800000000000UL,   /* above the lower half of both formats */
	    0 - HALF - PAGE_SIZE,   /* just below the upper half */
	    ~0UL << VA_BITS,	    /* upper bits set, bit VA_BITS-1 clear */
	    1UL << 63,		    /* only the top bit */
	    0 - HALF - LARGE_PAGE_SIZE,
	};
	const unsigned rw = VM_READ | VM_WRITE;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		uintptr_t va = bad[k];
		CHECK(!canonical(va) && !arch_va_canonical(va), "0x%lx is not canonical", va);
		expect_map(&pt, va, 0x1000000, PAGE_SIZE, rw, -EINVAL);
		if (!(va & (LARGE_PAGE_SIZE - 1)))
			expect_map(&pt, va, 0x1000000, LARGE_PAGE_SIZE, rw | VM_LARGE, -EINVAL);
		expect_at(&pt, va, ~0UL, 0);
	}
	/* The canonical pages whose index bits non-canonical ones share: translate must not alias. */
	expect_map(&pt, 0 - HALF, 0x2000000, PAGE_SIZE, rw, 0);
	expect_map(&pt, 0, 0x3000000, PAGE_SIZE, rw, 0);
	expect_at(&pt, 0 - HALF + 8, 0x2000008, PAGE_SIZE);
	expect_at(&pt, HALF + 8, ~0UL, 0);
	expect_at(&pt, 8, 0x3000008, PAGE_SIZE);
	expect_at(&pt, (~0UL << VA_BITS) + 8, ~0UL, 0);
	/* Ranges that leave the canonical halves are refused whole. */
	expect_map(&pt, HALF - PAGE_SIZE, 0x4000000, 2 * PAGE_SIZE, rw, -EINVAL);
	expect_at(&pt, HALF - PAGE_SIZE, ~0UL, 0);
	expect_map(&pt, 0 - HALF - PAGE_SIZE, 0x4000000, 2 * PAGE_SIZE, rw, -EINVAL);
	/* The last canonical pages of both halves map. */
	expect_map(&pt, HALF - PAGE_SIZE, 0x5000000, PAGE_SIZE, rw, 0);
	expect_at(&pt, HALF - 1, 0x5000fff, PAGE_SIZE);
	expect_map(&pt, 0 - PAGE_SIZE, 0x6000000, PAGE_SIZE, rw, 0);
	expect_at(&pt, ~0UL, 0x6000fff, PAGE_SIZE);
	/* arch_va_canonical agrees with the definition on random addresses. */
	for (int k = 0; k < 10000; k++) {
		uintptr_t va = host_rand();
		unsigned shift = 64 - VA_BITS + 2 - (unsigned)host_below(5);
		if (host_below(2)) /* sign-extend from a random bit around VA_BITS - 1 */
			va = (uintptr_t)((intptr_t)(va << shift) >> shift);
		CHECK(arch_va_canonical(va) == canonical(va), "arch_va_canonical(0x%lx)", va);
	}
}

static void test_arguments(void)
{
	const uintptr_t va = 0x40000000;
	const unsigned rw = VM_READ | VM_WRITE;
	expect_map(&pt, va + 8, 0x1000, PAGE_SIZE, rw, -EINVAL);
	expect_map(&pt, va, 0x1008, PAGE_SIZE, rw, -EINVAL);
	expect_map(&pt, va, 0x1000, 100, rw, -EINVAL);
	expect_map(&pt, va, 0x1000, PAGE_SIZE, 0, -EINVAL);
	expect_map(&pt, va, 0x1000, PAGE_SIZE, VM_USER | VM_GLOBAL | VM_LARGE, -EINVAL);
	expect_at(&pt, va, ~0UL, 0);
	expect_unmap(&pt, va + 8, PAGE_SIZE, -EINVAL);
	expect_unmap(&pt, va, 100, -EINVAL);
	expect_unmap(&pt, va, PAGE_SIZE, -ENOENT);
	/* -ENOENT part way: the pages before the hole are unmapped. */
	expect_map(&pt, va, 0x1000, PAGE_SIZE, rw, 0);
	expect_unmap(&pt, va, 2 * PAGE_SIZE, -ENOENT);
	expect_at(&pt, va, ~0UL, 0);
	expect_unmap(&pt, va, PAGE_SIZE, -ENOENT);
	/* -EEXIST part way: the pages before the clash are unmapped again. */
	expect_map(&pt, va + PAGE_SIZE, 0x9000, PAGE_SIZE, rw, 0);
	expect_map(&pt, va, 0x8000, 3 * PAGE_SIZE, rw, -EEXIST);
	CHECK(host_misuse_addr == va + PAGE_SIZE, "reported 0x%lx", host_misuse_addr);
	expect_at(&pt, va, ~0UL, 0);
	expect_at(&pt, va + PAGE_SIZE, 0x9000, PAGE_SIZE);
	expect_at(&pt, va + 2 * PAGE_SIZE, ~0UL, 0);
	expect_unmap(&pt, va + PAGE_SIZE, PAGE_SIZE, 0);
}

static void test_large(void)
{
	const uintptr_t va = (1UL << (VA_BITS - 2)) + 2 * GiB; /* a root entry of its own */
	const paddr_t pa = 0x40000000;
	const unsigned rw = VM_READ | VM_WRITE;
	size_t frames = host_frames_out;
	expect_map(&pt, va, pa, LARGE_PAGE_SIZE, rw | VM_LARGE, 0);
	CHECK(host_frames_out - frames == PT_LEVELS - 2, "a 2 MiB page took %lu new tables",
	      host_frames_out - frames);
	expect_at(&pt, va, pa, LARGE_PAGE_SIZE);
	expect_at(&pt, va + 0x12345, pa + 0x12345, LARGE_PAGE_SIZE);
	expect_at(&pt, va + LARGE_PAGE_SIZE - 1, pa + LARGE_PAGE_SIZE - 1, LARGE_PAGE_SIZE);
	expect_at(&pt, va + LARGE_PAGE_SIZE, ~0UL, 0);
	int level = -1;
	pte_t *pte = pt_walk(&pt, va + 5 * PAGE_SIZE, 0, false, &level);
	CHECK(pte && level == 1 && arch_pte_is_leaf(*pte, 1), "pt_walk in a 2 MiB page: level %d",
	      level);
	/* clashes both ways, partial unmaps refused, whole unmap */
	expect_map(&pt, va + 7 * PAGE_SIZE, 0x1000, PAGE_SIZE, rw, -EEXIST);
	CHECK(host_misuse_addr == va + 7 * PAGE_SIZE, "reported 0x%lx", host_misuse_addr);
	expect_map(&pt, va + LARGE_PAGE_SIZE + PAGE_SIZE, 0x1000, PAGE_SIZE, rw, 0);
	/* over a table, VM_LARGE maps 4 KiB pages up to the clash, then unmaps them */
	expect_map(&pt, va + LARGE_PAGE_SIZE, pa + LARGE_PAGE_SIZE, LARGE_PAGE_SIZE, rw | VM_LARGE,
		   -EEXIST);
	CHECK(host_misuse_addr == va + LARGE_PAGE_SIZE + PAGE_SIZE, "reported 0x%lx",
	      host_misuse_addr);
	expect_at(&pt, va + LARGE_PAGE_SIZE, ~0UL, 0);
	expect_unmap(&pt, va + PAGE_SIZE, PAGE_SIZE, -EINVAL);
	expect_unmap(&pt, va, PAGE_SIZE, -EINVAL);
	expect_unmap(&pt, va, LARGE_PAGE_SIZE - PAGE_SIZE, -EINVAL);
	expect_at(&pt, va + PAGE_SIZE, pa + PAGE_SIZE, LARGE_PAGE_SIZE);
	expect_unmap(&pt, va, LARGE_PAGE_SIZE, 0);
	expect_at(&pt, va, ~0UL, 0);
	expect_unmap(&pt, va + LARGE_PAGE_SIZE + PAGE_SIZE, PAGE_SIZE, 0);
	/* without VM_LARGE, or misaligned: 4 KiB pages; VM_LARGE over 2 MiB + 4 KiB: one of each */
	expect_map(&pt, va, pa, LARGE_PAGE_SIZE, rw, 0);
	expect_at(&pt, va + 0x12345, pa + 0x12345, PAGE_SIZE);
	expect_unmap(&pt, va, LARGE_PAGE_SIZE, 0);
	expect_map(&pt, va, pa + PAGE_SIZE, LARGE_PAGE_SIZE, rw | VM_LARGE, 0);
	expect_at(&pt, va + 0x12345, pa + PAGE_SIZE + 0x12345, PAGE_SIZE);
	expect_unmap(&pt, va, LARGE_PAGE_SIZE, 0);
	const uintptr_t fresh = va + 4 * LARGE_PAGE_SIZE; /* no table below level 1 yet */
	expect_map(&pt, fresh, pa, LARGE_PAGE_SIZE + PAGE_SIZE, rw | VM_LARGE, 0);
	expect_at(&pt, fresh + 8, pa + 8, LARGE_PAGE_SIZE);
	expect_at(&pt, fresh + LARGE_PAGE_SIZE + 8, pa + LARGE_PAGE_SIZE + 8, PAGE_SIZE);
	expect_unmap(&pt, fresh, LARGE_PAGE_SIZE + PAGE_SIZE, 0);
}

static void test_walk(void)
{
	const uintptr_t va = 0 - HALF / 2 + 3 * GiB + 5 * PAGE_SIZE; /* a root entry of its own */
	int level = -1;
	size_t frames = host_frames_out;
	pte_t *pte = pt_walk(&pt, va, PT_LEVELS - 1, false, &level);
	size_t top = (va >> (PAGE_SHIFT + PT_INDEX_BITS * (PT_LEVELS - 1))) & (PT_ENTRIES - 1);
	CHECK(pte == &pt.root[top] && level == PT_LEVELS - 1, "pt_walk to the root: %p level %d",
	      (void *)pte, level);
	CHECK(!pt_walk(&pt, va, 0, false, &level), "pt_walk without create found a table");
	CHECK(host_frames_out == frames, "pt_walk without create allocated");
	pte = pt_walk(&pt, va, 0, true, &level);
	CHECK(pte && level == 0 && *pte == 0, "pt_walk with create: %p level %d pte 0x%lx",
	      (void *)pte, level, pte ? *pte : 0);
	CHECK(host_frames_out - frames == PT_LEVELS - 1, "pt_walk with create: %lu tables",
	      host_frames_out - frames);
	CHECK(pt_walk(&pt, va, 0, true, NULL) == pte && host_frames_out - frames == PT_LEVELS - 1,
	      "a second pt_walk with create allocated again");
	pte_t *mid = pt_walk(&pt, va, 1, false, &level);
	CHECK(mid && level == 1 && arch_pte_present(*mid) && !arch_pte_is_leaf(*mid, 1),
	      "pt_walk to level 1: level %d", level);
	expect_map(&pt, va, 0x7000, PAGE_SIZE, VM_READ, 0);
	CHECK(arch_pte_present(*pte) && arch_pte_pa(*pte) == 0x7000, "the leaf pt_walk found");
	expect_unmap(&pt, va, PAGE_SIZE, 0);
}

/* test_two_spaces: a second, inactive table: independent mappings, no flushes, -ENOMEM. */
static void test_two_spaces(void)
{
	struct pagetable other;
	const uintptr_t va = 0x12345000;
	host_frames_limit = (long)host_frames_out;
	CHECK(pt_create(&other) == -ENOMEM, "pt_create without a free frame");
	host_frames_limit = -1;
	CHECK(pt_create(&other) == 0, "pt_create");
	for (size_t i = 0; i < PT_ENTRIES; i++)
		CHECK(other.root[i] == 0, "pt_create: root entry %lu is 0x%lx", i, other.root[i]);
	expect_map(&pt, va, 0xa000, PAGE_SIZE, VM_READ | VM_WRITE, 0);
	host_frames_limit = (long)host_frames_out;
	expect_map(&other, va, 0xb000, PAGE_SIZE, VM_READ, -ENOMEM);
	host_frames_limit = -1;
	expect_at(&other, va, ~0UL, 0);
	host_flushes = 0;
	expect_map(&other, va, 0xb000, PAGE_SIZE, VM_READ | VM_WRITE, 0);
	expect_at(&other, va, 0xb000, PAGE_SIZE);
	expect_at(&pt, va, 0xa000, PAGE_SIZE);
	expect_unmap(&other, va, PAGE_SIZE, 0);
	CHECK(host_flushes == 0, "changes to an inactive table flushed the TLB %lu times",
	      host_flushes);
	expect_at(&pt, va, 0xa000, PAGE_SIZE);
	expect_map(&other, 0 - HALF, 0xc000, LARGE_PAGE_SIZE, VM_READ | VM_LARGE, 0);
	host_flushes = 0;
	expect_unmap(&pt, va, PAGE_SIZE, 0);
	check_flushed(va, PAGE_SIZE);
	pt_destroy(&other); /* with a mapping left: only its tables go */
	CHECK(!other.root, "pt_destroy left root %p", (void *)other.root);
}

static void test_directed(void)
{
	CHECK(VA_BITS == TEST_VA_BITS && PT_LEVELS == TEST_PT_LEVELS && PAGE_SIZE == 4096 &&
		  LARGE_PAGE_SIZE == 2 * MiB,
	      "format: VA_BITS %d PT_LEVELS %d", VA_BITS, PT_LEVELS);
	host_frames_limit = 0;
	CHECK(pt_create(&pt) == -ENOMEM && host_frames_out == 0, "pt_create without frames");
	host_frames_limit = -1;
	CHECK(pt_create(&pt) == 0 && host_frames_out == 1, "pt_create");
	CHECK(kva_to_pa(pt.root) == pt.root_pa, "root_pa 0x%lx", pt.root_pa);
	host_mmu_root = pt.root_pa;
	test_arguments();
	test_noncanonical();
	test_large();
	test_walk();
	test_two_spaces();
	host_mmu_root = 0;
	pt_destroy(&pt);
	CHECK(host_frames_out == 0, "pt_destroy left %lu table frames allocated", host_frames_out);
}

/* test_unmap_noncanonical: pt_unmap must refuse non-canonical addresses, not unmap their alias. */
static void test_unmap_noncanonical(void)
{
	CHECK(pt_create(&pt) == 0, "pt_create");
	expect_map(&pt, 0 - HALF, 0x2000000, PAGE_SIZE, VM_READ | VM_WRITE, 0);
	int r = pt_unmap(&pt, HALF, PAGE_SIZE);
	expect_at(&pt, 0 - HALF, 0x2000000, PAGE_SIZE);
	CHECK(r == -EINVAL || r == -ENOENT, "pt_unmap(0x%lx) = %d", HALF, r);
	pt_destroy(&pt);
}

/* test_large_over_table: a 2 MiB leaf where 4 KiB pages were mapped and are all unmapped again. */
static void test_large_over_table(void)
{
	const uintptr_t va = 0x40000000;
	CHECK(pt_create(&pt) == 0, "pt_create");
	expect_map(&pt, va, 0x1000, PAGE_SIZE, VM_READ | VM_WRITE, 0);
	expect_unmap(&pt, va, PAGE_SIZE, 0);
	int r = pt_map(&pt, va, 0x200000, LARGE_PAGE_SIZE, VM_READ | VM_WRITE | VM_LARGE);
	CHECK(r == 0, "pt_map(0x%lx, 2 MiB, VM_LARGE) over an emptied table = %d, want 0", va, r);
	paddr_t pa = 0;
	r = pt_translate(&pt, va + 8, &pa, NULL, NULL); /* either page size will do */
	CHECK(r == 0 && pa == 0x200008, "pt_translate(0x%lx) = %d pa 0x%lx", va + 8, r, pa);
	pt_destroy(&pt);
}

/* leaf_sum: a checksum of every leaf of the tree below table (at level) with its index path. */
static uint64_t leaf_sum(const pte_t *table, int level, uint64_t path)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < PT_ENTRIES; i++) {
		pte_t pte = table[i];
		uint64_t at = path * PT_ENTRIES + i + 1;
		if (!arch_pte_present(pte))
			continue;
		if (arch_pte_is_leaf(pte, level))
			sum += (pte ^ (at * 0x9e3779b97f4a7c15UL)) * (2 * at + 1);
		else
			sum += leaf_sum(pa_to_kva(arch_pte_pa(pte)), level - 1, at);
	}
	return sum;
}

/* expect_undone: pt_map(va, pa, len, perm) fails with want and leaves every leaf as it was. */
static void expect_undone(uintptr_t va, paddr_t pa, size_t len, unsigned perm, int want)
{
	uint64_t before = leaf_sum(pt.root, PT_LEVELS - 1, 0);
	host_flushes = 0;
	expect_map(&pt, va, pa, len, perm, want);
	CHECK(leaf_sum(pt.root, PT_LEVELS - 1, 0) == before,
	      "pt_map(0x%lx, 0x%lx pages) = %d left mappings behind: a failed pt_map must undo "
	      "what it mapped",
	      va, len / PAGE_SIZE, want);
	for (size_t f = 0; f < host_flushes && f < HOST_FLUSH_LOG; f++) /* undone, then flushed */
		check_va(&pt, host_flush_log[f], NULL);
}

/* test_map_undo: pt_map failing part-way leaves the table as it was (tables it added stay, empty). */
static void test_map_undo(void)
{
	const uintptr_t va = 0x40000000 - 3 * PAGE_SIZE; /* 3 pages below a 1 GiB boundary */
	const unsigned rw = VM_READ | VM_WRITE;
	CHECK(pt_create(&pt) == 0, "pt_create");
	host_mmu_root = pt.root_pa;
	/* -EEXIST after 5 pages, across the boundary (new tables on the way). */
	expect_map(&pt, va + 5 * PAGE_SIZE, 0x5000, PAGE_SIZE, rw, 0);
	expect_undone(va, 0x100000, 8 * PAGE_SIZE, rw, -EEXIST);
	expect_at(&pt, va + 5 * PAGE_SIZE, 0x5000, PAGE_SIZE);
	/* A 2 MiB leaf, then 4 KiB pages over a level-0 table, then a clash. */
	const uintptr_t big = 0x80000000;
	expect_map(&pt, big + LARGE_PAGE_SIZE + 2 * PAGE_SIZE, 0x7000, PAGE_SIZE, rw, 0);
	expect_undone(big, 0x40000000, 2 * LARGE_PAGE_SIZE, rw | VM_LARGE, -EEXIST);
	expect_at(&pt, big, ~0UL, 0);
	/* -ENOMEM at each table of a range that needs several, then enough frames. */
	const uintptr_t far = 0xc0000000 - 2 * LARGE_PAGE_SIZE - 2 * PAGE_SIZE;
	const size_t len = 4 * LARGE_PAGE_SIZE + 4 * PAGE_SIZE;
	size_t k = 0;
	for (;; k++) {
		CHECK(k < 16, "pt_map(0x%lx) still -ENOMEM with %lu more frames", far, k);
		host_frames_limit = (long)(host_frames_out + k);
		uint64_t before = leaf_sum(pt.root, PT_LEVELS - 1, 0);
		int r = pt_map(&pt, far, 0x200000, len, rw);
		host_frames_limit = -1;
		if (r == 0)
			break;
		CHECK(r == -ENOMEM, "pt_map(0x%lx) with %lu more frames = %d, want -ENOMEM", far, k,
		      r);
		CHECK(leaf_sum(pt.root, PT_LEVELS - 1, 0) == before,
		      "pt_map(0x%lx, 0x%lx pages) = -ENOMEM (%lu more frames) left mappings "
		      "behind: a "
		      "failed pt_map must undo what it mapped",
		      far, len / PAGE_SIZE, k);
		expect_at(&pt, far, ~0UL, 0);
	}
	CHECK(k >= 2, "pt_map(0x%lx) needed only %lu new tables", far, k);
	expect_at(&pt, far + len - PAGE_SIZE, 0x200000 + len - PAGE_SIZE, PAGE_SIZE);
	host_mmu_root = 0;
	pt_destroy(&pt);
}

int host_test(const char *mode, unsigned long seed)
{
	if (host_streq(mode, "random"))
		test_random();
	else if (host_streq(mode, "directed"))
		test_directed();
	else if (host_streq(mode, "unmap-noncanonical"))
		test_unmap_noncanonical();
	else if (host_streq(mode, "large-over-table"))
		test_large_over_table();
	else if (host_streq(mode, "map-undo"))
		test_map_undo();
	else
		return -1;
	CHECK(host_frames_out == 0, "%lu frames still allocated", host_frames_out);
	kprintf("PASS %s seed=%lu VA_BITS=%d PT_LEVELS=%d\n", mode, seed, VA_BITS, PT_LEVELS);
	return 0;
}

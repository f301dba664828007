/*
 * mm.c: lab 2's trusted plumbing around the allocators students write: the
 * frame table (frame_init), the checked frame_alloc/frame_free wrappers,
 * misuse reports, the page-fault hook, and the monitor commands frames,
 * vmmap and pgdump.
 * Entry points: frame_init and pt_boot (init hooks), frame_alloc,
 * frame_free, frame_free_total, mm_misuse.
 */
#include "kernel.h"
#include "arch.h"
#include "string.h"
#include "init.h"
#include "ksyms.h"
#include "memory.h"
#include "monitor.h"
#include "mm.h"
#include "pt.h"
#include "trace.h"

struct frame *frame_table;
size_t frame_count;
size_t frame_base_pfn;

static const struct frame_allocator *allocator;
static size_t in_use; /* frames handed out by frame_alloc and not yet freed */
bool mm_poison;	      /* kit.poison=1: fill blocks on frame_alloc and frame_free (mm.h) */

#define MAX_RESERVED 8
static struct mem_region ram[MEM_MAX_REGIONS], reserved[MAX_RESERVED];
static int nram, nreserved;

int mm_misuse(const char *fn, const char *what, uintptr_t addr, uintptr_t caller)
{
	uintptr_t off = 0;
	const char *name = ksyms_lookup_ra(caller, &off);
	kprintf("%s: %s %p (called from %s+0x%lx)\n", fn, what, (void *)addr, name ? name : "?",
		(unsigned long)off);
	return -EINVAL;
}

static void reserve(paddr_t base, paddr_t end, const char *name)
{
	if (nreserved == MAX_RESERVED)
		panic("frame_init: more than %d reserved ranges", MAX_RESERVED);
	base = ROUNDDOWN(base, PAGE_SIZE);
	end = ROUNDUP(end, PAGE_SIZE);
	reserved[nreserved++] = (struct mem_region){base, end - base, name};
	kprintf("frames: reserved [%p, %p) %s\n", (void *)base, (void *)end, name);
}

/* mark_reserved: frames [from, to) (frame numbers) can never be allocated. */
static void mark_reserved(size_t from, size_t to)
{
	for (size_t pfn = from; pfn < to; pfn++)
		frame_table[pfn - frame_base_pfn].state = FRAME_RESERVED;
}

/* place_table: the lowest page-aligned RAM range of size bytes that overlaps nothing reserved. */
static paddr_t place_table(size_t size)
{
	for (int i = 0; i < nram; i++) {
		paddr_t pa = ROUNDUP(ram[i].base, PAGE_SIZE), end = ram[i].base + ram[i].size;
		while (pa + size <= end) {
			paddr_t clash = 0;
			for (int r = 0; r < nreserved; r++)
				if (pa < reserved[r].base + reserved[r].size &&
				    reserved[r].base < pa + size)
					clash = reserved[r].base + reserved[r].size;
			if (!clash)
				return pa;
			pa = clash;
		}
	}
	return 0;
}

/*
 * frame_init: find RAM (lab 1), reserve what must never be allocated (the
 * arch's ranges, the kernel image, the frame table itself), build the frame
 * table over [lowest, highest) RAM frame, and hand every maximal run of
 * free frames to the allocator chosen by frames=stack|buddy (default buddy).
 */
static int frame_init(void)
{
	nram = arch_mem_detect(ram, MEM_MAX_REGIONS);
	if (nram <= 0)
		return nram < 0 ? nram : -ENOENT;
	char which[8] = "buddy", poison[4] = "0";
	bootargs_get("frames", which, sizeof(which));
	bootargs_get("kit.poison", poison, sizeof(poison));
	mm_poison = strcmp(poison, "1") == 0;
	allocator = strcmp(which, "stack") == 0 ? &stack_allocator : &buddy_allocator;

	nreserved = 0;
	struct mem_region arch_res[MAX_RESERVED - 2];
	int n = arch_mem_reserved(arch_res, ARRAY_SIZE(arch_res));
	for (int i = 0; i < n; i++)
		reserve(arch_res[i].base, arch_res[i].base + arch_res[i].size, arch_res[i].name);
	reserve(kimg_to_pa(_start), kimg_to_pa(_end), "kernel");

	frame_base_pfn = ram[0].base >> PAGE_SHIFT;
	frame_count = ((ram[nram - 1].base + ram[nram - 1].size) >> PAGE_SHIFT) - frame_base_pfn;
	size_t size = ROUNDUP(frame_count * sizeof(struct frame), PAGE_SIZE);
	paddr_t table = place_table(size);
	if (!table)
		return -ENOMEM;
	reserve(table, table + size, "frame table");
	frame_table = pa_to_kva(table);
	memset(frame_table, 0, size); /* every frame FRAME_NONE */

	/* Sort the reserved ranges; the free runs are RAM minus them. */
	for (int i = 1; i < nreserved; i++)
		for (int j = i; j > 0 && reserved[j].base < reserved[j - 1].base; j--) {
			struct mem_region t = reserved[j];
			reserved[j] = reserved[j - 1];
			reserved[j - 1] = t;
		}
	size_t next = frame_base_pfn;  /* frames below next are classified */
	uint64_t add_range_cycles = 0; /* instructions spent in the allocator's add_range */
	int err = 0;
	for (int i = 0; i < nram && !err; i++) {
		paddr_t pos = ROUNDUP(ram[i].base, PAGE_SIZE);
		paddr_t end = ROUNDDOWN(ram[i].base + ram[i].size, PAGE_SIZE);
		for (int r = 0; r <= nreserved && pos < end && !err; r++) {
			paddr_t rb = r < nreserved ? reserved[r].base : end;
			paddr_t re = r < nreserved ? reserved[r].base + reserved[r].size : end;
			if (re <= pos)
				continue;
			if (rb > pos) {
				paddr_t stop = rb < end ? rb : end;
				mark_reserved(next, pos >> PAGE_SHIFT);
				uint64_t t0 = arch_cycles();
				err = allocator->add_range(pa_to_frame(pos),
							   (stop - pos) >> PAGE_SHIFT);
				add_range_cycles += arch_cycles() - t0;
				next = stop >> PAGE_SHIFT;
			}
			pos = re;
		}
	}
	mark_reserved(next, frame_base_pfn + frame_count);
	if (err < 0) {
		kprintf("frames: the %s allocator is not written yet (%s)\n", allocator->name,
			errstr(err));
		return err;
	}
	kprintf("frames: %s allocator, %lu free frames (%lu KiB), table of %lu frames at %p\n",
		allocator->name, (unsigned long)frame_free_total(),
		(unsigned long)(frame_free_total() * PAGE_SIZE / KiB), (unsigned long)frame_count,
		(void *)table);
	kprintf("frames: add_range took %lu instructions\n", (unsigned long)add_range_cycles);
	size_t counts[FRAME_MAX_ORDER + 1];
	frame_count_free(counts);
	kprintf("frames: free blocks per order 0..%d at boot:", FRAME_MAX_ORDER);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		kprintf(" %lu", (unsigned long)counts[k]);
	kprintf("\n");
	return 0;
}
KERNEL_INIT(INIT_FRAMES, frame_init);

void *frame_alloc(unsigned order)
{
	if (!allocator || order > FRAME_MAX_ORDER)
		return NULL;
	struct frame *f = allocator->alloc(order);
	if (!f)
		return NULL;
	f->state = FRAME_ALLOCATED;
	f->order = (uint8_t)order;
	f->flags = 0;
	in_use += 1UL << order;
	if (mm_poison)
		memset(pa_to_kva(frame_to_pa(f)), MM_POISON_ALLOC, PAGE_SIZE << order);
	return pa_to_kva(frame_to_pa(f));
}

/* inside_free_block: whether frame f lies inside a free block (a double free after merging). */
static bool inside_free_block(const struct frame *f)
{
	size_t pfn = frame_pfn(f);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++) {
		struct frame *head = pa_to_frame((pfn & ~((1UL << k) - 1)) << PAGE_SHIFT);
		if (head && head->state == FRAME_FREE && head->order >= k)
			return true;
	}
	return false;
}

int frame_free(void *kva)
{
	uintptr_t caller = (uintptr_t)__builtin_return_address(0);
	paddr_t pa = kva_to_pa(kva);
	struct frame *f = pa_to_frame(pa);
	if (pa & (PAGE_SIZE - 1))
		return mm_misuse("frame_free", "misaligned address", pa, caller);
	if (!f)
		return mm_misuse("frame_free", "not a RAM frame", pa, caller);
	if (f->state == FRAME_RESERVED)
		return mm_misuse("frame_free", "reserved frame", pa, caller);
	if (f->state == FRAME_FREE || (f->state == FRAME_NONE && inside_free_block(f)))
		return mm_misuse("frame_free", "double free", pa, caller);
	if (f->state != FRAME_ALLOCATED)
		return mm_misuse("frame_free", "not an allocated block", pa, caller);
	if (mm_poison)
		memset(kva, MM_POISON_FREE, PAGE_SIZE << f->order);
	f->state = FRAME_NONE;
	in_use -= 1UL << f->order;
	allocator->free(f);
	return 0;
}

size_t frame_in_use(void)
{
	return in_use;
}

void frame_count_free(size_t counts[FRAME_MAX_ORDER + 1])
{
	memset(counts, 0, sizeof(size_t) * (FRAME_MAX_ORDER + 1));
	if (allocator)
		allocator->count_free(counts);
}

size_t frame_free_total(void)
{
	size_t counts[FRAME_MAX_ORDER + 1], total = 0;
	frame_count_free(counts);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		total += counts[k] << k;
	return total;
}

/* active_pt: the page table the CPU uses now (root NULL when paging is off). */
static struct pagetable active_pt(void)
{
	paddr_t root = arch_mmu_active();
	return (struct pagetable){root ? pa_to_kva(root) : NULL, root};
}

/* mm_page_fault: the trap_fault_hook: report a fault against the active page table. */
static void mm_page_fault(const struct page_fault *pf)
{
	struct pagetable active = active_pt();
	TRACEPOINT(TRACE_FAULT, pf->addr, pf->pc | (uint64_t)pf->user << 63);
	vm_fault_report(&active, pf);
}

/* pt_boot: the kernel address space (kvm_init), then the page-fault reports. */
static int pt_boot(void)
{
	trap_fault_hook = mm_page_fault;
	if (!frame_table)
		return -ENOMEM;
	int err = kvm_init();
	if (err < 0)
		return err;
	kprintf("vm: kernel address space on, root table at %p\n", (void *)kernel_pt.root_pa);
	return 0;
}
KERNEL_INIT(INIT_VM, pt_boot);

/* -- monitor commands ------------------------------------------------------ */

/* frames: "frames: <allocator>, free blocks per order 0..10: n0 n1 ... n10; <total> frames free" */
static int mon_frames(unused int argc, unused char **argv)
{
	if (!allocator || !frame_table) {
		kprintf("frames: no frame allocator\n");
		return -ENOENT;
	}
	size_t counts[FRAME_MAX_ORDER + 1];
	frame_count_free(counts);
	kprintf("frames: %s, free blocks per order 0..%d:", allocator->name, FRAME_MAX_ORDER);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		kprintf(" %lu", (unsigned long)counts[k]);
	kprintf("; %lu frames free\n", (unsigned long)frame_free_total());
	return 0;
}
MONITOR_CMD("frames", "free frames per buddy order (lab 2)", mon_frames);

/* vmmap ADDR: "vmmap 0x<va>: 0x<pa> <perm> <size> KiB page" or "vmmap 0x<va>: not mapped" */
static int mon_vmmap(int argc, char **argv)
{
	if (argc != 2) {
		kprintf("usage: vmmap ADDR\n");
		return -EINVAL;
	}
	uintptr_t va = strtoul(argv[1], NULL, 0);
	struct pagetable pt = active_pt();
	paddr_t pa;
	unsigned perm;
	size_t size;
	char buf[6];
	if (!pt.root) {
		kprintf("vmmap %p: paging is off\n", (void *)va);
		return -ENOENT;
	}
	if (pt_translate(&pt, va, &pa, &perm, &size) < 0) {
		kprintf("vmmap %p: not mapped\n", (void *)va);
		return -ENOENT;
	}
	kprintf("vmmap %p: %p %s %lu KiB page\n", (void *)va, (void *)pa, vm_perm_string(perm, buf),
		(unsigned long)(size / KiB));
	return 0;
}
MONITOR_CMD("vmmap", "vmmap ADDR: translation and permissions (lab 2)", mon_vmmap);

/* A run of leaves that pgdump prints as one line. */
struct dump_run {
	uintptr_t va, end;
	paddr_t pa;
	unsigned perm;
	size_t size;
	int count;
};

static void dump_flush(struct dump_run *r)
{
	char buf[6];
	if (r->count)
		kprintf("  %p-%p -> %p %s %lu x %lu KiB\n", (void *)r->va, (void *)r->end,
			(void *)r->pa, vm_perm_string(r->perm, buf), (unsigned long)r->count,
			(unsigned long)(r->size / KiB));
	r->count = 0;
}

/* dump_level: walk table (at level) mapping from va, merging contiguous leaves with equal rights. */
static void dump_level(pte_t *table, int level, uintptr_t va, struct dump_run *r)
{
	size_t size = level_size(level);
	for (size_t i = 0; i < PT_ENTRIES; i++) {
		uintptr_t v = va + i * size;
		if (level == PT_LEVELS - 1 && i >= PT_ENTRIES / 2) /* the upper half: sign-extend */
			v |= ~((1UL << (VA_BITS - 1)) - 1);
		pte_t pte = table[i];
		if (!arch_pte_present(pte)) {
			dump_flush(r);
			continue;
		}
		if (!arch_pte_is_leaf(pte, level)) {
			dump_level(pa_to_kva(arch_pte_pa(pte)), level - 1, v, r);
			continue;
		}
		unsigned perm = arch_pte_perm(pte);
		if (r->count && v == r->end && arch_pte_pa(pte) == r->pa + (r->end - r->va) &&
		    perm == r->perm && size == r->size) {
			r->end += size;
			r->count++;
			continue;
		}
		dump_flush(r);
		*r = (struct dump_run){v, v + size, arch_pte_pa(pte), perm, size, 1};
	}
}

static int mon_pgdump(unused int argc, unused char **argv)
{
	struct pagetable pt = active_pt();
	if (!pt.root) {
		kprintf("pgdump: paging is off\n");
		return -ENOENT;
	}
	kprintf("page table at %p: va range -> pa, rights, pages\n", (void *)pt.root_pa);
	struct dump_run r = {0};
	dump_level(pt.root, PT_LEVELS - 1, 0, &r);
	dump_flush(&r);
	return 0;
}
MONITOR_CMD("pgdump", "the active page table's mappings (lab 2)", mon_pgdump);

const char *vm_perm_string(unsigned perm, char buf[6])
{
	buf[0] = perm & VM_READ ? 'r' : '-';
	buf[1] = perm & VM_WRITE ? 'w' : '-';
	buf[2] = perm & VM_EXEC ? 'x' : '-';
	buf[3] = perm & VM_USER ? 'u' : '-';
	buf[4] = perm & VM_GLOBAL ? 'g' : '-';
	buf[5] = 0;
	return buf;
}

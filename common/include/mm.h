/*
 * mm.h: physical memory: pages, the direct map and the frame table (lab 2).
 *
 * Every physical frame of RAM has one struct frame in the frame table
 * (frame_table[pfn - frame_base_pfn]), built at boot by frame_init (mm.c).
 * The table never touches the frames themselves, so the allocators keep all
 * their state in it. Physical memory is reached through the direct map:
 * kernel virtual address pa_to_kva(pa) = ARCH_DIRECT_MAP_BASE + pa.
 *
 * Frame states (struct frame.state), the contract between the trusted
 * wrappers in mm.c and the allocators students write:
 *   FRAME_NONE      inside a block (not its first frame), or not yet handed
 *                   to an allocator
 *   FRAME_RESERVED  never allocatable: firmware, kernel image, frame table
 *   FRAME_FREE      the first frame of a free block of 2^order frames
 *                   (the allocator sets and clears this)
 *   FRAME_ALLOCATED the first frame of an allocated block of 2^order frames
 *                   (frame_alloc sets it, frame_free checks and clears it)
 * Locking: none yet (one CPU, no preemption until lab 3); callers must not
 * call these from interrupt handlers.
 */
#pragma once

#include "types.h"
#include "list.h"
#include <arch/mmu.h>

/* Blocks are 2^0 .. 2^FRAME_MAX_ORDER frames: 4 KiB .. 4 MiB. */
#define FRAME_MAX_ORDER 10

enum frame_state { FRAME_NONE, FRAME_RESERVED, FRAME_FREE, FRAME_ALLOCATED };

/* Frame flags (struct frame.flags), set by kmalloc on the frames it owns. */
#define FRAME_SLAB	    0x1 /* a kmalloc slab page: kmalloc_class says which size class */
#define FRAME_KMALLOC_LARGE 0x2 /* a block kmalloc handed out whole (a large object) */

struct frame {
	struct list_node link; /* on a free list while FRAME_FREE (or a slab list in kmalloc) */
	uint8_t state;	       /* enum frame_state */
	uint8_t order;	       /* block order, meaningful for FRAME_FREE and FRAME_ALLOCATED */
	uint8_t flags;	       /* FRAME_SLAB, FRAME_KMALLOC_LARGE */
	uint8_t kmalloc_class; /* with FRAME_SLAB: the size-class index */
	uint32_t inuse;	       /* with FRAME_SLAB: objects allocated from this slab */
	void *slab_free;       /* with FRAME_SLAB: the slab's first free object */
};

/* The frame table: frame_count frames starting at page frame number frame_base_pfn. */
extern struct frame *frame_table;
extern size_t frame_count;
extern size_t frame_base_pfn;

/* pa_to_kva / kva_to_pa: the direct map (arch/<arch>/include/arch/mmu.h sets its base). */
static inline void *pa_to_kva(paddr_t pa)
{
	return (void *)(pa + ARCH_DIRECT_MAP_BASE);
}

static inline paddr_t kva_to_pa(const void *kva)
{
	return (paddr_t)kva - ARCH_DIRECT_MAP_BASE;
}

/* kimg_to_pa: the physical address of kernel image address va (text, data, bss; not the direct map). */
static inline paddr_t kimg_to_pa(const void *va)
{
	return (paddr_t)va - ARCH_KERNEL_IMAGE_OFFSET;
}

/* pa_to_frame: the frame holding physical address pa, or NULL outside the table. */
static inline struct frame *pa_to_frame(paddr_t pa)
{
	size_t pfn = pa >> PAGE_SHIFT;
	if (pfn < frame_base_pfn || pfn - frame_base_pfn >= frame_count)
		return NULL;
	return &frame_table[pfn - frame_base_pfn];
}

/* frame_to_pa: the physical address of frame f's first byte. */
static inline paddr_t frame_to_pa(const struct frame *f)
{
	return (frame_base_pfn + (size_t)(f - frame_table)) << PAGE_SHIFT;
}

/* frame_pfn: f's page frame number (physical address >> PAGE_SHIFT). */
static inline size_t frame_pfn(const struct frame *f)
{
	return frame_base_pfn + (size_t)(f - frame_table);
}

/*
 * A frame allocator, behind one interface so that lab 2's stack allocator
 * (Part A) and buddy allocator (Part B) are interchangeable (boot argument
 * frames=stack|buddy, default buddy). mm.c's wrappers do the argument and
 * state checks; the allocator only manages free frames.
 */
struct frame_allocator {
	const char *name;
	/* add_range: take frames [first, first + n) (all FRAME_NONE) as free. 0 or -ENOSYS. */
	int (*add_range)(struct frame *first, size_t n);
	/* alloc: unlink a free block of exactly 2^order frames, or NULL when there is none. */
	struct frame *(*alloc)(unsigned order);
	/* free: take back block f of 2^f->order frames (mm.c has cleared FRAME_ALLOCATED). */
	void (*free)(struct frame *f);
	/* count_free: free blocks per order, into counts[0..FRAME_MAX_ORDER]. */
	void (*count_free)(size_t counts[FRAME_MAX_ORDER + 1]);
};

extern const struct frame_allocator stack_allocator; /* stackalloc.c, lab 2 part A */
extern const struct frame_allocator buddy_allocator; /* buddy.c, lab 2 part B */

/*
 * Poisoning (boot argument kit.poison=1, which the grader passes): frame_alloc
 * fills each block with MM_POISON_ALLOC bytes and frame_free with
 * MM_POISON_FREE, so a read of memory nobody wrote goes wrong every time
 * (both bytes make a page-table entry look present on every arch).
 */
#define MM_POISON_ALLOC 0xa5
#define MM_POISON_FREE	0xf5
extern bool mm_poison;

/*
 * frame_alloc: a block of 2^order contiguous, naturally aligned frames
 * (order 0..FRAME_MAX_ORDER), contents undefined. Returns its direct-map
 * address, or NULL when no block is free or order is too big (the allocator
 * stays consistent).
 */
void *frame_alloc(unsigned order);

/*
 * frame_free: give back a block frame_alloc returned (its order is in the
 * frame table). Misuse is reported on the console, with the caller, as
 *     "frame_free: <error> 0x<pa> (called from <function>+0x<off>)"
 * and returns -EINVAL without changing anything; <error> is one of
 * "misaligned address", "not a RAM frame", "reserved frame", "double free",
 * "not an allocated block". Returns 0 on success.
 */
int frame_free(void *kva);

/* frame_count_free: free blocks per order (the allocator's counts), into counts[0..FRAME_MAX_ORDER]. */
void frame_count_free(size_t counts[FRAME_MAX_ORDER + 1]);

/* frame_in_use: frames handed out by frame_alloc and not freed yet (counted by mm.c, not the allocator). */
size_t frame_in_use(void);

/* frame_free_total: the number of free frames (all orders), from the allocator's counts. */
size_t frame_free_total(void);

/*
 * mm_misuse: report misuse of a memory interface with its caller, as
 *     "<fn>: <what> 0x<addr> (called from <function>+0x<off>)"
 * (the format the grader parses). Returns -EINVAL for the caller to return.
 */
int mm_misuse(const char *fn, const char *what, uintptr_t addr, uintptr_t caller);

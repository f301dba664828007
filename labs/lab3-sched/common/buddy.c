/*
 * buddy.c: lab 2 part B, the binary buddy allocator (Knowlton, "A Fast
 * Storage Allocator", CACM 8(10), 1965; Knuth, TAOCP Vol. 1, 2.5). Free
 * memory is kept as blocks of 2^k frames, k = 0..FRAME_MAX_ORDER, each
 * aligned to its own size in physical frame numbers, on one free list per
 * order. The buddy of the block at frame number pfn of order k is at
 * pfn ^ 2^k. alloc takes the smallest free block of order >= k and splits
 * it; free merges a block with its buddy while the buddy is free and of the
 * same order. Both are O(FRAME_MAX_ORDER).
 * Entry point: buddy_allocator (struct frame_allocator, mm.h).
 */
#include "kernel.h"
#include "mm.h"

static struct list_node free_lists[FRAME_MAX_ORDER + 1];
static size_t nfree[FRAME_MAX_ORDER + 1];

static void free_lists_init(void)
{
	if (!free_lists[0].next)
		for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
			list_init(&free_lists[k]);
}

/* push: make f the head of a free block of order k. */
static void push(struct frame *f, unsigned k)
{
	f->state = FRAME_FREE;
	f->order = (uint8_t)k;
	list_add(&free_lists[k], &f->link);
	nfree[k]++;
}

/* pop_block: unlink free block f of order k; it becomes an ordinary (FRAME_NONE) frame. */
static void pop_block(struct frame *f, unsigned k)
{
	list_del(&f->link);
	f->state = FRAME_NONE;
	nfree[k]--;
}

/*
 * buddy_add_range: take frames [first, first + n) as free, cut into the
 * largest blocks that are aligned to their size (in frame numbers).
 */
static int buddy_add_range(struct frame *first, size_t n)
{
	free_lists_init();
	size_t pfn = frame_pfn(first), end = pfn + n;
	while (pfn < end) {
		unsigned k = FRAME_MAX_ORDER;
		while (k > 0 && ((pfn & ((1UL << k) - 1)) || pfn + (1UL << k) > end))
			k--;
		push(pa_to_frame(pfn << PAGE_SHIFT), k);
		pfn += 1UL << k;
	}
	return 0;
}

/* buddy_alloc: a free block of exactly 2^order frames (split a bigger one if needed), or NULL. */
static struct frame *buddy_alloc(unsigned order)
{
	unsigned k = order;
	while (k <= FRAME_MAX_ORDER && list_empty(&free_lists[k]))
		k++;
	if (k > FRAME_MAX_ORDER)
		return NULL;
	struct frame *f = container_of(free_lists[k].next, struct frame, link);
	pop_block(f, k);
	while (k > order) { /* keep the lower half, free the upper half */
		k--;
		push(f + (1UL << k), k);
	}
	return f;
}

/* buddy_free: take back block f (its order in f->order), merging with free buddies. */
static void buddy_free(struct frame *f)
{
	unsigned k = f->order;
	size_t pfn = frame_pfn(f);
	while (k < FRAME_MAX_ORDER) {
		struct frame *buddy = pa_to_frame((pfn ^ (1UL << k)) << PAGE_SHIFT);
		if (!buddy || buddy->state != FRAME_FREE || buddy->order != k)
			break;
		pop_block(buddy, k);
		pfn &= ~(1UL << k);
		k++;
	}
	push(pa_to_frame(pfn << PAGE_SHIFT), k);
}

/* buddy_count_free: free blocks per order. */
static void buddy_count_free(size_t counts[FRAME_MAX_ORDER + 1])
{
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		counts[k] = nfree[k];
}

const struct frame_allocator buddy_allocator = {
    .name = "buddy",
    .add_range = buddy_add_range,
    .alloc = buddy_alloc,
    .free = buddy_free,
    .count_free = buddy_count_free,
};

// @file lab2
/*
 * stackalloc.c: lab 2 part A, the stack frame allocator: every free frame
 * sits on one LIFO list; alloc pops, free pushes, both O(1). Single frames
 * only (order 0). Boot with frames=stack to use it instead of the buddy
 * allocator.
 * Entry point: stack_allocator (struct frame_allocator, mm.h).
 */
#include "kernel.h"
#include "mm.h"

// @lab2 solution
static struct list_node free_stack = LIST_INIT(free_stack);
static size_t nfree;
// @lab2 end

/* stack_add_range: push frames [first, first + n) as free frames (FRAME_FREE, order 0). */
static int stack_add_range(struct frame *first, size_t n)
{
	// @lab2 solution
	for (size_t i = 0; i < n; i++) {
		first[i].state = FRAME_FREE;
		first[i].order = 0;
		list_add(&free_stack, &first[i].link);
	}
	nfree += n;
	return 0;
	// @lab2 stub
	// TODO(lab2): part A. Make frames [first, first + n) free: mark each
	// FRAME_FREE (order 0) and push it on a free list, then return 0.
	// Hint: list.h; a static struct list_node head, LIST_INIT.
	(void)first, (void)n;
	return -ENOSYS;
	// @lab2 end
}

/* stack_alloc: pop the most recently freed frame; order must be 0 (else NULL). */
static struct frame *stack_alloc(unsigned order)
{
	// @lab2 solution
	struct list_node *n = list_first(&free_stack);
	if (order != 0 || !n)
		return NULL;
	list_del(n);
	nfree--;
	struct frame *f = container_of(n, struct frame, link);
	f->state = FRAME_NONE;
	return f;
	// @lab2 stub
	// TODO(lab2): part A. Pop a frame off the free list, clear its
	// FRAME_FREE state and return it; NULL when the list is empty or
	// order is not 0. Hint: list_first, list_del, container_of.
	(void)order;
	return NULL;
	// @lab2 end
}

/* stack_free: push frame f (checked by frame_free) back on the free list. */
static void stack_free(struct frame *f)
{
	// @lab2 solution
	f->state = FRAME_FREE;
	f->order = 0;
	list_add(&free_stack, &f->link);
	nfree++;
	// @lab2 stub
	// TODO(lab2): part A. Mark f FRAME_FREE and push it.
	(void)f;
	// @lab2 end
}

static void stack_count_free(size_t counts[FRAME_MAX_ORDER + 1])
{
	// @lab2 solution
	counts[0] = nfree;
	// @lab2 stub
	// TODO(lab2): part A. counts[0] = the number of free frames.
	(void)counts;
	// @lab2 end
}

const struct frame_allocator stack_allocator = {
    .name = "stack",
    .add_range = stack_add_range,
    .alloc = stack_alloc,
    .free = stack_free,
    .count_free = stack_count_free,
};

/*
 * stackalloc.c: lab 2 part A, the stack frame allocator: every free frame
 * sits on one LIFO list; alloc pops, free pushes, both O(1). Single frames
 * only (order 0). Boot with frames=stack to use it instead of the buddy
 * allocator.
 * Entry point: stack_allocator (struct frame_allocator, mm.h).
 */
#include "kernel.h"
#include "mm.h"

/* stack_add_range: push frames [first, first + n) as free frames (FRAME_FREE, order 0). */
static int stack_add_range(struct frame *first, size_t n)
{
	// TODO(lab2): part A. Make frames [first, first + n) free: mark each
	// FRAME_FREE (order 0) and push it on a free list, then return 0.
	// Hint: list.h; a static struct list_node head, LIST_INIT.
	(void)first, (void)n;
	return -ENOSYS;
}

/* stack_alloc: pop the most recently freed frame; order must be 0 (else NULL). */
static struct frame *stack_alloc(unsigned order)
{
	// TODO(lab2): part A. Pop a frame off the free list, clear its
	// FRAME_FREE state and return it; NULL when the list is empty or
	// order is not 0. Hint: list_first, list_del, container_of.
	(void)order;
	return NULL;
}

/* stack_free: push frame f (checked by frame_free) back on the free list. */
static void stack_free(struct frame *f)
{
	// TODO(lab2): part A. Mark f FRAME_FREE and push it.
	(void)f;
}

static void stack_count_free(size_t counts[FRAME_MAX_ORDER + 1])
{
	// TODO(lab2): part A. counts[0] = the number of free frames.
	(void)counts;
}

const struct frame_allocator stack_allocator = {
    .name = "stack",
    .add_range = stack_add_range,
    .alloc = stack_alloc,
    .free = stack_free,
    .count_free = stack_count_free,
};

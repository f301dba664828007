/*
 * stackalloc.c: lab 2 part A, the stack frame allocator: every free frame
 * sits on one LIFO list; alloc pops, free pushes, both O(1). Single frames
 * only (order 0). Boot with frames=stack to use it instead of the buddy
 * allocator.
 * Entry point: stack_allocator (struct frame_allocator, mm.h).
 */
#include "kernel.h"
#include "mm.h"

static struct list_node free_stack = LIST_INIT(free_stack);
static size_t nfree;

/* stack_add_range: push frames [first, first + n) as free frames (FRAME_FREE, order 0). */
static int stack_add_range(struct frame *first, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		first[i].state = FRAME_FREE;
		first[i].order = 0;
		list_add(&free_stack, &first[i].link);
	}
	nfree += n;
	return 0;
}

/* stack_alloc: pop the most recently freed frame; order must be 0 (else NULL). */
static struct frame *stack_alloc(unsigned order)
{
	struct list_node *n = list_first(&free_stack);
	if (order != 0 || !n)
		return NULL;
	list_del(n);
	nfree--;
	struct frame *f = container_of(n, struct frame, link);
	f->state = FRAME_NONE;
	return f;
}

/* stack_free: push frame f (checked by frame_free) back on the free list. */
static void stack_free(struct frame *f)
{
	f->state = FRAME_FREE;
	f->order = 0;
	list_add(&free_stack, &f->link);
	nfree++;
}

static void stack_count_free(size_t counts[FRAME_MAX_ORDER + 1])
{
	counts[0] = nfree;
}

const struct frame_allocator stack_allocator = {
    .name = "stack",
    .add_range = stack_add_range,
    .alloc = stack_alloc,
    .free = stack_free,
    .count_free = stack_count_free,
};

/*
 * heap.c: the min-heap of heap.h (heap_push, heap_pop, heap_remove),
 * provided code: a d-ary heap, d = HEAP_ARITY (heap.h). Every move of a
 * node updates its index. Freestanding.
 */
#include "types.h"
#include "errno.h"
#include "heap.h"

#define HEAP_ARITY                                                                                 \
	4 /* children per node: half the levels of a binary heap, the same comparisons down */

/* before: whether a goes before b: a lower key, or an equal key and a lower tie. */
static inline bool before(const struct heap_node *a, const struct heap_node *b)
{
	return a->key < b->key || (a->key == b->key && a->tie < b->tie);
}

/* sift_up: put x in hole i or above it, moving the parents it goes before one level down. */
static inline void sift_up(struct heap *h, unsigned long i, struct heap_node *x)
{
	struct heap_node **slot = h->slot;

	while (i > 0) {
		unsigned long parent = (i - 1) / HEAP_ARITY;
		struct heap_node *p = slot[parent];

		if (!before(x, p))
			break;
		slot[i] = p;
		p->index = i;
		i = parent;
	}
	slot[i] = x;
	x->index = i;
}

/* sift_down: put x in hole i or below it, moving the least child up while it goes before x. */
static inline void sift_down(struct heap *h, unsigned long i, struct heap_node *x)
{
	struct heap_node **slot = h->slot;
	unsigned long n = h->n;

	for (unsigned long first; (first = HEAP_ARITY * i + 1) < n;) {
		unsigned long end = first + HEAP_ARITY < n ? first + HEAP_ARITY : n, least = first;

		for (unsigned long c = first + 1; c < end; c++)
			if (before(slot[c], slot[least]))
				least = c;
		if (!before(slot[least], x))
			break;
		slot[i] = slot[least];
		slot[i]->index = i;
		i = least;
	}
	slot[i] = x;
	x->index = i;
}

int heap_push(struct heap *h, struct heap_node *x)
{
	if (h->n == h->cap)
		return -ENOSPC;
	sift_up(h, h->n++, x);
	return 0;
}

struct heap_node *heap_pop(struct heap *h)
{
	struct heap_node *x = heap_first(h);

	if (x && --h->n)
		sift_down(h, 0, h->slot[h->n]); /* the last node fills the hole at the top */
	return x;
}

void heap_remove(struct heap *h, struct heap_node *x)
{
	unsigned long i = x->index;
	struct heap_node *last = h->slot[--h->n];

	if (last == x)
		return;
	/* last fills x's hole: it may go before x's parent, or after x's children */
	if (i > 0 && before(last, h->slot[(i - 1) / HEAP_ARITY]))
		sift_up(h, i, last);
	else
		sift_down(h, i, last);
}

/*
 * heap.h: a binary min-heap of intrusive nodes (heap.c), provided for lab 3:
 * the joint scheduler keeps its EDF queue (keyed by deadline) and its stride
 * queue (keyed by pass) in two of them, so a decision costs O(log n) in the
 * number of ready entities instead of a walk over all of them.
 *
 * A struct heap_node embedded in an object links it. The owner sets the
 * node's key and tie before heap_push and leaves them alone while the node
 * is in the heap; the heap orders nodes by key, then by tie (the lower
 * first), and records each node's position in node->index so any node can
 * be removed in O(log n). The heap holds an array of node pointers that the
 * owner provides (HEAP_INIT), so it never allocates.
 * The algorithm: a d-ary heap (D. B. Johnson, "Priority queues with update
 * and finding minimum spanning trees", IPL 4(3), 1975) with d = HEAP_ARITY:
 * node i's children are d*i + 1 .. d*i + d, so n nodes are log_d(n) levels
 * deep; sift up and down as in J. W. J. Williams's binary heap ("Algorithm
 * 232: Heapsort", CACM 7(6), 1964); removal of an inner node as in Cormen,
 * Leiserson, Rivest, Stein, "Introduction to Algorithms", 3rd ed., ch. 6.
 * Locking: none; the owner serializes access. Freestanding: the kernel and
 * tools/sched-sim compile heap.c unchanged; tests/host/test_heap.c tests it.
 */
#pragma once

#include "types.h"

#define HEAP_ARITY 4 /* children per node: half a binary heap's levels (measured: the cheapest) */

struct heap_node {
	uint64_t key;	     /* the order: the least key first ... */
	int tie;	     /* ... then the lower tie */
	unsigned long index; /* its position in the heap's array, while in the heap */
};

struct heap {
	struct heap_node **slot; /* slot[0..n) in heap order, slot[0] the least */
	unsigned long n, cap;	 /* nodes in the heap; the array's length */
};

/* HEAP_INIT(array): an empty heap over array (struct heap_node *array[N]), for N nodes at most. */
#define HEAP_INIT(array)                                                                           \
	{                                                                                          \
		(array), 0, ARRAY_SIZE(array)                                                      \
	}

/* heap_empty: whether h holds no node. */
static inline bool heap_empty(const struct heap *h)
{
	return h->n == 0;
}

/* heap_first: the least node of h (the least key, then the lowest tie), or NULL; O(1). */
static inline struct heap_node *heap_first(const struct heap *h)
{
	return h->n ? h->slot[0] : NULL;
}

/* heap_push: add x (not in any heap; key and tie set); 0, or -ENOSPC when h is full. O(log n). */
int heap_push(struct heap *h, struct heap_node *x);

/* heap_pop: remove and return the least node of h, or NULL when h is empty. O(log n). */
struct heap_node *heap_pop(struct heap *h);

/* heap_remove: remove x, which must be in h. O(log n). */
void heap_remove(struct heap *h, struct heap_node *x);

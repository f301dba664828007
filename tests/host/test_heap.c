/*
 * test_heap.c: host unit test of the min-heap (common/lab3/heap.c, heap.h)
 * that the joint scheduler's queues use, compiled unchanged with the
 * kernel's headers.
 *
 * A seeded random sequence of heap_push, heap_pop and heap_remove (of a
 * random node in the heap) on NODES nodes runs against a model (a flag per
 * node), with few distinct keys so equal keys are common (each node's tie
 * is unique, as the scheduler's ids are). After every operation:
 *   - every node's index names its slot, and the heap order holds: no node
 *     goes before its parent, slot (i - 1) / HEAP_ARITY (by key, then by tie);
 *   - the heap holds exactly the nodes the model says;
 *   - heap_pop returns the least (key, tie) of the model, heap_first the same
 *     without removing it, both NULL on an empty heap;
 *   - heap_push on a full heap returns -ENOSPC and changes nothing.
 * Then it empties the heap by heap_pop and checks the order is sorted.
 * Usage: test_heap random SEED; prints "PASS random seed=SEED" and counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types.h"
#include "errno.h"
#include "heap.h"

#define NODES 200
#define OPS   200000
#define KEYS  50 /* distinct keys: ties are common */

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s (op %lu)\n", __FILE__, __LINE__, #cond, op);        \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static struct heap_node node[NODES], *slot[NODES];
static struct heap heap = HEAP_INIT(slot);
static bool in_heap[NODES];
static unsigned long op;
static uint64_t rng;

/* rand_below: xorshift64 (13, 7, 17; Marsaglia 2003), mod n. */
static uint64_t rand_below(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static bool before(const struct heap_node *a, const struct heap_node *b)
{
	return a->key < b->key || (a->key == b->key && a->tie < b->tie);
}

/* least: the model's least node, or NULL. */
static struct heap_node *least(void)
{
	struct heap_node *best = NULL;

	for (int i = 0; i < NODES; i++)
		if (in_heap[i] && (!best || before(&node[i], best)))
			best = &node[i];
	return best;
}

/* check: the heap's invariants, and that it holds the model's nodes. */
static void check(void)
{
	unsigned long count = 0;

	for (int i = 0; i < NODES; i++)
		count += in_heap[i];
	CHECK(heap.n == count && heap_empty(&heap) == (count == 0));
	for (unsigned long i = 0; i < heap.n; i++) {
		struct heap_node *x = heap.slot[i];
		CHECK(x >= node && x < node + NODES && in_heap[x - node]);
		CHECK(x->index == i);
		CHECK(i == 0 || !before(x, heap.slot[(i - 1) / HEAP_ARITY]));
	}
	CHECK(heap_first(&heap) == least());
}

/* check_sorted_pops: emptying the heap by heap_pop gives the nodes in order. */
static void check_sorted_pops(void)
{
	struct heap_node *prev = NULL, *x;

	while ((x = heap_pop(&heap))) {
		CHECK(!prev || !before(x, prev));
		in_heap[x - node] = false;
		prev = x;
	}
	CHECK(heap.n == 0 && heap_first(&heap) == NULL && heap_pop(&heap) == NULL);
}

int main(int argc, char **argv)
{
	unsigned long seed = argc == 3 ? strtoul(argv[2], NULL, 10) : 0;
	unsigned long pushes = 0, pops = 0, removes = 0, full = 0;

	if (argc != 3 || strcmp(argv[1], "random")) {
		fprintf(stderr, "usage: test_heap random SEED\n");
		return 2;
	}
	rng = seed * 0x9e3779b97f4a7c15UL + 1;
	for (int i = 0; i < NODES; i++)
		node[i].tie =
		    (i * 37) % NODES - NODES / 2; /* unique, as ids are, not in node order */
	CHECK(heap_first(&heap) == NULL && heap_pop(&heap) == NULL);
	for (op = 0; op < OPS; op++) {
		int i = (int)rand_below(NODES), what = (int)rand_below(4); /* push twice as often */

		if (what <= 1 && !in_heap[i]) {
			node[i].key = rand_below(KEYS);
			CHECK(heap_push(&heap, &node[i]) == 0);
			in_heap[i] = true;
			pushes++;
		} else if (what == 2) {
			struct heap_node *want = least(), *got = heap_pop(&heap);
			CHECK(got == want);
			if (got)
				in_heap[got - node] = false;
			pops++;
		} else if (in_heap[i]) {
			heap_remove(&heap, &node[i]);
			in_heap[i] = false;
			removes++;
		}
		check();
	}
	for (int i = 0; i < NODES; i++)
		if (!in_heap[i]) {
			node[i].key = rand_below(KEYS);
			CHECK(heap_push(&heap, &node[i]) == 0);
			in_heap[i] = true;
		}
	struct heap_node extra = {.key = 0};
	CHECK(heap_push(&heap, &extra) == -ENOSPC);
	full++;
	check();
	check_sorted_pops();
	printf("PASS random seed=%lu pushes=%lu pops=%lu removes=%lu full=%lu\n", seed, pushes,
	       pops, removes, full);
	return 0;
}

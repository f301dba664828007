/*
 * test_alloc.c: host unit test of the frame allocators, buddy.c and
 * stackalloc.c compiled unchanged with the kernel's headers.
 *
 * A frame table of a few thousand frames whose base frame number is not a
 * multiple of 2^FRAME_MAX_ORDER is cut by reserved holes into free runs,
 * each handed to add_range (as mm.c's frame_init does). A seeded random
 * sequence of allocations and frees then goes through the allocator's
 * interface exactly as mm.c's frame_alloc/frame_free wrappers call it, and
 * the whole frame table is checked after every random operation (and every
 * CHECK_EVERY operations while filling or emptying it):
 *   - every free block head is FRAME_FREE, aligned to 2^order in frame
 *     numbers, inside one free run, its other frames FRAME_NONE;
 *   - free and allocated blocks never overlap; every free-run frame is in
 *     exactly one block and no reserved frame is in any (nothing lost);
 *   - count_free matches a recount of the table, and each free list links
 *     exactly the free blocks of its order;
 *   - buddy: no two free buddies of the same order (full coalescing); alloc
 *     splits the smallest free block that fits and returns NULL only when none
 *     does; free merges exactly as far as the buddies allow;
 *   - stack: order 0 only, last freed first allocated (LIFO).
 * After freeing everything the table is as add_range left it.
 * Modes: "buddy", "stack".
 */
#include "kernel.h"
#include "mm.h"
#include "host.h"

#define MAX_FRAMES  4096
#define NORD	    (FRAME_MAX_ORDER + 1)
#define CHECK_EVERY 8 /* operations between whole-table checks when emptying or filling it */

/* The frame table mm.c would own (mm.c itself is not compiled). */
struct frame *frame_table;
size_t frame_count;
size_t frame_base_pfn;

enum { OWN_NONE, OWN_FREE, OWN_ALLOC };

static struct frame table[MAX_FRAMES];
static const struct frame_allocator *fa;
static bool is_buddy;
static int run_of[MAX_FRAMES]; /* the free run a frame is in, -1 when reserved */
static size_t nruns, run_frames;
static uint8_t owner[MAX_FRAMES]; /* OWN_*: rebuilt by check_all, kept by do_alloc/do_free */
static uint8_t live_order[MAX_FRAMES];
static bool live_head[MAX_FRAMES];
static size_t live[MAX_FRAMES], nlive;	   /* heads of the blocks the test holds */
static size_t pushed[MAX_FRAMES], npushed; /* stack model: frames freed, most recent last */
static uint8_t boot_state[MAX_FRAMES], boot_order[MAX_FRAMES];
static size_t boot_counts[NORD];
static struct {
	size_t allocs, nulls, splits, frees, merges, checks;
} stats;

static size_t pfn_of(size_t i)
{
	return frame_base_pfn + i;
}

static void counts_get(size_t counts[NORD])
{
	for (unsigned k = 0; k < NORD; k++)
		counts[k] = 0;
	fa->count_free(counts);
}

/* mark: the frames of the block at index i, order k, belong to who. */
static void mark(size_t i, unsigned k, uint8_t who)
{
	for (size_t j = i; j < i + (1UL << k); j++) {
		CHECK(owner[j] == OWN_NONE, "pfn 0x%lx is in two blocks (one at 0x%lx order %u)",
		      pfn_of(j), pfn_of(i), k);
		owner[j] = who;
		CHECK(j == i || table[j].state == FRAME_NONE,
		      "pfn 0x%lx inside the block at 0x%lx order %u has state %u", pfn_of(j),
		      pfn_of(i), k, table[j].state);
	}
}

static void check_free_head(size_t i, size_t counts[NORD], size_t first[NORD])
{
	unsigned k = table[i].order;
	size_t pfn = pfn_of(i);
	CHECK(k <= FRAME_MAX_ORDER, "free block at pfn 0x%lx has order %u", pfn, k);
	CHECK(is_buddy || k == 0, "stack allocator: free frame 0x%lx has order %u", pfn, k);
	CHECK(!(pfn & ((1UL << k) - 1)), "free block at pfn 0x%lx order %u is misaligned", pfn, k);
	CHECK(i + (1UL << k) <= frame_count, "free block at pfn 0x%lx order %u leaves the table",
	      pfn, k);
	for (size_t j = i; j < i + (1UL << k); j++)
		CHECK(run_of[j] >= 0 && run_of[j] == run_of[i],
		      "free block at pfn 0x%lx order %u covers pfn 0x%lx, %s", pfn, k, pfn_of(j),
		      run_of[j] < 0 ? "a reserved frame" : "in another free run");
	mark(i, k, OWN_FREE);
	if (!counts[k]++)
		first[k] = i;
	size_t b = pfn ^ (1UL << k);
	if (is_buddy && k < FRAME_MAX_ORDER && b >= frame_base_pfn &&
	    b - frame_base_pfn < frame_count) {
		const struct frame *bf = &table[b - frame_base_pfn];
		CHECK(!(bf->state == FRAME_FREE && bf->order == k),
		      "free buddies 0x%lx and 0x%lx of order %u were not merged", pfn, b, k);
	}
}

static bool in_table(const struct list_node *n)
{
	uintptr_t off = (uintptr_t)n - (uintptr_t)table;
	return (uintptr_t)n >= (uintptr_t)table && off < frame_count * sizeof(struct frame) &&
	       off % sizeof(struct frame) == __builtin_offsetof(struct frame, link);
}

/* check_lists: each order's free list is a ring of its free heads and one list head. */
static void check_lists(const size_t counts[NORD], const size_t first[NORD])
{
	const struct list_node *head[NORD] = {0};
	for (unsigned k = 0; k < NORD; k++) {
		if (!counts[k])
			continue;
		const struct list_node *start = &table[first[k]].link, *n = start;
		size_t seen = 0, heads = 0;
		do {
			CHECK(n->next && n->next->prev == n, "order %u: broken links at %p", k,
			      (void *)n);
			n = n->next;
			if (in_table(n)) {
				const struct frame *f = container_of(n, struct frame, link);
				CHECK(f->state == FRAME_FREE && f->order == k,
				      "the order-%u free list holds pfn 0x%lx (state %u order %u)",
				      k, frame_pfn(f), f->state, f->order);
				seen++;
			} else {
				heads++;
				head[k] = n;
			}
			CHECK(seen + heads <= frame_count + 1, "the order-%u free list has a cycle",
			      k);
		} while (n != start);
		CHECK(seen == counts[k] && heads == 1,
		      "the order-%u free list links %lu blocks and %lu list heads; the table has "
		      "%lu free blocks of that order",
		      k, seen, heads, counts[k]);
		for (unsigned j = 0; j < k; j++)
			CHECK(head[j] != head[k], "orders %u and %u share a free list", j, k);
	}
}

/* check_all: the frame table, the counts and the free lists are consistent (see the top). */
static void check_all(void)
{
	size_t counts[NORD] = {0}, first[NORD] = {0}, got[NORD], total = 0;
	for (size_t i = 0; i < frame_count; i++)
		owner[i] = OWN_NONE;
	for (size_t x = 0; x < nlive; x++) {
		size_t i = live[x];
		CHECK(table[i].state == FRAME_ALLOCATED && table[i].order == live_order[i],
		      "allocated block at pfn 0x%lx order %u now has state %u order %u", pfn_of(i),
		      live_order[i], table[i].state, table[i].order);
		mark(i, live_order[i], OWN_ALLOC);
		total += 1UL << live_order[i];
	}
	for (size_t i = 0; i < frame_count; i++) {
		const struct frame *f = &table[i];
		if (f->state == FRAME_FREE) {
			check_free_head(i, counts, first);
			total += 1UL << f->order;
		} else if (f->state == FRAME_RESERVED) {
			CHECK(run_of[i] < 0, "free-run frame 0x%lx became FRAME_RESERVED",
			      pfn_of(i));
		} else if (f->state == FRAME_ALLOCATED) {
			CHECK(live_head[i], "pfn 0x%lx is FRAME_ALLOCATED but was not allocated",
			      pfn_of(i));
		} else {
			CHECK(f->state == FRAME_NONE, "pfn 0x%lx has state %u", pfn_of(i),
			      f->state);
		}
	}
	for (size_t i = 0; i < frame_count; i++)
		CHECK((run_of[i] >= 0) == (owner[i] != OWN_NONE), "pfn 0x%lx: %s", pfn_of(i),
		      run_of[i] >= 0 ? "a free-run frame is in no block (lost)"
				     : "a reserved frame is in a block");
	CHECK(total == run_frames, "free + allocated = %lu frames, want %lu", total, run_frames);
	counts_get(got);
	for (unsigned k = 0; k < NORD; k++)
		CHECK(got[k] == counts[k],
		      "count_free says %lu free blocks of order %u, the table %lu", got[k], k,
		      counts[k]);
	check_lists(counts, first);
	stats.checks++;
}

/* do_alloc: one allocation of order k as frame_alloc makes it; whether it returned a block. */
static bool do_alloc(unsigned k)
{
	size_t before[NORD], after[NORD];
	counts_get(before);
	unsigned j = k; /* the order the allocator must split (or take) */
	while (j < NORD && !before[j])
		j++;
	if (!is_buddy && k > 0)
		j = NORD;
	struct frame *f = fa->alloc(k);
	stats.allocs++;
	counts_get(after);
	if (j == NORD) {
		CHECK(!f, "alloc(%u) returned pfn 0x%lx with no free block of order >= %u", k,
		      frame_pfn(f), k);
		for (unsigned o = 0; o < NORD; o++)
			CHECK(after[o] == before[o], "a failed alloc(%u) changed the free counts",
			      k);
		stats.nulls++;
		return false;
	}
	CHECK(f, "alloc(%u) returned NULL with %lu free blocks of order %u", k, before[j], j);
	CHECK(in_table(&f->link), "alloc(%u) returned %p, not a frame of the table", k, (void *)f);
	size_t i = (size_t)(f - table), pfn = pfn_of(i);
	CHECK(f->state != FRAME_FREE, "alloc(%u) returned pfn 0x%lx still FRAME_FREE", k, pfn);
	CHECK(!(pfn & ((1UL << k) - 1)) && i + (1UL << k) <= frame_count,
	      "alloc(%u) returned misaligned pfn 0x%lx", k, pfn);
	for (size_t x = i; x < i + (1UL << k); x++) {
		CHECK(owner[x] == OWN_FREE, "alloc(%u) returned pfn 0x%lx; pfn 0x%lx was not free",
		      k, pfn, pfn_of(x));
		owner[x] = OWN_ALLOC;
	}
	for (unsigned o = 0; o < NORD; o++)
		CHECK(after[o] == before[o] - (o == j) + (o >= k && o < j),
		      "alloc(%u): %lu free blocks of order %u, had %lu; want the smallest fitting "
		      "block (order %u) split",
		      k, after[o], o, before[o], j);
	if (!is_buddy && npushed) {
		CHECK(i == pushed[npushed - 1], "alloc returned pfn 0x%lx, last freed was 0x%lx",
		      pfn, pfn_of(pushed[npushed - 1]));
		npushed--;
	}
	stats.splits += j > k;
	/* mm.c's frame_alloc */
	f->state = FRAME_ALLOCATED;
	f->order = (uint8_t)k;
	f->flags = 0;
	live_order[i] = (uint8_t)k;
	live_head[i] = true;
	live[nlive++] = i;
	return true;
}

/* do_free: free the x-th block the test holds, as frame_free does. */
static void do_free(size_t x)
{
	size_t i = live[x], before[NORD], want[NORD], after[NORD];
	unsigned k = live_order[i], o = k;
	live[x] = live[--nlive];
	live_head[i] = false;
	counts_get(before);
	for (unsigned m = 0; m < NORD; m++)
		want[m] = before[m];
	size_t pfn = pfn_of(i);
	while (is_buddy && o < FRAME_MAX_ORDER) { /* how far it must merge */
		size_t b = pfn ^ (1UL << o);
		if (b < frame_base_pfn || b - frame_base_pfn >= frame_count ||
		    table[b - frame_base_pfn].state != FRAME_FREE ||
		    table[b - frame_base_pfn].order != o)
			break;
		want[o]--;
		pfn &= ~(1UL << o);
		o++;
	}
	want[o]++;
	for (size_t y = i; y < i + (1UL << k); y++)
		owner[y] = OWN_FREE;
	/* mm.c's frame_free */
	table[i].state = FRAME_NONE;
	fa->free(&table[i]);
	stats.frees++;
	stats.merges += o - k;
	counts_get(after);
	for (unsigned m = 0; m < NORD; m++)
		CHECK(after[m] == want[m],
		      "free(pfn 0x%lx order %u): %lu free blocks of order %u, want %lu (merged up "
		      "to order %u at 0x%lx)",
		      pfn_of(i), k, after[m], m, want[m], o, pfn);
	const struct frame *h = &table[pfn - frame_base_pfn];
	CHECK(h->state == FRAME_FREE && h->order == o,
	      "free(pfn 0x%lx order %u): the merged block at 0x%lx has state %u order %u",
	      pfn_of(i), k, pfn, h->state, h->order);
	if (!is_buddy)
		pushed[npushed++] = i;
}

static unsigned random_order(void)
{
	if (!is_buddy)
		return host_below(8) ? 0 : 1 + host_below(FRAME_MAX_ORDER);
	uint64_t r = host_below(16);
	return r < 8 ? host_below(3) : r < 15 ? host_below(NORD) : FRAME_MAX_ORDER;
}

/* setup: a random frame table layout: free runs between reserved holes, the first run long. */
static void setup(void)
{
	frame_base_pfn = 0x80000 + 1 + host_below((1UL << FRAME_MAX_ORDER) - 1);
	frame_count = 3000 + host_below(MAX_FRAMES - 3000 + 1);
	frame_table = table;
	bool hole = host_below(2);
	size_t start[MAX_FRAMES], len[MAX_FRAMES];
	for (size_t i = 0, n; i < frame_count; i += n, hole = !hole) {
		if (hole)
			n = 1 + host_below(48);
		else if (!nruns)
			n = 2100 + host_below(400); /* holds a block of order FRAME_MAX_ORDER */
		else
			n = host_below(3) ? 1 + host_below(700) : 1 + host_below(4);
		if (n > frame_count - i)
			n = frame_count - i;
		for (size_t j = i; j < i + n; j++) {
			run_of[j] = hole ? -1 : (int)nruns;
			table[j].state = hole ? FRAME_RESERVED : FRAME_NONE;
		}
		if (!hole) {
			start[nruns] = i;
			len[nruns++] = n;
			run_frames += n;
		}
	}
	for (size_t r = 0; r < nruns; r++)
		CHECK(fa->add_range(&table[start[r]], len[r]) == 0,
		      "add_range(pfn 0x%lx, %lu) failed", pfn_of(start[r]), len[r]);
	/* add_range: the largest blocks aligned to their size (buddy), single frames (stack) */
	for (size_t r = 0; r < nruns; r++) {
		size_t pfn = pfn_of(start[r]), end = pfn + len[r];
		while (pfn < end) {
			unsigned k = is_buddy ? FRAME_MAX_ORDER : 0;
			while (k > 0 && ((pfn & ((1UL << k) - 1)) || pfn + (1UL << k) > end))
				k--;
			const struct frame *f = &table[pfn - frame_base_pfn];
			CHECK(
			    f->state == FRAME_FREE && f->order == k,
			    "after add_range pfn 0x%lx should head a free block of order %u (state "
			    "%u order %u)",
			    pfn, k, f->state, f->order);
			pfn += 1UL << k;
		}
	}
	check_all();
	counts_get(boot_counts);
	for (size_t i = 0; i < frame_count; i++) {
		boot_state[i] = table[i].state;
		boot_order[i] = table[i].order;
	}
}

/* free_all: free every held block in random order, then the table must be as at boot. */
static void free_all(void)
{
	size_t counts[NORD];
	for (size_t n = 1; nlive; n++) {
		do_free(host_below(nlive));
		if (n % CHECK_EVERY == 0)
			check_all();
	}
	check_all();
	for (size_t i = 0; i < frame_count; i++)
		CHECK(
		    table[i].state == boot_state[i] &&
			(table[i].state != FRAME_FREE || table[i].order == boot_order[i]),
		    "after freeing everything pfn 0x%lx has state %u order %u, at boot %u order %u",
		    pfn_of(i), table[i].state, table[i].order, boot_state[i], boot_order[i]);
	counts_get(counts);
	for (unsigned k = 0; k < NORD; k++)
		CHECK(counts[k] == boot_counts[k],
		      "after freeing everything %lu free blocks of order %u, at boot %lu",
		      counts[k], k, boot_counts[k]);
}

static void random_ops(size_t nops)
{
	uint64_t bias = 50; /* percent of operations that allocate */
	for (size_t n = 0; n < nops; n++) {
		if (n % 200 == 0)
			bias = 15 + host_below(75);
		if (!nlive || host_below(100) < bias)
			do_alloc(random_order());
		else
			do_free(host_below(nlive));
		check_all();
	}
}

/* exhaust: allocate blocks of order k until none is left; returns how many. */
static size_t exhaust(unsigned k)
{
	size_t n = 0;
	while (do_alloc(k))
		if (++n % CHECK_EVERY == 0)
			check_all();
	check_all();
	CHECK(!do_alloc(k), "a second alloc(%u) after exhaustion succeeded", k);
	return n;
}

int host_test(const char *mode, unsigned long seed)
{
	if (host_streq(mode, "buddy"))
		fa = &buddy_allocator, is_buddy = true;
	else if (host_streq(mode, "stack"))
		fa = &stack_allocator;
	else
		return -1;
	setup();
	for (int round = 0; round < 3; round++) {
		random_ops(1500);
		free_all();
	}
	size_t n = exhaust(0);
	CHECK(n == run_frames, "order-0 allocations until exhaustion: %lu, free frames %lu", n,
	      run_frames);
	free_all();
	if (is_buddy) {
		n = exhaust(FRAME_MAX_ORDER);
		CHECK(n == boot_counts[FRAME_MAX_ORDER],
		      "order-%d blocks: %lu allocated, %lu at boot", FRAME_MAX_ORDER, n,
		      boot_counts[FRAME_MAX_ORDER]);
		free_all();
		CHECK(stats.splits && stats.merges, "coverage: %lu splits, %lu merges",
		      stats.splits, stats.merges);
	} else {
		exhaust(0); /* then free all in random order: do_alloc checks LIFO */
		for (size_t k = 0; k < frame_count && nlive; k++)
			do_free(host_below(nlive));
		check_all();
		while (npushed)
			CHECK(do_alloc(0), "LIFO refill");
		free_all();
	}
	CHECK(stats.nulls, "coverage: no allocation failed");
	kprintf("PASS %s seed=%lu base_pfn=0x%lx frames=%lu runs=%lu free=%lu allocs=%lu nulls=%lu "
		"splits=%lu frees=%lu merges=%lu checks=%lu\n",
		mode, seed, frame_base_pfn, frame_count, nruns, run_frames, stats.allocs,
		stats.nulls, stats.splits, stats.frees, stats.merges, stats.checks);
	return 0;
}

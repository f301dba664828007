/*
 * kmalloc.c: the kernel heap (lab 2), contract in kmalloc.h. Size classes
 * of 16 .. 2048 bytes, powers of two; each class keeps a list of its slabs
 * that have a free object. A slab is one frame (flags FRAME_SLAB) carved
 * into objects; its free objects form a list through their first word, and
 * a freed object carries KMALLOC_FREE_MAGIC in its second word so kfree
 * can catch a double free cheaply. A slab whose last object is freed goes
 * back to the frame allocator. Bigger requests get a block of frames
 * (flags FRAME_KMALLOC_LARGE).
 * Entry points: kmalloc, kfree, kmalloc_class_size.
 */
#include "kernel.h"
#include "mm.h"
#include "kmalloc.h"

#define NCLASSES	   8 /* 16, 32, ..., 2048 */
#define KMALLOC_FREE_MAGIC 0xf4eef4eef4eef4eeUL

size_t kmalloc_class_size(unsigned i)
{
	return i < NCLASSES ? (size_t)KMALLOC_MIN << i : 0;
}

/* A free object: the next free object of its slab, and the free marker. */
struct free_obj {
	struct free_obj *next;
	uint64_t magic;
};

static struct list_node partial[NCLASSES]; /* per class: slabs with a free object */

/* size_class: the smallest class that holds size bytes (size <= KMALLOC_MAX). */
static unsigned size_class(size_t size)
{
	unsigned i = 0;
	while (kmalloc_class_size(i) < size)
		i++;
	return i;
}

/* slab_new: a fresh slab of class i, all objects free, on the class's partial list. */
static struct frame *slab_new(unsigned i)
{
	char *page = frame_alloc(0);
	if (!page)
		return NULL;
	struct frame *f = pa_to_frame(kva_to_pa(page));
	size_t size = kmalloc_class_size(i);
	f->flags = FRAME_SLAB;
	f->kmalloc_class = (uint8_t)i;
	f->inuse = 0;
	f->slab_free = NULL;
	for (size_t off = PAGE_SIZE; off >= size; off -= size) {
		struct free_obj *o = (struct free_obj *)(page + off - size);
		o->next = f->slab_free;
		o->magic = KMALLOC_FREE_MAGIC;
		f->slab_free = o;
	}
	if (!partial[i].next)
		list_init(&partial[i]);
	list_add(&partial[i], &f->link);
	return f;
}

/* kmalloc_large: a whole block of frames for a request above KMALLOC_MAX. */
static void *kmalloc_large(size_t size)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		if (++order > FRAME_MAX_ORDER)
			return NULL;
	void *p = frame_alloc(order);
	if (p)
		pa_to_frame(kva_to_pa(p))->flags = FRAME_KMALLOC_LARGE;
	return p;
}

/* on_free_list: whether o is on slab f's free list (only asked when o carries the magic). */
static bool on_free_list(const struct frame *f, const struct free_obj *o)
{
	for (const struct free_obj *p = f->slab_free; p; p = p->next)
		if (p == o)
			return true;
	return false;
}

void *kmalloc(size_t size)
{
	if (size == 0)
		return NULL;
	if (size > KMALLOC_MAX)
		return kmalloc_large(size);
	unsigned i = size_class(size);
	struct frame *f = partial[i].next && !list_empty(&partial[i])
			      ? container_of(partial[i].next, struct frame, link)
			      : slab_new(i);
	if (!f)
		return NULL;
	struct free_obj *o = f->slab_free;
	f->slab_free = o->next;
	f->inuse++;
	if (!f->slab_free)
		list_del(&f->link); /* full: off the partial list */
	o->magic = 0;
	return o;
}

void kfree(void *p)
{
	uintptr_t caller = (uintptr_t)__builtin_return_address(0);
	if (!p)
		return;
	paddr_t pa = kva_to_pa(p);
	struct frame *f = pa_to_frame(ROUNDDOWN(pa, PAGE_SIZE));
	if (f && (f->flags & FRAME_KMALLOC_LARGE)) {
		if (pa & (PAGE_SIZE - 1)) {
			mm_misuse("kfree", "not the start of an object", pa, caller);
		} else if (f->state != FRAME_ALLOCATED) {
			mm_misuse("kfree", "double free", pa, caller);
		} else {
			frame_free(
			    p); /* FRAME_KMALLOC_LARGE stays: a second kfree is a double free */
		}
		return;
	}
	if (!f || f->state != FRAME_ALLOCATED || !(f->flags & FRAME_SLAB)) {
		mm_misuse("kfree", "not a kmalloc pointer", pa, caller);
		return;
	}
	unsigned i = f->kmalloc_class;
	struct free_obj *o = p;
	if ((pa & (PAGE_SIZE - 1)) % kmalloc_class_size(i)) {
		mm_misuse("kfree", "not the start of an object", pa, caller);
		return;
	}
	if (o->magic == KMALLOC_FREE_MAGIC && on_free_list(f, o)) {
		mm_misuse("kfree", "double free", pa, caller);
		return;
	}
	if (!f->slab_free)
		list_add(&partial[i], &f->link); /* was full */
	o->next = f->slab_free;
	o->magic = KMALLOC_FREE_MAGIC;
	f->slab_free = o;
	if (--f->inuse == 0) { /* empty: back to the frame allocator */
		list_del(&f->link);
		f->flags = 0;
		frame_free(pa_to_kva(ROUNDDOWN(pa, PAGE_SIZE)));
	}
}

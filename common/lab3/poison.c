/*
 * poison.c: kit.poison=1 (mm.h) for kmalloc's objects, from lab 3 on: the
 * link wraps every call of kmalloc from another file (ld --wrap=kmalloc,
 * common/lab3/rules.mk) so that, with poisoning on, each object comes back
 * filled with MM_POISON_ALLOC bytes, whatever the slab held before. A thread
 * control block or any other object read before it is written then reads
 * the poison every time, not whatever an earlier object left there. Calls
 * inside kmalloc.c itself are not wrapped. Provided code (not a hole).
 * Entry point: __wrap_kmalloc (what callers of kmalloc reach).
 */
#include "kernel.h"
#include "string.h"
#include "kmalloc.h"
#include "mm.h"

void *__real_kmalloc(size_t size);
void *__wrap_kmalloc(size_t size);

/* __wrap_kmalloc: kmalloc(size), the object filled with MM_POISON_ALLOC under kit.poison=1. */
void *__wrap_kmalloc(size_t size)
{
	void *p = __real_kmalloc(size);

	if (p && mm_poison)
		memset(p, MM_POISON_ALLOC, size);
	return p;
}

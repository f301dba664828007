/*
 * kmalloc.h: the kernel heap (lab 2). Small objects come from slabs of
 * power-of-two size classes KMALLOC_MIN..KMALLOC_MAX bytes, one frame per
 * slab (Bonwick, "The Slab Allocator", USENIX Summer 1994, simplified: no
 * constructors, no colouring); larger objects get whole frame blocks.
 * Locking: none (one CPU, not from interrupt handlers).
 */
#pragma once

#include "types.h"

#define KMALLOC_MIN 16	 /* bytes: the smallest size class */
#define KMALLOC_MAX 2048 /* bytes: the largest size class; bigger requests get frames */

/*
 * kmalloc: size bytes, aligned to min(size class, 16) bytes (a large
 * object: to a page). Returns NULL for size 0 or when memory is exhausted.
 */
void *kmalloc(size_t size);

/*
 * kfree: give back an object kmalloc returned; kfree(NULL) does nothing.
 * Misuse is reported through mm_misuse as "kfree: <error> 0x<addr> (called
 * from ...)", <error> one of "not a kmalloc pointer", "not the start of an
 * object", "double free", and changes nothing.
 */
void kfree(void *p);

/* kmalloc_class_size: the size in bytes of size class i, or 0 past the last class. */
size_t kmalloc_class_size(unsigned i);

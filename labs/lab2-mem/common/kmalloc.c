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

void *kmalloc(size_t size)
{
	// TODO(lab2): return size bytes from the slab of the smallest size
	// class that fits (kmalloc_class_size), making a new slab from one
	// frame when the class has none with a free object; above KMALLOC_MAX,
	// a whole block of frames. NULL for size 0 or when memory runs out.
	// Hint: struct frame has fields for slabs (flags FRAME_SLAB,
	// kmalloc_class, inuse, slab_free); keep free objects in a list
	// threaded through the objects themselves.
	(void)size;
	return NULL;
}

void kfree(void *p)
{
	// TODO(lab2): give object p back to its slab (find the slab's frame
	// from p's physical address); a slab whose objects are all free goes
	// back with frame_free. Report misuse with mm_misuse("kfree", ...):
	// "not a kmalloc pointer", "not the start of an object", "double free".
	// Hint: __builtin_return_address(0) is the caller mm_misuse wants.
	(void)p;
}

// @file lab4
/*
 * untyped.c: lab 4 part B, retype (cap.h, untyped_retype): objects are
 * carved out of an untyped capability's memory, in naturally aligned
 * blocks from its free offset (seL4's freeIndex), and each becomes a
 * capability that is the untyped's child, so revoking the untyped finds
 * them all.
 */
#include "kernel.h"
#include "string.h"
#include "cap.h"

int untyped_retype(struct cte *ut, unsigned type, unsigned size_bits, struct cte **dests,
		   unsigned count)
{
	// @lab4 solution
	if (ut->cap.type != KIT_CAP_UNTYPED)
		return -EINVAL;
	int bits = obj_size_bits(type, size_bits);
	if (bits < 0 || (unsigned)bits > ut->cap.size_bits)
		return -EINVAL;
	size_t size = 1UL << bits, total = 1UL << ut->cap.size_bits;
	size_t start = ROUNDUP(ut->cap.free_offset, size);
	if (start > total || count > (total - start) >> bits)
		return -ENOMEM;
	for (unsigned i = 0; i < count; i++) {
		char *kva = (char *)ut->cap.obj + start + (size_t)i * size;
		memset(kva, 0, size);
		obj_init(kva, type, size_bits);
		struct cap c = {.type = type, .rights = KIT_RIGHTS_ALL, .obj = kva};
		if (type == KIT_CAP_CNODE || type == KIT_CAP_UNTYPED)
			c.size_bits = size_bits;
		cap_insert(dests[i], &c, ut);
	}
	ut->cap.free_offset = start + (size_t)count * size;
	return 0;
	// @lab4 stub
	// TODO(lab4): part B. check ut and the size (obj_size_bits), check that count aligned
	// blocks fit after the free offset (-ENOMEM, before making anything), then zero,
	// obj_init and cap_insert each one as ut's child and advance the free offset.
	(void)ut, (void)type, (void)size_bits, (void)dests, (void)count;
	return -ENOSYS;
	// @lab4 end
}

/*
 * frames.c: part B's frames: a page retyped from untyped, mapped into an
 * address space by its capability (each capability maps it once; a copy
 * starts unmapped), shared by mapping two capabilities to it, here and in
 * a child task (frameshare, SYS_TASK_SPAWN); deleting a capability unmaps
 * its mapping. Checks "frame-*" in suite "frame".
 */
#include "user.h"
#include "check.h"

#define VA(i) (0x30000000UL + (unsigned long)(i)*0x1000UL)

static struct kit_cap_info info(unsigned long slot)
{
	struct kit_cap_info i;

	if (sys_cap_identify(slot, &i) != 0)
		i.type = 99;
	return i;
}

int main(void)
{
	static const char child[] = "frameshare";
	volatile unsigned long *a = (void *)VA(0), *b = (void *)VA(1);

	check_suite = "frame";
	check_eq("frame-retype", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_FRAME, 0, 8, 2), 0);
	check_eq("frame-identify", info(8).type, KIT_CAP_FRAME);
	check_eq("frame-map", sys_frame_map(8, VA(0), KIT_RIGHTS_ALL), 0);
	check_eq("frame-zeroed", a[0], 0);
	a[0] = 0x1234;
	check_eq("frame-copy", sys_cap_copy(10, 8, KIT_RIGHTS_ALL), 0);
	check_eq("frame-copy-map", sys_frame_map(10, VA(1), KIT_RIGHTS_ALL), 0);
	check_eq("frame-shared", b[0], 0x1234);
	b[1] = 77;
	check_eq("frame-shared-back", a[1], 77);
	check_eq("frame-map-twice", sys_frame_map(8, VA(2), KIT_RIGHTS_ALL), -EBUSY);
	check_eq("frame-map-mapped-va", sys_frame_map(9, VA(0), KIT_RIGHTS_ALL), -EEXIST);
	check_eq("frame-map-text", sys_frame_map(9, 0x400000, KIT_RIGHTS_ALL), -EEXIST);
	check_eq("frame-map-unaligned", sys_frame_map(9, VA(2) + 8, KIT_RIGHTS_ALL), -EINVAL);
	check_eq("frame-map-kernel", sys_frame_map(9, -4096UL, KIT_RIGHTS_ALL), -EINVAL);
	check_eq("frame-map-null", sys_frame_map(9, 0, KIT_RIGHTS_ALL), -EINVAL);
	check_eq("frame-map-not-frame", sys_frame_map(KIT_SLOT_UNTYPED, VA(2), 0), -EINVAL);
	check_eq("frame-unmap", sys_frame_unmap(10), 0);
	check_eq("frame-unmap-again", sys_frame_unmap(10), -ENOENT);
	check_eq("frame-remap-va", sys_frame_map(9, VA(1), KIT_RIGHTS_ALL), 0);
	check_eq("frame-other-frame", b[0], 0);
	check_eq("frame-copy-of-mapped", sys_cap_copy(11, 8, KIT_RIGHTS_ALL), 0);
	check_eq("frame-copy-unmapped", sys_frame_map(11, VA(3), KIT_RIGHT_READ), 0);
	check_eq("frame-delete", sys_cap_delete(11), 0);
	check_eq("frame-delete-unmaps", sys_frame_map(10, VA(3), KIT_RIGHTS_ALL), 0);
	check_eq("frame-spawn", sys_task_spawn(child, sizeof(child) - 1, 8, 0), 0);
	for (int i = 0; i < 1000 && a[2] == 0; i++)
		sys_yield();
	check_eq("frame-child-saw", a[2], 0x5678);
	return check_done();
}

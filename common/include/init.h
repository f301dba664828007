/*
 * init.h: boot-time initialization hooks. A subsystem registers its init
 * function with KERNEL_INIT(level, fn); kmain calls them all after the
 * banner, in ascending level order (lk's LK_INIT_HOOK idea), so a lab adds
 * its subsystem without editing kmain.
 * Levels: INIT_FRAMES (frame allocator), INIT_KMALLOC, INIT_VM (kernel
 * address space), INIT_SCHED (threads), INIT_LATE.
 */
#pragma once

#include "types.h"

#define INIT_FRAMES  20
#define INIT_KMALLOC 30
#define INIT_VM	     40
#define INIT_SCHED   50
#define INIT_LATE    90

struct kernel_init {
	const char *name;
	int (*fn)(void); /* 0, or a negative -E* code that kmain reports and boots on */
	int level;	 /* INIT_*, 0 or more: lower levels run first */
};

/* KERNEL_INIT(level, fn): run fn at boot in level order (section kinit, which the linker bounds
 * with __start_kinit and __stop_kinit; kernel_init_run orders it). */
#define KERNEL_INIT(level, fn)                                                                     \
	static const struct kernel_init kinit_##fn                                                 \
	    __attribute__((used, section("kinit"), aligned(8))) = {#fn, fn, level}

/* kernel_init_run: run every registered hook, in ascending level and, within a level, in link
 * order (kmain calls it once). */
void kernel_init_run(void);

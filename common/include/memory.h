/*
 * memory.h: physical memory as found at boot.
 */
#pragma once

#include "types.h"

#define MEM_MAX_REGIONS 16

/*
 * memory_report: detect RAM with arch_mem_detect and print one line
 *     "memory: <total> KiB usable in <n> region(s), top <end address as %p>"
 * (plus one line per region when verbose), or
 *     "memory: unknown (<error name>)"
 * Returns 0 or the detection's negative error code.
 */
int memory_report(bool verbose);

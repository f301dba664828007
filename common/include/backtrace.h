/*
 * backtrace.h: frame-pointer stack walks (lab 1).
 */
#pragma once

#include "types.h"

/*
 * backtrace_print: print the call chain starting at frame pointer fp, one
 * line per frame, innermost first:
 *     "  #<depth> <return address as %p> <function>+0x<offset in hex>"
 * naming each return address with ksyms_lookup_ra, and "<unknown>+0x0" for
 * one it cannot name. The walk stops at a
 * zero, misaligned frame pointer, or one outside both the kernel image
 * (the boot stack lives in .bss) and the current kernel stack (trap.h), or after 64 frames.
 * Returns the number of frames printed, or -ENOSYS in the starter.
 */
int backtrace_print(uintptr_t fp);

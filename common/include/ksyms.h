/*
 * ksyms.h: the kernel's own symbol table, embedded in the image by a
 * two-pass link (tools/mksyms turns pass 1's `nm -n` into pass 2's table).
 */
#pragma once

#include "types.h"

/*
 * ksyms_lookup: the function containing address addr.
 * Returns its name and sets *offset (bytes from the function's start), or
 * returns NULL when addr is outside the kernel's text or the table is empty.
 */
const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset);

/*
 * ksyms_lookup_ra: the function a call that returns to return address ra was
 * made from: the function containing ra - 1 (a call that is the last
 * instruction of a function returns to the start of the next one). Returns
 * its name and sets *offset to ra's distance from the function's start (so
 * name+offset reads as ra), or returns NULL like ksyms_lookup.
 */
const char *ksyms_lookup_ra(uintptr_t ra, uintptr_t *offset);

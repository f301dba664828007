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

/*
 * ksyms.c: address-to-name lookup in the embedded symbol table.
 *
 * The table is made by a two-pass link: pass 1 links with an empty table;
 * tools/mksyms reads pass 1's function symbols (nm -n) and emits the table
 * that pass 2 links, in its own section after .data so that no text address
 * moves between the passes.
 */
#include "ksyms.h"

/* The table (tools/mksyms): ksyms_count entries sorted by address; names are offsets into ksyms_names. */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_off[];
extern const char ksyms_names[];

extern char _start[], _etext[];

const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset)
{
	if (ksyms_count == 0 || addr < (uintptr_t)_start || addr >= (uintptr_t)_etext)
		return NULL;
	/* Binary search for the last symbol at or below addr. */
	uint64_t lo = 0, hi = ksyms_count;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_addrs[lo] > addr)
		return NULL;
	*offset = addr - ksyms_addrs[lo];
	return &ksyms_names[ksyms_name_off[lo]];
}

const char *ksyms_lookup_ra(uintptr_t ra, uintptr_t *offset)
{
	const char *name = ksyms_lookup(ra - 1, offset);
	if (name)
		*offset += 1;
	return name;
}

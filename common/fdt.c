/*
 * fdt.c: a minimal read-only flattened-device-tree reader.
 * Source: Devicetree Specification v0.4, chapter 5 (header 5.2, structure
 * block tokens 5.4). Used for /chosen bootargs here and by lab 1's
 * arch_mem_detect for /memory.
 */
#include "fdt.h"
#include "errno.h"
#include "string.h"

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP	       4
#define FDT_END	       9

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
	    last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

int fdt_check(const void *fdt)
{
	const struct fdt_header *h = fdt;
	if (!fdt || fdt32(&h->magic) != FDT_MAGIC || fdt32(&h->last_comp_version) > 17)
		return -EINVAL;
	return 0;
}

/* Does node name ("name" or "name@unit") match path component comp (n bytes)? */
static bool name_matches(const char *name, const char *comp, size_t n)
{
	if (strncmp(name, comp, n) != 0)
		return false;
	return name[n] == 0 || (name[n] == '@' && !memchr(comp, '@', n));
}

/* The n-th component of path (0-based): its start, its length in *len; NULL past the end. */
static const char *path_component(const char *path, int n, size_t *len)
{
	const char *c = path;
	for (int i = 0; i <= n; i++) {
		while (*c == '/')
			c++;
		if (!*c)
			return NULL;
		const char *e = strchr(c, '/');
		*len = e ? (size_t)(e - c) : strlen(c);
		if (i == n)
			return c;
		c += *len;
	}
	return NULL;
}

const void *fdt_getprop(const void *fdt, const char *path, const char *prop, uint32_t *len)
{
	if (fdt_check(fdt) < 0)
		return NULL;
	const struct fdt_header *h = fdt;
	const uint8_t *tok = (const uint8_t *)fdt + fdt32(&h->off_dt_struct);
	const char *strings = (const char *)fdt + fdt32(&h->off_dt_strings);
	int ncomp = 0, depth = 0, matched = 0;
	size_t n;
	while (path_component(path, ncomp, &n))
		ncomp++;
	for (;;) {
		uint32_t t = fdt32(tok);
		tok += 4;
		if (t == FDT_BEGIN_NODE) {
			const char *name = (const char *)tok;
			tok += ROUNDUP(strlen(name) + 1, 4);
			depth++;
			const char *comp = depth >= 2 ? path_component(path, depth - 2, &n) : NULL;
			if (matched == depth - 1 &&
			    (depth == 1 || (comp && name_matches(name, comp, n))))
				matched = depth;
		} else if (t == FDT_END_NODE) {
			if (matched == depth)
				matched--;
			depth--;
		} else if (t == FDT_PROP) {
			uint32_t plen = fdt32(tok), nameoff = fdt32(tok + 4);
			const void *val = tok + 8;
			tok += 8 + ROUNDUP(plen, 4);
			if (matched == depth && depth == ncomp + 1 &&
			    strcmp(strings + nameoff, prop) == 0) {
				*len = plen;
				return val;
			}
		} else if (t != FDT_NOP) {
			return NULL; /* FDT_END or a malformed token */
		}
	}
}

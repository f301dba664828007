/*
 * fdt.h: read-only access to a flattened device tree (the Devicetree
 * Specification v0.4, chapter 5: header, structure block, strings block).
 * All multi-byte values in a device tree are big-endian.
 */
#pragma once

#include "types.h"

/* fdt_check: 0 when fdt points at a valid version-17 device tree, else -EINVAL. */
int fdt_check(const void *fdt);

/*
 * fdt_getprop: find property prop of the node at path (e.g. "/chosen",
 * "/memory"); a path component matches a node name with or without its
 * "@unit-address". Returns a pointer to the property's value and sets *len
 * (bytes), or returns NULL when the node or property is absent.
 */
const void *fdt_getprop(const void *fdt, const char *path, const char *prop, uint32_t *len);

/* fdt32: a big-endian 32-bit cell at p, as a host integer. */
static inline uint32_t fdt32(const void *p)
{
	const uint8_t *b = p;
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

// @file lab4
/*
 * cnode.c: lab 4 part B, the cspace operations (cap.h): slot lookup, and
 * copy, mint, move, delete and revoke over the derivation tree. Each
 * capability derived from another (copy, mint, retype) is a child of it;
 * the children of one parent form a doubly linked sibling list.
 * Entry points: cap_lookup, cap_insert, cap_copy, cap_move, cap_delete,
 * cap_revoke.
 */
#include "kernel.h"
#include "cap.h"

struct cte *cap_lookup(struct cnode *cs, unsigned long slot)
{
	// @lab4 solution
	if (unlikely(!cs || slot >> cs->size_bits))
		return NULL;
	return &cs->slots[slot];
	// @lab4 stub
	// TODO(lab4): part B. the slot at index slot, NULL when slot is out of range.
	// Hint: slot comes straight from a user register: any value.
	(void)cs, (void)slot;
	return NULL;
	// @lab4 end
}

// @lab4 solution
/* link_child: make c the first child of parent (NULL: no parent). */
static void link_child(struct cte *c, struct cte *parent)
{
	c->parent = parent;
	c->prev_sibling = NULL;
	c->next_sibling = parent ? parent->first_child : NULL;
	if (c->next_sibling)
		c->next_sibling->prev_sibling = c;
	if (parent)
		parent->first_child = c;
}

/* unlink: take c out of its parent's child list (its own children stay). */
static void unlink(struct cte *c)
{
	if (c->prev_sibling)
		c->prev_sibling->next_sibling = c->next_sibling;
	else if (c->parent)
		c->parent->first_child = c->next_sibling;
	if (c->next_sibling)
		c->next_sibling->prev_sibling = c->prev_sibling;
	c->parent = c->prev_sibling = c->next_sibling = NULL;
}
// @lab4 end

void cap_insert(struct cte *dest, const struct cap *cap, struct cte *parent)
{
	// @lab4 solution
	dest->cap = *cap;
	dest->first_child = NULL;
	link_child(dest, parent);
	obj_ref(cap);
	// @lab4 stub
	// TODO(lab4): part B. fill dest, link it as a child of parent, reference the object.
	(void)dest, (void)cap, (void)parent;
	// @lab4 end
}

int cap_copy(struct cte *dest, struct cte *src, unsigned rights, uint64_t badge)
{
	// @lab4 solution
	struct cap c = src->cap;

	if (c.type == KIT_CAP_NULL)
		return -ENOENT;
	if (dest->cap.type != KIT_CAP_NULL)
		return -EEXIST;
	if (c.type == KIT_CAP_UNTYPED)
		return -EINVAL;
	if (badge) {
		if (c.type != KIT_CAP_ENDPOINT && c.type != KIT_CAP_NOTIFICATION)
			return -EINVAL;
		if (c.badge)
			return -EPERM;
		c.badge = badge;
	}
	c.rights &= rights;
	if (c.type == KIT_CAP_FRAME) /* a copy starts unmapped */
		c.map_va = 0, c.map_pt = NULL;
	cap_insert(dest, &c, src);
	return 0;
	// @lab4 stub
	// TODO(lab4): part B. validate (cap.h lists the errors), then insert a copy with
	// fewer rights (and a badge; a frame's copy unmapped) as a child of src.
	(void)dest, (void)src, (void)rights, (void)badge;
	return -ENOSYS;
	// @lab4 end
}

int cap_move(struct cte *dest, struct cte *src)
{
	// @lab4 solution
	if (src->cap.type == KIT_CAP_NULL)
		return -ENOENT;
	if (dest->cap.type != KIT_CAP_NULL)
		return -EEXIST;
	*dest = *src;
	if (dest->prev_sibling)
		dest->prev_sibling->next_sibling = dest;
	else if (dest->parent)
		dest->parent->first_child = dest;
	if (dest->next_sibling)
		dest->next_sibling->prev_sibling = dest;
	for (struct cte *ch = dest->first_child; ch; ch = ch->next_sibling)
		ch->parent = dest;
	*src = (struct cte){0};
	return 0;
	// @lab4 stub
	// TODO(lab4): part B. move the slot's contents; whatever pointed at src (its parent,
	// siblings, children) must point at dest.
	(void)dest, (void)src;
	return -ENOSYS;
	// @lab4 end
}

int cap_delete(struct cte *c)
{
	// @lab4 solution
	if (c->cap.type == KIT_CAP_NULL)
		return -ENOENT;
	struct cte *parent = c->parent;
	while (c->first_child) {
		struct cte *ch = c->first_child;
		unlink(ch);
		link_child(ch, parent);
	}
	unlink(c);
	struct cap old = c->cap;
	*c = (struct cte){0};
	obj_unref(&old); /* last: finalizing a cnode deletes again */
	return 0;
	// @lab4 stub
	// TODO(lab4): part B. hand c's children to its parent, unlink c, empty it, then
	// drop the reference to its object (obj_unref, last: it may delete more).
	(void)c;
	return -ENOSYS;
	// @lab4 end
}

int cap_revoke(struct cte *c)
{
	// @lab4 solution
	if (c->cap.type == KIT_CAP_NULL)
		return -ENOENT;
	while (c->first_child) {
		struct cte *d = c->first_child;
		while (d->first_child) /* the deepest first: a leaf has no children to hand on */
			d = d->first_child;
		cap_delete(d);
	}
	if (c->cap.type == KIT_CAP_UNTYPED)
		c->cap.free_offset = 0;
	return 0;
	// @lab4 stub
	// TODO(lab4): part B. delete every descendant of c (leaves first is simplest), then an
	// untyped's memory is free again.
	(void)c;
	return -ENOSYS;
	// @lab4 end
}

/*
 * list.h: intrusive circular doubly-linked lists (the Linux / lk shape).
 * A struct list_node embedded in an object links it; a list is a struct
 * list_node head whose next/prev point at itself when empty. No locking:
 * the owner of the list serializes access.
 */
#pragma once

#include "types.h"

struct list_node {
	struct list_node *prev, *next;
};

/* container_of: the object of type `type` whose member `member` is at ptr. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define LIST_INIT(name)                                                                            \
	{                                                                                          \
		&(name), &(name)                                                                   \
	}

static inline void list_init(struct list_node *head)
{
	head->prev = head->next = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

/* list_add: insert n right after head (at the front). */
static inline void list_add(struct list_node *head, struct list_node *n)
{
	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
}

/* list_add_tail: insert n right before head (at the back). */
static inline void list_add_tail(struct list_node *head, struct list_node *n)
{
	list_add(head->prev, n);
}

/* list_del: unlink n from its list; n's links are cleared. */
static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = NULL;
}

/* list_first: the first node of the list, or NULL when empty. */
static inline struct list_node *list_first(const struct list_node *head)
{
	return list_empty(head) ? NULL : head->next;
}

/* list_for_each(pos, head): iterate pos over the nodes; do not unlink pos inside the loop. */
#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

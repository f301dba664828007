/*
 * vspace.c: user address spaces (task.h): a page table per task whose
 * lower half is the task's and whose upper half shares the kernel's
 * tables, and the user-memory helpers copy_from_user / copy_to_user.
 * Entry points: vspace_create, vspace_map_new, vspace_destroy,
 * copy_from_user, copy_to_user, and the frame system calls (a frame
 * capability mapped into the caller's address space; its deletion unmaps
 * it, obj_unref).
 */
#include "kernel.h"
#include "arch.h"
#include "mm.h"
#include "pt.h"
#include "string.h"
#include "cap.h"
#include "syscall.h"
#include "task.h"

#define USER_ROOT_ENTRIES (PT_ENTRIES / 2) /* the lower half's root entries */

int vspace_create(struct pagetable *pt)
{
	int err = pt_create(pt);
	if (err)
		return err;
	for (size_t i = USER_ROOT_ENTRIES; i < PT_ENTRIES; i++)
		pt->root[i] = kernel_pt.root[i];
	return 0;
}

int vspace_map_new(struct pagetable *pt, uintptr_t va, size_t npages, unsigned perm, size_t offset,
		   const void *src, size_t len)
{
	if (va % PAGE_SIZE || !user_range_ok(va, npages * PAGE_SIZE) ||
	    offset + len > npages * PAGE_SIZE || ((perm & VM_WRITE) && (perm & VM_EXEC)))
		return -EINVAL;
	for (size_t i = 0; i < npages; i++) {
		char *frame = frame_alloc(0);
		if (!frame)
			return -ENOMEM;
		memset(frame, 0, PAGE_SIZE);
		size_t lo = i * PAGE_SIZE, hi = lo + PAGE_SIZE; /* this page's part of the copy */
		size_t from = offset > lo ? offset : lo, to = offset + len < hi ? offset + len : hi;
		if (from < to)
			memcpy(frame + (from - lo), (const char *)src + (from - offset), to - from);
		int err = pt_map(pt, va + lo, kva_to_pa(frame), PAGE_SIZE, perm | VM_USER);
		if (err) {
			frame_free(frame);
			return err;
		}
	}
	return 0;
}

/* free_user: free the frames of every leaf under table (at level) and below. */
static void free_user(pte_t *table, int level, size_t first, size_t end)
{
	for (size_t i = first; i < end; i++) {
		pte_t pte = table[i];
		if (!arch_pte_present(pte))
			continue;
		if (arch_pte_is_leaf(pte, level))
			frame_free(pa_to_kva(arch_pte_pa(pte)));
		else
			free_user(pa_to_kva(arch_pte_pa(pte)), level - 1, 0, PT_ENTRIES);
	}
}

void vspace_destroy(struct pagetable *pt)
{
	if (!pt->root)
		return;
	free_user(pt->root, PT_LEVELS - 1, 0, USER_ROOT_ENTRIES);
	for (size_t i = USER_ROOT_ENTRIES; i < PT_ENTRIES; i++)
		pt->root[i] = 0; /* the kernel's tables are not pt's to free */
	pt_destroy(pt);
	pt->root = NULL;
}

int copy_from_user(void *dst, uintptr_t usrc, size_t n)
{
	if (unlikely(!user_range_ok(usrc, n)))
		return -EFAULT;
	return arch_copy_user(dst, (const void *)usrc, n);
}

int copy_to_user(uintptr_t udst, const void *src, size_t n)
{
	if (unlikely(!user_range_ok(udst, n)))
		return -EFAULT;
	return arch_copy_user((void *)udst, src, n);
}

/* frame_cap: the frame capability in the caller's slot, or NULL. */
static struct cte *frame_cap(unsigned long slot)
{
	struct cte *c = cap_resolve(task_current()->cspace, slot);
	return c && c->cap.type == KIT_CAP_FRAME ? c : NULL;
}

long sys_frame_map(const struct syscall_args *a)
{
	struct cte *c = frame_cap(a->arg[0]);
	struct pagetable *pt = &task_current()->pt;
	uintptr_t va = a->arg[1];
	paddr_t pa;

	if (!c || va % PAGE_SIZE || !va || !user_range_ok(va, PAGE_SIZE))
		return -EINVAL;
	if (c->cap.map_pt)
		return -EBUSY;
	if (pt_translate(pt, va, &pa, NULL, NULL) == 0)
		return -EEXIST;
	bool write = (a->arg[2] & KIT_RIGHT_WRITE) && (c->cap.rights & KIT_RIGHT_WRITE);
	int err = pt_map(pt, va, kva_to_pa(c->cap.obj), PAGE_SIZE,
			 VM_READ | VM_USER | (write ? VM_WRITE : 0));
	if (err)
		return err;
	c->cap.map_va = va;
	c->cap.map_pt = pt;
	return 0;
}

long sys_frame_unmap(const struct syscall_args *a)
{
	struct cte *c = frame_cap(a->arg[0]);

	if (!c)
		return -EINVAL;
	if (!c->cap.map_pt)
		return -ENOENT;
	pt_unmap(c->cap.map_pt, c->cap.map_va, PAGE_SIZE);
	c->cap.map_va = 0;
	c->cap.map_pt = NULL;
	return 0;
}

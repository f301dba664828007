/*
 * elf.c: the ELF loader for boot modules (task.h, elf_load): ELF64
 * executables for this arch, PT_LOAD segments only (System V gABI, "Program
 * Header"; the user programs user/user.ld links: text R+X, rodata R, data
 * R+W, page aligned, static), and lab 5's images from a task's memory
 * (SYS_TASK_CREATE): untrusted, so every field is checked against the
 * image's size and user space before it is used.
 */
#include "kernel.h"
#include "arch.h"
#include "mm.h"
#include "task.h"
#include "kit/abi.h"
#include "kit/elf.h"

/* ehdr_ok: whether the header is an ELF64 executable for this arch with program headers inside
 * the image. */
static bool ehdr_ok(const struct elf64_ehdr *e, size_t size)
{
	return size >= sizeof(*e) && e->ident[0] == 0x7f && e->ident[1] == 'E' &&
	       e->ident[2] == 'L' && e->ident[3] == 'F' && e->ident[4] == ELFCLASS64 &&
	       e->type == ET_EXEC && e->machine == ARCH_ELF_MACHINE &&
	       e->phentsize == sizeof(struct elf64_phdr) && e->phoff % 8 == 0 && e->phoff <= size &&
	       (size - e->phoff) / sizeof(struct elf64_phdr) >= e->phnum;
}

#define ELF_MAX_PHDRS 64 /* program headers an image may have (the kit's have 3) */

/* seg_overlaps: whether the pages of segment ph meet [lo, hi). */
static bool seg_overlaps(const struct elf64_phdr *ph, uintptr_t lo, uintptr_t hi)
{
	uintptr_t a = ROUNDDOWN(ph->vaddr, PAGE_SIZE),
		  b = ROUNDUP(ph->vaddr + ph->memsz, PAGE_SIZE);
	return a < hi && lo < b;
}

/* seg_clash: whether loadable segment ph[i] meets an earlier loadable one, the stack or the
 * root thread's IPC buffer (checked before anything is mapped: pt_map takes a mapping over
 * another for a kernel bug). ph[i] lies in user space. */
static bool seg_clash(const struct elf64_phdr *ph, int i)
{
	if (seg_overlaps(&ph[i], USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, USER_STACK_TOP) ||
	    seg_overlaps(&ph[i], KIT_IPC_BUFFER_ROOT, KIT_IPC_BUFFER_ROOT + PAGE_SIZE))
		return true;
	for (int j = 0; j < i; j++)
		if (ph[j].type == PT_LOAD && ph[j].memsz &&
		    seg_overlaps(&ph[i], ROUNDDOWN(ph[j].vaddr, PAGE_SIZE),
				 ROUNDUP(ph[j].vaddr + ph[j].memsz, PAGE_SIZE)))
			return true;
	return false;
}

/* load_segment: map one PT_LOAD segment. */
static int load_segment(struct pagetable *pt, const unsigned char *image, size_t size,
			const struct elf64_phdr *ph)
{
	unsigned perm = (ph->flags & PF_R ? VM_READ : 0) | (ph->flags & PF_W ? VM_WRITE : 0) |
			(ph->flags & PF_X ? VM_EXEC : 0);
	uintptr_t va = ROUNDDOWN(ph->vaddr, PAGE_SIZE);
	if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset ||
	    !user_range_ok(ph->vaddr, ph->memsz) || (perm & VM_WRITE && perm & VM_EXEC) ||
	    !(perm & VM_READ))
		return -EINVAL;
	size_t npages = (ROUNDUP(ph->vaddr + ph->memsz, PAGE_SIZE) - va) / PAGE_SIZE;
	return vspace_map_new(pt, va, npages, perm, ph->vaddr - va, image + ph->offset, ph->filesz);
}

int elf_load(struct pagetable *pt, const void *image, size_t size, uintptr_t *entry)
{
	const struct elf64_ehdr *e = image;
	if (!ehdr_ok(e, size) || !user_range_ok(e->entry, 1) || e->phnum > ELF_MAX_PHDRS)
		return -EINVAL;
	const struct elf64_phdr *ph = (const void *)((const char *)image + e->phoff);
	int loaded = 0;
	for (int i = 0; i < e->phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		int err = user_range_ok(ph[i].vaddr, ph[i].memsz) && seg_clash(ph, i)
			      ? -EINVAL
			      : load_segment(pt, image, size, &ph[i]);
		if (err)
			return err;
		loaded++;
	}
	*entry = e->entry;
	return loaded ? 0 : -EINVAL;
}

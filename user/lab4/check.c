/*
 * check.c: the test programs' check lines (check.h).
 */
#include "check.h"

const char *check_suite = "?";
static int passed, total;

/* show: a result as an error name when it is a known one, else a number, into buf. */
static const char *show(long v, char *buf, size_t size)
{
	if (v < 0 && v > -4096 && strcmp(errstr(v), "E?") != 0)
		snprintf(buf, size, "-%s", errstr(v));
	else
		snprintf(buf, size, "%ld", v);
	return buf;
}

int check_eq(const char *check, long got, long want)
{
	char g[24], w[24];

	total++;
	if (got == want) {
		passed++;
		printf("utest %s %s: ok\n", check_suite, check);
		return 1;
	}
	printf("utest %s %s: FAIL got %s want %s\n", check_suite, check, show(got, g, sizeof(g)),
	       show(want, w, sizeof(w)));
	return 0;
}

int check_done(void)
{
	printf("utest %s done: %d/%d\n", check_suite, passed, total);
	return passed == total ? 0 : 1;
}

void check_elf_image(void *img, size_t size, unsigned phnum, unsigned long va, size_t entry_off)
{
	struct elf64_ehdr *e = img;
	struct elf64_phdr *p = (struct elf64_phdr *)(e + 1);

	memset(img, 0, size);
	memcpy(e->ident,
	       "\x7f"
	       "ELF\x02\x01\x01",
	       7); /* ELF64, little-endian, version 1 */
	e->type = ET_EXEC;
	e->machine = EM_THIS;
	e->version = 1;
	e->entry = va + entry_off;
	e->phoff = sizeof(*e);
	e->ehsize = sizeof(*e);
	e->phentsize = sizeof(*p);
	e->phnum = phnum;
	p->type = PT_LOAD;
	p->flags = PF_R | PF_X;
	p->vaddr = va;
	p->filesz = p->memsz = size;
	p->align = 4096;
}

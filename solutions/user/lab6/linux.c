// @file lab6
/*
 * linux.c: lab 6's launcher and ELF loader. The launcher runs a static
 * Linux executable from lab 5's shell and serves it and every process it
 * forks (linuxd.c) until all have ended, then exits with the first one's
 * status. Lab 5's shell passes a program only a number, never a word, so
 * the program is named by the launcher's own name: the disk holds this
 * launcher as /bin/NAME and the Linux executable as /linux/NAME (make
 * disk), and `NAME [N]` in the shell runs /linux/NAME with argv {NAME}
 * (or {NAME, "N"} when N is not 0) and an empty environment, in the
 * working directory "/"; run as `linux` it says so and lists /linux.
 *
 * The loader (lx_image_*, lx_task_make, for the launcher, execve and
 * fork) keeps ELF images read through fsd in a small cache (a static
 * ET_EXEC for this arch, System V gABI "Program Header"), builds the
 * initial stack Linux's ELF loader builds (fs/binfmt_elf.c
 * create_elf_tables; System V psABI "Process Initialization": argc,
 * argv[], NULL, envp[], NULL, auxv pairs, AT_NULL, then the strings and
 * AT_RANDOM's 16 bytes above), and makes the task with SYS_TASK_CREATE:
 * linux_ep and the fault endpoint both the process's badged endpoint, the
 * stack image, a heap window, its end signalling bit i of linuxd's event
 * notification.
 */
#include "linuxd.h"
#include "linux_nr.h"
#include "kit/abi.h"
#include "kit/elf.h"
#include "kit/fsclient.h"
#include "kit/ns.h"
#include "kit/syscall.h"

#define HEAP_PAGES 512 /* a process's brk + mmap window: 2 MiB */
#define LX_IMG_MAX 3   /* ELF images kept at once (a process and what it execs, one more) */

/* Auxiliary vector types (include/uapi/linux/auxvec.h). */
#define AT_NULL	  0
#define AT_PHDR	  3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_UID	  11
#define AT_EUID	  12
#define AT_GID	  13
#define AT_EGID	  14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* An image in the cache: the file's bytes, which file (its path and fsd's handle, which
 * changes when the file is replaced; a file rewritten in place with the same size is not
 * noticed), how many processes run it. */
static struct image {
	char path[FS_PATH_MAX];
	fs_handle_t h;
	unsigned long size; /* bytes; 0: the entry is empty */
	unsigned users;
	char bytes[KIT_TASK_ELF_MAX];
} images[LX_IMG_MAX];
static unsigned long stack[KIT_LINUX_STACK_MAX / sizeof(unsigned long)];

/* elf_ok: e (size bytes) is an ELF64 executable for this arch whose program headers lie in it. */
static bool elf_ok(const struct elf64_ehdr *e, unsigned long size)
{
	return size >= sizeof(*e) && !memcmp(e->ident, "\177ELF", 4) && e->ident[4] == ELFCLASS64 &&
	       e->type == ET_EXEC && e->machine == EM_THIS && e->phoff <= size &&
	       e->phnum <= (size - e->phoff) / sizeof(struct elf64_phdr);
}

long lx_image_read(const char *path)
{
	struct fs_stat st;
	fs_handle_t h;
	int spare = -1;
	long r = fs_open(path, &h, &st);

	if (r < 0)
		return r;
	if (st.type != FS_T_FILE)
		return -LX_EACCES; /* execve(2): a directory, a device */
	for (int i = 0; i < LX_IMG_MAX; i++) {
		if (images[i].size && images[i].h == h && images[i].size == st.size &&
		    !strcmp(images[i].path, path))
			return i;
		if (!images[i].users && (spare < 0 || !images[i].size))
			spare = i;
	}
	if (spare < 0)
		return -LX_ENOMEM;
	struct image *im = &images[spare];
	im->size = 0;
	if (st.size > sizeof(im->bytes))
		return -LX_ENOEXEC; /* larger than any image SYS_TASK_CREATE takes */
	if ((r = fs_read(h, 0, im->bytes, st.size)) < 0)
		return r;
	if (!elf_ok((const struct elf64_ehdr *)im->bytes, (unsigned long)r))
		return -LX_ENOEXEC;
	memcpy(im->path, path, strlen(path) + 1);
	im->h = h;
	im->size = (unsigned long)r;
	return spare;
}

void lx_image_get(int i)
{
	images[i].users++;
}

void lx_image_put(int i)
{
	images[i].users--;
}

bool lx_image_writable(int i, int n, unsigned long *va, unsigned long *len)
{
	const struct elf64_ehdr *e = (const struct elf64_ehdr *)images[i].bytes;
	const struct elf64_phdr *ph = (const struct elf64_phdr *)(images[i].bytes + e->phoff);

	for (int k = 0; k < e->phnum; k++)
		if (ph[k].type == PT_LOAD && (ph[k].flags & PF_W) && n-- == 0) {
			*va = ph[k].vaddr;
			*len = ph[k].memsz;
			return true;
		}
	return false;
}

/* phdr_addr: where e's program headers are in the program's memory (AT_PHDR): inside the
 * PT_LOAD segment whose file bytes hold them; 0 when none does. */
static unsigned long phdr_addr(const struct elf64_ehdr *e)
{
	const struct elf64_phdr *ph = (const struct elf64_phdr *)((const char *)e + e->phoff);

	for (int i = 0; i < e->phnum; i++)
		if (ph[i].type == PT_LOAD && e->phoff >= ph[i].offset &&
		    e->phoff + e->phnum * sizeof(*ph) <= ph[i].offset + ph[i].filesz)
			return ph[i].vaddr + (e->phoff - ph[i].offset);
	return 0;
}

/* push_strings: the n strings s[] copied below *top in stack[] (bytes), their addresses in the
 * program (stack[0] at base) into v[]; false when they do not fit. */
static bool push_strings(unsigned long *top, unsigned long base, int n, const char *const *s,
			 unsigned long *v)
{
	for (int i = n - 1; i >= 0; i--) {
		unsigned long len = strlen(s[i]) + 1;
		if (len > *top)
			return false;
		*top -= len;
		memcpy((char *)stack + *top, s[i], len);
		v[i] = base + *top;
	}
	return true;
}

/*
 * build_stack: the initial stack for argv (argc strings) and envp (envc) in stack[], as it
 * will lie ending at KIT_LINUX_STACK_TOP; its size in bytes (a multiple of 16), or 0 when it
 * does not fit. Layout, from the top down: the strings, AT_RANDOM's 16 bytes, padding to 16,
 * then from sp: argc, argv[0..argc-1], NULL, envp[0..envc-1], NULL, auxv (type, value)
 * pairs, AT_NULL.
 */
static unsigned long build_stack(const struct elf64_ehdr *e, int argc, const char *const *argv,
				 int envc, const char *const *envp)
{
	// @lab6 solution
	static unsigned long v[KIT_LINUX_STACK_MAX / sizeof(unsigned long)];
	char *bytes = (char *)stack;
	unsigned long top = sizeof(stack), n = 0, *str = v + 1;
	const unsigned long base = KIT_LINUX_STACK_TOP - sizeof(stack); /* stack[0]'s address */
	const unsigned long nv = sizeof(v) / sizeof(v[0]);

	if ((unsigned long)argc + envc + 3 > nv ||
	    !push_strings(&top, base, envc, envp, str + argc + 1) ||
	    !push_strings(&top, base, argc, argv, str) || top < 32)
		return 0;
	top = (top - 16) & ~15UL;
	for (int i = 0; i < 16; i++)
		bytes[top + i] = (char)(kit_cycles() * 2654435761u >> (i % 4 * 8));
	unsigned long random = base + top;
	v[n++] = (unsigned long)argc;
	n += argc;
	v[n++] = 0; /* argv's end */
	n += envc;
	v[n++] = 0; /* envp's end */
	const unsigned long aux[][2] = {
	    {AT_PHDR, phdr_addr(e)},
	    {AT_PHENT, sizeof(struct elf64_phdr)},
	    {AT_PHNUM, e->phnum},
	    {AT_PAGESZ, LX_PAGESZ},
	    {AT_ENTRY, e->entry},
	    {AT_UID, 0},
	    {AT_EUID, 0},
	    {AT_GID, 0},
	    {AT_EGID, 0},
	    {AT_HWCAP, 0},
	    {AT_CLKTCK, 100},
	    {AT_SECURE, 0},
	    {AT_RANDOM, random},
	    {AT_EXECFN, argc ? v[1] : 0},
	    {AT_NULL, 0},
	};
	if (n + 2 * sizeof(aux) / sizeof(aux[0]) + 1 > nv)
		return 0;
	for (size_t i = 0; i < sizeof(aux) / sizeof(aux[0]); i++)
		v[n++] = aux[i][0], v[n++] = aux[i][1];
	if (n % 2) /* sp 16-byte aligned at argc */
		v[n++] = 0;
	if (n * sizeof(long) > top)
		return 0;
	top -= n * sizeof(long);
	memcpy(bytes + top, v, n * sizeof(long));
	for (unsigned long i = 0; i < sizeof(stack) - top; i++) /* the image from stack[0] */
		bytes[i] = bytes[top + i];
	return sizeof(stack) - top;
	// @lab6 stub
	// TODO(lab6): exercise 2. The initial stack image in stack[] (it will end at
	// KIT_LINUX_STACK_TOP, so stack[0] lies at KIT_LINUX_STACK_TOP - sizeof(stack)): at the top
	// the envp and argv strings (push_strings), AT_RANDOM's 16 bytes, padding to 16; below them,
	// from sp up: argc, argv[0..argc-1], NULL, envp[0..envc-1], NULL, the auxv (type, value)
	// pairs of the handout's list, AT_NULL, 0, with sp 16-byte aligned. Move the image down to
	// stack[0] and return its size in bytes; 0 when it does not fit.
	// Hint: build the words below the strings in a scratch array first, then copy them under
	// the strings; AT_PHDR is phdr_addr(e), AT_EXECFN argv[0]'s address, AT_PAGESZ LX_PAGESZ.
	(void)e, (void)argc, (void)argv, (void)envc, (void)envp, (void)phdr_addr,
	    (void)push_strings;
	printf("linux: build_stack: TODO(lab6) exercise 2\n");
	return 0;
	// @lab6 end
}

long lx_task_make(struct lx_proc *p, unsigned long slot, int argc, const char *const *argv,
		  int envc, const char *const *envp, unsigned long regs_task)
{
	const struct image *im = &images[p->image];
	struct kit_task_spec s = {0};
	unsigned long i = (unsigned long)(p - lx_procs);

	if (!regs_task && !(s.stack_size = build_stack((const struct elf64_ehdr *)im->bytes, argc,
						       argv, envc, envp)))
		return -LX_E2BIG;
	s.elf = (unsigned long)im->bytes;
	s.elf_size = im->size;
	memcpy(s.name, p->name, sizeof(s.name) - 1);
	s.fault_ep = LX_SLOT_PEP + i;
	s.linux_ep = LX_SLOT_PEP + i;
	s.exit_ntfn = LX_SLOT_EVENTS;
	s.exit_badge = 1UL << i;
	s.stack = regs_task ? 0 : (unsigned long)stack;
	s.heap_pages = (p->heap_end - KIT_LINUX_HEAP_BASE) / LX_PAGESZ;
	s.regs_task = regs_task;
	return sys_task_create(&s, slot);
}

/* usage: run as itself (`linux`): how to run a Linux program, and the ones on the disk. */
static int usage(void)
{
	struct fs_entry e;
	fs_handle_t h;
	unsigned long cookie = 0;

	printf("usage: NAME [N] runs the Linux program /linux/NAME (lab 5's shell passes no\n"
	       "words, so make disk puts this launcher on the disk as /bin/NAME); programs:");
	if (fs_open("/linux", &h, NULL) == 0)
		while (fs_readdir(h, &cookie, &e) == 1)
			if (e.name[0] != '.')
				printf(" %s", e.name);
	printf("\n");
	return 2;
}

/* start: the first process: the image at path as task name with argv; 0 or -E*. */
static long start(const char *path, const char *name, int argc, const char *const *argv)
{
	struct lx_proc *p = lx_proc_first();
	long r = lx_image_read(path);

	if (!p)
		return -LX_ENOMEM;
	if (r < 0)
		return r;
	p->image = (int)r;
	memcpy(p->name, name, strlen(name) < sizeof(p->name) ? strlen(name) : sizeof(p->name) - 1);
	p->cwd[0] = '/';
	p->brk = KIT_LINUX_HEAP_BASE;
	p->heap_end = p->mmap_low = KIT_LINUX_HEAP_BASE + HEAP_PAGES * LX_PAGESZ;
	if ((r = lx_task_make(p, p->task, argc, argv, 0, NULL, 0)) < 0)
		return r;
	lx_image_get(p->image);
	lx_proc_run(p);
	return lx_fd_init(p);
}

int main(void)
{
	struct kit_task_info self;
	char path[FS_PATH_MAX], num[24];
	const char *argv[2];

	ns_console_attach();
	sys_task_info(&self, sizeof(self));
	argv[0] = self.name;
	snprintf(num, sizeof(num), "%lu", kit_start_arg);
	argv[1] = num;
	snprintf(path, sizeof(path), "/linux/%s", self.name);
	long r = fs_init(LX_SLOT_FS);
	if (r >= 0 && strcmp(self.name, "linux") == 0)
		return usage();
	if (r < 0) {
		printf("linux: %s: %s\n", path, errstr((int)r));
		return 127;
	}
	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, LX_SLOT_EP, 1) < 0 ||
	    sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, LX_SLOT_EVENTS, 1) < 0 ||
	    sys_tcb_bind(KIT_SLOT_TCB, LX_SLOT_EVENTS) < 0) {
		printf("linux: no endpoint\n");
		return 127;
	}
	for (unsigned long i = 0; i < LX_PROC_MAX; i++)
		if (sys_cap_mint(LX_SLOT_PEP + i, LX_SLOT_EP, KIT_RIGHT_WRITE, i + 1) < 0) {
			printf("linux: no endpoint\n");
			return 127;
		}
	r = start(path, self.name, kit_start_arg ? 2 : 1, argv);
	if (r < 0) {
		printf("linux: %s: %s\n", path, errstr((int)r));
		return r == -ENOENT ? 127 : 126;
	}
	return (int)linuxd_serve();
}

/*
 * linux.c: lab 6's launcher: runs a static Linux executable from lab 5's
 * shell and serves it (linuxd.c) until it ends, then exits with its status.
 * Lab 5's shell passes a program only a number, never a word, so the
 * program is named by the launcher's own name: the disk holds this
 * launcher as /bin/NAME and the Linux executable as /linux/NAME (make
 * disk), and `NAME [N]` in the shell runs /linux/NAME with argv {NAME}
 * (or {NAME, "N"} when N is not 0); run as `linux` it says so and lists /linux.
 *
 * It reads the ELF image (a static ET_EXEC for this arch, System V gABI
 * "Program Header"), builds the initial stack Linux's ELF loader builds
 * (fs/binfmt_elf.c create_elf_tables; System V psABI "Process
 * Initialization": argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL,
 * then the strings and AT_RANDOM's 16 bytes above), and makes the task with
 * SYS_TASK_CREATE: linux_ep and the fault endpoint both its endpoint, the
 * stack image, a heap window, its end signalling a notification bound to
 * this thread.
 */
#include "linuxd.h"
#include "kit/abi.h"
#include "kit/elf.h"
#include "kit/fsclient.h"
#include "kit/ns.h"
#include "kit/syscall.h"

#define EP	   8   /* the endpoint the program's calls and faults arrive on */
#define EXIT_NTFN  9   /* signalled when it ends, bound to this thread */
#define TASK	   10  /* its task capability */
#define FS_EP	   11  /* fsd's endpoint (fs_init) */
#define HEAP_PAGES 512 /* its brk + mmap window: 2 MiB */
#define LX_PAGESZ  4096

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

static char elf[KIT_TASK_ELF_MAX];
static unsigned long stack[KIT_LINUX_STACK_MAX / sizeof(unsigned long)];

/* phdr_addr: where the program headers are in the program's memory (AT_PHDR): inside the
 * PT_LOAD segment whose file bytes hold them; 0 when none does. */
static unsigned long phdr_addr(const struct elf64_ehdr *e, unsigned long size)
{
	const struct elf64_phdr *ph = (const struct elf64_phdr *)(elf + e->phoff);

	if (e->phoff > size || e->phnum > (size - e->phoff) / sizeof(*ph))
		return 0;
	for (int i = 0; i < e->phnum; i++)
		if (ph[i].type == PT_LOAD && e->phoff >= ph[i].offset &&
		    e->phoff + e->phnum * sizeof(*ph) <= ph[i].offset + ph[i].filesz)
			return ph[i].vaddr + (e->phoff - ph[i].offset);
	return 0;
}

/*
 * build_stack: the initial stack for argv (argc strings) in stack[], as it will lie ending at
 * KIT_LINUX_STACK_TOP; its size in bytes (a multiple of 16), or 0 when it does not fit.
 * Layout, from the top down: the strings, AT_RANDOM's 16 bytes, padding to 16, then from sp:
 * argc, argv[0..argc-1], NULL, (no environment) NULL, auxv (type, value) pairs, AT_NULL.
 */
static unsigned long build_stack(const struct elf64_ehdr *e, unsigned long size, int argc,
				 const char *const *argv)
{
	char *bytes = (char *)stack;
	unsigned long top = sizeof(stack), str[4];
	const unsigned long base = KIT_LINUX_STACK_TOP - sizeof(stack); /* stack[0]'s address */

	for (int i = argc - 1; i >= 0; i--) {
		unsigned long n = strlen(argv[i]) + 1;
		top -= n;
		memcpy(bytes + top, argv[i], n);
		str[i] = base + top;
	}
	top = (top - 16) & ~15UL;
	for (int i = 0; i < 16; i++)
		bytes[top + i] = (char)(kit_cycles() * 2654435761u >> (i % 4 * 8));
	unsigned long random = base + top;
	unsigned long v[64], n = 0;
	v[n++] = (unsigned long)argc;
	for (int i = 0; i < argc; i++)
		v[n++] = str[i];
	v[n++] = 0; /* argv's end */
	v[n++] = 0; /* an empty environment */
	const unsigned long aux[][2] = {
	    {AT_PHDR, phdr_addr(e, size)},
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
	    {AT_EXECFN, str[0]},
	    {AT_NULL, 0},
	};
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
}

/* start: the Linux program in elf[0..size) as task name with argv; 0 or -E*. */
static long start(struct lx_proc *p, const char *name, unsigned long size, int argc,
		  const char *const *argv)
{
	const struct elf64_ehdr *e = (const struct elf64_ehdr *)elf;
	struct kit_task_spec s = {0};
	struct kit_task_status st;

	if (size < sizeof(*e) || !(s.stack_size = build_stack(e, size, argc, argv)))
		return -ENOEXEC;
	s.elf = (unsigned long)elf;
	s.elf_size = size;
	memcpy(s.name, name, strlen(name) < sizeof(s.name) ? strlen(name) : sizeof(s.name) - 1);
	s.fault_ep = EP;
	s.linux_ep = EP;
	s.exit_ntfn = EXIT_NTFN;
	s.stack = (unsigned long)stack;
	s.heap_pages = HEAP_PAGES;
	long r = sys_task_create(&s, TASK);
	if (r < 0)
		return r;
	p->used = true;
	p->task = TASK;
	p->cwd[0] = '/';
	if ((r = lx_fd_init(p)) < 0)
		return r;
	sys_task_status(TASK, &st);
	p->pid = st.tid;
	p->brk = KIT_LINUX_HEAP_BASE;
	p->heap_end = p->mmap_low = KIT_LINUX_HEAP_BASE + HEAP_PAGES * LX_PAGESZ;
	return 0;
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

int main(void)
{
	struct kit_task_info self;
	struct lx_proc p = {0};
	char path[FS_PATH_MAX], num[24];
	const char *argv[2];

	ns_console_attach();
	sys_task_info(&self, sizeof(self));
	argv[0] = self.name;
	snprintf(num, sizeof(num), "%lu", kit_start_arg);
	argv[1] = num;
	snprintf(path, sizeof(path), "/linux/%s", self.name);
	long r = fs_init(FS_EP);
	if (r >= 0 && strcmp(self.name, "linux") == 0)
		return usage();
	if (r >= 0)
		r = fs_read_file(path, elf, sizeof(elf));
	if (r < 0) {
		printf("linux: %s: %s\n", path, errstr((int)r));
		return 127;
	}
	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1) < 0 ||
	    sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, EXIT_NTFN, 1) < 0 ||
	    sys_tcb_bind(KIT_SLOT_TCB, EXIT_NTFN) < 0) {
		printf("linux: no endpoint\n");
		return 127;
	}
	r = start(&p, self.name, (unsigned long)r, kit_start_arg ? 2 : 1, argv);
	if (r < 0) {
		printf("linux: %s: %s\n", path, errstr((int)r));
		return 126;
	}
	return (int)linuxd_serve(&p, EP);
}

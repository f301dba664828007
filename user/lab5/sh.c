/*
 * sh.c: lab 5's shell: a prompt ("$ "), a line from the console server
 * (cons_readline), builtins (echo, ps, kill NAME, echostat, exit; ls, cat, mkdir, rm
 * and `echo ... > FILE` over the file-system client library: sh_fs.c),
 * and any other word runs a program and waits for it: /bin/NAME from the
 * file system (read into the shell's memory, started by init from there:
 * NS_SPAWN with an image), else the boot module NAME (NS_SPAWN). Its end
 * signals the shell's notification, and the task capability init copied to
 * the shell says how it ended (SYS_TASK_STATUS): "sh: NAME exited with 3",
 * "sh: NAME killed (fault)". A second word is the program's argument (a
 * number: kit_start_arg).
 */
#include "user.h"
#include "kit/ns.h"

#define CHILD_NTFN 8 /* signalled when the program the shell runs ends */
#define CHILD	   9 /* that program's task capability */
#define MAXARGS	   8

static int split(char *s, char **argv)
{
	int argc = 0;

	while (*s && argc < MAXARGS) {
		while (*s == ' ')
			*s++ = 0;
		if (!*s)
			break;
		argv[argc++] = s;
		while (*s && *s != ' ')
			s++;
	}
	return argc;
}

/* sh_fs_builtin: run argv when it is a file-system builtin (ls, cat, mkdir, rm, echo with a
 * redirection); whether it was. This weak one, linked when the runtime has no file-system
 * client library (user/lab5/sh_fs.c has the real ones), says so. */
__attribute__((weak)) bool sh_fs_builtin(int argc, char **argv)
{
	bool redirect =
	    argc > 2 && strcmp(argv[0], "echo") == 0 && strcmp(argv[argc - 2], ">") == 0;

	if (!redirect && strcmp(argv[0], "ls") != 0 && strcmp(argv[0], "cat") != 0 &&
	    strcmp(argv[0], "mkdir") != 0 && strcmp(argv[0], "rm") != 0)
		return false;
	printf("sh: %s: no file system in this shell\n", argv[0]);
	return true;
}

/* sh_fs_load: /bin/name read into memory (*elf, *size bytes); 0 or -E* (weak: -ENOENT). */
__attribute__((weak)) long sh_fs_load(const char *name, const void **elf, unsigned long *size)
{
	(void)name, (void)elf, (void)size;
	return -ENOENT;
}

static void echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", i > 1 ? " " : "", argv[i]);
	printf("\n");
}

static void ps(void)
{
	static const char *const state[] = {"free", "running", "ended"};
	struct ns_ps e;

	printf("ID NAME             TID STATE    RESTARTS\n");
	for (unsigned long i = 0; ns_ps(i, &e) == 0; i++)
		if (e.state != NS_PS_FREE)
			printf("%2lu %-16s %3lu %-8s %lu%s\n", e.id, e.name, e.tid,
			       state[e.state % 3], e.restarts, e.server ? "" : " (program)");
}

/* echostat: consd's keystroke-to-echo instructions since the last echostat (CONS_ECHO_STATS). */
static void echostat(void)
{
	struct kit_msg m = {.info = KIT_MSGINFO(CONS_ECHO_STATS, 0, 0)};
	long r = ns_call_retry("consd", NS_SLOT_CONS, &m);

	if (r < 0)
		printf("sh: echostat: %s\n", errstr((int)r));
	else
		printf(
		    "echostat: %lu keys, instructions from interrupt to echo: min %lu median %lu "
		    "max %lu\n",
		    m.mr[0], m.mr[1], m.mr[2], m.mr[3]);
}

/* run: boot module name as a program; wait for it, say how it ended unless with 0. */
static void run(const char *name, unsigned long arg)
{
	struct kit_task_status st;
	unsigned long word;

	const void *elf;
	unsigned long size;
	long r;

	sys_cap_delete(CHILD);
	if (sh_fs_load(name, &elf, &size) == 0)
		r = ns_spawn_image(name, arg, CHILD, CHILD_NTFN, elf, size);
	else
		r = ns_spawn_task(name, arg, CHILD, CHILD_NTFN);
	if (r < 0) {
		printf("sh: %s: %s\n", name, r == -ENOENT ? "not found" : errstr((int)r));
		return;
	}
	while (sys_task_status(CHILD, &st) == -EBUSY)
		sys_wait(CHILD_NTFN, &word);
	sys_cap_delete(CHILD);
	if (st.state == KIT_TASK_EXITED && st.code != 0)
		printf("sh: %s exited with %ld\n", name, st.code);
	else if (st.state == KIT_TASK_FAULTED)
		printf("sh: %s killed (fault)\n", name);
	else if (st.state == KIT_TASK_KILLED)
		printf("sh: %s killed\n", name);
}

int main(void)
{
	char line[CONS_LINE_MAX + 1], *argv[MAXARGS];

	ns_console_attach();
	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, CHILD_NTFN, 1) < 0)
		printf("sh: no notification\n");
	for (;;) {
		printf("$ ");
		long n = cons_readline(line, sizeof(line));
		if (n < 0) {
			printf("sh: read: %s\n", errstr((int)n));
			return 1;
		}
		int argc = split(line, argv);
		if (argc == 0)
			continue;
		if (sh_fs_builtin(argc, argv))
			continue;
		if (strcmp(argv[0], "echo") == 0)
			echo(argc, argv);
		else if (strcmp(argv[0], "ps") == 0)
			ps();
		else if (strcmp(argv[0], "kill") == 0 && argc == 2) {
			long r = ns_kill(argv[1]);
			if (r < 0)
				printf("sh: kill %s: %s\n", argv[1], errstr((int)r));
		} else if (strcmp(argv[0], "echostat") == 0)
			echostat();
		else if (strcmp(argv[0], "exit") == 0)
			return 0;
		else
			run(argv[0], argc > 1 ? strtoul(argv[1], NULL, 0) : 0);
	}
}

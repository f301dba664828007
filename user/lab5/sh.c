/*
 * sh.c: lab 5's shell: a prompt ("$ "), a line from the console server
 * (cons_readline), builtins (echo, ps, kill NAME, exit), and any other
 * word runs the boot module of that name through init (NS_SPAWN) and
 * waits for it: its end signals the shell's notification, and the task
 * capability init copied to the shell says how it ended
 * (SYS_TASK_STATUS): "sh: NAME exited with 3", "sh: NAME killed (fault)".
 * `echo ... > FILE`, ls, cat, mkdir and rm need the file-system client
 * library (kit/fsclient.h), which this shell does not use yet: they say so.
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

static void echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], ">") == 0) {
			printf("sh: echo: > needs the file system (not in this shell yet)\n");
			return;
		}
		printf("%s%s", i > 1 ? " " : "", argv[i]);
	}
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

/* run: boot module name as a program; wait for it, say how it ended unless with 0. */
static void run(const char *name, unsigned long arg)
{
	struct kit_task_status st;
	unsigned long word;

	sys_cap_delete(CHILD);
	long r = ns_spawn_task(name, arg, CHILD, CHILD_NTFN);
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
		if (strcmp(argv[0], "echo") == 0)
			echo(argc, argv);
		else if (strcmp(argv[0], "ps") == 0)
			ps();
		else if (strcmp(argv[0], "kill") == 0 && argc == 2) {
			long r = ns_kill(argv[1]);
			if (r < 0)
				printf("sh: kill %s: %s\n", argv[1], errstr((int)r));
		} else if (strcmp(argv[0], "exit") == 0)
			return 0;
		else if (strcmp(argv[0], "ls") == 0 || strcmp(argv[0], "cat") == 0 ||
			 strcmp(argv[0], "mkdir") == 0 || strcmp(argv[0], "rm") == 0)
			printf("sh: %s needs the file system (not in this shell yet)\n", argv[0]);
		else
			run(argv[0], argc > 1 ? strtoul(argv[1], NULL, 0) : 0);
	}
}

/*
 * lxpipeline.c: a shell's pipeline by hand: a forked child puts a pipe's write end on its
 * standard output (dup2) and execs linux/lxargs; the parent reads what it prints until end of
 * file (the exec'd program's exit closes the last write end), waits for it, and shows each
 * line behind "| ".
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char buf[4096], *line, *next;
	long n, got = 0;
	int fds[2], st;

	if (pipe(fds) < 0)
		return 1;
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		char *argv[] = {"linux/lxargs", "piped", NULL}, *envp[] = {"LXPIPE=1", NULL};
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execve("linux/lxargs", argv, envp);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	waitpid(child, &st, 0);
	printf("lxpipeline: read %ld bytes; the child exited with %d\n", got, WEXITSTATUS(st));
	for (line = buf; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		printf("| %.*s", (int)(next - line), line);
	}
	return 0;
}

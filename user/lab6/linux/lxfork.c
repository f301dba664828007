/*
 * lxfork.c: fork and wait4 (static glibc): a child that exits 3, one that faults (SIGSEGV in
 * its wait status), one still running for WNOHANG, getppid in a child, the child's memory a
 * copy of the parent's, a bad status pointer (EFAULT, the child reaped all the same), and
 * ECHILD once none is left. Each parent waits before it prints, so
 * the output's order is the same under Linux and under the kit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int counter = 10;

static void report(const char *what, pid_t child, pid_t got, int st)
{
	printf("lxfork: %s: wait4 gave the child: %s; ", what, got == child ? "yes" : "no");
	if (WIFEXITED(st))
		printf("exited with %d\n", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("killed by signal %d (%s)\n", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		printf("status %#x\n", st);
}

int main(void)
{
	pid_t me = getpid(), child, got;
	char *heap = malloc(64);
	int st, fds[2];
	volatile int *volatile nowhere = (int *)16; /* no page there */

	strcpy(heap, "parent's heap");
	printf("lxfork: forking\n");
	fflush(stdout); /* stdout may be a pipe (fully buffered): nothing for the child to repeat */
	child = fork();
	if (child == 0) {
		counter++;
		strcpy(heap, "child's heap");
		printf("lxfork: child: getppid() is the parent: %s; getpid() is new: %s\n",
		       getppid() == me ? "yes" : "no", getpid() != me ? "yes" : "no");
		printf("lxfork: child: counter %d, heap \"%s\"\n", counter, heap);
		exit(3);
	}
	got = waitpid(child, &st, 0);
	report("first child", child, got, st);
	printf("lxfork: parent: counter %d, heap \"%s\"\n", counter, heap);

	child = fork();
	if (child == 0) {
		*nowhere = 1; /* SIGSEGV */
		_exit(0);
	}
	got = waitpid(-1, &st, 0);
	report("faulting child", child, got, st);

	if (pipe(fds) < 0)
		return 1;
	child = fork();
	if (child == 0) { /* waits for the parent to close its end, then exits 5 */
		char c;
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 5 : 6);
	}
	close(fds[0]);
	got = waitpid(child, &st, WNOHANG);
	printf("lxfork: WNOHANG while the child waits: %d\n", (int)got);
	close(fds[1]);
	got = wait(&st);
	report("third child", child, got, st);

	child = fork();
	if (child == 0)
		_exit(9);
	got = waitpid(child, (int *)nowhere, 0);
	printf("lxfork: wait4 with a bad status pointer: %d (%s)\n", (int)got, strerror(errno));
	got = waitpid(child, &st, WNOHANG);
	printf("lxfork: then that child is gone: %d (%s)\n", (int)got, strerror(errno));

	got = wait(&st);
	printf("lxfork: no child left: %d (%s)\n", (int)got, strerror(errno));
	return 0;
}

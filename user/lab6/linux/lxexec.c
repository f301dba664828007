/*
 * lxexec.c: execve of another test program, linux/lxargs (relative to the working directory:
 * "/" under the kit, a scratch directory holding linux/lxargs under Linux), with argv and an
 * environment of its own; lxargs prints them. First the errors that leave the caller running:
 * a missing file (ENOENT), a directory (EACCES), a bad pointer (EFAULT).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void try(const char *what, const char *path, char *const argv[], char *const envp[])
{
	int r = execve(path, argv, envp);
	printf("lxexec: %s: %d (%s)\n", what, r, strerror(errno));
}

int main(void)
{
	char *argv[] = {"linux/lxargs", "one", "two words", "", NULL};
	char *envp[] = {"LXEXEC=1", "GREETING=hello there", NULL};
	char *const *volatile bad = (char *const *)16; /* no page there */

	try("a missing file", "linux/lxnone", argv, envp);
	try("a directory", "linux", argv, envp);
	try("a bad argv", "linux/lxargs", bad, envp);
	printf("lxexec: exec linux/lxargs\n");
	fflush(stdout);
	execve("linux/lxargs", argv, envp);
	printf("lxexec: execve failed: %s\n", strerror(errno));
	return 1;
}

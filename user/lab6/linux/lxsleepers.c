/*
 * lxsleepers.c: sleeps in several processes at once: three children sleep 300, 100 and 200 ms
 * (the server's one timer must wake each at its own time) and print as they wake, while the
 * parent waits for them in order of their ends; then the order in which they woke.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	const int ms[3] = {300, 100, 200}; /* 100 ms apart: a loaded host keeps the order */
	pid_t child[3];
	int fds[2];

	if (pipe(fds) < 0)
		return 1;
	fflush(stdout);
	for (int i = 0; i < 3; i++)
		if ((child[i] = fork()) == 0) {
			struct timespec t = {0, ms[i] * 1000000L};
			char c = (char)('0' + i);
			nanosleep(&t, NULL);
			write(fds[1], &c, 1); /* the order of waking, through the pipe */
			_exit(i);
		}
	close(fds[1]);
	for (int k = 0; k < 3; k++) {
		int st;
		pid_t got = wait(&st);
		for (int i = 0; i < 3; i++)
			if (got == child[i])
				printf("lxsleepers: the child that slept %d ms ended (status %d)\n",
				       ms[i], WEXITSTATUS(st));
	}
	char order[4] = {0};
	read(fds[0], order, 3);
	printf("lxsleepers: woke in the order %s\n", order);
	return 0;
}

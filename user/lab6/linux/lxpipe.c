/*
 * lxpipe.c: a pipe between a parent and a forked child: the parent writes 100,000 bytes in
 * 3,000-byte writes (more than the pipe holds, so both sides wait in turn), the child reads
 * them in 1,000-byte reads, counts and checksums them until end of file (the parent closes
 * its end), and reports; then a write with no reader left is EPIPE (SIGPIPE ignored).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOTAL 100000

static unsigned char byte(long i)
{
	return (unsigned char)(i * 7 + i / 251);
}

/* reader: the child: read to end of file; exit 0 when every byte was as written. */
static int reader(int fd)
{
	unsigned char buf[1000];
	unsigned long sum = 0;
	long total = 0, bad = 0, n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (long i = 0; i < n; i++, total++) {
			bad += buf[i] != byte(total);
			sum = sum * 31 + buf[i];
		}
	printf("lxpipe: child read %ld bytes (%ld wrong), checksum %lx, then %s\n", total, bad, sum,
	       n == 0 ? "end of file" : strerror(errno));
	return bad || total != TOTAL;
}

int main(void)
{
	unsigned char buf[3000];
	int fds[2], st;
	long written = 0;

	if (pipe(fds) < 0)
		return 1;
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		close(fds[1]);
		return reader(fds[0]);
	}
	close(fds[0]);
	while (written < TOTAL) {
		long n = TOTAL - written < (long)sizeof(buf) ? TOTAL - written : (long)sizeof(buf);
		for (long i = 0; i < n; i++)
			buf[i] = byte(written + i);
		for (long done = 0, k; done < n; done += k)
			if ((k = write(fds[1], buf + done, n - done)) < 0)
				return 2;
		written += n;
	}
	close(fds[1]);
	waitpid(child, &st, 0);
	printf("lxpipe: parent wrote %ld bytes; child exited with %d\n", written, WEXITSTATUS(st));

	signal(SIGPIPE, SIG_IGN);
	if (pipe(fds) < 0)
		return 1;
	close(fds[0]);
	long r = write(fds[1], "x", 1);
	printf("lxpipe: write with no reader: %ld (%s)\n", r, strerror(errno));
	return 0;
}

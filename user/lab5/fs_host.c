/*
 * fs_host.c: lab 5's file-system core (fscore.h) on the host, over an image
 * file, for the kit's tests (tests/test_fs_host.py) and for trying the core
 * without QEMU. `make mkfs` builds it as build/host/fs-host.
 *
 *   fs-host [--crash-after N] IMAGE < COMMANDS
 *
 * It mounts IMAGE (replaying its log), then runs one command a line and
 * prints one line for each, the result first (>= 0, or -E* as a negative
 * number), after the operation is on disk:
 *   open PATH | create PATH     -> R HANDLE TYPE SIZE NLINK   (handles in hex)
 *   mkdir PATH | unlink PATH    -> R
 *   stat HANDLE                 -> R HANDLE TYPE SIZE NLINK
 *   read HANDLE OFF N           -> R HEX      (the bytes read, in hex)
 *   write HANDLE OFF HEX        -> R
 *   readdir HANDLE INDEX        -> R NAME INUM TYPE SIZE
 * At the end: "stats: R block reads, W block writes, H cache hits".
 * --crash-after N: a power cut after the device's Nth block write (the next
 * one is not done): it prints "crash" and exits with status 3, mid-operation.
 * Exit status 0; 1 bad usage or commands; 2 the core panicked (fs_panic).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "fscore.h"

static int fd = -1;
static long crash_after = -1; /* block writes before the power cut; -1: never */
static unsigned long dev_writes;

int dev_rw(uint32_t block, void *buf, int write)
{
	off_t off = (off_t)block * FS_BSIZE;

	if (write && crash_after >= 0 && (long)dev_writes >= crash_after) {
		printf("crash\n");
		fflush(stdout);
		_exit(3);
	}
	ssize_t n = write ? pwrite(fd, buf, FS_BSIZE, off) : pread(fd, buf, FS_BSIZE, off);
	if (n != FS_BSIZE)
		return -EIO;
	dev_writes += write;
	return 0;
}

void fs_panic(const char *why)
{
	printf("panic: %s\n", why);
	fflush(stdout);
	exit(2);
}

static void print_stat(long r, const struct fs_stat *st)
{
	if (r < 0)
		printf("%ld\n", r);
	else
		printf("%ld %lx %u %lu %u\n", r, st->handle, st->type, st->size, st->nlink);
}

/* unhex: the bytes of hex string s into buf (at most max); how many, or -1 when malformed. */
static long unhex(const char *s, uint8_t *buf, size_t max)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		buf[i] = (uint8_t)v;
	}
	return (long)(n / 2);
}

/* run: one command line; 0, or -1 when it is malformed. */
static int run(char *line)
{
	char op[16], arg[1201]; /* a path, or hex data: 2 * FS_IO_MAX digits */
	unsigned long h, off, n;
	static uint8_t buf[FS_IO_MAX];
	struct fs_stat st;
	struct fs_entry e;
	long r;

	if (sscanf(line, "%15s %1200s", op, arg) < 1)
		return 0; /* an empty line */
	if (!strcmp(op, "open") || !strcmp(op, "create")) {
		r = op[0] == 'o' ? fsop_open(arg, &st) : fsop_create(arg, &st);
		print_stat(r, &st);
	} else if (!strcmp(op, "mkdir")) {
		printf("%ld\n", fsop_mkdir(arg));
	} else if (!strcmp(op, "unlink")) {
		printf("%ld\n", fsop_unlink(arg));
	} else if (!strcmp(op, "stat") && sscanf(line, "%*s %lx", &h) == 1) {
		print_stat(fsop_stat(h, &st), &st);
	} else if (!strcmp(op, "read") && sscanf(line, "%*s %lx %lu %lu", &h, &off, &n) == 3) {
		r = fsop_read(h, off, buf, n);
		printf("%ld ", r);
		for (long i = 0; i < r; i++)
			printf("%02x", buf[i]);
		printf("\n");
	} else if (!strcmp(op, "write") && sscanf(line, "%*s %lx %lu %1200s", &h, &off, arg) == 3) {
		long len = unhex(arg, buf, sizeof(buf));
		if (len < 0)
			return -1;
		printf("%ld\n", fsop_write(h, off, buf, (unsigned long)len));
	} else if (!strcmp(op, "readdir") && sscanf(line, "%*s %lx %lu", &h, &off) == 2) {
		r = fsop_readdir(h, off, &e);
		if (r > 0)
			printf("%ld %s %u %u %lu\n", r, e.name, e.inum, e.type, e.size);
		else
			printf("%ld\n", r);
	} else {
		return -1;
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	char line[4096];
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "--crash-after")) {
		crash_after = atol(argv[2]);
		i = 3;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: fs-host [--crash-after N] IMAGE < COMMANDS\n");
		return 1;
	}
	if ((fd = open(argv[i], O_RDWR)) < 0) {
		perror(argv[i]);
		return 1;
	}
	if (fs_mount()) {
		fprintf(stderr, "fs-host: %s: not a file system of kit/fs.h\n", argv[i]);
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		if (run(line)) {
			fprintf(stderr, "fs-host: a bad command: %s", line);
			return 1;
		}
	}
	printf("stats: %lu block reads, %lu block writes, %lu cache hits\n", bcache_reads,
	       bcache_writes, bcache_hits);
	return 0;
}

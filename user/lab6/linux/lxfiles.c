/*
 * lxfiles.c: a Linux test program of file I/O (static glibc): create, write, read back,
 * lseek, O_APPEND, O_TRUNC, O_EXCL, fstat's size, dup and fcntl, readv and writev, stdio's
 * buffered fopen/fprintf/fgets, unlink, and the errors of each, printed by name. Everything
 * lives in lxfiles.d/ under the working directory, removed at the end: a second run prints
 * the same.
 */
#define _GNU_SOURCE /* dup3 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define D "lxfiles.d"

static void *volatile bad = (void *)8; /* an address no program maps */

/* ename: errno e's name. */
static const char *ename(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {{ENOENT, "ENOENT"},
		     {EBADF, "EBADF"},
		     {EEXIST, "EEXIST"},
		     {ENOTDIR, "ENOTDIR"},
		     {EISDIR, "EISDIR"},
		     {EINVAL, "EINVAL"},
		     {EFAULT, "EFAULT"},
		     {ESPIPE, "ESPIPE"},
		     {ENOTEMPTY, "ENOTEMPTY"},
		     {EMFILE, "EMFILE"},
		     {ENAMETOOLONG, "ENAMETOOLONG"}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	return "E?";
}

/* show: what a call returned, or its error by name and strerror. */
static long show(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s (%s)\n", what, ename(errno), strerror(errno));
	else
		printf("%s: %ld\n", what, r);
	return r;
}

static long size_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? -1 : (long)st.st_size;
}

/* cat: the whole of path, through a fresh descriptor. */
static void cat(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	printf("cat %s: %ld bytes [%s]\n", path, n, buf);
	close(fd);
}

static void basics(void)
{
	char buf[64];
	int fd;

	show("mkdir " D, mkdir(D, 0755));
	fd = show("open a (creat, wronly)", open(D "/a", O_CREAT | O_WRONLY | O_TRUNC, 0644));
	show("write", write(fd, "hello, file\n", 12));
	show("write", write(fd, "second line\n", 12));
	show("read on a write-only fd", read(fd, buf, 4));
	show("close", close(fd));
	cat(D "/a");

	fd = show("open a (rdonly)", open(D "/a", O_RDONLY));
	show("lseek set 7", lseek(fd, 7, SEEK_SET));
	show("read 4", read(fd, buf, 4));
	printf("got [%.4s]\n", buf);
	show("lseek cur", lseek(fd, 0, SEEK_CUR));
	show("lseek end -5", lseek(fd, -5, SEEK_END));
	show("read 10 (to the end)", read(fd, buf, 10));
	show("read at the end", read(fd, buf, 10));
	show("lseek to -100", lseek(fd, -100, SEEK_SET));
	show("lseek whence 9", lseek(fd, 0, 9));
	show("lseek past the end", lseek(fd, 100, SEEK_SET));
	show("read past the end", read(fd, buf, 10));
	show("lseek set 0", lseek(fd, 0, SEEK_SET));
	show("read into a bad pointer", read(fd, bad, 4));
	show("lseek cur", lseek(fd, 0, SEEK_CUR));
	show("write on a read-only fd", write(fd, "x", 1));
	show("fstat size", size_of(fd));
	show("close", close(fd));

	fd = show("open a (append)", open(D "/a", O_WRONLY | O_APPEND));
	show("lseek set 0", lseek(fd, 0, SEEK_SET));
	show("write", write(fd, "appended\n", 9));
	show("lseek cur", lseek(fd, 0, SEEK_CUR));
	show("fstat size", size_of(fd));
	show("write from a bad pointer", write(fd, bad, 4));
	show("close", close(fd));
	cat(D "/a");

	fd = show("open a (rdwr, trunc)", open(D "/a", O_RDWR | O_TRUNC));
	show("fstat size", size_of(fd));
	show("write", write(fd, "new", 3));
	show("lseek set 1", lseek(fd, 1, SEEK_SET));
	show("read", read(fd, buf, 10));
	printf("got [%.2s]\n", buf);
	show("close", close(fd));
	show("open a (creat, excl)", open(D "/a", O_CREAT | O_EXCL | O_WRONLY, 0644));
	show("open b (creat, excl)", fd = open(D "/b", O_CREAT | O_EXCL | O_RDWR, 0644));
	show("fstat size", size_of(fd));
	show("close", close(fd));
}

static void errors(void)
{
	char name[300];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	show("open a missing file", open(D "/missing", O_RDONLY));
	show("open in a missing directory", open(D "/no/a", O_RDONLY | O_CREAT, 0644));
	show("open under a file", open(D "/a/b", O_RDONLY));
	show("open a file as a directory", open(D "/a", O_RDONLY | O_DIRECTORY));
	show("open a file, trailing /", open(D "/a/", O_RDONLY));
	show("open a directory to write", open(D, O_WRONLY));
	show("open a directory creat", open(D, O_RDONLY | O_CREAT, 0644));
	show("open a 299-byte name", open(name, O_RDONLY));
	show("open a bad pointer", open(bad, O_RDONLY));
	show("open an empty path", open("", O_RDONLY));
	show("read fd 99", read(99, name, 1));
	show("write fd -1", write(-1, "x", 1));
	show("close fd 99", close(99));
	show("lseek stdout", lseek(1, 0, SEEK_CUR));
}

static void descriptors(void)
{
	char buf[16];
	int fd = open(D "/a", O_RDONLY), fd2 = dup(fd);

	printf("dup: %s\n", fd2 > fd ? "a higher descriptor" : "?");
	show("read 2 through the first", read(fd, buf, 2));
	show("lseek cur through the dup (shared offset)", lseek(fd2, 0, SEEK_CUR));
	show("dup2 to 10", dup2(fd, 10));
	show("dup2 onto itself", dup2(fd, fd) == fd);
	show("dup2 of fd 99", dup2(99, 12));
	show("F_GETFD of 10", fcntl(10, F_GETFD));
	show("F_SETFD FD_CLOEXEC", fcntl(10, F_SETFD, FD_CLOEXEC));
	show("F_GETFD of 10", fcntl(10, F_GETFD));
	show("F_GETFD of the first (not shared)", fcntl(fd, F_GETFD));
	show("dup3 to 11 cloexec", dup3(fd, 11, O_CLOEXEC));
	show("F_GETFD of 11", fcntl(11, F_GETFD));
	show("dup3 onto itself", dup3(fd, fd, 0));
	show("dup3 bad flags", dup3(fd, 12, 1));
	show("F_DUPFD from 20", fcntl(fd, F_DUPFD, 20));
	show("F_DUPFD_CLOEXEC from 20", fcntl(fd, F_DUPFD_CLOEXEC, 20));
	show("F_GETFD of 21", fcntl(21, F_GETFD));
	show("F_GETFL (accmode, append)", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND));
	show("F_GETFD of fd 99", fcntl(99, F_GETFD));
	int fd3 = open(D "/a", O_RDWR | O_APPEND | O_CLOEXEC);
	show("F_GETFD of an O_CLOEXEC open", fcntl(fd3, F_GETFD));
	show("F_GETFL (accmode, append)", fcntl(fd3, F_GETFL) & (O_ACCMODE | O_APPEND));
	show("F_SETFL 0", fcntl(fd3, F_SETFL, 0));
	show("F_GETFL (accmode, append)", fcntl(fd3, F_GETFL) & (O_ACCMODE | O_APPEND));
	int fds[] = {fd, fd2, 10, 11, 20, 21, fd3};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		close(fds[i]);
	show("close 10 again", close(10));
}

static void vectors(void)
{
	char a[8] = {0}, b[16] = {0};
	struct iovec out[] = {{"vec", 3}, {"tor io\n", 7}};
	struct iovec in[] = {{a, 4}, {b, sizeof(b) - 1}};
	int fd = open(D "/v", O_CREAT | O_RDWR | O_TRUNC, 0644);

	show("writev", writev(fd, out, 2));
	show("lseek set 0", lseek(fd, 0, SEEK_SET));
	show("readv", readv(fd, in, 2));
	printf("readv got [%s] [%s]\n", a, b);
	show("readv bad iov", readv(fd, bad, 1));
	close(fd);
}

static void stdio(void)
{
	char line[64];
	FILE *f = fopen(D "/s", "w");

	for (int i = 1; i <= 3; i++)
		fprintf(f, "line %d: %d squared is %d\n", i, i, i * i);
	printf("fclose: %d\n", fclose(f));
	f = fopen(D "/s", "a");
	fprintf(f, "appended by stdio\n");
	fclose(f);
	f = fopen(D "/s", "r");
	while (fgets(line, sizeof(line), f))
		printf("fgets: %s", line);
	printf("feof: %d\n", feof(f) != 0);
	fclose(f);
	printf("fopen of a missing file: %s\n", fopen(D "/none", "r") ? "?" : strerror(errno));
}

static void names(void)
{
	struct stat st;

	show("stat s", stat(D "/s", &st));
	printf("s: size %ld, regular %d, nlink %ld\n", (long)st.st_size, S_ISREG(st.st_mode),
	       (long)st.st_nlink);
	show("stat " D "/", stat(D "/", &st));
	printf("the directory: directory %d\n", S_ISDIR(st.st_mode));
	show("stat a missing file", stat(D "/none", &st));
	show("stat s/ (a file, trailing /)", stat(D "/s/", &st));
	show("access s", access(D "/s", F_OK));
	show("access s R_OK|W_OK", access(D "/s", R_OK | W_OK));
	show("access a missing file", access(D "/none", F_OK));
	show("unlink a", unlink(D "/a"));
	show("unlink a again", unlink(D "/a"));
	show("unlink a directory", unlink(D));
	show("rmdir a non-empty directory", rmdir(D));
	show("rmdir a file", rmdir(D "/b"));
	const char *files[] = {D "/b", D "/v", D "/s"};
	for (int i = 0; i < 3; i++)
		show("unlink", unlink(files[i]));
	show("rmdir " D, rmdir(D));
	show("stat " D, stat(D, &st));
}

int main(void)
{
	basics();
	errors();
	descriptors();
	vectors();
	stdio();
	names();
	return 0;
}

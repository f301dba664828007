/*
 * lxdir.c: a Linux test program of directories (static glibc): mkdir, chdir, getcwd, a few
 * files, opendir/readdir (the listing sorted before printing: the order is the file system's),
 * stat's type and link count, openat and fstatat relative to a directory descriptor, ".." in
 * paths, rmdir of a non-empty directory, and the errors of each, printed by name. Everything
 * lives in lxdir.d/ under the working directory, removed at the end: a second run prints the
 * same.
 */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *volatile bad = (void *)8; /* an address no program maps */

/* ename: errno e's name. */
static const char *ename(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {{ENOENT, "ENOENT"},      {EBADF, "EBADF"},	  {EEXIST, "EEXIST"},
		     {ENOTDIR, "ENOTDIR"},    {EISDIR, "EISDIR"}, {EINVAL, "EINVAL"},
		     {EFAULT, "EFAULT"},      {ERANGE, "ERANGE"}, {EACCES, "EACCES"},
		     {ENOTEMPTY, "ENOTEMPTY"}};

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

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list: directory path's entries, sorted, with their types. */
static void list(const char *path)
{
	char *names[32];
	int n = 0;
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		printf("opendir %s: %s\n", path, strerror(errno));
		return;
	}
	while ((e = readdir(d)) && n < 32) {
		names[n] = malloc(strlen(e->d_name) + 3);
		sprintf(names[n++], "%s%s", e->d_name,
			e->d_type == DT_DIR   ? "/"
			: e->d_type == DT_REG ? ""
					      : "?");
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	printf("%s:", path);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

/* cwd: the last component of the working directory (the rest differs between machines). */
static void cwd(void)
{
	char buf[256];

	if (!getcwd(buf, sizeof(buf)))
		printf("getcwd: %s\n", strerror(errno));
	else
		printf("getcwd ends in %s\n", strrchr(buf, '/') + 1);
}

static void make(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	write(fd, text, strlen(text));
	close(fd);
}

static void stats(void)
{
	struct stat st;

	show("stat sub", stat("sub", &st));
	printf("sub: directory %d, nlink %ld\n", S_ISDIR(st.st_mode), (long)st.st_nlink);
	show("mkdir sub/deeper", mkdir("sub/deeper", 0755));
	show("stat sub", stat("sub", &st));
	printf("sub: nlink %ld (its subdirectory's .. counts)\n", (long)st.st_nlink);
	show("stat a", stat("a", &st));
	printf("a: regular %d, size %ld, nlink %ld\n", S_ISREG(st.st_mode), (long)st.st_size,
	       (long)st.st_nlink);
	show("stat sub/../a", stat("sub/../a", &st));
	show("stat ./sub/./x", stat("./sub/./x", &st));
	show("stat a/.. (.. after a file)", stat("a/..", &st));
	show("stat none/.. (.. after a missing directory)", stat("none/..", &st));
	show("stat sub/deeper/../../a", stat("sub/deeper/../../a", &st));
	printf("size %ld\n", (long)st.st_size);
}

static void at_calls(void)
{
	char buf[32] = {0};
	struct stat st;
	int dfd = show("open sub (O_DIRECTORY)", open("sub", O_RDONLY | O_DIRECTORY));
	int fd = show("openat sub x", openat(dfd, "x", O_RDONLY));

	show("read", read(fd, buf, sizeof(buf) - 1));
	printf("got [%s]\n", buf);
	show("read on a directory", read(dfd, buf, 4));
	show("fstatat sub x", fstatat(dfd, "x", &st, 0));
	printf("x: size %ld\n", (long)st.st_size);
	show("fstatat sub \"\" AT_EMPTY_PATH", fstatat(dfd, "", &st, AT_EMPTY_PATH));
	printf("sub: directory %d\n", S_ISDIR(st.st_mode));
	show("openat a file's fd", openat(fd, "x", O_RDONLY));
	show("openat fd 99", openat(99, "x", O_RDONLY));
	show("openat fd 99, absolute path", openat(99, "/", O_RDONLY) >= 0);
	show("mkdirat sub y", mkdirat(dfd, "y", 0755));
	show("mkdirat sub y again", mkdirat(dfd, "y", 0755));
	show("unlinkat sub y (no AT_REMOVEDIR)", unlinkat(dfd, "y", 0));
	show("unlinkat sub y AT_REMOVEDIR", unlinkat(dfd, "y", AT_REMOVEDIR));
	show("unlinkat bad flags", unlinkat(dfd, "x", 0x8000));
	show("faccessat sub x", faccessat(dfd, "x", R_OK, 0));
	show("faccessat sub x X_OK (a 0644 file)", faccessat(dfd, "x", X_OK, 0));
	show("access sub X_OK", access("sub", X_OK));
	show("access sub/x/ (a file, trailing /)", access("sub/x/", F_OK));
	close(fd);
	close(dfd);
}

static void errors(void)
{
	char small[4];

	show("mkdir sub again", mkdir("sub", 0755));
	show("mkdir in a missing directory", mkdir("none/x", 0755));
	show("mkdir under a file", mkdir("a/x", 0755));
	show("rmdir sub (not empty)", rmdir("sub"));
	show("rmdir a (a file)", rmdir("a"));
	show("rmdir a missing one", rmdir("none"));
	show("rmdir .", rmdir("."));
	show("unlink sub (a directory)", unlink("sub"));
	show("chdir a (a file)", chdir("a"));
	show("chdir a missing one", chdir("none"));
	printf("getcwd into 4 bytes: %s\n", getcwd(small, sizeof(small)) ? "?" : ename(errno));
	show("opendir-style open of a file", open("a", O_RDONLY | O_DIRECTORY));
}

/* raw: getdents64 and getcwd as system calls, with bad arguments. */
static void raw(void)
{
	char buf[512];
	struct stat st;
	int dfd = open(".", O_RDONLY | O_DIRECTORY), fd = open("a", O_RDONLY);

	show("getdents64 of a file", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	show("getdents64 of fd 99", syscall(SYS_getdents64, 99, buf, sizeof(buf)));
	show("getdents64 (all of it)", syscall(SYS_getdents64, dfd, buf, sizeof(buf)) > 0);
	show("getdents64 at the end", syscall(SYS_getdents64, dfd, buf, sizeof(buf)));
	show("lseek the directory to 0", lseek(dfd, 0, SEEK_SET));
	show("getdents64 again", syscall(SYS_getdents64, dfd, buf, sizeof(buf)) > 0);
	show("getcwd into a bad pointer", syscall(SYS_getcwd, bad, 256));
	show("getcwd size 0", syscall(SYS_getcwd, buf, 0));
	show("stat into a bad pointer", stat("a", bad));
	show("stat a bad path pointer", stat(bad, &st));
	show("mkdir a bad path pointer", mkdir(bad, 0755));
	show("chdir a bad path pointer", chdir(bad));
	close(fd);
	close(dfd);
}

int main(void)
{
	show("mkdir lxdir.d", mkdir("lxdir.d", 0755));
	show("chdir lxdir.d", chdir("lxdir.d"));
	cwd();
	make("b", "bee\n");
	make("a", "ay\n");
	make("c", "sea\n");
	show("mkdir sub", mkdir("sub", 0755));
	make("sub/x", "x marks the spot\n");
	list(".");
	list("sub");
	stats();
	at_calls();
	errors();
	raw();
	show("chdir sub", chdir("sub"));
	cwd();
	list("..");
	show("chdir ../sub/..", chdir("../sub/.."));
	cwd();
	const char *files[] = {"a", "b", "c", "sub/x"};
	for (int i = 0; i < 4; i++)
		show("unlink", unlink(files[i]));
	show("rmdir sub/deeper", rmdir("sub/deeper"));
	show("rmdir sub", rmdir("sub"));
	list(".");
	show("chdir ..", chdir(".."));
	show("rmdir lxdir.d", rmdir("lxdir.d"));
	return 0;
}

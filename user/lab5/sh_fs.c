/*
 * sh_fs.c: the shell's file-system builtins over the client library
 * (kit/fsclient.h): ls [PATH], cat PATH..., mkdir PATH, rm PATH,
 * echo WORDS > PATH, and /bin/NAME read for the shell to run. A path
 * without a leading '/' is taken from the root (the shell has no working
 * directory). Linked into sh when the runtime has user/lib/fsclient.c.
 */
#include "user.h"
#include "kit/fsclient.h"
#include "kit/ns.h"

#define FS_EP 10 /* fsd's endpoint (fs_init) */

static char elfbuf[256 * 1024]; /* a program read from /bin, for NS_SPAWN */

/* fs_ready: the client library set up, when fsd runs (init's table says so). 0 or -ENOENT. */
static long fs_ready(void)
{
	static bool ready;
	struct ns_ps e;

	if (ready)
		return 0;
	for (unsigned long i = 0; ns_ps(i, &e) == 0; i++)
		if (e.state == NS_PS_RUNNING && strcmp(e.name, "fsd") == 0) {
			long r = fs_init(FS_EP);
			ready = r == 0;
			return r;
		}
	return -ENOENT;
}

/* abs_path: path from the root into buf (FS_PATH_MAX bytes). */
static const char *abs_path(const char *path, char *buf)
{
	if (path[0] == '/')
		return path;
	snprintf(buf, FS_PATH_MAX, "/%s", path);
	return buf;
}

static const char *const types[] = {"?", "dir", "file", "dev"};

static long ls(const char *path)
{
	struct fs_stat st;
	struct fs_entry e;
	fs_handle_t h;
	unsigned long cookie = 0;
	long r = fs_open(path, &h, &st);

	if (r < 0)
		return r;
	if (st.type != FS_T_DIR) {
		printf("%-14s %s %lu\n", path, types[st.type & 3], st.size);
		return 0;
	}
	while ((r = fs_readdir(h, &cookie, &e)) == 1)
		printf("%-14s %-4s %3u %lu\n", e.name, types[e.type & 3], e.inum, e.size);
	return r;
}

static long cat(const char *path)
{
	char buf[FS_IO_MAX + 1];
	fs_handle_t h;
	unsigned long off = 0;
	long r = fs_open(path, &h, NULL);

	while (r >= 0 && (r = fs_read(h, off, buf, FS_IO_MAX)) > 0) {
		buf[r] = 0;
		printf("%s", buf);
		off += (unsigned long)r;
	}
	return r;
}

/* echo_to: argv[1..argc-3] and a newline into file argv[argc-1]. */
static long echo_to(int argc, char **argv, const char *path)
{
	char text[CONS_LINE_MAX + 2];
	size_t n = 0;
	fs_handle_t h;

	for (int i = 1; i < argc - 2; i++)
		n +=
		    (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", i > 1 ? " " : "", argv[i]);
	text[n++] = '\n';
	long r = fs_create(path, &h);
	return r < 0 ? r : fs_write(h, 0, text, n);
}

bool sh_fs_builtin(int argc, char **argv)
{
	char buf[FS_PATH_MAX];
	const char *cmd = argv[0];
	bool redirect = argc > 2 && strcmp(cmd, "echo") == 0 && strcmp(argv[argc - 2], ">") == 0;
	long r = 0;

	if (!redirect && strcmp(cmd, "ls") != 0 && strcmp(cmd, "cat") != 0 &&
	    strcmp(cmd, "mkdir") != 0 && strcmp(cmd, "rm") != 0)
		return false;
	if (fs_ready() < 0) {
		printf("sh: %s: no file system (fsd is not running)\n", cmd);
		return true;
	}
	const char *path = abs_path(argc > 1 ? argv[argc - 1] : "/", buf);
	if (redirect)
		r = echo_to(argc, argv, path);
	else if (strcmp(cmd, "ls") == 0)
		r = ls(path);
	else if (argc < 2)
		printf("usage: %s PATH\n", cmd);
	else if (strcmp(cmd, "cat") == 0)
		for (int i = 1; i < argc && r >= 0; i++)
			r = cat(abs_path(argv[i], buf));
	else if (strcmp(cmd, "mkdir") == 0)
		r = fs_mkdir(path);
	else
		r = fs_unlink(path);
	if (r < 0)
		printf("sh: %s %s: %s\n", cmd, path, errstr((int)r));
	return true;
}

long sh_fs_load(const char *name, const void **elf, unsigned long *size)
{
	char path[FS_PATH_MAX];

	if (fs_ready() < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "/bin/%s", name);
	long r = fs_read_file(path, elfbuf, sizeof(elfbuf));
	if (r < 0)
		return r;
	*elf = elfbuf;
	*size = (unsigned long)r;
	return 0;
}

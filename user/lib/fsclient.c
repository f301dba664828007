/*
 * fsclient.c: the file-system client calls of kit/fsclient.h: Calls on
 * fsd's endpoint (kept in fs_slot), each through fs_call, which looks "fsd"
 * up again and repeats the call when fsd was restarted.
 * A read or write longer than FS_IO_MAX bytes is several calls.
 */
#include "user.h"
#include "kit/fsclient.h"
#include "kit/ns.h"

#define IPCBUF ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)

static unsigned long fs_slot = FS_SLOT;
unsigned long fs_calls; /* Calls made (retries not counted), for the numbers */

/* lookup: fsd's endpoint into fs_slot again, yielding while nobody serves "fsd"; 0 or the
 * error. */
static long lookup(void)
{
	long r = -ENOENT;

	for (int i = 0; i < NS_RETRY_MAX && r == -ENOENT; i++)
		if ((r = ns_lookup(FS_NAME, fs_slot)) == -ENOENT)
			sys_yield();
	return r;
}

/*
 * fs_call: the Call of *m (len MRs: those from KIT_MSG_REG_MRS on already in the IPC buffer)
 * with label on fsd; the reply's MR 0, or the IPC error. When fsd is gone (-EINVAL: its
 * endpoint left the slot with it; -EPIPE: it went while we waited) look it up again and
 * repeat the same request (kit/ns.h's ns_call_retry, without its copy of the whole IPC buffer
 * on every call: the request is saved only when it must be sent again).
 */
static long fs_call(unsigned long label, unsigned long len, struct kit_msg *m)
{
	static unsigned long saved[KIT_MSG_MAX_MRS];
	struct kit_msg req = *m;
	long r;

	req.info = KIT_MSGINFO(label, 0, len);
	IPCBUF->cap_slot = 0;
	fs_calls++;
	for (int i = 0; i < NS_RETRY_MAX; i++) {
		*m = req;
		r = kit_call(fs_slot, m);
		if (r != -EINVAL && r != -EPIPE)
			return r < 0 ? r : (long)m->mr[0];
		for (unsigned long j = KIT_MSG_REG_MRS; j < len; j++)
			saved[j] = IPCBUF->mr[j];
		if ((r = lookup()) < 0)
			return r;
		for (unsigned long j = KIT_MSG_REG_MRS; j < len; j++)
			IPCBUF->mr[j] = saved[j];
		IPCBUF->cap_slot = 0;
	}
	return -EPIPE;
}

/* path_call: a call of label with path (from MR FS_MR_DATA on); -EINVAL, -ENAMETOOLONG. */
static long path_call(unsigned long label, const char *path, struct kit_msg *m)
{
	size_t n = strlen(path) + 1;

	if (path[0] != '/')
		return -EINVAL;
	if (n > FS_PATH_MAX)
		return -ENAMETOOLONG;
	IPCBUF->mr[FS_MR_DATA + (n - 1) / 8] = 0; /* the last word's padding */
	memcpy(&IPCBUF->mr[FS_MR_DATA], path, n);
	*m = (struct kit_msg){0};
	return fs_call(label, FS_MR_DATA + (n + 7) / 8, m);
}

/* stat_out: the stat in reply *m into *st (unless NULL). */
static void stat_out(const struct kit_msg *m, struct fs_stat *st)
{
	if (!st)
		return;
	st->handle = m->mr[1];
	st->type = (unsigned)m->mr[2];
	st->size = m->mr[3];
	st->nlink = (unsigned)IPCBUF->mr[4];
}

long fs_init(unsigned long slot)
{
	fs_slot = slot;
	return lookup();
}

long fs_open(const char *path, fs_handle_t *h, struct fs_stat *st)
{
	struct kit_msg m;
	long r = path_call(FS_OPEN, path, &m);

	if (r == 0) {
		*h = m.mr[1];
		stat_out(&m, st);
	}
	return r;
}

long fs_create(const char *path, fs_handle_t *h)
{
	struct kit_msg m;
	long r = path_call(FS_CREATE, path, &m);

	if (r == 0)
		*h = m.mr[1];
	return r;
}

long fs_stat(const char *path, struct fs_stat *st)
{
	fs_handle_t h;

	return fs_open(path, &h, st);
}

long fs_fstat(fs_handle_t h, struct fs_stat *st)
{
	struct kit_msg m = {.mr = {h}};
	long r = fs_call(FS_STAT, 1, &m);

	if (r == 0)
		stat_out(&m, st);
	return r;
}

long fs_mkdir(const char *path)
{
	struct kit_msg m;

	return path_call(FS_MKDIR, path, &m);
}

long fs_unlink(const char *path)
{
	struct kit_msg m;

	return path_call(FS_UNLINK, path, &m);
}

long fs_close(fs_handle_t h)
{
	(void)h;
	return 0;
}

long fs_read(fs_handle_t h, unsigned long off, void *buf, unsigned long len)
{
	unsigned long done = 0;

	while (done < len) {
		unsigned long n = len - done < FS_IO_MAX ? len - done : FS_IO_MAX;
		struct kit_msg m = {.mr = {h, off + done, n}};
		long r = fs_call(FS_READ, 3, &m);
		if (r < 0)
			return done ? (long)done : r;
		memcpy((char *)buf + done, &IPCBUF->mr[FS_MR_DATA], (size_t)r);
		done += (unsigned long)r;
		if ((unsigned long)r < n)
			break; /* the end of the file */
	}
	return (long)done;
}

long fs_write(fs_handle_t h, unsigned long off, const void *buf, unsigned long len)
{
	unsigned long done = 0;

	while (done < len) {
		unsigned long n = len - done < FS_IO_MAX ? len - done : FS_IO_MAX;
		struct kit_msg m = {.mr = {h, off + done, n}};
		memcpy(&IPCBUF->mr[FS_MR_DATA], (const char *)buf + done, n);
		long r = fs_call(FS_WRITE, FS_MR_DATA + (n + 7) / 8, &m);
		if (r < 0)
			return done ? (long)done : r;
		done += (unsigned long)r;
		if ((unsigned long)r < n)
			break; /* the disk filled up */
	}
	return (long)done;
}

long fs_readdir(fs_handle_t dir, unsigned long *cookie, struct fs_entry *e)
{
	struct kit_msg m = {.mr = {dir, *cookie}};
	long r = fs_call(FS_READDIR, 2, &m);

	if (r <= 0)
		return r;
	*cookie = (unsigned long)r;
	memset(e, 0, sizeof(*e));
	memcpy(e->name, &IPCBUF->mr[FS_MR_DATA], FS_DIRSIZ);
	e->inum = (unsigned)m.mr[1];
	e->type = (unsigned)m.mr[2];
	e->size = m.mr[3];
	return 1;
}

long fs_read_file(const char *path, void *buf, unsigned long max)
{
	struct fs_stat st;
	fs_handle_t h;
	long r = fs_open(path, &h, &st);

	if (r < 0)
		return r;
	if (st.type == FS_T_DIR)
		return -EISDIR;
	if (st.size > max)
		return -EFBIG;
	return fs_read(h, 0, buf, st.size);
}

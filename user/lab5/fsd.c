/*
 * fsd.c: lab 5's file-system server: the core of fscore.h (xv6's file
 * system on kit/fs.h) behind the protocol of kit/fsclient.h, its device the
 * block server (kit/blk.h). At start it finds "blkd" (kit/ns.h), attaches a
 * frame for the blocks' data, mounts the disk (replaying the log: whatever
 * the last fsd acknowledged is there), then registers "fsd" and serves one
 * request at a time: every operation that changes the disk is committed
 * before its reply. A broken invariant or a device it cannot reach ends it
 * (fs_panic): init's supervisor starts it again, and the log recovers.
 */
#include "user.h"
#include "kit/blk.h"
#include "kit/ns.h"
#include "fscore.h"

#define IPCBUF ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)

/* fsd's cspace (KIT_SLOT_ARG: the name service) and address space. */
#define EP	 8  /* fsd's endpoint */
#define BLK	 9  /* blkd's, looked up */
#define FRAME	 10 /* the frame shared with blkd */
#define FRAME_VA 0x30000000UL

static uint32_t disk_blocks;
unsigned long fsd_blk_calls; /* Calls to blkd, for the numbers */

/* blk_attach: look blkd up (yielding while nobody serves it) and attach the frame; 0 or an
 * error. */
static long blk_attach(void)
{
	long r = -ENOENT;

	for (int i = 0; i < NS_RETRY_MAX && r == -ENOENT; i++)
		if ((r = ns_lookup(BLK_NAME, BLK)) == -ENOENT)
			sys_yield();
	if (r)
		return r;
	struct kit_msg m = {.info = KIT_MSGINFO(BLK_ATTACH, 1, 1)};
	IPCBUF->cap_slot = FRAME;
	r = kit_call(BLK, &m);
	IPCBUF->cap_slot = 0;
	if (!r && !(r = (long)m.mr[0]))
		disk_blocks = (uint32_t)m.mr[1];
	return r;
}

/* dev_rw (fscore.h): a block through blkd; a failed Call (blkd restarted) attaches again and
 * repeats it. */
int dev_rw(uint32_t block, void *buf, int write)
{
	for (int tries = 0; tries < 100; tries++) {
		struct kit_msg m = {.info = KIT_MSGINFO(write ? BLK_WRITE : BLK_READ, 0, 1),
				    .mr = {block}};
		if (write)
			memcpy((void *)FRAME_VA, buf, FS_BSIZE);
		long r = kit_call(BLK, &m);
		fsd_blk_calls++;
		if (r == 0 && (long)m.mr[0] != -ENOENT) {
			if ((long)m.mr[0] == 0 && !write)
				memcpy(buf, (void *)FRAME_VA, FS_BSIZE);
			return (int)m.mr[0];
		}
		if (r != 0 && r != -EINVAL && r != -EPIPE)
			return (int)r;
		if ((r = blk_attach()) < 0)
			return (int)r;
	}
	return -EIO;
}

void fs_panic(const char *why)
{
	printf("fsd: panic: %s\n", why);
	sys_exit(1);
}

/* path_in: the path of request *m (from MR FS_MR_DATA on) into path, NUL-terminated; 0 or
 * -ENAMETOOLONG (no NUL within FS_PATH_MAX bytes), -EINVAL (none). */
static long path_in(const struct kit_msg *m, char path[FS_PATH_MAX])
{
	unsigned long len = KIT_MSGINFO_LEN(m->info);
	size_t n = len > FS_MR_DATA ? (len - FS_MR_DATA) * 8 : 0;

	if (n > FS_PATH_MAX)
		n = FS_PATH_MAX;
	memcpy(path, &IPCBUF->mr[FS_MR_DATA], n);
	for (size_t i = 0; i < n; i++)
		if (!path[i])
			return 0;
	return n ? -ENAMETOOLONG : -EINVAL;
}

/* reply_stat: the reply of an open or create: r, then the stat's MRs. */
static unsigned long reply_stat(struct kit_msg *m, long r, const struct fs_stat *st)
{
	if (r < 0)
		return 1;
	m->mr[1] = st->handle;
	m->mr[2] = st->type;
	m->mr[3] = st->size;
	IPCBUF->mr[4] = st->nlink;
	return 5;
}

/* serve: request *m into its reply (label 0, MR 0 the result). */
static void serve(struct kit_msg *m)
{
	static char path[FS_PATH_MAX];
	unsigned long label = KIT_MSGINFO_LABEL(m->info), len = 1;
	unsigned long *data = &IPCBUF->mr[FS_MR_DATA];
	struct fs_stat st;
	struct fs_entry e;
	long r;

	switch (label) {
	case FS_OPEN:
	case FS_CREATE:
	case FS_MKDIR:
	case FS_UNLINK:
		if ((r = path_in(m, path)))
			break;
		if (label == FS_OPEN || label == FS_CREATE) {
			r = label == FS_OPEN ? fsop_open(path, &st) : fsop_create(path, &st);
			len = reply_stat(m, r, &st);
		} else {
			r = label == FS_MKDIR ? fsop_mkdir(path) : fsop_unlink(path);
		}
		break;
	case FS_STAT:
		r = fsop_stat(m->mr[0], &st);
		len = reply_stat(m, r, &st);
		break;
	case FS_READ:
		r = fsop_read(m->mr[0], m->mr[1], data, m->mr[2]);
		len = r > 0 ? FS_MR_DATA + ((unsigned long)r + 7) / 8 : 1;
		break;
	case FS_WRITE:
		r = m->mr[2] > (KIT_MSGINFO_LEN(m->info) - FS_MR_DATA) * 8 ||
			    KIT_MSGINFO_LEN(m->info) < FS_MR_DATA
			? -EINVAL
			: fsop_write(m->mr[0], m->mr[1], data, m->mr[2]);
		break;
	case FS_READDIR:
		r = fsop_readdir(m->mr[0], m->mr[1], &e);
		if (r > 0) {
			m->mr[1] = e.inum;
			m->mr[2] = e.type;
			m->mr[3] = e.size;
			memcpy(data, e.name, FS_DIRSIZ);
			len = FS_MR_DATA + 2;
		}
		break;
	default:
		r = -ENOSYS;
	}
	m->info = KIT_MSGINFO(0, 0, len);
	m->mr[0] = (unsigned long)r;
}

int main(void)
{
	struct kit_msg m;
	long r;

	if ((r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_FRAME, 0, FRAME, 1)) ||
	    (r = sys_frame_map(FRAME, FRAME_VA, KIT_RIGHTS_ALL)) || (r = blk_attach()) ||
	    (r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1))) {
		printf("fsd: cannot start: %s\n", errstr((int)r));
		return 1;
	}
	/* No disk, or not a file system: serve anyway (every call -EIO), so the boot goes on. */
	int nofs = disk_blocks < 2 ? -EIO : fs_mount();
	if (nofs)
		printf("fsd: no file system (%s): every call fails with EIO\n", errstr(nofs));
	if ((r = ns_register("fsd", EP))) {
		printf("fsd: cannot register: %s\n", errstr((int)r));
		return 1;
	}
	r = kit_recv(EP, &m);
	for (;;) {
		if (r == KIT_RECV_MESSAGE) {
			if (nofs)
				m = (struct kit_msg){.info = KIT_MSGINFO(0, 0, 1), .mr = {-EIO}};
			else
				serve(&m);
			r = kit_reply_recv(EP, &m);
		} else {
			r = kit_recv(EP, &m);
		}
	}
}

/*
 * fswork.c: lab 5's file-system workload: a seeded sequence of operations
 * (create, write, read back, stat, unlink, mkdir and rmdir) on files under
 * /fwSEED through the client calls of kit/fsclient.h, checked as it goes
 * against a model in memory; at the end every file is read back whole (every
 * write acknowledged must be there) and every removed one must be gone.
 *
 * Its argument (kit_start_arg) picks the run:
 *   bits 0..15   the seed (0: 1)
 *   bits 16..31  kill a server after this many operations (0: never), with
 *   bits 32..35  which: 1 fsd, 2 blkd (ns_kill: init's supervisor restarts it), 3 blkd
 *                by a fault of its own (kit/blk.h BLK_FAULT: a wild pointer; it prints the
 *                instructions until the restarted blkd is registered again); after a kill
 *                from the main thread it prints the instructions from the kill until the
 *                next write is acknowledged, which the restarted server had to carry
 *   bit  37      the kill from a second thread, while fsd waits for the device in
 *                the middle of an operation (not between two)
 *   bit  36      verify only: run the generator without the operations (the
 *                model only), then check the disk against it: the files a run
 *                with this seed wrote in an earlier boot
 * It prints "fswork: N ops done" every 100 operations and, for a test to parse,
 *   "fswork: N ops, W writes acknowledged (B bytes), F files verified, E errors"
 * and then (not in verify mode) the cost of a few operations through the whole
 * stack, "fswork: cost OP: I instructions, R block reads, W block writes" per
 * operation, the device's time not counted (kit/blk.h BLK_STATS); the last
 * reads a file /big (when the disk has one) 4 KiB at a time.
 * Exit status: 0 when E is 0, else 1.
 */
#include "user.h"
#include "kit/blk.h"
#include "kit/fsclient.h"
#include "kit/ns.h"

#define NOPS	   300 /* operations after the directories */
#define NFILES	   16  /* files, in NDIRS directories */
#define NDIRS	   4
#define FMAX	   2048 /* bytes of a file at most */
#define BLK	   247	/* where blkd's endpoint goes for BLK_STATS */
#define KIT_IPCBUF ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)

static struct {
	int exists;
	unsigned size;
	uint8_t data[FMAX];
} model[NFILES];
static uint8_t buf[FMAX], wbuf[FS_IO_MAX], block[FS_BSIZE];
static uint64_t rng;
static unsigned long ops, acked, acked_bytes, errors;
static unsigned seed;
static uint64_t kill_t0; /* kit_cycles() at a kill from the main thread, until a write is acked */
static unsigned long kill_acked; /* acked then */
static int verify_only;

static uint32_t rnd(void)
{
	rng ^= rng << 13; /* xorshift64 (Marsaglia 2003) */
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* The killer thread (bit 37): it runs only while every other thread waits, so the kill lands
 * in the middle of an operation, while fsd waits for the device; it prints nothing (the main
 * thread's IPC buffer is not its own to use): main reports it. */
#define KILLER_TCB    246
#define KILLER_NTFN   245
#define KILLER_IPCBUF 0x3fe00000UL
static uint8_t killer_stack[4096] __attribute__((aligned(16)));
static volatile unsigned long kill_epoch; /* kills done */
static volatile long kill_result;
static const char *victim;

static void killer(unsigned long arg)
{
	unsigned long word;

	(void)arg;
	kill_result = ns_kill(victim);
	kill_epoch++;
	for (;;) /* done: wait for good on a notification nobody signals (until the task ends) */
		sys_wait(KILLER_NTFN, &word);
}

/* blkd_fault (victim 3): make blkd store through its wild pointer (kit/blk.h BLK_FAULT), then
 * count the instructions (kit_cycles) from the Call until a lookup finds the restarted blkd
 * registered again (init's supervisor at work; no disk request is in flight meanwhile). */
static void blkd_fault(void)
{
	struct kit_msg m = {.info = KIT_MSGINFO(BLK_FAULT, 0, 0)};
	unsigned long spins = 0;
	long r = ns_lookup(BLK_NAME, BLK);
	uint64_t t0 = kit_cycles();

	r = r ? r : kit_call(BLK, &m);
	sys_cap_delete(BLK);
	long back = ns_lookup(BLK_NAME, BLK);
	while (back == -ENOENT && spins++ < NS_RETRY_MAX) {
		sys_yield();
		back = ns_lookup(BLK_NAME, BLK);
	}
	uint64_t t1 = kit_cycles();
	sys_cap_delete(BLK);
	printf("fswork: made blkd fault after %lu operations: %ld\n", ops, r);
	if (back == 0)
		printf("fswork: blkd faulted, restarted and registered after %lu instructions\n",
		       (unsigned long)(t1 - t0));
	else
		printf("fswork: blkd not back after %lu lookups: %ld\n", spins, back);
}

static void fail(const char *what, const char *path, long r)
{
	errors++;
	if (errors <= 10)
		printf("fswork: FAIL %s %s: %ld (%s)\n", what, path, r, errstr((int)r));
}

static void file_path(int i, char *path)
{
	snprintf(path, FS_PATH_MAX, "/fw%u/d%d/f%d", seed, i % NDIRS, i);
}

/* check_file: file i on disk against the model; 1 when it is as the model says. */
static int check_file(int i)
{
	char path[FS_PATH_MAX];
	struct fs_stat st;

	file_path(i, path);
	if (!model[i].exists) {
		long r = fs_stat(path, &st);
		if (r != -ENOENT)
			fail("gone", path, r);
		return r == -ENOENT;
	}
	long n = fs_read_file(path, buf, sizeof(buf));
	if (n != (long)model[i].size || memcmp(buf, model[i].data, model[i].size)) {
		fail("read back", path, n);
		return 0;
	}
	return 1;
}

/* retried: whether result r of a call begun at kill epoch e0 is alt, the answer a call gives
 * when it is repeated after the server took it and died (kit/fsclient.h: mkdir, unlink). */
static int retried(unsigned long e0, long r, long alt)
{
	return kill_epoch != e0 && r == alt;
}

/* op: one operation of the workload on the model, and on the disk unless verify_only. */
static void op(void)
{
	char path[FS_PATH_MAX];
	fs_handle_t h;
	long r;
	int i = (int)(rnd() % NFILES), k = (int)(rnd() % 100);
	unsigned long e0 = kill_epoch;

	file_path(i, path);
	ops++;
	if (!model[i].exists && k < 60) { /* create */
		model[i].exists = 1;
		model[i].size = 0;
		if (!verify_only && (r = fs_create(path, &h)))
			fail("create", path, r);
	} else if (k < 60) { /* write */
		unsigned len = 1 + rnd() % FS_IO_MAX, off = rnd() % (FMAX - len + 1);
		for (unsigned j = 0; j < len; j++)
			wbuf[j] = (uint8_t)rnd();
		memcpy(model[i].data + off, wbuf, len);
		if (off > model[i].size)
			memset(model[i].data + model[i].size, 0, off - model[i].size);
		if (off + len > model[i].size)
			model[i].size = off + len;
		if (verify_only)
			return;
		if ((r = fs_open(path, &h, NULL)) || (r = fs_write(h, off, wbuf, len)) != (long)len)
			fail("write", path, r);
		else
			acked++, acked_bytes += len;
	} else if (k < 80) { /* read back */
		if (!verify_only)
			check_file(i);
	} else if (k < 92) { /* unlink (a file not there: -ENOENT) */
		long want = model[i].exists ? 0 : -ENOENT;
		model[i].exists = 0;
		if (!verify_only && (r = fs_unlink(path)) != want && !retried(e0, r, -ENOENT))
			fail("unlink", path, r);
	} else { /* mkdir and rmdir */
		snprintf(path, sizeof(path), "/fw%u/t%d", seed, i);
		if (!verify_only && (((r = fs_mkdir(path)) && !retried(e0, r, -EEXIST)) ||
				     ((r = fs_unlink(path)) && !retried(e0, r, -ENOENT))))
			fail("mkdir", path, r);
	}
}

/* A point of a measurement: instructions are the kit_cycles elapsed less the cycles blkd spent
 * idle in sys_wait for the device meanwhile (the host's timing, kit/blk.h BLK_STATS). */
struct mark {
	uint64_t t;
	unsigned long reads, writes, wait;
};

static void mark(struct mark *p)
{
	struct kit_msg m = {.info = KIT_MSGINFO(BLK_STATS, 0, 0)};

	*p = (struct mark){0};
	if (!kit_call(BLK, &m) && !m.mr[0])
		*p = (struct mark){0, m.mr[1], m.mr[2], KIT_IPCBUF->mr[4]};
	p->t = kit_cycles();
}

/* report: the cost of n operations since *a, per operation. */
static void report(const char *what, const struct mark *a, unsigned n)
{
	struct mark b;
	uint64_t t = kit_cycles();

	mark(&b);
	printf("fswork: cost %s: %lu instructions, %lu block reads, %lu block writes\n", what,
	       (unsigned long)((t - a->t - (b.wait - a->wait)) / n), (b.reads - a->reads) / n,
	       (b.writes - a->writes) / n);
}

/* measure: the numbers: each operation's instructions through the whole stack (client ->
 * fsd -> blkd -> device and back), averaged over a few, on files this run left. */
static void measure(void)
{
	char path[FS_PATH_MAX];
	struct fs_stat st;
	struct mark a;
	fs_handle_t h;
	unsigned n;

	if (ns_lookup(BLK_NAME, BLK))
		return;
	snprintf(path, sizeof(path), "/fw%u/d1/m", seed);
	if (fs_create(path, &h) || fs_write(h, 0, wbuf, FS_IO_MAX) != FS_IO_MAX)
		return;
	mark(&a);
	for (n = 0; n < 8; n++)
		fs_read(h, 0, buf, FS_IO_MAX);
	report("fs_read 480 bytes (cached)", &a, n);
	mark(&a);
	for (n = 0; n < 8; n++)
		fs_stat(path, &st);
	report("fs_stat of a 3-name path (cached)", &a, n);
	mark(&a);
	for (n = 0; n < 8; n++)
		fs_write(h, 0, wbuf, FS_IO_MAX);
	report("fs_write 480 bytes (a transaction)", &a, n);
	mark(&a);
	for (n = 0; n < 8; n++)
		fs_create(path, &h);
	report("fs_create of an existing file (a transaction)", &a, n);
	fs_unlink(path);
	if (fs_open("/big", &h, &st) || st.size < 2 * FS_BSIZE)
		return;
	mark(&a); /* /big is larger than fsd's cache: each block read misses it */
	for (n = 0; (n + 1) * FS_BSIZE <= st.size; n++)
		fs_read(h, n * FS_BSIZE, block, FS_BSIZE);
	report("fs_read 4 KiB of /big (not cached)", &a, n);
}

int main(void)
{
	unsigned long arg = kit_start_arg, kill_after = arg >> 16 & 0xffff, epoch = 0;
	int midop = arg >> 37 & 1;
	char path[FS_PATH_MAX];
	long r;

	victim = (arg >> 32 & 0xf) >= 2 ? BLK_NAME : FS_NAME;
	if (midop && (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_TCB, 0, KILLER_TCB, 1) ||
		      sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, KILLER_NTFN, 1)))
		fail("retype", "a TCB", -ENOMEM);
	seed = (unsigned)(arg & 0xffff) ? (unsigned)(arg & 0xffff) : 1;
	verify_only = arg >> 36 & 1;
	rng = 0x9e3779b97f4a7c15ULL * seed;
	if (!verify_only) {
		snprintf(path, sizeof(path), "/fw%u", seed);
		if ((r = fs_mkdir(path)))
			fail("mkdir", path, r);
		for (int d = 0; d < NDIRS; d++) {
			snprintf(path, sizeof(path), "/fw%u/d%d", seed, d);
			if ((r = fs_mkdir(path)))
				fail("mkdir", path, r);
		}
	}
	ops = 1 + NDIRS;
	while (ops < NOPS + 1 + NDIRS) {
		if (kill_after && ops == kill_after && !verify_only) {
			if (midop) {
				r = kit_thread_start(KILLER_TCB, killer,
						     killer_stack + sizeof(killer_stack),
						     KILLER_IPCBUF, 0);
			} else if ((arg >> 32 & 0xf) == 3) {
				blkd_fault();
			} else {
				kill_t0 = kit_cycles(), kill_acked = acked;
				r = ns_kill(victim);
				printf("fswork: killed %s after %lu operations: %ld\n", victim, ops,
				       r);
			}
		}
		op();
		if (kill_t0 &&
		    acked >
			kill_acked) { /* the first write since the kill: through the new server */
			printf(
			    "fswork: %s killed, next write acknowledged after %lu instructions\n",
			    victim, (unsigned long)(kit_cycles() - kill_t0));
			kill_t0 = 0;
		}
		if (kill_epoch != epoch) {
			epoch = kill_epoch;
			printf("fswork: killed %s in operation %lu: %ld\n", victim, ops,
			       kill_result);
		}
		if (ops % 100 == 0)
			printf("fswork: %lu ops done\n", ops);
	}
	unsigned long verified = 0;
	for (int i = 0; i < NFILES; i++)
		verified += check_file(i);
	printf("fswork: %lu ops, %lu writes acknowledged (%lu bytes), %lu files verified, %lu "
	       "errors\n",
	       ops, acked, acked_bytes, verified, errors);
	if (!verify_only)
		measure();
	return errors ? 1 : 0;
}

/*
 * blkd.c: lab 5's block server: the virtio-blk driver (virtio_blk.c) behind
 * the block protocol of kit/blk.h. init (kit/ns.h) gives it the disk's
 * registers and its interrupt (NS_DEVICE, board device 1: the
 * platform_device list); it registers "blkd" and serves one request at a
 * time, each waiting for the device's interrupt (blk_rw). A client's data
 * moves in the frame it attached, which blkd maps at CLIENT_VA(i).
 */
#include "user.h"
#include "kit/blk.h"
#include "kit/ns.h"
#include "virtio_blk.h"

#define IPCBUF ((struct kit_ipc_buffer *)KIT_IPC_BUFFER_ROOT)

/* blkd's cspace (KIT_SLOT_ARG: the name service) and address space. */
#define REGS	     8		/* the disk's registers */
#define IRQ	     9		/* its IRQ handler */
#define NTFN	     10		/* the notification the handler signals */
#define EP	     11		/* blkd's endpoint */
#define RECV	     12		/* where a frame a client attaches arrives */
#define CLIENT(i)    (16 + (i)) /* client i's frame */
#define FRAMES	     32		/* BLK_FRAMES slots: the driver's queue and buffers */
#define REGS_VA	     0x30000000UL
#define MEM_VA	     0x30010000UL
#define CLIENT_VA(i) (0x30100000UL + (i)*BLK_BSIZE)
#define DISK_DEVICE  1 /* the board's device index of the disk (platform_device) */

static struct blk blk;
static int nodisk; /* the board has no disk: every read and write is -EIO */
static unsigned long nreads, nwrites, busy; /* BLK_STATS */
static struct {
	unsigned long badge; /* 0: a free entry */
} clients[BLK_CLIENTS];

/* client_of: the entry of the client with badge, or -1. */
static int client_of(unsigned long badge)
{
	for (int i = 0; i < BLK_CLIENTS; i++)
		if (badge && clients[i].badge == badge)
			return i;
	return -1;
}

/* attach: the frame that came (in RECV) becomes the client's (badge); kit/blk.h's BLK_ATTACH. */
static long attach(unsigned long badge, unsigned long info)
{
	struct kit_cap_info ci;
	int i = client_of(badge);

	if (!KIT_MSGINFO_CAPS(info) || sys_cap_identify(RECV, &ci) || ci.type != KIT_CAP_FRAME ||
	    !(ci.rights & KIT_RIGHT_WRITE)) {
		sys_cap_delete(RECV);
		return -EINVAL;
	}
	for (int j = 0; i < 0 && j < BLK_CLIENTS; j++)
		if (!clients[j].badge)
			i = j;
	if (i < 0) {
		sys_cap_delete(RECV);
		return -ENOSPC;
	}
	sys_frame_unmap(CLIENT(i)); /* the client's last frame, if it is still there */
	sys_cap_delete(CLIENT(i));
	clients[i].badge = 0;
	long r = sys_cap_move(CLIENT(i), RECV);
	if (!r)
		r = sys_frame_map(CLIENT(i), CLIENT_VA(i), KIT_RIGHTS_ALL);
	if (r) {
		sys_cap_delete(CLIENT(i));
		return r;
	}
	clients[i].badge = badge;
	return 0;
}

/* serve: one request *m from the client with badge m->badge into its reply. */
static void serve(struct kit_msg *m)
{
	unsigned long label = KIT_MSGINFO_LABEL(m->info);
	int i = client_of(m->badge);
	long r;

	if (label == BLK_ATTACH) {
		r = attach(m->badge, m->info);
		m->mr[1] = blk.capacity / (BLK_BSIZE / 512);
	} else if (label == BLK_READ || label == BLK_WRITE) {
		uint64_t t0 = kit_cycles(), w0 = blk.wait_cycles;
		r = nodisk  ? -EIO
		    : i < 0 ? -ENOENT
			    : blk_rw(&blk, m->mr[0], (void *)CLIENT_VA(i), label == BLK_WRITE);
		*(label == BLK_READ ? &nreads : &nwrites) += 1;
		busy += kit_cycles() - t0 - (blk.wait_cycles - w0);
	} else if (label == BLK_FAULT) { /* kit/blk.h: the tests' driver fault */
		*(volatile unsigned long *)BLK_WILD = 1;
		r = -EFAULT;
	} else if (label == BLK_STATS) {
		r = 0;
		m->mr[1] = nreads, m->mr[2] = nwrites, m->mr[3] = busy;
		IPCBUF->mr[4] = blk.wait_cycles;
	} else {
		r = -ENOSYS;
	}
	m->info = KIT_MSGINFO(0, 0, label == BLK_STATS ? 5 : 4);
	m->mr[0] = (unsigned long)r;
}

/* setup: the device from init, the driver's memory, blk_init; 0 or the first error. */
static long setup(void)
{
	struct kit_device_info dev;
	long r;

	if ((r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1)))
		return r;
	if ((r = ns_device(DISK_DEVICE, NS_DEVICE_REGS, REGS, &dev)) ||
	    (r = ns_device(DISK_DEVICE, NS_DEVICE_IRQ, IRQ, NULL)) ||
	    (dev.mmio && (r = sys_frame_map(REGS, REGS_VA, KIT_RIGHTS_ALL))) ||
	    (r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1)) ||
	    (r = sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_FRAME, 0, FRAMES, BLK_FRAMES)) ||
	    (r = blk_init(&blk, &dev, REGS, REGS_VA, IRQ, NTFN, FRAMES, MEM_VA))) {
		/* QEMU without -drive: the slot is there, empty. Serve anyway, so the boot goes on. */
		printf("blkd: no disk (%s): every request fails with EIO\n", errstr((int)r));
		nodisk = 1;
		blk.capacity = 0;
	}
	return 0;
}

int main(void)
{
	struct kit_msg m;
	long r = setup();

	if (!r)
		r = ns_register(BLK_NAME, EP);
	if (r) {
		printf("blkd: cannot start: %s\n", errstr((int)r));
		return 1;
	}
	IPCBUF->recv_slot = RECV;
	r = kit_recv(EP, &m);
	for (;;) {
		if (r == KIT_RECV_MESSAGE) {
			serve(&m);
			IPCBUF->recv_slot = RECV;
			IPCBUF->cap_slot = 0;
			r = kit_reply_recv(EP, &m);
		} else {
			r = kit_recv(EP, &m);
		}
	}
}

// @file lab5
/*
 * virtio_blk.c: lab 5's virtio-blk driver (virtio_blk.h): the legacy
 * register interface over MMIO or I/O ports, the device's initialization
 * (virtio 1.0 spec 3.1.2, "Legacy Interface: Device Initialization"), one
 * virtqueue (spec 2.4) and requests of three descriptors (spec 5.2.6: a
 * header the device reads, the data, a status byte it writes).
 * Entry points: blk_init, blk_rw.
 */
#include "virtio_blk.h"

/* Legacy virtio-mmio registers (virtio 1.0 spec 4.2.4), byte offsets. */
#define MMIO_MAGIC	   0x000 /* "virt" */
#define MMIO_VERSION	   0x004 /* 1: legacy */
#define MMIO_DEVICE_ID	   0x008 /* 2: a block device */
#define MMIO_HOST_FEATURES 0x010
#define MMIO_GUEST_FEAT	   0x020
#define MMIO_GUEST_PAGE	   0x028
#define MMIO_QUEUE_SEL	   0x030
#define MMIO_QUEUE_MAX	   0x034
#define MMIO_QUEUE_NUM	   0x038
#define MMIO_QUEUE_ALIGN   0x03c
#define MMIO_QUEUE_PFN	   0x040
#define MMIO_QUEUE_NOTIFY  0x050
#define MMIO_INT_STATUS	   0x060
#define MMIO_INT_ACK	   0x064
#define MMIO_STATUS	   0x070
#define MMIO_CONFIG	   0x100
#define MMIO_MAGIC_VALUE   0x74726976

/* Legacy virtio-pci registers in I/O space (spec 4.1.4.8), byte offsets. */
#define PCI_HOST_FEATURES 0
#define PCI_GUEST_FEAT	  4
#define PCI_QUEUE_PFN	  8
#define PCI_QUEUE_NUM	  12 /* 16 bits, read only */
#define PCI_QUEUE_SEL	  14
#define PCI_QUEUE_NOTIFY  16
#define PCI_STATUS	  18 /* 8 bits */
#define PCI_ISR		  19 /* 8 bits, cleared by the read */
#define PCI_CONFIG	  20

#define STATUS_ACK	 1 /* the guest saw the device */
#define STATUS_DRIVER	 2 /* and has a driver for it */
#define STATUS_DRIVER_OK 4 /* which is ready */
#define DEVICE_BLK	 2

#define VIRTQ_DESC_F_NEXT  1 /* the chain goes on at next */
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer */
#define BLK_T_IN	   0 /* read */
#define BLK_T_OUT	   1 /* write */
#define SECTOR		   512
#define PAGE		   4096

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

/* The request header (spec 5.2.6) and the status byte, on the page after the queue. */
struct blk_req {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* reg_read / reg_write: a register of size bytes at offset off (the transport's offsets). */
static uint32_t reg_read(struct blk *b, unsigned off, unsigned size)
{
	if (b->mmio)
		return *(volatile uint32_t *)(b->mmio + off);
	return (uint32_t)sys_ioport_in(b->ports, b->port + off, size);
}

static void reg_write(struct blk *b, unsigned off, uint32_t v, unsigned size)
{
	if (b->mmio)
		*(volatile uint32_t *)(b->mmio + off) = v;
	else
		sys_ioport_out(b->ports, b->port + off, v, size);
}

/* set_status: the device status register (reset with 0). */
static void set_status(struct blk *b, uint8_t s)
{
	if (b->mmio)
		reg_write(b, MMIO_STATUS, s, 4);
	else
		reg_write(b, PCI_STATUS, s, 1);
}

/* map_frames: BLK_FRAMES frames from slot frames at va; their physical address, or an error. */
static long map_frames(unsigned long frames, unsigned long va)
{
	long pa = sys_frame_addr(frames);
	for (unsigned i = 0; i < BLK_FRAMES && pa >= 0; i++) {
		long err = sys_frame_map(frames + i, va + i * PAGE, KIT_RIGHTS_ALL);
		if (err)
			return err;
		if (sys_frame_addr(frames + i) != pa + (long)i * PAGE)
			return -EINVAL; /* not consecutive: not from one SYS_RETYPE */
	}
	return pa;
}

/* queue_setup: queue 0 of qsize entries in the legacy layout at b->mem; 0 or -EINVAL. */
static int queue_setup(struct blk *b, unsigned qsize)
{
	size_t used_off = (16 * qsize + 6 + 2 * qsize + PAGE - 1) / PAGE * PAGE;
	if (qsize == 0 ||
	    used_off + PAGE * ((6 + 8 * qsize + PAGE - 1) / PAGE) > BLK_QUEUE_PAGES * PAGE)
		return -EINVAL;
	b->qsize = qsize;
	b->desc = (struct virtq_desc *)b->mem;
	b->avail = (struct virtq_avail *)(b->mem + 16 * qsize);
	b->used = (struct virtq_used *)(b->mem + used_off);
	return 0;
}

int blk_init(struct blk *b, const struct kit_device_info *dev, unsigned long regs,
	     unsigned long mmio_va, unsigned long irq, unsigned long ntfn, unsigned long frames,
	     unsigned long va)
{
	long pa = map_frames(frames, va);
	int err;

	if (pa < 0)
		return (int)pa;
	*b = (struct blk){.mmio = dev->mmio ? (volatile uint8_t *)mmio_va : NULL,
			  .ports = regs,
			  .port = dev->port,
			  .irq = irq,
			  .ntfn = ntfn,
			  .mem = (uint8_t *)va,
			  .mem_pa = (uint64_t)pa};
	memset(b->mem, 0, BLK_FRAMES * PAGE);
	if (b->mmio &&
	    (reg_read(b, MMIO_MAGIC, 4) != MMIO_MAGIC_VALUE || reg_read(b, MMIO_VERSION, 4) != 1 ||
	     reg_read(b, MMIO_DEVICE_ID, 4) != DEVICE_BLK))
		return -ENOENT;
	set_status(b, 0);
	set_status(b, STATUS_ACK);
	set_status(b, STATUS_ACK | STATUS_DRIVER);
	if (b->mmio) {
		reg_write(b, MMIO_GUEST_FEAT, 0, 4); /* no optional feature */
		reg_write(b, MMIO_GUEST_PAGE, PAGE, 4);
		reg_write(b, MMIO_QUEUE_SEL, 0, 4);
		unsigned max = reg_read(b, MMIO_QUEUE_MAX, 4);
		err = queue_setup(b, max < 8 ? max : 8);
		if (err)
			return err;
		reg_write(b, MMIO_QUEUE_NUM, b->qsize, 4);
		reg_write(b, MMIO_QUEUE_ALIGN, PAGE, 4);
		reg_write(b, MMIO_QUEUE_PFN, (uint32_t)(b->mem_pa / PAGE), 4);
		b->capacity =
		    reg_read(b, MMIO_CONFIG, 4) | (uint64_t)reg_read(b, MMIO_CONFIG + 4, 4) << 32;
	} else {
		reg_write(b, PCI_GUEST_FEAT, 0, 4);
		reg_write(b, PCI_QUEUE_SEL, 0, 2);
		err = queue_setup(b, reg_read(b, PCI_QUEUE_NUM, 2)); /* the device's size */
		if (err)
			return err;
		reg_write(b, PCI_QUEUE_PFN, (uint32_t)(b->mem_pa / PAGE), 4);
		b->capacity = reg_read(b, PCI_CONFIG, 4) | (uint64_t)reg_read(b, PCI_CONFIG + 4, 4)
							       << 32;
	}
	set_status(b, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
	err = (int)sys_irq_set_notification(irq, ntfn);
	return err ? err : (int)sys_irq_ack(irq);
}

/* irq_quiet: take the device's interrupt status (the read clears it on PCI; MMIO wants the bits
 * written back), then unmask the line. */
static void irq_quiet(struct blk *b)
{
	if (b->mmio)
		reg_write(b, MMIO_INT_ACK, reg_read(b, MMIO_INT_STATUS, 4), 4);
	else
		reg_read(b, PCI_ISR, 1);
	sys_irq_ack(b->irq);
}

int blk_rw(struct blk *b, uint64_t block, void *buf, int write)
{
	// @lab5 solution
	struct blk_req *req = (struct blk_req *)(b->mem + BLK_QUEUE_PAGES * PAGE);
	volatile uint8_t *status = (uint8_t *)(req + 1);
	uint8_t *data = b->mem + (BLK_QUEUE_PAGES + 1) * PAGE;
	uint64_t req_pa = b->mem_pa + BLK_QUEUE_PAGES * PAGE;
	unsigned long word;

	if ((block + 1) * (BLK_BLOCK_SIZE / SECTOR) > b->capacity)
		return -EINVAL;
	*req = (struct blk_req){.type = write ? BLK_T_OUT : BLK_T_IN,
				.sector = block * (BLK_BLOCK_SIZE / SECTOR)};
	*status = 0xff;
	if (write)
		memcpy(data, buf, BLK_BLOCK_SIZE);
	b->desc[0] = (struct virtq_desc){req_pa, sizeof(*req), VIRTQ_DESC_F_NEXT, 1};
	b->desc[1] = (struct virtq_desc){req_pa + PAGE, BLK_BLOCK_SIZE,
					 VIRTQ_DESC_F_NEXT | (write ? 0 : VIRTQ_DESC_F_WRITE), 2};
	b->desc[2] = (struct virtq_desc){req_pa + sizeof(*req), 1, VIRTQ_DESC_F_WRITE, 0};
	b->avail->ring[b->avail->idx % b->qsize] = 0;
	__sync_synchronize(); /* the descriptors before the index the device reads */
	b->avail->idx++;
	__sync_synchronize();
	reg_write(b, b->mmio ? MMIO_QUEUE_NOTIFY : PCI_QUEUE_NOTIFY, 0, b->mmio ? 4 : 2);
	/* Idle until the interrupt: each signal is one interrupt, after which the used ring says
	 * whether this request is done (an interrupt may also be for a configuration change). */
	while (*(volatile uint16_t *)&b->used->idx == b->last_used) {
		uint64_t t0 = kit_cycles();
		sys_wait(b->ntfn, &word);
		b->wait_cycles += kit_cycles() - t0;
		b->interrupts++;
		irq_quiet(b);
	}
	__sync_synchronize();
	b->last_used++;
	if (!write)
		memcpy(buf, data, BLK_BLOCK_SIZE);
	return *status == 0 ? 0 : -EIO;
	// @lab5 stub
	// TODO(lab5): one request of three descriptors (virtio spec 5.2.6) in b's pages after the
	// queue: the header (struct blk_req: type, sector) the device reads, the block's data
	// (the device writes it on a read), the status byte the device writes (0: done). Put its
	// head in the available ring, make the index visible, notify queue 0, then sys_wait on
	// b->ntfn (irq_quiet after each interrupt) until the used ring's idx moves past
	// b->last_used. -EINVAL for a block beyond b->capacity (512-byte sectors), -EIO for a
	// non-zero status.
	// Hint: req at b->mem + BLK_QUEUE_PAGES * PAGE, the data one page further; the device
	// takes physical addresses (b->mem_pa + the same offsets); __sync_synchronize() before
	// the index moves and before the notify; count b->interrupts and b->wait_cycles.
	(void)b, (void)block, (void)buf, (void)write, (void)irq_quiet;
	return -ENOSYS;
	// @lab5 end
}

/*
 * virtio_blk.h: lab 5's virtio-blk driver in user space (virtio_blk.c), the
 * core of the block server. One legacy virtio device (virtio 1.0 spec 4.1.4.8
 * and 4.2.4, "Legacy interface"), reached either way the board gives its
 * registers: a mapped page (riscv64 virtio-mmio) or I/O ports (x86_64
 * virtio-pci through the kernel's SYS_IOPORT_*). One virtqueue in the legacy
 * layout (spec 2.4.2: descriptors, then the available ring, then, from the
 * next page, the used ring) in physically consecutive frames, one request in
 * flight, its completion an interrupt delivered as a notification.
 */
#pragma once

#include "user.h"
#include "kit/syscall.h"

#define BLK_BLOCK_SIZE	4096		      /* bytes a request moves: one kit/fs.h block */
#define BLK_QUEUE_PAGES 3		      /* the largest queue the driver takes: 256 entries */
#define BLK_FRAMES	(BLK_QUEUE_PAGES + 2) /* + a page for the header and status + the data */

/* What the driver holds: set up by blk_init, used by blk_rw. */
struct blk {
	volatile uint8_t *mmio; /* the registers' mapping (virtio-mmio), or NULL */
	unsigned long ports;	/* the I/O port capability's slot (virtio-pci) */
	unsigned long port;	/* its first port */
	unsigned long irq;	/* the IRQ handler capability's slot */
	unsigned long ntfn;	/* the notification it signals */
	uint8_t *mem;		/* BLK_FRAMES mapped pages: the queue, the header, the data */
	uint64_t mem_pa;	/* their physical address */
	unsigned qsize;		/* entries in the queue */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t last_used;	  /* used->idx when the last request completed */
	uint64_t capacity;	  /* the disk's size, in 512-byte sectors */
	unsigned long interrupts; /* completions waited for */
	uint64_t wait_cycles;	  /* kit_cycles spent in those waits (idle, the host's timing) */
};

/*
 * blk_init: bring the device up. regs: the slot of its registers' capability
 * (a frame, already mapped at mmio_va, or I/O ports); irq: an IRQ handler
 * for its line; ntfn: a notification (the handler signals it); frames: the
 * first of BLK_FRAMES consecutive slots holding frames retyped by one
 * SYS_RETYPE (physically consecutive), which it maps from va on. Returns 0,
 * or -ENOENT (no virtio-blk device there), -EINVAL (a queue it cannot take),
 * or a system call's error.
 */
int blk_init(struct blk *b, const struct kit_device_info *dev, unsigned long regs,
	     unsigned long mmio_va, unsigned long irq, unsigned long ntfn, unsigned long frames,
	     unsigned long va);

/*
 * blk_rw: read (write 0) or write (write 1) block number block (BLK_BLOCK_SIZE
 * bytes) into or from buf. Waits for the device's interrupt, idle: the
 * completion's timing is the host's, so nothing here counts on it. Returns 0,
 * -EINVAL (beyond the disk) or -EIO (the device's status).
 */
int blk_rw(struct blk *b, uint64_t block, void *buf, int write);

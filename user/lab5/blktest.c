/*
 * blktest.c: the virtio-blk driver (virtio_blk.c) on its own, run by the
 * monitor (`run blktest`) with a disk that tools/mkfs made: the board's
 * device 1 with its registers and interrupt (SYS_DEVICE_GET, SYS_IRQ_GET),
 * the driver's setup, the superblock read back, a block written and read
 * back, the rest of the disk untouched. Checks "blk-*" in suite "blk"; then
 * a line "blk: N reads, I interrupts, C cycles per 4 KiB read", for
 * information only: C is kit_cycles, virtual time under -icount, which
 * counts instructions while the CPU runs but also whatever QEMU adds while
 * it idles for a completion, so it depends on when completions land (not a
 * graded number; lab 5's will count instructions only).
 */
#include "user.h"
#include "kit/fs.h"
#include "../lab4/check.h"
#include "virtio_blk.h"

#define REGS	8
#define NTFN	9
#define IRQ	10
#define FRAMES	16 /* BLK_FRAMES slots */
#define REGS_VA 0x30000000UL
#define MEM_VA	0x30010000UL
#define READS	16

static uint8_t buf[BLK_BLOCK_SIZE], pattern[BLK_BLOCK_SIZE];

int main(void)
{
	struct kit_device_info dev;
	struct blk b;
	struct fs_superblock sb;

	check_suite = "blk";
	if (!check_eq("blk-device", sys_device_get(KIT_SLOT_IRQ_CONTROL, 1, REGS, &dev), 0))
		return check_done();
	check_eq("blk-device-name", strcmp(dev.name, "virtio-blk"), 0);
	check_eq("blk-device-end", sys_device_get(KIT_SLOT_IRQ_CONTROL, 9, 0, &dev) == -ENOENT, 1);
	if (dev.mmio)
		check_eq("blk-map", sys_frame_map(REGS, REGS_VA, KIT_RIGHTS_ALL), 0);
	check_eq("blk-ntfn", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1), 0);
	check_eq("blk-irq", sys_irq_get(KIT_SLOT_IRQ_CONTROL, dev.irq, IRQ), 0);
	check_eq("blk-frames", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_FRAME, 0, FRAMES, BLK_FRAMES),
		 0);
	if (!check_eq("blk-init", blk_init(&b, &dev, REGS, REGS_VA, IRQ, NTFN, FRAMES, MEM_VA), 0))
		return check_done();
	check_eq("blk-read-super", blk_rw(&b, 1, buf, 0), 0);
	memcpy(&sb, buf, sizeof(sb));
	check_eq("blk-magic", sb.magic, FS_MAGIC);
	check_eq("blk-capacity", b.capacity, (uint64_t)sb.size * (BLK_BLOCK_SIZE / 512));
	check_eq("blk-beyond", blk_rw(&b, sb.size, buf, 0), -EINVAL);
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 3);
	check_eq("blk-write", blk_rw(&b, sb.size - 1, pattern, 1), 0);
	memset(buf, 0, sizeof(buf));
	check_eq("blk-read-back", blk_rw(&b, sb.size - 1, buf, 0), 0);
	check_eq("blk-same", memcmp(buf, pattern, sizeof(buf)), 0);
	unsigned long before = b.interrupts;
	int ok = 0;
	uint64_t t0 = kit_cycles();
	for (int i = 0; i < READS; i++)
		ok +=
		    blk_rw(&b, 1, buf, 0) == 0 && ((struct fs_superblock *)buf)->magic == FS_MAGIC;
	uint64_t per_read = (kit_cycles() - t0) / READS;
	check_eq("blk-reads", ok, READS);
	check_eq("blk-interrupts-bounded", b.interrupts - before <= READS + 1, 1); /* no storm */
	printf("blk: %d reads, %lu interrupts, %lu cycles per 4 KiB read\n", READS,
	       b.interrupts - before, (unsigned long)per_read);
	return check_done();
}

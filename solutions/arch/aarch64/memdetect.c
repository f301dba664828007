// @file lab7
/*
 * memdetect.c (aarch64): arch_mem_detect from the VideoCore's answer (lab 7;
 * lab 1's hole on the other arches).
 *
 * The Pi has no device tree unless one is passed: the board code asks the
 * firmware through the mailbox property interface at boot (raspi3b/mbox.c)
 * and leaves the answered property buffer at bootinfo.firmware. Its format
 * is in arch/mbox.h: a size and a response code, then tags one after the
 * other, each an id, the size of its value buffer in bytes, a code whose
 * bit 31 says the firmware answered it, and the value buffer (padded to
 * whole 32-bit words); tag id 0 ends the list. The tag
 * MBOX_TAG_ARM_MEMORY's value is the ARM's RAM: a 32-bit base and size.
 * QEMU's raspi3b answers base 0 and its RAM minus the VideoCore's share.
 */
#include "kernel.h"
#include "arch.h"
#include "arch/mbox.h"

int arch_mem_detect(struct mem_region *regions, int max)
{
	const uint32_t *buf = bootinfo.firmware;
	// @lab7 solution
	if (!buf || buf[1] != MBOX_RESPONSE_OK || buf[0] % 4 || buf[0] < 12)
		return -EINVAL;
	size_t words = buf[0] / 4;
	for (size_t i = 2; i + 3 <= words && buf[i] != MBOX_TAG_END;
	     i += 3 + (buf[i + 1] + 3) / 4) {
		uint32_t code = buf[i + 2];
		if (buf[i] != MBOX_TAG_ARM_MEMORY || !(code & MBOX_TAG_RESPONSE) ||
		    (code & ~MBOX_TAG_RESPONSE) < 8 || i + 5 > words)
			continue;
		if (max < 1 || buf[i + 4] == 0)
			return 0;
		regions[0] = (struct mem_region){buf[i + 3], buf[i + 4], NULL};
		return 1;
	}
	return -EINVAL;
	// @lab7 stub
	// TODO(lab7): find the MBOX_TAG_ARM_MEMORY tag in the firmware's answer
	// (the property buffer at bootinfo.firmware, arch/mbox.h), fill regions[0]
	// with its base and size and return 1; -EINVAL when the buffer is not an
	// answer (its code is not MBOX_RESPONSE_OK) or holds no answered tag.
	// Hint: tags follow each other from word 2; each takes 3 words plus its
	// value buffer's size rounded up to whole words; id 0 ends the list.
	(void)buf, (void)regions, (void)max;
	return -ENOSYS;
	// @lab7 end
}

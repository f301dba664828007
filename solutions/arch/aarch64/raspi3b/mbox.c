// @file lab7
/*
 * mbox.c (aarch64 raspi3b): one call to the VideoCore's property interface
 * (mailbox 0, channel 8; arch/mbox.h has the buffer's format) at boot, asking
 * for the board revision, the ARM's RAM and the VideoCore's share of it.
 * Lab 1's arch_mem_detect reads the answer through bootinfo.firmware.
 * Entry point: rpi_mbox_query.
 */
#include "kernel.h"
#include "arch.h"
#include "raspi3b.h"
#include "arch/mbox.h"

#define MBOX_READ    (RPI_MBOX + 0x00)
#define MBOX_STATUS  (RPI_MBOX + 0x18)
#define MBOX_WRITE   (RPI_MBOX + 0x20)
#define MBOX_FULL    (1U << 31)
#define MBOX_EMPTY   (1U << 30)
#define MBOX_CH_PROP 8
#define MBOX_SPINS   1000000

static uint32_t props[18] __attribute__((aligned(64)));

/* cache_sync: clean and invalidate the buffer's cache lines (the VideoCore reads and
 * writes RAM behind the ARM's caches on a Pi; QEMU needs none of it). */
static void cache_sync(void)
{
	for (uintptr_t p = (uintptr_t)props; p < (uintptr_t)(props + ARRAY_SIZE(props)); p += 64)
		__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

/*
 * rpi_mbox_query: send the request on channel 8 and wait for its answer
 * (the buffer's physical address, 16-byte aligned, with the channel in the
 * low 4 bits). Returns the answered buffer, or NULL when the mailbox did not
 * answer within MBOX_SPINS polls. Called once by platform_init.
 */
const uint32_t *rpi_mbox_query(void)
{
	/* The request, one line per tag. */
	/* clang-format off */
	static const uint32_t request[] = {
	    sizeof(props), 0,
	    MBOX_TAG_BOARD_REV, 4, 0, 0,
	    MBOX_TAG_ARM_MEMORY, 8, 0, 0, 0,
	    MBOX_TAG_VC_MEMORY, 8, 0, 0, 0,
	    MBOX_TAG_END, 0,
	};
	/* clang-format on */
	_Static_assert(sizeof(request) == sizeof(props), "the request fills the buffer");
	for (size_t i = 0; i < ARRAY_SIZE(props); i++)
		props[i] = request[i];
	// @lab7 solution
	cache_sync();
	uint32_t msg = (uint32_t)kimg_to_pa(props) | MBOX_CH_PROP;
	int spins = MBOX_SPINS;
	while ((rpi_read(MBOX_STATUS) & MBOX_FULL) && --spins)
		;
	rpi_write(MBOX_WRITE, msg);
	while (spins) {
		while ((rpi_read(MBOX_STATUS) & MBOX_EMPTY) && --spins)
			;
		if (spins && rpi_read(MBOX_READ) == msg) {
			cache_sync();
			return props;
		}
	}
	return NULL;
	// @lab7 stub
	// TODO(lab7): the request to the VideoCore: cache_sync, wait while MBOX_STATUS is
	// MBOX_FULL, write the buffer's physical address (kimg_to_pa) | MBOX_CH_PROP to
	// MBOX_WRITE, then read MBOX_READ (while MBOX_STATUS is not MBOX_EMPTY) until your
	// own message comes back, cache_sync again and return props. NULL after MBOX_SPINS
	// polls without an answer. Hint: the low 4 bits of a message are its channel.
	(void)cache_sync;
	return NULL;
	// @lab7 end
}

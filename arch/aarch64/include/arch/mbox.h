/*
 * mbox.h (aarch64, Raspberry Pi): the VideoCore mailbox property interface
 * as the Pi firmware (and QEMU's raspi machines, hw/misc/bcm2835_property.c)
 * speaks it, for lab 1's memory query (the Pi has no device tree unless one
 * is passed). A property buffer is 32-bit little-endian words:
 *   [0] the buffer's size in bytes   [1] the request code: 0 sent, then
 *   MBOX_RESPONSE_OK (or MBOX_RESPONSE_ERROR) back, then tags, each
 *   [id] [value buffer size in bytes] [request/response code] [value words...]
 * padded to whole words, and a final tag id 0. The firmware answers a tag by
 * setting bit 31 of its code, the low 31 bits the response's length in bytes.
 */
#pragma once

#define MBOX_RESPONSE_OK    0x80000000U
#define MBOX_RESPONSE_ERROR 0x80000001U
#define MBOX_TAG_RESPONSE   0x80000000U /* a tag's code: answered, low 31 bits its length */
#define MBOX_TAG_END	    0x00000000U
#define MBOX_TAG_BOARD_REV  0x00010002U /* value: the revision word */
#define MBOX_TAG_ARM_MEMORY 0x00010005U /* value: the ARM's RAM, base and size in bytes */
#define MBOX_TAG_VC_MEMORY  0x00010006U /* value: the VideoCore's share, base and size */

/*
 * kit/blk.h: lab 5's block protocol, the one the block server
 * (user/lab5/blkd.c, registered as "blkd" with the name service, kit/ns.h)
 * speaks: whole blocks of BLK_BSIZE bytes, moved in a frame its client
 * shares with it. The client retypes a frame, maps it, and sends a copy of
 * its capability once (BLK_ATTACH); blkd maps that copy, and each request's
 * data is there: blkd fills it on a read, takes it on a write. blkd tells
 * its clients apart by their badges (the one init minted for each client's
 * lookup), so a client has one frame at a time.
 *
 * Calls (a Call on blkd's endpoint; the label is the operation, the reply's
 * label 0 and MR 0 the result, >= 0 or a negative -E* code):
 *   BLK_ATTACH (the capability: a frame, with write right) -> 0, MR 1 the
 *       disk's size in blocks: the frame holds this client's data from now on
 *       (an earlier frame of the same client is unmapped). -EINVAL: no
 *       capability came, or not a writable frame; -ENOSPC: BLK_CLIENTS
 *       clients have frames.
 *   BLK_READ (MR 0 a block number) -> 0: the block's bytes are in the frame.
 *   BLK_WRITE (MR 0 a block number; the bytes in the frame) -> 0: the
 *       device completed the write (it is on the disk as far as the guest
 *       can tell: the driver negotiates no write cache).
 *   Both: -ENOENT the client has no frame (attach, e.g. after a restart of
 *   blkd), -EINVAL a block beyond the disk, -EIO the device's status (or no
 *   disk: QEMU without one; blkd still serves, so that the boot goes on).
 *   BLK_STATS () -> 0, MR 1 the reads and MR 2 the writes served since blkd
 *       started, MR 3 the instructions (kit_cycles) blkd spent on them from
 *       each request's arrival to its reply, the idle waits for the
 *       device's interrupt not counted (their length is the host's), MR 4
 *       the kit_cycles of those waits (a client subtracts them from what it
 *       measures to count instructions only).
 *   BLK_FAULT () -> no reply: blkd stores through a wild pointer (BLK_WILD,
 *       mapped nowhere) and faults, so tests see a driver's fault survived
 *       (the supervisor restarts it; its clients repeat their requests).
 *
 * When blkd is restarted its clients' capabilities to it are gone: a Call
 * fails (-EINVAL or -EPIPE); the client looks "blkd" up again, attaches its
 * frame again and repeats the request: a read or a write of a whole block
 * may be repeated.
 */
#pragma once

#define BLK_NAME    "blkd"
#define BLK_BSIZE   4096 /* bytes of a block: kit/fs.h's FS_BSIZE, one page */
#define BLK_CLIENTS 4	 /* clients with a frame at one time */

/* Labels of block calls. */
#define BLK_ATTACH 1
#define BLK_READ   2
#define BLK_WRITE  3
#define BLK_STATS  4
#define BLK_FAULT  5
#define BLK_WILD   0xdead0000UL /* BLK_FAULT's wild pointer */

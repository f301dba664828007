/*
 * kws.h: the protocol of lab 8's keyword-spotting service (kws.c, the
 * client and background; kwsd.c, the server) and of the kernel's kwsbench
 * command that starts it (common/lab8/kwsbench.c keeps its own copy of the
 * numbers marked "kernel" below: user programs and the kernel share no
 * headers but kit/).
 */
#pragma once

/* Call labels (kwsd.c). */
#define KWS_INFER     1
#define KWS_CALIBRATE 2

/* kernel: the client's notification slot, which kwsbench signals: bit 0 at every release,
 * bit 1 once the run is over. */
#define KWS_SLOT_TICK	 9
#define KWS_TICK_RELEASE 1UL
#define KWS_TICK_END	 2UL

/* kernel: the start argument kwsbench gives kws: the run's start in ms of arch_time_ns (22
 * bits), the period in us (17), the requests (12), the load in percent (9), the seed (4). */
#define KWS_ARG_START_MS(a)  ((a)&0x3fffffUL)
#define KWS_ARG_PERIOD_US(a) (((a) >> 22) & 0x1ffffUL)
#define KWS_ARG_REQUESTS(a)  (((a) >> 39) & 0xfffUL)
#define KWS_ARG_LOAD(a)	     (((a) >> 51) & 0x1ffUL)
#define KWS_ARG_SEED(a)	     (((a) >> 60) & 0xfUL)

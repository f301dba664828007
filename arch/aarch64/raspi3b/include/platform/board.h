/*
 * board.h (aarch64 raspi3b): the board facts portable code may use, through
 * platform.h (the board's include/ is on the include path: raspi3b/rules.mk).
 */
#pragma once

/* PLATFORM_IRQ_COUNT: interrupt numbers 0..63, the BCM2835 controller's GPU interrupts
 * (bank 1 is 0..31, bank 2 is 32..63; the PL011 is 57). */
#define PLATFORM_IRQ_COUNT 64

/*
 * board.h (x86_64 pc): the board facts portable code may use, through
 * platform.h (the board's include/ is on the include path: pc/rules.mk).
 */
#pragma once

/* PLATFORM_IRQ_COUNT: interrupt numbers 0..15, the 8259 pair's lines. */
#define PLATFORM_IRQ_COUNT 16

/*
 * board.h (riscv64 virt): the board facts portable code may use, through
 * platform.h (the board's include/ is on the include path: virt/rules.mk).
 */
#pragma once

/* PLATFORM_IRQ_COUNT: interrupt numbers 0..96, the PLIC's source ids (0 is "no interrupt";
 * the device tree's "riscv,ndev" is 96). */
#define PLATFORM_IRQ_COUNT 97

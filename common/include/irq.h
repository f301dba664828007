/*
 * irq.h: the portable interrupt layer: device interrupts (the board's
 * controller inputs, platform.h) dispatched to registered handlers. The
 * arch trap code calls irq_dispatch for every external interrupt (riscv64:
 * scause "supervisor external interrupt"; x86_64: the 8259 vectors). The
 * CPU's own timer interrupt on riscv64 does not come this way (timer.c).
 * Lab 5 forwards interrupts to user-space drivers as notifications from here.
 */
#pragma once

#include "types.h"

/*
 * irq_register: call handler(irq, arg) for every interrupt irq from now on.
 * It runs with interrupts disabled on the interrupted stack, before the
 * controller's completion (platform_irq_complete): it must make the device
 * drop its request and return without switching threads (only a line with
 * nothing to complete may switch, as the x86_64 PIT's does). The line stays
 * masked until the caller unmasks it (platform_irq_unmask).
 * Returns 0, -EINVAL (irq not below PLATFORM_IRQ_COUNT, or no handler)
 * or -EBUSY (irq has a handler already).
 */
int irq_register(unsigned irq, void (*handler)(unsigned irq, void *arg), void *arg);

/* irq_unregister: mask irq and forget its handler; -EINVAL when irq is out of range. */
int irq_unregister(unsigned irq);

/*
 * irq_dispatch: handle one external interrupt, from the arch trap code with
 * interrupts disabled; hint as for platform_irq_claim. Claims it, calls its
 * handler, completes it. One with no handler is masked and reported, once,
 * as "irq: interrupt N has no handler; masked" (it cannot come again until
 * someone unmasks it: no storm, no silent hang).
 */
void irq_dispatch(unsigned hint);

/* irq_count: how many times irq was dispatched since boot (handled or not); 0 out of range. */
unsigned long irq_count(unsigned irq);

/*
 * irq_last: the interrupt irq_dispatch handled last: its line into *irq
 * (PLATFORM_IRQ_COUNT before the first), and arch_cycles() when that
 * irq_dispatch began (instructions under QEMU -icount; 0 before the first).
 * What SYS_IPC_STATS reports as irq_line and irq_cycles: lab 5's consd
 * measures the path from a keystroke's interrupt to its echo with it.
 */
uint64_t irq_last(unsigned *irq);

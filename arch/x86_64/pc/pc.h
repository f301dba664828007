/*
 * pc.h: QEMU's pc machine as the kernel uses it: its ISA interrupt lines
 * (the 8259 pair's IRQ 0..15; QEMU hw/i386/pc.c and hw/char/serial-isa.c)
 * and the board files' private functions. Every device is reached through
 * I/O ports (arch/x86.h), so none needs a mapping.
 */
#pragma once

#include "types.h"

#define PC_IRQ_PIT  0 /* the 8254 PIT's channel 0 */
#define PC_IRQ_COM1 4 /* COM1, the console */

/* pc_uart_init: COM1 at 115200 8N1, FIFOs on, no interrupts (uart.c); once, first at boot. */
void pc_uart_init(void);
/* pc_pic_init: remap the 8259s to X86_IRQ_VECTOR0..+15, every line masked (pic.c); once. */
void pc_pic_init(void);
/* pc_pit_init: stop the BIOS tick, register and unmask the timer's IRQ 0 (pit.c); once. */
void pc_pit_init(void);

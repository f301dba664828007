/*
 * raspi3b.h: QEMU's raspi3b board (a Raspberry Pi 3 Model B: BCM2837) as the
 * kernel uses it (BCM2835 ARM Peripherals, the BCM2836 "ARM Quad A7 core"
 * local-peripherals note, QEMU 7.2 hw/arm/bcm2836.c and bcm2835_peripherals.c),
 * and the board files' private functions. Physical addresses, reached
 * through the direct map.
 */
#pragma once

#include "types.h"
#include "mm.h"
#include "platform.h"

#define RPI_IC	  0x3f00b200UL /* the BCM2835 interrupt controller ("ARM control", +0x200) */
#define RPI_MBOX  0x3f00b880UL /* VideoCore mailbox 0 */
#define RPI_PM	  0x3f100000UL /* power management: the watchdog */
#define RPI_UART0 0x3f201000UL /* the PL011 (serial 0) */
#define RPI_LOCAL 0x40000000UL /* the BCM2836 local peripherals (per-core routing) */

#define RPI_UART0_IRQ 57 /* the PL011's GPU interrupt (bank 2, bit 25) */

/* rpi_reg: the kernel address of device register physical address pa (the direct map). */
static inline volatile uint32_t *rpi_reg(paddr_t pa)
{
	return pa_to_kva(pa);
}

static inline uint32_t rpi_read(paddr_t pa)
{
	return *rpi_reg(pa);
}

static inline void rpi_write(paddr_t pa, uint32_t v)
{
	*rpi_reg(pa) = v;
}

/* rpi_uart_init: the PL011 at 115200 8N1 unless the firmware enabled it, no interrupts (uart.c). */
void rpi_uart_init(void);
/* rpi_intc_init: every GPU interrupt disabled, core 0's timer interrupt routed (intc.c). */
void rpi_intc_init(void);
/* rpi_mbox_query: the memory query's property buffer, answered (mbox.c); NULL on failure. */
const uint32_t *rpi_mbox_query(void);

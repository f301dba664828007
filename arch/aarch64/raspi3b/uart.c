/*
 * uart.c (aarch64 raspi3b): the console, the PL011 at RPI_UART0 (Arm
 * PrimeCell UART (PL011) Technical Reference Manual, r1p5, 3.2 register
 * summary), polled, with its interrupt on GPU interrupt RPI_UART0_IRQ.
 * QEMU needs no set-up; on a Pi the firmware routes GPIO 14/15 to it.
 * Entry points: rpi_uart_init, the platform_console_* functions (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "raspi3b.h"

#define UART_DR	      (RPI_UART0 + 0x00)
#define UART_FR	      (RPI_UART0 + 0x18)
#define UART_IBRD     (RPI_UART0 + 0x24)
#define UART_FBRD     (RPI_UART0 + 0x28)
#define UART_LCRH     (RPI_UART0 + 0x2c)
#define UART_CR	      (RPI_UART0 + 0x30)
#define UART_IMSC     (RPI_UART0 + 0x38)
#define FR_RXFE	      (1U << 4) /* receive FIFO empty */
#define FR_TXFF	      (1U << 5) /* transmit FIFO full */
#define IMSC_RX	      (1U << 4)
#define IMSC_TX	      (1U << 5)
#define CR_UARTEN     (1U << 0)
#define CR_TX_RX      (3U << 8)
#define LCRH_8N1_FIFO 0x70

/* rpi_uart_init: if the firmware left the UART off (a Pi without enable_uart), 115200 baud
 * from the 48 MHz UART clock (divisor 26 + 3/64), 8N1 with FIFOs; no interrupts. */
void rpi_uart_init(void)
{
	rpi_write(UART_IMSC, 0);
	if (rpi_read(UART_CR) & CR_UARTEN)
		return;
	rpi_write(UART_IBRD, 26);
	rpi_write(UART_FBRD, 3);
	rpi_write(UART_LCRH, LCRH_8N1_FIFO);
	rpi_write(UART_CR, CR_UARTEN | CR_TX_RX);
}

void platform_console_putc(int c)
{
	while (rpi_read(UART_FR) & FR_TXFF)
		;
	rpi_write(UART_DR, (uint8_t)c);
}

int platform_console_getc(void)
{
	if (rpi_read(UART_FR) & FR_RXFE)
		return -1;
	return rpi_read(UART_DR) & 0xff;
}

/* platform_console_irq_enable (raspi3b): IMSC's receive and transmit bits. */
void platform_console_irq_enable(unsigned events)
{
	rpi_write(UART_IMSC, (events & CONSOLE_IRQ_RX ? IMSC_RX : 0) |
				 (events & CONSOLE_IRQ_TX ? IMSC_TX : 0));
}

unsigned platform_console_irq(void)
{
	return RPI_UART0_IRQ;
}

/* platform_console_regs (raspi3b): the PL011's page (its registers, 0x000..0xfff). */
void platform_console_regs(paddr_t *mmio, unsigned *port, unsigned *nports)
{
	*mmio = RPI_UART0;
	*port = *nports = 0;
}

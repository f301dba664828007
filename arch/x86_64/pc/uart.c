/*
 * uart.c (x86_64 pc): the console, COM1, a 16550 UART at I/O port 0x3f8
 * (QEMU hw/char/serial-isa.c; registers in ns16550.h), polled, with its
 * interrupt on IRQ 4.
 * Entry points: pc_uart_init, the platform_console_* functions (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "ns16550.h"
#include "arch/x86.h"
#include "pc.h"

#define COM1 0x3f8

/* pc_uart_init: 115200 baud (divisor 1 of 1.8432 MHz / 16), 8N1, FIFOs on, no interrupts;
 * OUT2 on, so that an interrupt, once enabled in IER, reaches IRQ 4. */
void pc_uart_init(void)
{
	x86_outb(COM1 + UART_IER, 0);
	x86_outb(COM1 + UART_LCR, LCR_DLAB);
	x86_outb(COM1 + UART_DLL, 1);
	x86_outb(COM1 + UART_DLM, 0);
	x86_outb(COM1 + UART_LCR, LCR_8N1);
	x86_outb(COM1 + UART_FCR, FCR_FIFO);
	x86_outb(COM1 + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
}

void platform_console_putc(int c)
{
	while (!(x86_inb(COM1 + UART_LSR) & LSR_THRE))
		;
	x86_outb(COM1 + UART_THR, (uint8_t)c);
}

int platform_console_getc(void)
{
	if (!(x86_inb(COM1 + UART_LSR) & LSR_DR))
		return -1;
	return x86_inb(COM1 + UART_RBR);
}

/* platform_console_irq_enable (pc): IER's received-data and THR-empty bits. */
void platform_console_irq_enable(unsigned events)
{
	x86_outb(COM1 + UART_IER, (events & CONSOLE_IRQ_RX ? IER_RDA : 0) |
				      (events & CONSOLE_IRQ_TX ? IER_THRE : 0));
}

unsigned platform_console_irq(void)
{
	return PC_IRQ_COM1;
}

void platform_console_regs(paddr_t *mmio, unsigned *port, unsigned *nports)
{
	*mmio = 0;
	*port = COM1;
	*nports = 8;
}

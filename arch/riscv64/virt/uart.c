/*
 * uart.c (riscv64 virt): the console, QEMU virt's ns16550a at VIRT_UART0
 * (one byte per register; ns16550.h), polled, with its interrupt on PLIC
 * source VIRT_UART0_IRQ. OpenSBI has already set its line parameters.
 * Entry points: virt_uart_init, the platform_console_* functions (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "ns16550.h"
#include "virt.h"

static inline uint8_t uart_read(int reg)
{
	return *(volatile uint8_t *)virt_reg(VIRT_UART0 + reg);
}

static inline void uart_write(int reg, uint8_t v)
{
	*(volatile uint8_t *)virt_reg(VIRT_UART0 + reg) = v;
}

void virt_uart_init(void)
{
	uart_write(UART_IER, 0);
}

void platform_console_putc(int c)
{
	while (!(uart_read(UART_LSR) & LSR_THRE))
		;
	uart_write(UART_THR, (uint8_t)c);
}

int platform_console_getc(void)
{
	if (!(uart_read(UART_LSR) & LSR_DR))
		return -1;
	return uart_read(UART_RBR);
}

/* platform_console_irq_enable (virt): IER's received-data and THR-empty bits. */
void platform_console_irq_enable(unsigned events)
{
	uart_write(UART_IER, (events & CONSOLE_IRQ_RX ? IER_RDA : 0) |
				 (events & CONSOLE_IRQ_TX ? IER_THRE : 0));
}

unsigned platform_console_irq(void)
{
	return VIRT_UART0_IRQ;
}

void platform_console_regs(paddr_t *mmio, unsigned *port, unsigned *nports)
{
	*mmio = VIRT_UART0;
	*port = *nports = 0;
}

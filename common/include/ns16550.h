/*
 * ns16550.h: the registers of the 16550 UART (National Semiconductor PC16550D
 * datasheet, "Register Addressing" and the register tables) that the
 * boards' console drivers use: QEMU virt's ns16550a (MMIO, one byte per
 * register) and the pc's COM1 (I/O ports). Offsets are register numbers.
 */
#pragma once

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor latch, low byte (with LCR_DLAB) */
#define UART_IER 1 /* interrupt enable */
#define UART_DLM 1 /* divisor latch, high byte (with LCR_DLAB) */
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */

#define IER_RDA	    0x01 /* interrupt when received data is available */
#define IER_THRE    0x02 /* interrupt when the transmit holding register is empty */
#define LCR_DLAB    0x80
#define LCR_8N1	    0x03
#define FCR_FIFO    0x07 /* enable, clear both FIFOs */
#define MCR_DTR_RTS 0x03
#define MCR_OUT2    0x08 /* on PCs, gates the UART's interrupt onto the ISA line */
#define LSR_DR	    0x01 /* a byte is waiting */
#define LSR_THRE    0x20 /* transmitter can take a byte */

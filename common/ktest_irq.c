/*
 * ktest_irq.c: the kit's own check of the interrupt path (`test irq`; not
 * graded, tests/test_platform.py reads it). A real device interrupt, the
 * console UART's transmitter-empty one (16550 IER bit 1: it fires as soon as
 * it is enabled, since the transmitter is idle, so it needs no input), must
 * go from the device through the board's controller, the arch trap code and
 * irq_dispatch to a registered handler exactly once; masked, it must not
 * come; with no handler it must be reported once and masked.
 */
#include "kernel.h"
#include "arch.h"
#include "irq.h"
#include "ktest.h"
#include "platform.h"

/* A window's bound in spins (about 6 M instructions): the UART raises its request only once
 * the bytes already written have gone out, which QEMU may finish later in host time. */
#define WINDOW_SPINS (1L << 20)

static volatile unsigned tx_calls, tx_irq;
static void *volatile tx_arg;

/* tx_handler: count the call and silence the UART's request (a handler's duty, irq.h). */
static void tx_handler(unsigned irq, void *arg)
{
	tx_calls++;
	tx_irq = irq;
	tx_arg = arg;
	platform_console_irq_enable(0);
}

/* window: let interrupts in until irq has been dispatched once more, or for WINDOW_SPINS spins;
 * returns with them disabled and the number of dispatches it saw. */
static unsigned long window(unsigned irq)
{
	unsigned long before = irq_count(irq);
	arch_irq_enable();
	for (long i = 0; i < WINDOW_SPINS && irq_count(irq) == before; i++)
		arch_cpu_relax();
	arch_irq_save();
	return irq_count(irq) - before;
}

/* tx_request: make the UART raise a fresh transmitter-empty request (a new edge on edge-triggered
 * lines): off, then on. */
static void tx_request(void)
{
	platform_console_irq_enable(0);
	platform_console_irq_enable(CONSOLE_IRQ_TX);
}

/* ktest_irq: the interrupts first, printing nothing (a byte written makes the UART's request wait
 * for it), then the checks. */
static void ktest_irq(void)
{
	static int cookie;
	unsigned irq = platform_console_irq();
	bool was_enabled = arch_irq_save();
	tx_calls = tx_irq = 0;
	tx_arg = NULL;
	int range = irq_register(PLATFORM_IRQ_COUNT, tx_handler, NULL);
	int reg = irq_register(irq, tx_handler, &cookie);
	int busy = irq_register(irq, tx_handler, NULL);

	tx_request();
	unsigned long masked = window(irq); /* registered but masked: nothing */
	platform_irq_unmask(irq);
	unsigned long handled = window(irq);
	unsigned long again = window(irq); /* the handler silenced the UART: nothing more */
	unsigned calls = tx_calls;
	int unreg = irq_unregister(irq);
	platform_irq_unmask(irq);
	tx_request();
	unsigned long unhandled = window(irq); /* reported and masked */
	tx_request();
	unsigned long after = window(irq);
	platform_console_irq_enable(0);
	arch_irq_restore(was_enabled);

	ktest_check(range == -EINVAL && reg == 0 && busy == -EBUSY, "register");
	ktest_check(masked == 0, "masked-not-delivered");
	ktest_check(handled == 1 && calls == 1 && again == 0, "delivered-once");
	ktest_check(tx_irq == irq && tx_arg == &cookie, "handler-args");
	ktest_check(unreg == 0 && unhandled == 1 && tx_calls == calls, "unhandled-dispatched");
	ktest_check(after == 0, "unhandled-masked");
}
KTEST_SUITE("irq", ktest_irq);

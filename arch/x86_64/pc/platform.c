/*
 * platform.c (x86_64 pc): the board's bring-up and power-off, for QEMU's
 * pc machine. The console is in uart.c, the interrupt controller in pic.c,
 * the timer in pit.c.
 * Entry points: platform_init, platform_poweroff, platform_mmio_regions
 * (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "arch/x86.h"
#include "pc.h"

void platform_init(void)
{
	pc_uart_init();
	pc_pic_init();
	pc_pit_init();
}

/*
 * Power-off. Status 0: ACPI S5 by writing SLP_EN with SLP_TYP 0 to PM1a_CNT,
 * which QEMU's pc machine (PIIX4 PM, hw/acpi/core.c acpi_pm1_cnt_write) has
 * at I/O port 0x604 once SeaBIOS has put the PM base at 0x600; QEMU then
 * exits with status 0. Other statuses: the isa-debug-exit device that
 * rules.mk adds at port 0xf4 (QEMU hw/misc/debugexit.c) makes QEMU exit at
 * once with status (value << 1) | 1, never 0.
 */
#define ACPI_PM1A_CNT	0x604
#define ACPI_SLP_EN	0x2000
#define DEBUG_EXIT_PORT 0xf4

noreturn void platform_poweroff(int status)
{
	__asm__ volatile("cli"); /* no timer interrupt, no other thread from here on */
	if (status)
		x86_outl(DEBUG_EXIT_PORT, (uint32_t)status);
	/* QEMU acts on the shutdown request asynchronously: wait, print nothing more. Spin, not
	 * HLT: a halted CPU with no virtual-clock timer pending (the PIT is one-shot) makes
	 * QEMU -icount sleep=off print a warning on stderr. */
	x86_outw(ACPI_PM1A_CNT, ACPI_SLP_EN);
	for (;;)
		arch_cpu_relax();
}

/* platform_mmio_regions (pc): none; COM1, the PICs, the PIT, ACPI PM and isa-debug-exit are
 * reached through I/O ports, which need no mapping. */
int platform_mmio_regions(struct mem_region *regions, int max)
{
	return 0;
}

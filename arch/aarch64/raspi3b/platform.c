/*
 * platform.c (aarch64 raspi3b): the board's bring-up, power-off and device
 * map, for QEMU's raspi3b machine (a Raspberry Pi 3 Model B). The console
 * is in uart.c, the interrupt controllers in intc.c, the memory query in
 * mbox.c.
 * Entry points: platform_init, platform_poweroff, platform_mmio_regions,
 * platform_device (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "arch/arm64.h"
#include "raspi3b.h"

/* platform_init (raspi3b): the console, the controllers, and the firmware's answer about
 * memory as bootinfo.firmware (lab 1's arch_mem_detect reads it). */
void platform_init(void)
{
	rpi_uart_init();
	rpi_intc_init();
	bootinfo.firmware = rpi_mbox_query();
}

/*
 * Power-off. Under QEMU: semihosting SYS_EXIT with ADP_Stopped_ApplicationExit
 * and status (QEMU exits with it; rules.mk enables semihosting). Without it
 * (a Pi has no power-off), the watchdog resets the board after about 16 us
 * (PM_RSTC full reset; with -no-reboot QEMU exits, with status 0). On a Pi
 * without a debugger the HLT itself is an undefined instruction.
 */
#define PM_RSTC	      (RPI_PM + 0x1c)
#define PM_WDOG	      (RPI_PM + 0x24)
#define PM_PASSWORD   0x5a000000U
#define PM_RSTC_RESET 0x20U

noreturn void platform_poweroff(int status)
{
	__asm__ volatile("msr daifset, #0xf");
	unsigned long block[2] = {SEMIHOST_APPLICATION_EXIT, (unsigned long)status};
	arm64_semihost(SEMIHOST_SYS_EXIT, block);
	rpi_write(PM_WDOG, PM_PASSWORD | 1);
	rpi_write(PM_RSTC, PM_PASSWORD | PM_RSTC_RESET);
	arch_halt();
}

/* platform_mmio_regions (raspi3b): the interrupt controller and mailbox page, the watchdog,
 * the PL011 and the local controller, one page each. */
int platform_mmio_regions(struct mem_region *regions, int max)
{
	static const struct mem_region mmio[] = {
	    {ROUNDDOWN(RPI_IC, PAGE_SIZE), PAGE_SIZE, "intc+mbox"},
	    {RPI_PM, PAGE_SIZE, "pm"},
	    {RPI_UART0, PAGE_SIZE, "uart"},
	    {RPI_LOCAL, PAGE_SIZE, "local"},
	};
	int n = 0;
	for (; n < max && n < (int)ARRAY_SIZE(mmio); n++)
		regions[n] = mmio[n];
	return n;
}

/* platform_device (raspi3b): the PL011 only; the board has no disk (lab 5 runs on virt and pc),
 * so SYS_DEVICE_GET answers -ENOENT for index 1 and beyond. */
int platform_device(unsigned index, struct platform_device *d)
{
	if (index != 0)
		return -ENOENT;
	*d = (struct platform_device){"uart", RPI_UART0, 0, 0, RPI_UART0_IRQ};
	return 0;
}

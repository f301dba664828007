/*
 * platform.c (riscv64 virt): the board's bring-up, power-off and device
 * map, for QEMU's virt machine with OpenSBI. The console is in uart.c, the
 * interrupt controller in plic.c.
 * Entry points: platform_init, platform_poweroff, platform_mmio_regions,
 * platform_device (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "arch/riscv.h"
#include "virt.h"

void platform_init(void)
{
	virt_uart_init();
	virt_plic_init();
}

/*
 * The virt machine's test finisher (QEMU hw/misc/sifive_test.c): writing
 * FINISHER_FAIL | status << 16 makes QEMU exit with status. It carries a
 * failure status out, which SBI SRST cannot: OpenSBI 1.1 turns every SRST
 * shutdown into a finisher write of status 0.
 */
#define FINISHER_FAIL 0x3333

noreturn void platform_poweroff(int status)
{
	if (status)
		*(volatile uint32_t *)virt_reg(VIRT_TEST) =
		    FINISHER_FAIL | ((uint32_t)status & 0xffff) << 16;
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN,
		 status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0);
	console_puts("poweroff: SBI SRST failed; halting\n");
	arch_halt();
}

/* platform_mmio_regions (virt): the test finisher, the UART and the three PLIC pages plic.c
 * touches (priorities, hart 0's S-mode enables, its threshold and claim), one page each. */
int platform_mmio_regions(struct mem_region *regions, int max)
{
	static const struct mem_region mmio[] = {
	    {VIRT_TEST, PAGE_SIZE, "test"},
	    {PLIC_PRIORITY(0), PAGE_SIZE, "plic priority"},
	    {ROUNDDOWN(PLIC_ENABLE(VIRT_PLIC_CONTEXT, 0), PAGE_SIZE), PAGE_SIZE, "plic enable"},
	    {PLIC_THRESHOLD(VIRT_PLIC_CONTEXT), PAGE_SIZE, "plic context"},
	    {VIRT_UART0, PAGE_SIZE, "uart"},
	};
	int n = 0;
	for (; n < max && n < (int)ARRAY_SIZE(mmio); n++)
		regions[n] = mmio[n];
	return n;
}

/* platform_device (virt): the UART, then the first virtio-mmio slot, which holds the disk when
 * QEMU puts a virtio-blk-device on virtio-mmio-bus.0 (the driver checks its device id). */
int platform_device(unsigned index, struct platform_device *d)
{
	static const struct platform_device devs[] = {
	    {"uart", VIRT_UART0, 0, 0, VIRT_UART0_IRQ},
	    {"virtio-blk", VIRT_VIRTIO, 0, 0, VIRT_VIRTIO_IRQ},
	};
	if (index >= ARRAY_SIZE(devs))
		return -ENOENT;
	*d = devs[index];
	return 0;
}

/*
 * pci.c (x86_64 pc): the board's device list (platform_device): COM1, then
 * a legacy virtio-blk PCI function when QEMU has one (-device
 * virtio-blk-pci,disable-modern=on), found on bus 0 through PCI
 * configuration mechanism #1 (PCI Local Bus spec 3.0, 3.2.2.3.2: the
 * address at port 0xcf8, the data at 0xcfc). Its registers are the I/O
 * space its BAR 0 decodes (virtio 1.0 spec 4.1.4.8, "Legacy Interfaces: A
 * Note on PCI Device Layout"), its interrupt the 8259 line the BIOS wrote
 * into its Interrupt Line register.
 * Entry point: platform_device (platform.h).
 */
#include "kernel.h"
#include "platform.h"
#include "arch/x86.h"
#include "pc.h"

#define PCI_ADDR	  0xcf8
#define PCI_DATA	  0xcfc
#define PCI_ID		  0x00 /* vendor (low 16 bits), device (high) */
#define PCI_COMMAND	  0x04
#define PCI_BAR0	  0x10
#define PCI_INTERRUPT	  0x3c /* the Interrupt Line register: its low byte */
#define PCI_CMD_IO	  0x1  /* decode its I/O space */
#define PCI_CMD_MASTER	  0x4  /* let it master the bus: DMA */
#define VIRTIO_VENDOR	  0x1af4
#define VIRTIO_BLK_LEGACY 0x1001 /* the transitional virtio-blk device id */

static uint32_t pci_read(unsigned dev, unsigned reg)
{
	x86_outl(PCI_ADDR, 0x80000000u | dev << 11 | (reg & 0xfc));
	return x86_inl(PCI_DATA);
}

static void pci_write(unsigned dev, unsigned reg, uint32_t v)
{
	x86_outl(PCI_ADDR, 0x80000000u | dev << 11 | (reg & 0xfc));
	x86_outl(PCI_DATA, v);
}

/* pci_find_blk: the virtio-blk function on bus 0 into *d, its I/O space and bus mastering on;
 * 0, or -ENOENT. Its BAR's size: what stays set after writing all ones (the spec's sizing). */
static int pci_find_blk(struct platform_device *d)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		if (pci_read(dev, PCI_ID) != (VIRTIO_BLK_LEGACY << 16 | VIRTIO_VENDOR))
			continue;
		uint32_t bar = pci_read(dev, PCI_BAR0);
		if (!(bar & 1))
			return -ENOENT;
		pci_write(dev, PCI_BAR0, ~0u);
		uint32_t mask = pci_read(dev, PCI_BAR0) & ~3u;
		pci_write(dev, PCI_BAR0, bar);
		pci_write(dev, PCI_COMMAND,
			  pci_read(dev, PCI_COMMAND) | PCI_CMD_IO | PCI_CMD_MASTER);
		*d = (struct platform_device){.name = "virtio-blk",
					      .port = bar & ~3u & 0xffff,
					      .nports = (~mask + 1) & 0xffff,
					      .irq = pci_read(dev, PCI_INTERRUPT) & 0xff};
		return 0;
	}
	return -ENOENT;
}

int platform_device(unsigned index, struct platform_device *d)
{
	static struct platform_device blk;
	static int scanned, found;

	if (index == 0) {
		*d = (struct platform_device){
		    .name = "uart", .port = 0x3f8, .nports = 8, .irq = PC_IRQ_COM1};
		return 0;
	}
	if (!scanned) {
		found = pci_find_blk(&blk) == 0 && blk.irq < PLATFORM_IRQ_COUNT;
		scanned = 1;
	}
	if (index != 1 || !found)
		return -ENOENT;
	*d = blk;
	return 0;
}

# arch/x86_64/pc/rules.mk: the QEMU pc board (16550 console at port 0x3f8, the 8259 pair, the PIT,
# ACPI and isa-debug-exit power-off); included by arch/x86_64/rules.mk when PLATFORM=pc.
KSRCS += arch/x86_64/pc/pci.c arch/x86_64/pc/pic.c arch/x86_64/pc/pit.c arch/x86_64/pc/platform.c \
	arch/x86_64/pc/uart.c
ARCH_CFLAGS += -Iarch/x86_64/pc/include
QEMU_MACHINE := -machine pc -cpu qemu64,+smep,+smap
QEMU_EXTRA := -device isa-debug-exit,iobase=0xf4,iosize=0x04
# DISK=image: the disk lab 5's block server drives (legacy virtio: handout/lab5-servers.md).
QEMU_DISK = -drive file=$(DISK),if=none,format=raw,id=disk0 -device virtio-blk-pci,drive=disk0,disable-modern=on

# arch/riscv64/virt/rules.mk: the QEMU virt board (ns16550a console, PLIC, sifive_test power-off),
# booted by OpenSBI; included by arch/riscv64/rules.mk when PLATFORM=virt.
KSRCS += arch/riscv64/virt/platform.c arch/riscv64/virt/plic.c arch/riscv64/virt/uart.c
ARCH_CFLAGS += -Iarch/riscv64/virt/include
# sstc=off: OpenSBI 1.1 leaves the ACLINT's mtimecmp at ~0, a QEMU 7.2 timer at INT64_MAX that
# an idle guest under -icount sleep=off warps virtual time to (and QEMU livelocks there: lab 5's
# disk never completes). Without Sstc, SBI set_timer programs mtimecmp, so the kernel's first
# arm (timer.c) replaces that timer and an idle guest with nothing armed has no QEMU timer.
QEMU_MACHINE := -machine virt -cpu rv64,sstc=off -bios default
# DISK=image: the disk lab 5's block server drives (legacy virtio: handout/lab5-servers.md).
QEMU_DISK = -global virtio-mmio.force-legacy=true -drive file=$(DISK),if=none,format=raw,id=disk0 -device virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0

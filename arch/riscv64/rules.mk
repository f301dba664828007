# arch/riscv64/rules.mk: toolchain, flags, kernel sources (KSRCS) and QEMU command for riscv64,
# then the board's rules.mk (PLATFORM: its directory here; QEMU virt + OpenSBI).
CROSS_COMPILE ?= riscv64-unknown-elf-
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
ARCH_LDFLAGS := -m elf64lriscv --no-relax
# User programs (user/rules.mk): the same ISA and ABI, in the lower half.
USER_ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
KSRCS += arch/riscv64/arch.c arch/riscv64/context.S arch/riscv64/entry.S arch/riscv64/mmu.c arch/riscv64/probe.S arch/riscv64/timer.c arch/riscv64/trap.S
ARCH_PKGS := gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
QEMU_PKGS := qemu-system-misc opensbi
# Lab 6: static Linux test programs, and qemu-riscv64 (user mode) to run them under Linux.
LINUX_CC := riscv64-linux-gnu-gcc
LINUX_PKGS := gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user
QEMU := qemu-system-riscv64
# The image QEMU loads (-kernel): OpenSBI jumps to its entry in S-mode.
KERNEL_BOOT_IMAGE = $(KERNEL)
GDB_ARCH := riscv:rv64
PLATFORM ?= virt
include arch/riscv64/$(PLATFORM)/rules.mk

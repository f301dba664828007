# arch/aarch64/rules.mk: toolchain, flags, kernel sources (KSRCS) and QEMU command for aarch64,
# then the board's rules.mk (PLATFORM: its directory here; QEMU raspi3b).
# -mgeneral-regs-only: no FP/SIMD state to save; -mstrict-align: device memory (and memory
# with the MMU off) faults on unaligned accesses; -mno-outline-atomics: atomics inline (no libgcc).
CROSS_COMPILE ?= aarch64-linux-gnu-
ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align -mno-outline-atomics -mcmodel=small -fno-pic
ARCH_LDFLAGS := -m aarch64elf -z max-page-size=4096 -z noexecstack
# User programs (user/rules.mk): the same ISA and ABI, in the lower half.
USER_ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-pic
# Lab 7's student files (solutions/arch/aarch64/: entry.S, trap.S, timer.c, pte.c,
# raspi3b/mbox.c, memdetect.c) come from the lab tree; the rest of the port is provided.
KSRCS += arch/aarch64/arch.c arch/aarch64/context.S arch/aarch64/mmu.c arch/aarch64/probe.S
ARCH_PKGS := gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
QEMU_PKGS := qemu-system-arm
QEMU := qemu-system-aarch64
# The image QEMU loads (-kernel): a raw kernel8.img, which raspi3b places at 0x80000 and
# starts on core 0 in EL2 (an ELF would start all four cores in EL3).
KERNEL_BOOT_IMAGE = $(BUILD)/kernel8.img
GDB_ARCH := aarch64
PLATFORM ?= raspi3b
include arch/aarch64/$(PLATFORM)/rules.mk

# A pattern rule, because BUILD is not yet set when this file is included.
%/kernel8.img: %/kernel.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

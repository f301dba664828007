# arch/x86_64/rules.mk: toolchain, flags, kernel sources (KSRCS) and QEMU command for x86_64
# (multiboot v1), then the board's rules.mk (PLATFORM: its directory here; QEMU pc).
# The host gcc/binutils: the kernel is built for the kernel code model (it
# runs in the top 2 GiB, System V AMD64 ABI 3.5.1) without the red zone
# (interrupts push onto the interrupted stack) and without SSE/x87 state.
CROSS_COMPILE ?=
ARCH_CFLAGS := -m64 -mcmodel=kernel -mno-red-zone -mno-sse -mno-mmx -mno-80387 -fno-pic \
	-fcf-protection=none
ARCH_LDFLAGS := -m elf_x86_64 -z max-page-size=4096 -z noexecstack
# User programs (user/rules.mk): the small code model in the lower half, no SSE/x87
# either while the kernel does not save that state on a switch.
USER_ARCH_CFLAGS := -m64 -mcmodel=small -mno-sse -mno-mmx -mno-80387 -fno-pic -fcf-protection=none
KSRCS += arch/x86_64/arch.c arch/x86_64/context.S arch/x86_64/entry.S arch/x86_64/mmu.c arch/x86_64/probe.S arch/x86_64/trap.S
ARCH_PKGS := gcc binutils
QEMU_PKGS := qemu-system-x86
# Lab 6: static Linux test programs, built and run by the host's own compiler and libc.
LINUX_CC := gcc
# and with musl (lxm*: the same sources, musl's static start-up and stdio).
LINUX_MUSL_CC := musl-gcc
LINUX_PKGS := gcc libc6-dev musl-tools
QEMU := qemu-system-x86_64
# The image QEMU loads (-kernel): QEMU's multiboot loader takes no ELF64
# (hw/i386/multiboot.c), so it gets the flat image, placed by the a.out-kludge
# addresses in its multiboot header (entry.S).
KERNEL_BOOT_IMAGE = $(BUILD)/kernel.bin
GDB_ARCH := i386:x86-64
PLATFORM ?= pc
include arch/x86_64/$(PLATFORM)/rules.mk

# A pattern rule, because BUILD is not yet set when this file is included.
%/kernel.bin: %/kernel.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

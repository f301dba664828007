# arch/aarch64/raspi3b/rules.mk: QEMU's raspi3b board (PL011 console, BCM2835/2836 interrupt
# controllers, VideoCore mailbox, semihosting power-off); included by arch/aarch64/rules.mk
# when PLATFORM=raspi3b.
KSRCS += arch/aarch64/raspi3b/intc.c arch/aarch64/raspi3b/platform.c \
	arch/aarch64/raspi3b/uart.c
# -iquote: raspi3b.h for lab 7's student file raspi3b/mbox.c, compiled from the lab tree.
ARCH_CFLAGS += -Iarch/aarch64/raspi3b/include -iquote arch/aarch64/raspi3b
# raspi3b always has four cores (it refuses -smp 1) and 1 GiB of RAM (it refuses any other -m):
# the RAM the ARM gets, MEM (in MiB, at most 1008M: the peripherals start at 0x3f000000), is set
# through the VideoCore's share (QEMU's vcram-size; grader/arches.py's raspi3b_mem does the same).
QEMU_MACHINE := -machine raspi3b
QEMU_SMP :=
QEMU_EXTRA := -semihosting-config enable=on,target=native
QEMU_MEM_ARGS = -m 1G -global bcm2835-peripherals.vcram-size=$$(( (1024 - $(patsubst %M,%,$(MEM))) << 20 ))

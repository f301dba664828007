# common/rules.mk: the portable kernel skeleton, compiled in every lab.
# Provided code that a later lab brings lives in common/labN/ (its own rules.mk),
# compiled from stage N on.
KSRCS += common/fdt.c common/irq.c common/kprintf.c common/ksyms.c common/ktest.c common/ktest_irq.c common/ktest_lab1.c \
	common/main.c common/memory.c common/monitor.c common/panic.c common/string.c

# common/lab3/rules.mk: provided code compiled from lab 3 on (thread stacks exist):
# the kit's self-test of the way into and out of user mode (ktest suite "umode").
KSRCS += common/lab3/ktest_umode.c

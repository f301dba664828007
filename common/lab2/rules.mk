# common/lab2/rules.mk: provided code lab 2 (mem) brings, compiled from stage 2 on:
# the frame table and its checked wrappers (mm.c), the kernel side of lab 2's tests.
KSRCS += common/lab2/mm.c common/lab2/ktest_lab2.c

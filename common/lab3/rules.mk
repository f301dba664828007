# common/lab3/rules.mk: provided code lab 3 (sched) brings, compiled from stage 3 on: the seeded
# workload generator and the min-heap of the joint scheduler's queues (both shared with
# tools/sched-sim), schedbench, the kernel side of lab 3's tests, and the kit's self-test of the
# way into and out of user mode (ktest "umode"), and kit.poison for kmalloc's objects (poison.c,
# through ld's --wrap=kmalloc).
KSRCS += common/lab3/sched_workload.c common/lab3/heap.c common/lab3/schedbench.c \
	common/lab3/ktest_lab3.c common/lab3/ktest_umode.c common/lab3/poison.c
LDFLAGS += --wrap=kmalloc

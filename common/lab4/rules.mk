# common/lab4/rules.mk: provided code lab 4 (ipc) brings, compiled from stage 4 on: user
# tasks and the entries from user mode (task.c), address spaces and user copies (vspace.c),
# the ELF loader (elf.c), kernel objects and the root cspace (object.c), devices (device.c:
# interrupt lines and device registers as capabilities), threads as objects
# (tcb.c), lab 5's tasks as capabilities (taskobj.c, here until lab 5 has a stage of its
# own), lab 6's Linux calls (linux.c), Linux threads' FP registers (ustate.c) and timers
# (utimer.c), and the boot modules: every user program (user/rules.mk), linked into the
# kernel image by a generated modules.S (tools/mkmodules).
KSRCS += common/lab4/device.c common/lab4/elf.c common/lab4/linux.c common/lab4/object.c common/lab4/task.c common/lab4/taskobj.c common/lab4/tcb.c common/lab4/ustate.c common/lab4/utimer.c common/lab4/vspace.c
KEXTRA_OBJS += $(BUILD)/modules.o
# The IPC fastpath (part D) is compiled for speed: every instruction of it is on the path
# lab 4's round trip measures (handout/lab4-ipc.md, "The fastpath").
CFLAGS_fastpath.c := -O2 -fomit-frame-pointer -foptimize-sibling-calls

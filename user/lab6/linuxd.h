/*
 * linuxd.h: lab 6's Linux server (linuxd.c) and the launcher that starts a
 * Linux program and serves it (linux.c). The protocol is the kernel's
 * forwarding of a Linux-ABI task's system calls (kit/abi.h
 * KIT_LABEL_LINUX_SYSCALL); the calls are Linux's (man 2), numbered by the
 * arch's table (riscv64: include/uapi/asm-generic/unistd.h; x86_64:
 * arch/x86/entry/syscalls/syscall_64.tbl).
 */
#pragma once

#include "user.h"

/* A Linux program being served: its task capability, its memory (kit/abi.h's heap window:
 * brk grows up from its base, mmap takes pages down from its top), its end. */
struct lx_proc {
	unsigned long task;	/* task capability slot (read, write) */
	unsigned long pid;	/* what getpid says: its root thread's id */
	unsigned long heap_end; /* KIT_LINUX_HEAP_BASE + the window's bytes */
	unsigned long brk;	/* the program break */
	unsigned long mmap_low; /* the lowest mmap'd address (mmap takes pages below it) */
	bool exited;		/* exit or exit_group: code */
	long code;		/* its exit status, 0..255 */
};

/* linuxd_serve: receive on endpoint ep (the task's linux_ep and fault endpoint, with its exit
 * notification bound to the caller's TCB) and answer p's system calls until it ends. Returns
 * its status as a shell shows it: the exit code, 128 + 11 after a fault (SIGSEGV), 128 + 9
 * when it was killed otherwise. */
long linuxd_serve(struct lx_proc *p, unsigned long ep);

/*
 * linux_nr.h: the Linux system-call numbers linuxd knows, per arch (riscv64 and
 * aarch64: the generic table, include/uapi/asm-generic/unistd.h; x86_64:
 * arch/x86/entry/syscalls/syscall_64.tbl), and the few constants it needs.
 */
#pragma once

#if defined(__riscv) || defined(__aarch64__)
#define LNR_ioctl	    29
#define LNR_readlinkat	    78
#define LNR_newfstatat	    79
#define LNR_fstat	    80
#define LNR_close	    57
#define LNR_read	    63
#define LNR_write	    64
#define LNR_writev	    66
#define LNR_exit	    93
#define LNR_exit_group	    94
#define LNR_set_tid_address 96
#define LNR_set_robust_list 99
#define LNR_clock_gettime   113
#define LNR_uname	    160
#define LNR_getpid	    172
#define LNR_getppid	    173
#define LNR_gettid	    178
#define LNR_brk		    214
#define LNR_munmap	    215
#define LNR_mmap	    222
#define LNR_mprotect	    226
#define LNR_prlimit64	    261
#define LNR_getrandom	    278
#define LNR_rseq	    293
#define LNR_readlink	    (-1) /* none: readlinkat only */
#define LNR_arch_prctl	    (-1)
#if defined(__riscv)
#define LX_MACHINE "riscv64"
#else
#define LX_MACHINE "aarch64" /* untested: lab 7 runs no Linux programs yet */
#endif
#elif defined(__x86_64__)
#define LNR_read	    0
#define LNR_write	    1
#define LNR_close	    3
#define LNR_fstat	    5
#define LNR_mmap	    9
#define LNR_mprotect	    10
#define LNR_munmap	    11
#define LNR_brk		    12
#define LNR_ioctl	    16
#define LNR_writev	    20
#define LNR_getpid	    39
#define LNR_exit	    60
#define LNR_uname	    63
#define LNR_readlink	    89
#define LNR_getppid	    110
#define LNR_arch_prctl	    158
#define LNR_gettid	    186
#define LNR_set_tid_address 218
#define LNR_clock_gettime   228
#define LNR_exit_group	    231
#define LNR_newfstatat	    262
#define LNR_readlinkat	    267
#define LNR_set_robust_list 273
#define LNR_prlimit64	    302
#define LNR_getrandom	    318
#define LNR_rseq	    334
#define LX_MACHINE	    "x86_64"
#else
#error "linux_nr.h: no Linux system-call table for this arch"
#endif

/* Errors (include/uapi/asm-generic/errno-base.h): the same numbers as the kit's. */
#define LX_EBADF  9
#define LX_ENOMEM 12
#define LX_EFAULT 14
#define LX_EINVAL 22
#define LX_ENOTTY 25
#define LX_ENOENT 2
#define LX_ENOSYS 38

#define LX_TCGETS	 0x5401 /* ioctl: struct termios (asm-generic/ioctls.h) */
#define LX_MAP_ANONYMOUS 0x20
#define LX_MAP_FIXED	 0x10
#define LX_ARCH_SET_FS	 0x1002 /* arch_prctl (asm/prctl.h) */
#define LX_AT_EMPTY_PATH 0x1000
#define LX_RLIMIT_STACK	 3
#define LX_RLIMIT_NOFILE 7
#define LX_RLIM_INFINITY (~0UL)

/* struct stat's fields linuxd fills (x86_64: arch/x86/include/uapi/asm/stat.h; riscv64, aarch64:
 * include/uapi/asm-generic/stat.h): offsets in bytes, and its size. */
#if defined(__riscv) || defined(__aarch64__)
#define LX_STAT_SIZE  128
#define LX_STAT_MODE  16
#define LX_STAT_NLINK 20
#define LX_STAT_RDEV  32
#else
#define LX_STAT_SIZE  144
#define LX_STAT_MODE  24
#define LX_STAT_NLINK 16
#define LX_STAT_RDEV  40
#endif
#define LX_STAT_BLKSIZE 56
#define LX_S_IFCHR	0020000
#define LX_TERMIOS_SIZE 36 /* struct termios of TCGETS (asm-generic/termbits.h) */
#define LX_UTS_LEN	65 /* each of struct utsname's six fields */

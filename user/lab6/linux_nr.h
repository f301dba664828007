/*
 * linux_nr.h: the Linux system-call numbers linuxd knows, per arch (riscv64 and
 * aarch64: the generic table, include/uapi/asm-generic/unistd.h; x86_64:
 * arch/x86/entry/syscalls/syscall_64.tbl), and the few constants it needs.
 */
#pragma once

#if defined(__riscv) || defined(__aarch64__)
#define LNR_getcwd	    17
#define LNR_dup		    23
#define LNR_dup3	    24
#define LNR_fcntl	    25
#define LNR_ioctl	    29
#define LNR_mkdirat	    34
#define LNR_unlinkat	    35
#define LNR_linkat	    37
#define LNR_faccessat	    48
#define LNR_chdir	    49
#define LNR_openat	    56
#define LNR_close	    57
#define LNR_pipe2	    59
#define LNR_getdents64	    61
#define LNR_lseek	    62
#define LNR_read	    63
#define LNR_write	    64
#define LNR_readv	    65
#define LNR_writev	    66
#define LNR_readlinkat	    78
#define LNR_newfstatat	    79
#define LNR_fstat	    80
#define LNR_exit	    93
#define LNR_exit_group	    94
#define LNR_set_tid_address 96
#define LNR_set_robust_list 99
#define LNR_nanosleep	    101
#define LNR_clock_gettime   113
#define LNR_clock_nanosleep 115
#define LNR_clock_getres    114
#define LNR_mremap	    216
#define LX_CLOCK_RES_NS	    100	 /* the time CSR's tick on QEMU virt (10 MHz timebase) */
#define LNR_time	    (-1) /* none on this arch */
#define LNR_sched_yield	    124
#define LNR_kill	    129
#define LNR_rt_sigaction    134
#define LNR_rt_sigprocmask  135
#define LNR_times	    153
#define LNR_uname	    160
#define LNR_gettimeofday    169
#define LNR_getpid	    172
#define LNR_getppid	    173
#define LNR_gettid	    178
#define LNR_brk		    214
#define LNR_munmap	    215
#define LNR_clone	    220
#define LNR_execve	    221
#define LNR_mmap	    222
#define LNR_mprotect	    226
#define LNR_wait4	    260
#define LNR_prlimit64	    261
#define LNR_getrandom	    278
#define LNR_rseq	    293
#define LNR_vfork	    (-1) /* none on this arch */
#define LNR_dup2	    (-1) /* none on this arch */
#define LNR_mkdir	    (-1) /* none on this arch */
#define LNR_pipe	    (-1) /* none on this arch */
#define LNR_unlink	    (-1) /* none on this arch */
#define LNR_readlink	    (-1) /* none on this arch */
#define LNR_access	    (-1) /* none on this arch */
#define LNR_link	    (-1) /* none on this arch */
#define LNR_fork	    (-1) /* none on this arch */
#define LNR_stat	    (-1) /* none on this arch */
#define LNR_lstat	    (-1) /* none on this arch */
#define LNR_open	    (-1) /* none on this arch */
#define LNR_arch_prctl	    (-1) /* none on this arch */
#define LNR_rmdir	    (-1) /* none on this arch */
#define LX_CLONE_CTID_ARG   4	 /* clone (flags, newsp, parent_tid, tls, child_tid) */
/* Calls linuxd does not implement, named for its log (linuxd.c unnamed[]). */
#define LNR_futex	98
#define LNR_getegid	177
#define LNR_geteuid	175
#define LNR_getgid	176
#define LNR_getuid	174
#define LNR_madvise	233
#define LNR_poll	(-1) /* none on this arch */
#define LNR_ppoll	73
#define LNR_rename	(-1) /* none on this arch */
#define LNR_renameat2	276
#define LNR_sigaltstack 132
#define LNR_socket	198
#define LNR_statx	291
#define LNR_tgkill	131
#if defined(__riscv)
#define LX_MACHINE "riscv64"
#else
#define LX_MACHINE "aarch64" /* untested: lab 7 runs no Linux programs yet */
#endif
#elif defined(__x86_64__)
#define LNR_read	    0
#define LNR_write	    1
#define LNR_open	    2
#define LNR_close	    3
#define LNR_stat	    4
#define LNR_fstat	    5
#define LNR_lstat	    6
#define LNR_lseek	    8
#define LNR_mmap	    9
#define LNR_mprotect	    10
#define LNR_munmap	    11
#define LNR_brk		    12
#define LNR_rt_sigaction    13
#define LNR_rt_sigprocmask  14
#define LNR_ioctl	    16
#define LNR_readv	    19
#define LNR_writev	    20
#define LNR_access	    21
#define LNR_pipe	    22
#define LNR_sched_yield	    24
#define LNR_dup		    32
#define LNR_dup2	    33
#define LNR_nanosleep	    35
#define LNR_getpid	    39
#define LNR_clone	    56
#define LNR_fork	    57
#define LNR_vfork	    58
#define LNR_execve	    59
#define LNR_exit	    60
#define LNR_wait4	    61
#define LNR_kill	    62
#define LNR_uname	    63
#define LNR_fcntl	    72
#define LNR_getcwd	    79
#define LNR_chdir	    80
#define LNR_mkdir	    83
#define LNR_rmdir	    84
#define LNR_link	    86
#define LNR_unlink	    87
#define LNR_readlink	    89
#define LNR_gettimeofday    96
#define LNR_times	    100
#define LNR_getppid	    110
#define LNR_arch_prctl	    158
#define LNR_gettid	    186
#define LNR_getdents64	    217
#define LNR_set_tid_address 218
#define LNR_clock_gettime   228
#define LNR_clock_nanosleep 230
#define LNR_clock_getres    229
#define LNR_mremap	    25
#define LX_CLOCK_RES_NS	    1 /* the TSC under -icount shift=0 */
#define LNR_time	    201
#define LNR_exit_group	    231
#define LNR_openat	    257
#define LNR_mkdirat	    258
#define LNR_newfstatat	    262
#define LNR_unlinkat	    263
#define LNR_linkat	    265
#define LNR_readlinkat	    267
#define LNR_faccessat	    269
#define LNR_set_robust_list 273
#define LNR_dup3	    292
#define LNR_pipe2	    293
#define LNR_prlimit64	    302
#define LNR_getrandom	    318
#define LNR_rseq	    334
/* Calls linuxd does not implement, named for its log (linuxd.c unnamed[]). */
#define LNR_futex	    202
#define LNR_getegid	    108
#define LNR_geteuid	    107
#define LNR_getgid	    104
#define LNR_getuid	    102
#define LNR_madvise	    28
#define LNR_poll	    7
#define LNR_ppoll	    271
#define LNR_rename	    82
#define LNR_renameat2	    316
#define LNR_sigaltstack	    131
#define LNR_socket	    41
#define LNR_statx	    332
#define LNR_tgkill	    234
#define LX_MACHINE	    "x86_64"
#define LX_CLONE_CTID_ARG   3 /* clone (flags, newsp, parent_tid, child_tid, tls) */
#else
#error "linux_nr.h: no Linux system-call table for this arch"
#endif
#define LNR_faccessat2 439 /* numbers from 424 on are the same on every arch */

/* Errors (include/uapi/asm-generic/errno-base.h): the same numbers as the kit's. */
#define LX_EBADF	9
#define LX_ENOMEM	12
#define LX_EFAULT	14
#define LX_EINVAL	22
#define LX_ENOTTY	25
#define LX_ENOENT	2
#define LX_ENOSYS	38
#define LX_EAGAIN	11
#define LX_ECHILD	10
#define LX_EEXIST	17
#define LX_ENOTDIR	20
#define LX_EISDIR	21
#define LX_ENFILE	23
#define LX_EMFILE	24
#define LX_ESPIPE	29
#define LX_EPIPE	32
#define LX_ERANGE	34
#define LX_ENAMETOOLONG 36
#define LX_ENOTEMPTY	39
#define LX_ENOEXEC	8
#define LX_ESRCH	3
#define LX_EINTR	4
#define LX_EACCES	13
#define LX_E2BIG	7
#define LX_EPERM	1
#define LX_EIO		5
#define LX_EBUSY	16

/* open's flags (include/uapi/asm-generic/fcntl.h; the same on x86_64) */
#define LX_O_ACCMODE   3
#define LX_O_RDONLY    0
#define LX_O_WRONLY    1
#define LX_O_RDWR      2
#define LX_O_CREAT     0100
#define LX_O_EXCL      0200
#define LX_O_TRUNC     01000
#define LX_O_APPEND    02000
#define LX_O_NONBLOCK  04000
#define LX_O_DIRECTORY 0200000
#define LX_O_CLOEXEC   02000000
#define LX_AT_FDCWD    (-100)

/* The file calls' flags (fcntl.h's O_LARGEFILE, AT_*, F_*, FD_CLOEXEC; unistd.h's SEEK_*, X_OK;
 * linux_dirent64's DT_*). Linux sets O_LARGEFILE in every open of a 64-bit program (F_GETFL). */
#define LX_O_LARGEFILE	       0100000
#define LX_AT_SYMLINK_NOFOLLOW 0x100
#define LX_AT_REMOVEDIR	       0x200
#define LX_AT_SYMLINK_FOLLOW   0x400
#define LX_AT_NO_AUTOMOUNT     0x800
#define LX_AT_EACCESS	       0x200 /* faccessat2's: AT_REMOVEDIR's value */
#define LX_F_DUPFD	       0
#define LX_F_GETFD	       1
#define LX_F_SETFD	       2
#define LX_F_GETFL	       3
#define LX_F_SETFL	       4
#define LX_F_DUPFD_CLOEXEC     1030
#define LX_FD_CLOEXEC	       1
#define LX_SEEK_SET	       0
#define LX_SEEK_CUR	       1
#define LX_SEEK_END	       2
#define LX_DT_CHR	       2
#define LX_DT_DIR	       4
#define LX_DT_REG	       8
#define LX_X_OK		       1

#define LX_TCGETS	 0x5401 /* ioctl: struct termios (asm-generic/ioctls.h) */
#define LX_MAP_ANONYMOUS 0x20
#define LX_MAP_FIXED	 0x10
#define LX_ARCH_SET_FS	 0x1002 /* arch_prctl (asm/prctl.h) */
#define LX_AT_EMPTY_PATH 0x1000
#define LX_RLIMIT_STACK	 3
#define LX_RLIMIT_NOFILE 7
#define LX_RLIM_INFINITY (~0UL)

/* mmap's flags and mprotect's prot (include/uapi/asm-generic/mman-common.h, mman.h). */
#define LX_MAP_SHARED	  0x01
#define LX_MAP_PRIVATE	  0x02
#define LX_PROT_READ	  0x1
#define LX_PROT_WRITE	  0x2
#define LX_PROT_EXEC	  0x4
#define LX_PROT_GROWSDOWN 0x01000000
#define LX_PROT_GROWSUP	  0x02000000

/* Clocks (include/uapi/linux/time.h) and clock_nanosleep's flag. */
#define LX_CLOCK_REALTIME	    0
#define LX_CLOCK_MONOTONIC	    1
#define LX_CLOCK_PROCESS_CPUTIME_ID 2
#define LX_CLOCK_THREAD_CPUTIME_ID  3
#define LX_CLOCK_MONOTONIC_RAW	    4
#define LX_CLOCK_REALTIME_COARSE    5
#define LX_CLOCK_MONOTONIC_COARSE   6
#define LX_CLOCK_BOOTTIME	    7
#define LX_CLOCK_REALTIME_ALARM	    8
#define LX_CLOCK_BOOTTIME_ALARM	    9
#define LX_CLOCK_TAI		    11
#define LX_TIMER_ABSTIME	    1

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
#define LX_S_IFDIR	0040000
#define LX_S_IFREG	0100000
#define LX_STAT_DEV	0 /* the same on both layouts: dev, ino, size, blocks */
#define LX_STAT_INO	8
#define LX_STAT_BYTES	48 /* st_size */
#define LX_STAT_BLOCKS	64 /* st_blocks, in 512-byte units */
#define LX_TERMIOS_SIZE 36 /* struct termios of TCGETS (asm-generic/termbits.h) */
#define LX_UTS_LEN	65 /* each of struct utsname's six fields */

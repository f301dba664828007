/*
 * riscv.h: RISC-V privileged-architecture definitions the riscv64 port uses
 * (RISC-V Privileged Architecture v1.12, chapter 4 "Supervisor-Level ISA"),
 * and the SBI calls (RISC-V SBI specification v1.0).
 */
#pragma once

#include "types.h"

#define csr_read(csr)                                                                              \
	({                                                                                         \
		unsigned long v_;                                                                  \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_));                                     \
		v_;                                                                                \
	})
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"r"(val))

#define SCAUSE_INTERRUPT (1UL << 63)

/* Registers saved on a trap, in the order trap.S stores them (x1..x31, then CSRs). */
struct trapframe {
	unsigned long ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
	unsigned long sepc, sstatus, scause, stval;
};

/* sbi_call: an SBI ecall with extension eid, function fid (SBI spec 3.1); a0 back (error). */
struct sbiret {
	long error;
	long value;
};
struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2);

#define SBI_EXT_TIME		0x54494D45 /* "TIME", SBI spec chapter 6 */
#define SBI_EXT_SRST		0x53525354 /* "SRST", SBI spec chapter 10 */
#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE 1

/* sbi_set_timer: program the next timer interrupt at absolute time stime_value (time CSR ticks). */
void sbi_set_timer(uint64_t stime_value);

void riscv_trap(struct trapframe *tf);

/*
 * riscv.h: RISC-V privileged-architecture definitions the riscv64 port uses
 * (RISC-V Privileged Architecture v1.12, chapter 4 "Supervisor-Level ISA"),
 * and the SBI calls (RISC-V SBI specification v1.0).
 */
#pragma once

#include "types.h"
#include <arch/context.h>

#define csr_read(csr)                                                                              \
	({                                                                                         \
		unsigned long v_;                                                                  \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_));                                     \
		v_;                                                                                \
	})
#define csr_write(csr, val)  __asm__ volatile("csrw " #csr ", %0" ::"r"(val))
#define csr_set(csr, bits)   __asm__ volatile("csrs " #csr ", %0" ::"r"(bits) : "memory")
#define csr_clear(csr, bits) __asm__ volatile("csrc " #csr ", %0" ::"r"(bits) : "memory")

#define SCAUSE_INTERRUPT (1UL << 63)
#define IRQ_S_TIMER	 5 /* scause interrupt code of the supervisor timer (4.1.9, Table 4.2) */
#define IRQ_S_EXTERNAL	 9 /* scause interrupt code of the supervisor external interrupt */

/* Exception codes in scause (4.1.9, Table 4.2): the memory-access faults. */
#define EXC_INST_ACCESS	 1
#define EXC_LOAD_ACCESS	 5
#define EXC_STORE_ACCESS 7
#define EXC_U_ECALL	 8 /* environment call from U-mode */
#define EXC_INST_PAGE	 12
#define EXC_LOAD_PAGE	 13
#define EXC_STORE_PAGE	 15

#define SSTATUS_SIE  (1UL << 1) /* supervisor interrupts enabled (4.1.1) */
#define SSTATUS_SPIE (1UL << 5) /* SIE before the trap; sret restores SIE from it (4.1.1) */
#define SSTATUS_SPP  (1UL << 8) /* the privilege a trap came from: 1 supervisor, 0 user (4.1.1) */
#define SSTATUS_SUM                                                                                \
	(1UL << 18)	    /* S-mode may access U pages: only inside arch_copy_user (4.1.1.2) */
#define SIE_STIE (1UL << 5) /* sie: the supervisor timer interrupt is enabled (4.1.3) */
#define SIE_SEIE (1UL << 9) /* sie: the supervisor external interrupt is enabled (4.1.3) */

/* satp (4.1.11): MODE in bits 63..60 (0 bare, 8 Sv39), the root table's PPN in bits 43..0. */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_SV39	(8UL << SATP_MODE_SHIFT)
#define SATP_PPN_MASK	((1UL << 44) - 1)

/* QEMU virt's RAM base (hw/riscv/virt.c memmap VIRT_DRAM), for mmu.c when the device tree
 * gives none; the board's devices are in virt/virt.h. */
#define VIRT_DRAM 0x80000000UL

/* struct trapframe, the registers saved on a trap, is in arch/context.h (arch.h needs it). */

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

/* riscv_timer_init: read the time CSR's frequency from the device tree (timer.c; once, at boot). */
void riscv_timer_init(const void *fdt);
/* riscv_timer_irq: handle a supervisor timer interrupt (timer.c; from riscv_trap). */
void riscv_timer_irq(void);

void riscv_trap(struct trapframe *tf);

struct arch_context;
/* riscv_user_enter: save the caller's context in *ctx, sret to U-mode at pc with sp (trap.S). */
void riscv_user_enter(struct arch_context *ctx, uintptr_t pc, uintptr_t sp);

/* arch_copy_user's instructions that may fault, [riscv_copy_user, riscv_copy_user_end), and where
 * riscv_trap resumes one that did (returns -EFAULT); trap.S. */
extern const char riscv_copy_user[], riscv_copy_user_end[], riscv_copy_user_fault[];

/*
 * The arch_probe in progress (probe.S; one CPU): its caller's ra and sp,
 * ra 0 when no probe runs. riscv_trap resumes a memory fault taken while
 * ra is set at riscv_probe_fault, arch_probe's return, with those restored.
 */
struct riscv_probe {
	unsigned long ra, sp; /* offsets 0 and 8, used by probe.S */
};
extern struct riscv_probe riscv_probe;
extern char riscv_probe_fault[];

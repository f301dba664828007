/*
 * arm64.h: AArch64 system-register definitions the aarch64 port uses (Arm
 * Architecture Reference Manual for A-profile, DDI 0487, chapter D: ESR_EL1
 * exception classes D17.2.37, the generic timer D11) and the port's private
 * functions.
 */
#pragma once

#include "types.h"
#include <arch/context.h>

#define sysreg_read(reg)                                                                           \
	({                                                                                         \
		unsigned long v_;                                                                  \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_));                                      \
		v_;                                                                                \
	})
#define sysreg_write(reg, val) __asm__ volatile("msr " #reg ", %0" ::"r"((unsigned long)(val)))

/* ESR_EL1.EC, bits 31..26: the exception class. */
#define ESR_EC(esr)  (((esr) >> 26) & 0x3f)
#define EC_UNKNOWN   0x00
#define EC_SVC64     0x15 /* svc from AArch64 */
#define EC_IABT_LOW  0x20 /* instruction abort from EL0 */
#define EC_IABT_CUR  0x21 /* instruction abort from EL1 */
#define EC_PC_ALIGN  0x22
#define EC_DABT_LOW  0x24 /* data abort from EL0 */
#define EC_DABT_CUR  0x25 /* data abort from EL1 */
#define EC_SP_ALIGN  0x26
#define EC_BRK64     0x3c	/* brk */
#define ESR_DABT_WNR (1UL << 6) /* data abort: the access was a write */

/* SPSR_EL1: M[3:0] the exception level and stack taken from (0: EL0t), the I bit. */
#define SPSR_MODE_MASK 0xf
#define SPSR_EL0T      0x0
#define SPSR_EL1H      0x5
#define DAIF_I	       (1UL << 7)

#define PMUSERENR_CR (1UL << 2) /* PMUSERENR_EL0: EL0 may read PMCCNTR_EL0 (D17.5.18) */

/* CNTKCTL_EL1 (D11, "The Generic Timer in AArch64 state", and the register's description in
 * D17): which of the generic timer's registers EL0 may access. */
#define CNTKCTL_EL0PCTEN (1UL << 0) /* CNTPCT_EL0 (and CNTFRQ_EL0) */
#define CNTKCTL_EL0VCTEN (1UL << 1) /* CNTVCT_EL0 (and CNTFRQ_EL0) */
#define CNTKCTL_EL0VTEN	 (1UL << 8) /* the virtual timer's CNTV_* registers */
#define CNTKCTL_EL0PTEN	 (1UL << 9) /* the physical timer's CNTP_* registers */

/* CNTP_CTL_EL0 (D11.2): the EL1 physical timer's control. */
#define CNTP_CTL_ENABLE	 (1UL << 0)
#define CNTP_CTL_IMASK	 (1UL << 1)
#define CNTP_CTL_ISTATUS (1UL << 2)

/* Semihosting (Arm "Semihosting for AArch32 and AArch64" v2.0): SYS_EXIT with an exit code. */
#define SEMIHOST_SYS_EXIT	  0x18
#define SEMIHOST_SYS_GET_CMDLINE  0x15
#define SEMIHOST_APPLICATION_EXIT 0x20026 /* ADP_Stopped_ApplicationExit */
/* arm64_semihost: the semihosting call op with parameter block param (hlt #0xf000); x0 back. */
long arm64_semihost(long op, void *param);
extern const char arm64_semihost_hlt[]; /* its HLT, which traps where nobody serves it */

/* arm64_timer_init: read CNTFRQ_EL0 and mask the timer (timer.c; once, at boot). */
void arm64_timer_init(void);
/* arm64_timer_irq: handle the EL1 physical timer's interrupt, if it is the one asserting
 * (timer.c; from arm64_irq); returns whether it was. */
bool arm64_timer_irq(void);
/* arm64_timer_hz: CNTFRQ_EL0, the counter's frequency read at boot. */
uint64_t arm64_timer_hz(void);

/* arm64_park: where cores 1-3 wait (arch.c; physical, MMU off, any EL): each sets its byte of
 * arm64_parked, then wfi forever. */
extern char arm64_park[];
extern volatile uint8_t arm64_parked[4];

void arm64_trap(struct trapframe *tf);
void arm64_irq(struct trapframe *tf);

struct arch_context;
/* arm64_user_enter: save the caller's context in *ctx, eret to EL0 at pc with sp (trap.S). */
void arm64_user_enter(struct arch_context *ctx, uintptr_t pc, uintptr_t sp);

/* arch_copy_user's instructions that may fault, [arm64_copy_user, arm64_copy_user_end), and
 * where arm64_trap resumes one that did (returns -EFAULT); trap.S. */
extern const char arm64_copy_user[], arm64_copy_user_end[], arm64_copy_user_fault[];

/* The arch_probe in progress (probe.S; one CPU): its caller's lr and sp, lr 0 when none. */
struct arm64_probe {
	unsigned long lr, sp; /* offsets 0 and 8, used by probe.S */
};
extern struct arm64_probe arm64_probe;
extern char arm64_probe_fault[];

/*
 * sys.S (riscv64 user): the one system-call stub and the instruction
 * counter (kit/syscall.h). The registers are kit/abi.h's.
 */
	.section .text
	.globl kit_syscall, kit_cycles
/* long kit_syscall(long nr, long a0, ..., long a5): ecall with nr in a7; the result in a0. */
	.type kit_syscall, @function
kit_syscall:
	mv a7, a0
	mv a0, a1
	mv a1, a2
	mv a2, a3
	mv a3, a4
	mv a4, a5
	mv a5, a6
	ecall
	ret
	.size kit_syscall, . - kit_syscall

/* uint64_t kit_cycles(void): instret (Zicntr; the kernel lets U-mode read it). */
	.type kit_cycles, @function
kit_cycles:
	rdinstret a0
	ret
	.size kit_cycles, . - kit_cycles

/*
 * long kit_ipc(long nr (a0), unsigned long slot (a1), struct kit_msg *m (a2)): an IPC
 * system call: slot in a0, m's tag and MRs 0..3 in a1..a5; back come the result (a0), the
 * tag and MRs (a1..a5) and the badge (a6), into *m. m waits on the stack across the ecall:
 * an IPC call keeps only ra, sp, gp, tp and s0..s11 (kit/abi.h), as a C call does.
 */
	.globl kit_ipc
	.type kit_ipc, @function
kit_ipc:
	addi sp, sp, -16
	sd a2, 0(sp)
	mv a7, a0
	mv a0, a1
	ld a1, 0(a2)
	ld a3, 16(a2)
	ld a4, 24(a2)
	ld a5, 32(a2)
	ld a2, 8(a2)
	ecall
	ld t0, 0(sp)
	addi sp, sp, 16
	sd a1, 0(t0)
	sd a2, 8(t0)
	sd a3, 16(t0)
	sd a4, 24(t0)
	sd a5, 32(t0)
	sd a6, 40(t0)
	ret
	.size kit_ipc, . - kit_ipc

/* kit_thread_entry: where a thread started by kit_thread_start begins (a0: its index): a zero
 * frame pointer, then kit_thread_main, which never returns. */
	.globl kit_thread_entry
	.type kit_thread_entry, @function
kit_thread_entry:
	li s0, 0
	call kit_thread_main
1:	ebreak
	j 1b
	.size kit_thread_entry, . - kit_thread_entry

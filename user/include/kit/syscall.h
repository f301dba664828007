/*
 * kit/syscall.h: the user runtime's system calls (user/lib/kit.c and
 * user/lib/<arch>/sys.S) and its small console library: one C function per
 * system call of kit/abi.h, each returning what the kernel returned (>= 0,
 * or a negative -E* code).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "kit/abi.h"

/* kit_start_arg: the argument the kernel started the task with (`run NAME ARG`), kept by crt0. */
extern unsigned long kit_start_arg;

/* kit_syscall: system call nr with six arguments (sys.S): the raw way in, for tests of bad ones. */
long kit_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
/* kit_cycles: the instruction counter (riscv64 instret, x86_64 the TSC: instructions under
 * QEMU -icount shift=0), readable in user mode. */
uint64_t kit_cycles(void);

long sys_null(void);
long sys_debug_puts(const char *buf, size_t len);
__attribute__((noreturn)) void sys_exit(long code);
long sys_yield(void);
long sys_task_info(struct kit_task_info *out, size_t len);
long sys_cap_identify(unsigned long slot, struct kit_cap_info *out);
long sys_cap_copy(unsigned long dest, unsigned long src, unsigned long rights);
long sys_cap_mint(unsigned long dest, unsigned long src, unsigned long rights, unsigned long badge);
long sys_cap_move(unsigned long dest, unsigned long src);
long sys_cap_delete(unsigned long slot);
long sys_cap_revoke(unsigned long slot);
long sys_retype(unsigned long untyped, unsigned long type, unsigned long size_bits,
		unsigned long dest, unsigned long count);

/* A message in registers (kit_ipc): the tag, MRs 0..3, and the badge a receiver gets. MRs
 * from KIT_MSG_REG_MRS on are in the thread's IPC buffer (struct kit_ipc_buffer). */
struct kit_msg {
	unsigned long info;
	unsigned long mr[KIT_MSG_REG_MRS];
	unsigned long badge;
};

/*
 * kit_ipc: IPC system call nr on slot with *m in and out; the kernel's result. Inline, with
 * the message in the registers kit/abi.h names (seL4's libsel4 does the same): the compiler
 * keeps m in registers where it can and saves only what it needs across the call, which
 * clobbers what a C call does (kit/abi.h), and memory (the IPC buffer's MRs). A receive
 * may pass an m it has not filled in: what goes in is then any value, as it was with a call.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
static inline long kit_ipc(long nr, unsigned long slot, struct kit_msg *m)
{
#if defined(__riscv)
	register long r0 __asm__("a0") = (long)slot;
	register unsigned long r1 __asm__("a1") = m->info, r2 __asm__("a2") = m->mr[0];
	register unsigned long r3 __asm__("a3") = m->mr[1], r4 __asm__("a4") = m->mr[2];
	register unsigned long r5 __asm__("a5") = m->mr[3], r6 __asm__("a6");
	register long r7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "=r"(r6),
			   "+r"(r7)
			 :
			 : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "memory");
#elif defined(__x86_64__)
	register long r0 __asm__("rdi") = (long)slot;
	register unsigned long r1 __asm__("rsi") = m->info, r2 __asm__("rdx") = m->mr[0];
	register unsigned long r3 __asm__("r10") = m->mr[1], r4 __asm__("r8") = m->mr[2];
	register unsigned long r5 __asm__("r9") = m->mr[3];
	long rax = nr;
	__asm__ volatile("syscall"
			 : "+a"(rax), "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5)
			 :
			 : "rcx", "r11", "memory");
	unsigned long r6 = (unsigned long)r0; /* the badge comes back in rdi */
	r0 = rax;
#elif defined(__aarch64__)
	register long r0 __asm__("x0") = (long)slot;
	register unsigned long r1 __asm__("x1") = m->info, r2 __asm__("x2") = m->mr[0];
	register unsigned long r3 __asm__("x3") = m->mr[1], r4 __asm__("x4") = m->mr[2];
	register unsigned long r5 __asm__("x5") = m->mr[3], r6 __asm__("x6");
	register long r8 __asm__("x8") = nr;
	__asm__ volatile(
	    "svc #0"
	    : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "=r"(r6), "+r"(r8)
	    :
	    : "x7", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "memory");
#else
#error "kit_ipc: no IPC system call for this architecture"
#endif
	m->info = r1;
	m->mr[0] = r2;
	m->mr[1] = r3;
	m->mr[2] = r4;
	m->mr[3] = r5;
	m->badge = r6;
	return r0;
}
#pragma GCC diagnostic pop

static inline long kit_send(unsigned long ep, struct kit_msg *m)
{
	return kit_ipc(SYS_SEND, ep, m);
}
static inline long kit_nbsend(unsigned long ep, struct kit_msg *m)
{
	return kit_ipc(SYS_NBSEND, ep, m);
}
static inline long kit_call(unsigned long ep, struct kit_msg *m)
{
	return kit_ipc(SYS_CALL, ep, m);
}
static inline long kit_recv(unsigned long ep, struct kit_msg *m)
{
	return kit_ipc(SYS_RECV, ep, m);
}
static inline long kit_nbrecv(unsigned long ep, struct kit_msg *m)
{
	return kit_ipc(SYS_NBRECV, ep, m);
}
static inline long kit_reply(struct kit_msg *m)
{
	return kit_ipc(SYS_REPLY, 0, m);
}
static inline long kit_reply_recv(unsigned long ep, struct kit_msg *m)
{
	return kit_ipc(SYS_REPLY_RECV, ep, m);
}

long sys_signal(unsigned long ntfn);
/* sys_wait / sys_poll: the notification's word into *word. */
long sys_wait(unsigned long ntfn, unsigned long *word);
long sys_poll(unsigned long ntfn, unsigned long *word);
long sys_tcb_start(unsigned long tcb, unsigned long pc, unsigned long sp, unsigned long ipcbuf,
		   unsigned long arg);
long sys_tcb_set_fault(unsigned long tcb, unsigned long ep);
long sys_tcb_bind(unsigned long tcb, unsigned long ntfn);
long sys_task_spawn(const char *name, size_t len, unsigned long slot, unsigned long arg);
long sys_ipc_stats(struct kit_ipc_stats *out, size_t len);
long sys_frame_map(unsigned long frame, unsigned long va, unsigned long rights);
long sys_frame_unmap(unsigned long frame);
long sys_irq_get(unsigned long irq_control, unsigned long irq, unsigned long dest);
long sys_irq_set_notification(unsigned long handler, unsigned long ntfn);
long sys_irq_ack(unsigned long handler);
long sys_ioport_in(unsigned long ports, unsigned long port, unsigned long size);
long sys_ioport_out(unsigned long ports, unsigned long port, unsigned long value,
		    unsigned long size);
long sys_cnode_guard(unsigned long dest, unsigned long src, unsigned long guard,
		     unsigned long guard_bits);
long sys_device_get(unsigned long irq_control, unsigned long index, unsigned long dest,
		    struct kit_device_info *out);
long sys_frame_addr(unsigned long frame);
/* Lab 5's tasks (kit/abi.h SYS_TASK_CREATE..SYS_TASK_CAP_COPY). */
long sys_task_create(const struct kit_task_spec *spec, unsigned long dest);
long sys_task_kill(unsigned long task);
long sys_task_status(unsigned long task, struct kit_task_status *out);
long sys_task_cap_copy(unsigned long task, unsigned long dest, unsigned long src,
		       unsigned long rights, unsigned long badge);

/*
 * kit_thread_start: run fn(arg) in a new thread of this task: the retyped TCB in slot tcb,
 * stack_top its stack (16-byte aligned), ipcbuf the page the kernel maps its IPC buffer at.
 * When fn returns the thread exits. Returns sys_tcb_start's result (-EAGAIN: more than 32
 * threads started by this runtime).
 */
long kit_thread_start(unsigned long tcb, void (*fn)(unsigned long), void *stack_top,
		      unsigned long ipcbuf, unsigned long arg);

/* printf: a subset of C's (%d %i %u %x %p %s %c %%, the l and z length modifiers, a field
 * width with an optional 0 or -), through SYS_DEBUG_PUTS. Returns the characters formatted. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* kit_write_hook: where printf and puts write, when set and it does not fail (< 0): lab 5's
 * console server (ns_console_attach, kit/ns.h); SYS_DEBUG_PUTS otherwise. */
extern long (*kit_write_hook)(const char *s, size_t n);
/* puts: s and a newline. */
int puts(const char *s);
/* errstr: "EFAULT" for -14 or 14, "E?" for an unknown code (common/string.c, shared with the kernel). */
const char *errstr(int err);

size_t strlen(const char *s);
/* strtoul: a number in base (0: 0x hex, 0 octal, else decimal), *end (when end) after it. */
unsigned long strtoul(const char *s, const char **end, int base);
int strcmp(const char *a, const char *b);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

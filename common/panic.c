/*
 * panic.c: panic and unexpected traps: say what went wrong and where, then
 * power off with a failure status so QEMU (and the grader) see a non-zero exit.
 */
#include "kernel.h"
#include "arch.h"
#include "platform.h"
#include "ksyms.h"
#include "backtrace.h"
#include "trap.h"

static int panicking;
bool trap_storm_mode; /* set by kmain for kit.break=storm */
void (*trap_fault_hook)(const struct page_fault *pf);
void (*timer_irq_hook)(void);
void (*syscall_hook)(struct trapframe *tf);
fastpath_fn *fastpath_call_hook = fastpath_none, *fastpath_reply_recv_hook = fastpath_none;
void (*user_fault_hook)(struct trapframe *tf, const struct user_fault *f);
void (*user_return_hook)(struct trapframe *tf);
/* kcpu (kcpu.h): main_thread is thread.c's from lab 3 on (weak: NULL before, no threads). */
extern struct thread main_thread __attribute__((weak));
static const struct kstack boot_kstack = {(uintptr_t)boot_stack, (uintptr_t)boot_stack_top};
struct kcpu kcpu = {.cur = &main_thread, .kstack = &boot_kstack};

struct trapframe *fastpath_none(unsigned long slot, unsigned long info)
{
	return NULL;
}

/* print_place: label, pc and its function; ra: pc is a return address (named by pc - 1). */
static void print_place(const char *label, uintptr_t pc, bool ra)
{
	uintptr_t off = 0;
	const char *name = ra ? ksyms_lookup_ra(pc, &off) : ksyms_lookup(pc, &off);
	console_puts(label);
	console_puthex(pc);
	if (name) {
		console_puts(" ");
		console_puts(name);
		console_puts("+");
		/* trusted output: a panic must read right even in the lab-1 starter */
		console_puthex_short(off);
	}
	console_puts("\n");
}

static noreturn void panic_finish(uintptr_t fp)
{
	console_puts("backtrace:\n");
	backtrace_print(fp);
	console_puts("panic: powering off (status 1)\n");
	platform_poweroff(1);
}

noreturn void panic(const char *fmt, ...)
{
	if (panicking++) {
		console_puts("\npanic: recursive panic, powering off (status 1)\n");
		platform_poweroff(1);
	}
	/* The message is formatted with lab 1's engine; the raw format is the fallback. */
	console_puts("\npanic: ");
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_puts(n > 0 ? msg : fmt);
	console_puts("\n");
	print_place("panic: called from ", (uintptr_t)__builtin_return_address(0), true);
	panic_finish(arch_frame_pointer());
}

void trap_unexpected(const char *what, uintptr_t pc, uintptr_t addr, uintptr_t fp)
{
	console_puts("trap: ");
	console_puts(what);
	console_puts(" addr=");
	console_puthex(addr);
	print_place(" pc=", pc, false);
	if (trap_storm_mode)
		return;
	if (panicking++) {
		console_puts("panic: trap while panicking, powering off (status 1)\n");
		platform_poweroff(1);
	}
	console_puts("panic: unexpected trap in the kernel\n");
	panic_finish(fp);
}

noreturn void trap_stack_overflow(uintptr_t pc, uintptr_t sp, uintptr_t fp)
{
	if (panicking++) {
		console_puts("\npanic: stack overflow while panicking, powering off (status 1)\n");
		platform_poweroff(1);
	}
	console_puts("\npanic: kernel stack overflow: sp ");
	console_puthex(sp);
	console_puts(" is below the stack's end ");
	console_puthex(kstack_limit);
	console_puts("\n");
	print_place("panic: at pc=", pc, false);
	panic_finish(fp);
}

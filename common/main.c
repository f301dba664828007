/*
 * main.c: kmain, the portable kernel's entry: banner, memory, the labs'
 * init hooks (init.h), then the monitor. Also the boot-argument lookup and
 * the fault-injection switch the kit's own tests use
 * (kit.break=silence|hang|panic|storm|exit|overflow) to show the grader's diagnoses
 * on a deliberately broken kernel.
 */
#include "kernel.h"
#include "arch.h"
#include "platform.h"
#include "string.h"
#include "memory.h"
#include "monitor.h"
#include "init.h"
#include "trap.h"

struct bootinfo bootinfo;
extern bool trap_storm_mode;

int bootargs_get(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	for (const char *p = bootinfo.bootargs; p && *p;) {
		while (*p == ' ')
			p++;
		size_t wlen = strchr(p, ' ') ? (size_t)(strchr(p, ' ') - p) : strlen(p);
		if (wlen > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t vlen = wlen - klen - 1;
			if (size) {
				size_t k = vlen < size - 1 ? vlen : size - 1;
				memcpy(buf, p + klen + 1, k);
				buf[k] = 0;
			}
			return 0;
		}
		p += wlen;
	}
	return -ENOENT;
}

/* Weak: a stage with no hook has no section kinit, and then both are NULL. */
extern const struct kernel_init __start_kinit[] __attribute__((weak));
extern const struct kernel_init __stop_kinit[] __attribute__((weak));

/* kernel_init_run: each pass runs the hooks at the lowest level above the last pass's (a few
 * hooks and levels: quadratic is fine). */
void kernel_init_run(void)
{
	for (int done = -1, next;; done = next) {
		next = __INT_MAX__;
		for (const struct kernel_init *i = __start_kinit; i < __stop_kinit; i++)
			if (i->level > done && i->level < next)
				next = i->level;
		if (next == __INT_MAX__)
			return;
		for (const struct kernel_init *i = __start_kinit; i < __stop_kinit; i++) {
			int err = i->level == next ? i->fn() : 0;
			if (err < 0)
				kprintf("init: %s failed (%s); booting on without it\n", i->name,
					errstr(err));
		}
	}
}

/* overflow: recurse until the boot stack runs out (kit.break=overflow; limit never reached). */
static noinline int overflow(volatile int depth, int limit)
{
	volatile char frame[256];
	frame[0] = (char)depth;
	if (depth == limit)
		return 0;
	return overflow(depth + 1, limit) + frame[0];
}

/* fault_injection: act on kit.break=WHAT (after the banner unless WHAT is silence). */
static void fault_injection(const char *what)
{
	if (strcmp(what, "hang") == 0)
		for (;;)
			arch_cpu_relax();
	if (strcmp(what, "panic") == 0)
		panic("kit.break=panic: a deliberate panic");
	if (strcmp(what, "exit") == 0)
		platform_poweroff(0);
	if (strcmp(what, "overflow") == 0)
		overflow(0, 1 << 30);
	if (strcmp(what, "storm") == 0) {
		trap_storm_mode = true;
		__builtin_trap();
	}
}

noreturn void kmain(void)
{
	arch_set_kernel_stack(kstack_top); /* the boot stack's (kcpu.h) */
	char brk[16] = "";
	bootargs_get("kit.break", brk, sizeof(brk));
	if (strcmp(brk, "silence") == 0)
		for (;;)
			arch_cpu_relax();

	kprintf("\nkit %s on %s: cpu %lu, bootargs \"%s\"\n", KIT_VERSION, bootinfo.arch,
		bootinfo.cpu_id, bootinfo.bootargs);
	memory_report(false);
	kernel_init_run();
	fault_injection(brk);

	uint64_t cycles = arch_cycles() - bootinfo.entry_cycles;
	kprintf("boot: %lu instructions from entry to prompt\n", (unsigned long)cycles);
	monitor_run();
}

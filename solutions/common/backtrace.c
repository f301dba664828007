/*
 * backtrace.c: the frame-pointer stack walk and the monitor's `backtrace`
 * command (lab 1).
 *
 * With -fno-omit-frame-pointer every function saves its return address and
 * its caller's frame pointer in its frame; arch_frame_ra(fp) and
 * arch_frame_prev(fp) read them (riscv64: fp-8 and fp-16, RISC-V psABI
 * "Frame pointer convention"; x86_64: rbp+8 and rbp+0, System V AMD64 ABI
 * 3.2.2). Boot code zeroes the first frame pointer, which ends the chain.
 */
#include "kernel.h"
#include "arch.h"
#include "ksyms.h"
#include "backtrace.h"
#include "monitor.h"
#include "trap.h"

#define BACKTRACE_MAX_DEPTH 64

// @lab1 solution
/* Is fp a plausible frame pointer: non-zero, aligned, inside the kernel image (the boot
 * stack) or the current kernel stack (trap.h: kstack_limit, kstack_top)? */
static bool frame_ok(uintptr_t fp)
{
	bool in_image = fp > (uintptr_t)_start && fp <= (uintptr_t)_end;
	bool in_stack = fp > kstack_limit && fp <= kstack_top;
	return fp != 0 && fp % sizeof(uintptr_t) == 0 && (in_image || in_stack);
}
// @lab1 end

int backtrace_print(uintptr_t fp)
{
	// @lab1 solution
	int depth = 0;
	for (; depth < BACKTRACE_MAX_DEPTH && frame_ok(fp); depth++) {
		uintptr_t ra = arch_frame_ra(fp), off = 0;
		if (ra == 0)
			break;
		const char *name = ksyms_lookup_ra(ra, &off);
		kprintf("  #%d %p %s+0x%lx\n", depth, (void *)ra, name ? name : "<unknown>",
			(unsigned long)(name ? off : 0));
		fp = arch_frame_prev(fp);
	}
	return depth;
	// @lab1 stub
	// TODO(lab1): walk the frame-pointer chain from fp and print one line per
	// frame, innermost first: "  #<depth> <return address as %p> <function>+0x<offset>".
	// "<unknown>+0x0" for an address it cannot name. Stop at a zero or
	// misaligned fp, one outside both the image and the current kernel stack,
	// or after BACKTRACE_MAX_DEPTH frames; return the number of frames printed.
	// Hint: arch_frame_ra(fp) and arch_frame_prev(fp) read one frame;
	// ksyms_lookup_ra(ra, &off) names the function a return address is in
	// (by ra - 1: a call can be a function's last instruction).
	(void)fp;
	kprintf("backtrace: not implemented (TODO(lab1))\n");
	return -ENOSYS;
	// @lab1 end
}

int mon_backtrace(unused int argc, unused char **argv)
{
	// @lab1 solution
	kprintf("Stack backtrace:\n");
	int n = backtrace_print(arch_frame_pointer());
	return n < 0 ? n : 0;
	// @lab1 stub
	// TODO(lab1): print "Stack backtrace:" and then the monitor's own call
	// chain, starting from this function's frame.
	// Hint: arch_frame_pointer() gives the current frame pointer.
	kprintf("backtrace: not implemented (TODO(lab1))\n");
	return -ENOSYS;
	// @lab1 end
}

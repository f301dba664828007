/*
 * ustate.c: lab 6, a Linux-ABI thread's user state that no trap saves:
 * its FP/SIMD registers and, where it is not in the trap frame, its thread
 * pointer (struct arch_ustate, arch.h). A static glibc uses them all the
 * time (x86_64 SSE in memcpy and strlen, riscv64 f registers in setjmp and
 * printf's doubles), and several Linux programs run at once, so each
 * Linux-ABI thread has its own (its TCB's, made with the task) and the CPU
 * holds one at a time: the owner's. The switch is lazy: thread_switch
 * calls ustate_switch for a Linux thread only, which saves the owner's and
 * loads the incoming one's only when they differ; kit threads never touch
 * these registers (the kit's programs and the kernel are built without
 * FP/SIMD), so they neither save nor disturb the owner's.
 * Entry points: ustate_switch (thread.h), ustate_create, ustate_free
 * (ipc.h). Locking: one CPU, interrupts disabled.
 */
#include "kernel.h"
#include "arch.h"
#include "ipc.h"
#include "kmalloc.h"
#include "thread.h"

static struct arch_ustate *owner; /* whose registers the CPU holds, or NULL */

void ustate_switch(struct arch_ustate *u)
{
	if (u == owner)
		return;
	if (owner)
		arch_ustate_save(owner);
	arch_ustate_load(u);
	owner = u;
}

struct arch_ustate *ustate_create(struct arch_ustate *from)
{
	struct arch_ustate *u = kmalloc(sizeof(*u));

	if (!u)
		return NULL;
	if (!from)
		arch_ustate_init(u);
	else {
		if (from == owner) /* its newest values are in the CPU */
			arch_ustate_save(from);
		*u = *from;
	}
	return u;
}

void ustate_free(struct arch_ustate *u)
{
	if (u && u == owner)
		owner = NULL;
	kfree(u);
}

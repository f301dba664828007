/*
 * crash.c: a program that faults (a store through a wild pointer), for
 * the shell's tests: its fault is reported to init (its fault endpoint),
 * the task ends, the shell says "crash killed (fault)", and the system
 * goes on.
 */
#include "user.h"
#include "kit/ns.h"

int main(void)
{
	ns_console_attach();
	printf("crash: writing to 0x10\n");
	*(volatile unsigned long *)0x10 = 1;
	printf("crash: still here?\n");
	return 0;
}

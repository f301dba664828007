/*
 * exit3.c: a program for the shell's tests (tests/test_lab5_sys.py): it
 * prints a line through the console server and exits with 3 (or its
 * argument, when not 0), which the shell reports.
 */
#include "user.h"
#include "kit/ns.h"

int main(void)
{
	ns_console_attach();
	printf("exit3: exiting with %lu\n", kit_start_arg ? kit_start_arg : 3);
	return kit_start_arg ? (int)kit_start_arg : 3;
}

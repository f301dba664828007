/*
 * fault.c: a task that reads address 0 after saying so. The kernel must
 * report the fault ("user fault: ... at 0x0 ... in task fault"), stop the
 * task and go on; the monitor answers the next command.
 */
#include "user.h"
#include "kit/syscall.h"

int main(void)
{
	volatile int *null = 0;

	puts("fault: reading address 0");
	return *null;
}

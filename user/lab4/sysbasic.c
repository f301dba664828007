/*
 * sysbasic.c: every part-A system call once, used as documented
 * (kit/abi.h), then exit with 42 (the grader reads "run: sysbasic exited
 * with 42").
 */
#include "user.h"
#include "kit/syscall.h"

void _start(void); /* crt0 */

static char greeting[] = "sysbasic: hello from user space\n";

int main(void)
{
	struct kit_task_info info;

	if (sys_debug_puts(greeting, sizeof(greeting) - 1) != sizeof(greeting) - 1)
		return 1;
	if (sys_null() != 0)
		return 2;
	if (sys_yield() != 0)
		return 3;
	if (sys_task_info(&info, sizeof(info)) != 0)
		return 4;
	printf("sysbasic: task %s, tid %lu, entry %p, stack top %p\n", info.name, info.tid,
	       (void *)info.entry, (void *)info.stack_top);
	if (strcmp(info.name, "sysbasic") != 0 || info.entry != (unsigned long)_start)
		return 5;
	return 42;
}

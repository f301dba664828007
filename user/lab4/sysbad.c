/*
 * sysbad.c: each part-A system call with bad arguments, against the error
 * kit/abi.h and the kernel's syscall.h document: unknown numbers
 * (-ENOSYS), pointers the task cannot use (-EFAULT: NULL, unmapped, the
 * kernel's half, read-only pages written to, ranges running off the end
 * of a mapping), bad lengths (-EINVAL, checked before any pointer). One
 * "utest sysbad <check>" line per check; the kernel must print no panic
 * and answer a null system call at the end.
 */
#include "user.h"
#include "check.h"

static const char rodata[64] = "read-only";

/* raw: a system call with the first two arguments. */
static long raw(long nr, long a0, long a1)
{
	return kit_syscall(nr, a0, a1, 0, 0, 0, 0);
}

static void numbers(void)
{
	check_eq("nr-count", raw(SYS_COUNT, 0, 0), -ENOSYS);
	check_eq("nr-unassigned", raw(5, 0, 0), -ENOSYS);
	check_eq("nr-huge", raw(1L << 40, 0, 0), -ENOSYS);
	check_eq("nr-negative", raw(-1, 0, 0), -ENOSYS);
	check_eq("nr-int-min", raw(-2147483648L, 0, 0), -ENOSYS);
}

static void puts_args(const struct kit_task_info *info)
{
	char buf[8] = "ok\n";
	long kernel = -4096L; /* the top page of the kernel's half */

	check_eq("puts-len-zero", raw(SYS_DEBUG_PUTS, (long)buf, 0), 0);
	check_eq("puts-len-max+1", raw(SYS_DEBUG_PUTS, (long)buf, KIT_DEBUG_PUTS_MAX + 1), -EINVAL);
	check_eq("puts-len-huge", raw(SYS_DEBUG_PUTS, (long)buf, -1L), -EINVAL);
	check_eq("puts-null", raw(SYS_DEBUG_PUTS, 0, 3), -EFAULT);
	check_eq("puts-unmapped", raw(SYS_DEBUG_PUTS, 0x10000000L, 3), -EFAULT);
	check_eq("puts-kernel", raw(SYS_DEBUG_PUTS, kernel, 3), -EFAULT);
	check_eq("puts-past-stack", raw(SYS_DEBUG_PUTS, (long)info->stack_top - 4, 8), -EFAULT);
	check_eq("puts-rodata", raw(SYS_DEBUG_PUTS, (long)rodata, 0), 0);
}

static void info_args(const struct kit_task_info *good)
{
	struct kit_task_info info;
	long kernel = -4096L;

	memset(&info, 0x5a, sizeof(info));
	check_eq("info-short", raw(SYS_TASK_INFO, (long)&info, sizeof(info) - 1), -EINVAL);
	check_eq("info-short-untouched", ((unsigned char *)&info)[0], 0x5a);
	check_eq("info-null", raw(SYS_TASK_INFO, 0, sizeof(info)), -EFAULT);
	check_eq("info-kernel", raw(SYS_TASK_INFO, kernel, sizeof(info)), -EFAULT);
	check_eq("info-text", raw(SYS_TASK_INFO, (long)good->entry, sizeof(info)), -EFAULT);
	check_eq("info-rodata", raw(SYS_TASK_INFO, (long)rodata, sizeof(info)), -EFAULT);
	check_eq("info-past-stack", raw(SYS_TASK_INFO, (long)good->stack_top - 8, sizeof(info)),
		 -EFAULT);
	check_eq("info-good", raw(SYS_TASK_INFO, (long)&info, sizeof(info) + 8), 0);
	check_eq("info-good-tid", info.tid, good->tid);
}

int main(void)
{
	struct kit_task_info info;

	check_suite = "sysbad";
	if (!check_eq("info", sys_task_info(&info, sizeof(info)), 0))
		return check_done();
	numbers();
	puts_args(&info);
	info_args(&info);
	check_eq("null-after", sys_null(), 0);
	return check_done();
}

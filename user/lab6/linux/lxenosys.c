/* lxenosys.c: a Linux test program that makes a system call nobody implements (number 1000,
 * none on Linux either), twice: -1 with errno ENOSYS each time, and it goes on. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 2; i++) {
		long r = syscall(1000, 1, 2, 3);
		printf("lxenosys: syscall 1000 returned %ld (%s)\n", r, strerror(errno));
	}
	printf("lxenosys: going on\n");
	return 0;
}

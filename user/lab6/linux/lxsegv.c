/* lxsegv.c: a Linux test program that prints, then stores to an unmapped address: Linux
 * kills it with SIGSEGV, the kit's Linux server reports it and exits with 128 + 11. */
#include <stdio.h>

int main(void)
{
	printf("lxsegv: about to fault\n");
	fflush(stdout);
	*(volatile int *)16 = 1;
	printf("lxsegv: still here?\n");
	return 0;
}

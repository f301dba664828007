/* lxexit7.c: a Linux test program that prints through writev (fputs + fflush) and exits 7. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	fputs("lxexit7: leaving with status 7\n", stdout);
	fflush(stdout);
	exit(7);
}

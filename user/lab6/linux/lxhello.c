/* lxhello.c: lab 6's first Linux test program (static glibc): printf, then exit status 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello, world from %s (argc %d)\n", argv[0], argc);
	printf("%d squared is %d; %s\n", 12, 144, "done");
	return 0;
}

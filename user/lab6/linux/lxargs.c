/* lxargs.c: prints its argv and its environment (lxexec runs it), then exits 4. */
#include <stdio.h>

extern char **environ;

int main(int argc, char **argv)
{
	printf("lxargs: argc %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("lxargs: argv[%d] \"%s\"\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("lxargs: env \"%s\"\n", *e);
	return 4;
}

/*
 * hello.c: the smallest user program: it computes in its own memory (text,
 * rodata, data and bss, one segment each) and returns the result to crt0.
 * The kit's tests read its ELF to check how user programs are built; lab 4
 * gives user programs system calls.
 */
#include "user.h"

static int table[16];		     /* .bss */
static volatile int scale = 3;	     /* .data */
static const char hello[] = "hello"; /* .rodata */
static const char *volatile msg = hello;

int main(void)
{
	int sum = 0;

	for (int i = 0; i < 16; i++)
		table[i] = i * scale;
	for (int i = 0; i < 16; i++)
		sum += table[i];
	for (const char *p = msg; *p; p++)
		sum += *p;
	return sum;
}

/*
 * frameshare.c: frames' child task: maps the frame its parent gave it
 * (KIT_SLOT_ARG) and answers in it: word 2 is 0x5678 when word 0 held the
 * parent's 0x1234, else 0xbad (or the error of the mapping).
 */
#include "user.h"
#include "kit/syscall.h"

int main(void)
{
	volatile unsigned long *p = (void *)0x50000000UL;
	long r = sys_frame_map(KIT_SLOT_ARG, 0x50000000UL, KIT_RIGHTS_ALL);

	if (r != 0)
		return 1;
	p[2] = p[0] == 0x1234 ? 0x5678 : 0xbad;
	return 0;
}

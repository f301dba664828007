/*
 * pingserver.c: pingpong's server, a task of its own (SYS_TASK_SPAWN): its
 * endpoint capability is in KIT_SLOT_ARG; it answers every Call with mr0 + 1
 * from a ReplyRecv loop, until its parent ends (which ends it).
 */
#include "user.h"
#include "kit/syscall.h"

int main(void)
{
	struct kit_msg m = {0};

	kit_recv(KIT_SLOT_ARG, &m);
	for (;;) {
		m.info = KIT_MSGINFO(0, 0, 1);
		m.mr[0]++;
		kit_reply_recv(KIT_SLOT_ARG, &m);
	}
}

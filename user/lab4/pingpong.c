/*
 * pingpong.c: the IPC round trip between two address spaces: this task
 * spawns pingserver (a task of its own) with an endpoint capability, then
 * times ROUNDS Calls, each answered by the server's ReplyRecv, with the
 * instruction counter (kit_cycles; exact under QEMU -icount). It reads the
 * kernel's IPC counters around the timed loop and prints
 *     "pingpong: round trip <n> instructions (mean of <ROUNDS>)"
 *     "pingpong: fastpath call <h>/<ROUNDS>, reply_recv <h>/<ROUNDS>"
 * and exits 0, or 1 when a reply was wrong. `fastpath off` at the monitor
 * makes it measure the slowpath.
 */
#include "user.h"
#include "kit/syscall.h"

#define ROUNDS 1000
#define EP     8

int main(void)
{
	static const char server[] = "pingserver";
	struct kit_ipc_stats s0, s1;
	struct kit_msg m;
	long bad = 0;

	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1) != 0 ||
	    sys_task_spawn(server, sizeof(server) - 1, EP, 0) != 0) {
		puts("pingpong: no server");
		return 1;
	}
	for (int i = 0; i < 10; i++) { /* warm up: the server is waiting from here on */
		m = (struct kit_msg){.info = KIT_MSGINFO(1, 0, 1), .mr = {i}};
		bad |= kit_call(EP, &m) != 0 || m.mr[0] != (unsigned long)i + 1;
	}
	sys_ipc_stats(&s0, sizeof(s0));
	uint64_t t0 = kit_cycles();
	for (int i = 0; i < ROUNDS; i++) {
		m.info = KIT_MSGINFO(1, 0, 1);
		m.mr[0] = i;
		bad |= kit_call(EP, &m);
	}
	uint64_t t1 = kit_cycles();
	sys_ipc_stats(&s1, sizeof(s1));
	bad |= m.mr[0] != ROUNDS;
	printf("pingpong: round trip %lu instructions (mean of %d)\n",
	       (unsigned long)((t1 - t0) / ROUNDS), ROUNDS);
	printf("pingpong: fastpath call %lu/%d, reply_recv %lu/%d\n", s1.fast_call - s0.fast_call,
	       ROUNDS, s1.fast_reply_recv - s0.fast_reply_recv, ROUNDS);
	return bad ? 1 : 0;
}

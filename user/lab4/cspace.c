/*
 * cspace.c: multi-level cspaces (kit/abi.h "Capability addresses"): a
 * CNode retyped from untyped and reached through a path, with and without
 * a guard (SYS_CNODE_GUARD); copy, move, identify and IPC through paths;
 * three levels; a revoke reaching copies in other CNodes; the path errors;
 * and a chain of CNodes, each held only by the next, deleted at once (the
 * kernel clears them one after the other, not one inside the other).
 * Checks "path-*" in suite "cspace".
 */
#include "user.h"
#include "check.h"

#define CN	40 /* a CNode of 16 slots */
#define CNG	41 /* its capability with guard 1 of 1 bit */
#define CN2	42 /* a CNode of 4 slots */
#define EP	43
#define MOVED	50
#define P(i)	KIT_CPTR(CNG, 1, 1, i)
#define P3(i)	(P(2) | (unsigned long)(i) << 13) /* CN2 (in CN's slot 2), slot i */
#define CHAIN	100				  /* root slots of the chain's CNodes */
#define CHAIN_N 128

static struct kit_cap_info info(unsigned long slot)
{
	struct kit_cap_info i;

	if (sys_cap_identify(slot, &i) != 0)
		i.type = 99;
	return i;
}

/* chain: CHAIN_N CNodes of 2 slots, each one's capability in slot 1 of the next, only the
 * last one's left in the root; deleting that one takes them all. */
static void chain(void)
{
	long err = 0;

	for (int k = 0; k < CHAIN_N; k += KIT_RETYPE_MAX)
		err |= sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_CNODE, 1, CHAIN + k, KIT_RETYPE_MAX);
	for (int k = 0; k + 1 < CHAIN_N; k++)
		err |= sys_cap_move(KIT_CPTR(CHAIN + k + 1, 0, 0, 1), CHAIN + k);
	check_eq("path-chain-build", err, 0);
	check_eq("path-chain-deep", info(KIT_CPTR(CHAIN + CHAIN_N - 1, 0, 0, 1)).type,
		 KIT_CAP_CNODE);
	check_eq("path-chain-delete", sys_cap_delete(CHAIN + CHAIN_N - 1), 0);
	check_eq("path-chain-gone", info(CHAIN + CHAIN_N - 1).type, KIT_CAP_NULL);
	check_eq("path-after-chain", sys_null(), 0);
}

int main(void)
{
	struct kit_msg m = {0};

	check_suite = "cspace";
	check_eq("path-retype", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_CNODE, 4, CN, 1), 0);
	check_eq("path-guard", sys_cnode_guard(CNG, CN, 1, 1), 0);
	check_eq("path-guard-shown", info(CNG).badge, 1);
	check_eq("path-copy", sys_cap_copy(P(0), KIT_SLOT_TCB, KIT_RIGHTS_ALL), 0);
	check_eq("path-identify", info(P(0)).type, KIT_CAP_TCB);
	check_eq("path-empty", info(P(15)).type, KIT_CAP_NULL);
	check_eq("path-cnode-itself", info(KIT_CPTR(CN, 0, 0, 0)).type, KIT_CAP_CNODE);
	check_eq("path-no-guard",
		 sys_cap_copy(KIT_CPTR(CN, 0, 0, 3), KIT_SLOT_CNODE, KIT_RIGHT_READ), 0);
	check_eq("path-same-cnode", info(P(3)).type, KIT_CAP_CNODE);
	check_eq("path-guard-mismatch", sys_cap_identify(KIT_CPTR(CNG, 0, 1, 2), 0), -EINVAL);
	check_eq("path-beyond", sys_cap_identify(P(16), 0), -EINVAL);
	check_eq("path-through-tcb", sys_cap_identify(KIT_SLOT_TCB | 1UL << 8, 0), -EINVAL);
	check_eq("path-guard-not-cnode", sys_cnode_guard(44, KIT_SLOT_TCB, 0, 0), -EINVAL);
	check_eq("path-guard-wide", sys_cnode_guard(44, CN, 4, 2), -EINVAL);
	check_eq("path-guard-bits", sys_cnode_guard(44, CN, 0, 49), -EINVAL);
	check_eq("path-guard-full", sys_cnode_guard(KIT_SLOT_TCB, CN, 0, 0), -EEXIST);
	check_eq("path-move", sys_cap_move(MOVED, P(0)), 0);
	check_eq("path-moved", info(MOVED).type * 16 + info(P(0)).type, KIT_CAP_TCB * 16);

	check_eq("path-ep", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1), 0);
	check_eq("path-ep-copy", sys_cap_copy(P(1), EP, KIT_RIGHTS_ALL), 0);
	check_eq("path-ipc", kit_nbsend(P(1), &m), -EAGAIN);
	check_eq("path-cn2", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_CNODE, 2, CN2, 1), 0);
	check_eq("path-cn2-in-cn", sys_cap_move(P(2), CN2), 0);
	check_eq("path-three-levels", sys_cap_copy(P3(1), EP, KIT_RIGHT_WRITE), 0);
	check_eq("path-three-identify", info(P3(1)).type, KIT_CAP_ENDPOINT);
	check_eq("path-revoke", sys_cap_revoke(EP), 0);
	check_eq("path-revoked", info(P(1)).type + info(P3(1)).type, KIT_CAP_NULL);
	chain();
	return check_done();
}

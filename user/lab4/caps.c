/*
 * caps.c: part B's capabilities, from a root task's cspace (kit/abi.h's
 * KIT_SLOT_*): what the kernel gives it, retype from its untyped, copy and
 * mint (rights only shrink, one badge), move, delete (children survive),
 * revoke (every descendant goes), retype accounting (an untyped holds what
 * its size says, in blocks aligned to their size, and again after a
 * revoke), and bad arguments. Checks are named by group (boot-, copy-,
 * mint-, move-, delete-, revoke-, retype-, bad-); the grader scores the
 * groups separately.
 */
#include "user.h"
#include "check.h"

enum {
	EP = 8,
	EP2,
	COPY,
	COPY2,
	MINT,
	MINT2,
	MINT3,
	MOVED = 20,
	SUB = 30,
	SUB2,
	SMALL = 40,
	MANY = 64,
	CN = 200
};

/* info: identify slot; on failure a type no capability has. */
static struct kit_cap_info info(unsigned long slot)
{
	struct kit_cap_info i;

	if (sys_cap_identify(slot, &i) != 0)
		i.type = 99;
	return i;
}

static void boot(void)
{
	check_eq("boot-null", info(KIT_SLOT_NULL).type, KIT_CAP_NULL);
	check_eq("boot-cnode", info(KIT_SLOT_CNODE).type, KIT_CAP_CNODE);
	check_eq("boot-cnode-bits", info(KIT_SLOT_CNODE).size_bits, 8);
	check_eq("boot-tcb", info(KIT_SLOT_TCB).type, KIT_CAP_TCB);
	check_eq("boot-untyped", info(KIT_SLOT_UNTYPED).type, KIT_CAP_UNTYPED);
	check_eq("boot-untyped-bits", info(KIT_SLOT_UNTYPED).size_bits, 20);
	check_eq("boot-free", info(KIT_SLOT_FIRST_FREE).type, KIT_CAP_NULL);
}

static void copy_mint(void)
{
	check_eq("copy-retype", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 2), 0);
	check_eq("copy-retype-type", info(EP2).type, KIT_CAP_ENDPOINT);
	check_eq("copy-retype-rights", info(EP).rights, KIT_RIGHTS_ALL);
	check_eq("copy-read", sys_cap_copy(COPY, EP, KIT_RIGHT_READ), 0);
	check_eq("copy-read-rights", info(COPY).rights, KIT_RIGHT_READ);
	check_eq("copy-cannot-add", sys_cap_copy(COPY2, COPY, KIT_RIGHTS_ALL), 0);
	check_eq("copy-cannot-add-rights", info(COPY2).rights, KIT_RIGHT_READ);
	check_eq("copy-into-full", sys_cap_copy(COPY, EP, KIT_RIGHTS_ALL), -EEXIST);
	check_eq("copy-from-empty", sys_cap_copy(60, 61, KIT_RIGHTS_ALL), -ENOENT);
	check_eq("copy-untyped", sys_cap_copy(60, KIT_SLOT_UNTYPED, KIT_RIGHTS_ALL), -EINVAL);
	check_eq("mint", sys_cap_mint(MINT, EP, KIT_RIGHT_WRITE, 0x42), 0);
	check_eq("mint-badge", info(MINT).badge, 0x42);
	check_eq("mint-rights", info(MINT).rights, KIT_RIGHT_WRITE);
	check_eq("mint-copy-keeps-badge", sys_cap_copy(MINT2, MINT, KIT_RIGHTS_ALL), 0);
	check_eq("mint-copy-badge", info(MINT2).badge, 0x42);
	check_eq("mint-copy-rights", info(MINT2).rights, KIT_RIGHT_WRITE);
	check_eq("mint-cannot-add", sys_cap_mint(MINT3, COPY, KIT_RIGHTS_ALL, 0x43), 0);
	check_eq("mint-cannot-add-rights", info(MINT3).rights, KIT_RIGHT_READ);
	check_eq("mint-rebadge", sys_cap_mint(60, MINT, KIT_RIGHTS_ALL, 7), -EPERM);
	check_eq("mint-badge-zero", sys_cap_mint(60, EP, KIT_RIGHTS_ALL, 0), -EINVAL);
	check_eq("mint-cnode", sys_cap_mint(60, KIT_SLOT_CNODE, KIT_RIGHTS_ALL, 7), -EINVAL);
	check_eq("mint-left-empty", info(60).type, KIT_CAP_NULL);
}

static void move_delete_revoke(void)
{
	check_eq("move", sys_cap_move(MOVED, MINT), 0);
	check_eq("move-dest", info(MOVED).badge, 0x42);
	check_eq("move-src-empty", info(MINT).type, KIT_CAP_NULL);
	check_eq("move-into-full", sys_cap_move(COPY, MOVED), -EEXIST);
	check_eq("move-onto-itself", sys_cap_move(MOVED, MOVED), -EEXIST);
	check_eq("move-from-empty", sys_cap_move(60, MINT), -ENOENT);
	check_eq("delete", sys_cap_delete(COPY), 0);
	check_eq("delete-empty", info(COPY).type, KIT_CAP_NULL);
	check_eq("delete-again", sys_cap_delete(COPY), -ENOENT);
	check_eq("delete-child-stays", info(COPY2).type, KIT_CAP_ENDPOINT);
	/* EP's descendants: COPY2 and MINT3 (through the deleted COPY), MOVED (minted), MINT2
	 * (its copy). */
	check_eq("revoke", sys_cap_revoke(EP), 0);
	check_eq("revoke-keeps-itself", info(EP).type, KIT_CAP_ENDPOINT);
	check_eq("revoke-grandchild", info(COPY2).type, KIT_CAP_NULL);
	check_eq("revoke-minted-grandchild", info(MINT3).type, KIT_CAP_NULL);
	check_eq("revoke-moved-child", info(MOVED).type, KIT_CAP_NULL);
	check_eq("revoke-deep", info(MINT2).type, KIT_CAP_NULL);
	check_eq("revoke-sibling-stays", info(EP2).type, KIT_CAP_ENDPOINT);
	check_eq("revoke-empty", sys_cap_revoke(60), -ENOENT);
}

static void retype(void)
{
	/* The untyped (1 MiB) holds two endpoints at its start: one aligned half is left. */
	check_eq("retype-half", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_UNTYPED, 19, SUB, 1), 0);
	check_eq("retype-half-bits", info(SUB).size_bits, 19);
	check_eq("retype-full", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_UNTYPED, 19, SUB2, 1),
		 -ENOMEM);
	check_eq("retype-full-left-empty", info(SUB2).type, KIT_CAP_NULL);
	check_eq("retype-small", sys_retype(SUB, KIT_CAP_UNTYPED, 12, SMALL, 1), 0);
	check_eq("retype-64", sys_retype(SMALL, KIT_CAP_ENDPOINT, 0, MANY, 64), 0);
	check_eq("retype-65th", sys_retype(SMALL, KIT_CAP_NOTIFICATION, 0, 60, 1), -ENOMEM);
	check_eq("retype-revoke", sys_cap_revoke(SMALL), 0);
	check_eq("retype-revoked", info(MANY + 63).type, KIT_CAP_NULL);
	check_eq("retype-again", sys_retype(SMALL, KIT_CAP_NOTIFICATION, 0, MANY, 64), 0);
	check_eq("retype-again-type", info(MANY).type, KIT_CAP_NOTIFICATION);
	/* Each block aligned to its size: after one endpoint (64 bytes), a CNode of 16 slots
	 * (2 KiB) takes the upper half of the 4 KiB and leaves no room. */
	check_eq("retype-align-revoke", sys_cap_revoke(SMALL), 0);
	check_eq("retype-align-ep", sys_retype(SMALL, KIT_CAP_ENDPOINT, 0, MANY, 1), 0);
	check_eq("retype-align-cnode", sys_retype(SMALL, KIT_CAP_CNODE, 4, MANY + 1, 1), 0);
	check_eq("retype-align-full", sys_retype(SMALL, KIT_CAP_ENDPOINT, 0, MANY + 2, 1), -ENOMEM);
	check_eq("retype-cnode", sys_retype(SUB, KIT_CAP_CNODE, 4, CN, 1), 0);
	check_eq("retype-cnode-bits", info(CN).size_bits, 4);
	check_eq("retype-revoke-root", sys_cap_revoke(KIT_SLOT_UNTYPED), 0);
	check_eq("retype-revoke-root-all", info(MANY).type + info(SUB).type + info(EP).type, 0);
	check_eq("retype-root-again", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_UNTYPED, 20, SUB, 1), 0);
}

static void bad(void)
{
	struct kit_cap_info i;

	check_eq("bad-identify-slot", sys_cap_identify(256, &i), -EINVAL);
	check_eq("bad-identify-slot-neg", sys_cap_identify(-1UL, &i), -EINVAL);
	check_eq("bad-identify-ptr", sys_cap_identify(KIT_SLOT_CNODE, 0), -EFAULT);
	check_eq("bad-copy-slot", sys_cap_copy(1UL << 40, KIT_SLOT_TCB, KIT_RIGHTS_ALL), -EINVAL);
	check_eq("bad-copy-rights", sys_cap_copy(60, KIT_SLOT_TCB, 8), -EINVAL);
	check_eq("bad-move-slot", sys_cap_move(60, 256), -EINVAL);
	check_eq("bad-delete-slot", sys_cap_delete(-1UL), -EINVAL);
	check_eq("bad-revoke-slot", sys_cap_revoke(256), -EINVAL);
	check_eq("bad-retype-type", sys_retype(SUB, 0, 0, 60, 1), -EINVAL);
	check_eq("bad-retype-reply", sys_retype(SUB, KIT_CAP_REPLY, 0, 60, 1), -EINVAL);
	check_eq("bad-retype-unknown", sys_retype(SUB, 99, 0, 60, 1), -EINVAL);
	check_eq("bad-retype-cnode-bits", sys_retype(SUB, KIT_CAP_CNODE, 11, 60, 1), -EINVAL);
	check_eq("bad-retype-untyped-bits", sys_retype(SUB, KIT_CAP_UNTYPED, 21, 60, 1), -EINVAL);
	check_eq("bad-retype-from-tcb", sys_retype(KIT_SLOT_TCB, KIT_CAP_ENDPOINT, 0, 60, 1),
		 -EINVAL);
	check_eq("bad-retype-from-cnode", sys_retype(KIT_SLOT_CNODE, KIT_CAP_ENDPOINT, 0, 60, 1),
		 -EINVAL);
	check_eq("bad-retype-count-0", sys_retype(SUB, KIT_CAP_ENDPOINT, 0, 60, 0), -EINVAL);
	check_eq("bad-retype-count-65", sys_retype(SUB, KIT_CAP_ENDPOINT, 0, 60, 65), -EINVAL);
	check_eq("bad-retype-past-end", sys_retype(SUB, KIT_CAP_ENDPOINT, 0, 250, 8), -EINVAL);
	check_eq("bad-retype-wrap", sys_retype(SUB, KIT_CAP_ENDPOINT, 0, -2UL, 4), -EINVAL);
	check_eq("bad-retype-full-dest", sys_retype(SUB, KIT_CAP_ENDPOINT, 0, KIT_SLOT_TCB, 1),
		 -EEXIST);
	check_eq("bad-left-empty", info(60).type, KIT_CAP_NULL);
}

int main(void)
{
	check_suite = "caps";
	boot();
	copy_mint();
	move_delete_revoke();
	retype();
	bad();
	return check_done();
}

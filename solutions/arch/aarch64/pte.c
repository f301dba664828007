// @file lab7
/*
 * pte.c (aarch64): the VMSAv8-64 descriptor bits of a mapping (Arm ARM D8.3,
 * "Translation table descriptor formats"), the hooks behind arch/mmu.h's
 * arch_pte_leaf and arch_pte_perm, which lab 2's portable pt.c calls.
 * Entry points: arm64_pte_attrs, arm64_pte_perm.
 */
#include "kernel.h"
#include "arch/mmu.h"

/*
 * arm64_pte_attrs: every valid mapping is readable (AP has no write-only
 * encoding: the arch's read_implied). W^X: a user page is never executable
 * at EL1 (PXN) and at EL0 only with VM_EXEC (UXN); a kernel page never at
 * EL0, at EL1 only with VM_EXEC.
 */
pte_t arm64_pte_attrs(paddr_t pa, unsigned perm, int level)
{
	// @lab7 solution
	pte_t pte = ARM64_PTE_VALID | ARM64_PTE_AF;
	pte |= level == 0 ? ARM64_PTE_TABLE : 0;
	pte |= pa >= ARM64_DEVICE_PA ? ARM64_PTE_ATTR(ARM64_ATTR_DEVICE)
				     : ARM64_PTE_ATTR(ARM64_ATTR_NORMAL) | ARM64_PTE_SH_INNER;
	pte |= perm & VM_WRITE ? 0 : ARM64_PTE_AP_RO;
	pte |= perm & VM_GLOBAL ? 0 : ARM64_PTE_NG;
	if (perm & VM_USER)
		pte |= ARM64_PTE_AP_USER | ARM64_PTE_PXN | (perm & VM_EXEC ? 0 : ARM64_PTE_UXN);
	else
		pte |= ARM64_PTE_UXN | (perm & VM_EXEC ? 0 : ARM64_PTE_PXN);
	return pte;
	// @lab7 stub
	// TODO(lab7): the descriptor's bits from arch/mmu.h's ARM64_PTE_*: VALID and AF; TABLE
	// at level 0 (a page; a block above it has bit 1 clear); the MAIR index (device memory
	// from ARM64_DEVICE_PA up, else normal and inner shareable); AP_RO without VM_WRITE;
	// NG without VM_GLOBAL; AP_USER for VM_USER; and W^X: UXN and PXN set wherever that
	// level may not execute (a user page never at EL1, a kernel page never at EL0).
	// Hint: AP[2:1] have no write-only encoding, so every mapping is readable.
	(void)pa, (void)perm, (void)level;
	panic("TODO(lab7): arm64_pte_attrs");
	// @lab7 end
}

/* arm64_pte_perm: VM_READ always, VM_WRITE, VM_USER, VM_EXEC (for the level the
 * descriptor's AP_USER names) and VM_GLOBAL back from a leaf descriptor. */
unsigned arm64_pte_perm(pte_t pte)
{
	// @lab7 solution
	bool user = pte & ARM64_PTE_AP_USER;
	unsigned perm = VM_READ | (pte & ARM64_PTE_AP_RO ? 0 : VM_WRITE);
	perm |= user ? VM_USER : 0;
	perm |= !(pte & (user ? ARM64_PTE_UXN : ARM64_PTE_PXN)) ? VM_EXEC : 0;
	return perm | (pte & ARM64_PTE_NG ? 0 : VM_GLOBAL);
	// @lab7 stub
	// TODO(lab7): arm64_pte_attrs' inverse: VM_READ, VM_WRITE unless AP_RO, VM_USER with
	// AP_USER, VM_EXEC when the user's (UXN) or the kernel's (PXN) execute-never bit is
	// clear, VM_GLOBAL unless NG. Hint: which execute-never bit counts depends on AP_USER.
	(void)pte;
	panic("TODO(lab7): arm64_pte_perm");
	// @lab7 end
}

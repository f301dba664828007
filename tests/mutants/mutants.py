"""mutants.py: the kit's mutation suite for labs 1 to 7: realistic student bugs, each a
small patch (one or two text replacements) of the reference's student files. A mutant is
applied to a copy of the solved tree (build/solved/labN-name) and graded with
`make grade LAB=N TREE=copy`; it is killed when the grade is below full marks, and
tests/test_mutants.py checks that the tests named in `kills` are among those that fail.

Each entry: name, lab, file (in the lab tree), [(old, new), ...], kills (test names, or
prefixes ending in '['), arches (where the file is built, or where the bug shows), fast
(part of `make test`), and why (the student mistake; "handout:" marks a mistake a handout's
"Common mistakes" list names).
"""
from dataclasses import dataclass, field

BOTH = ("riscv64", "x86_64")


@dataclass(frozen=True)
class Mutant:
    name: str
    lab: int
    file: str
    edits: tuple
    kills: tuple
    why: str
    arches: tuple = BOTH
    fast: bool = False


M = [
    # -- lab 1: kprintf -------------------------------------------------------------------
    Mutant("kprintf-sign-after-spaces", 1, "common/printfmt.c",
           (("""	if (!sp->left && !sp->zero)
		pad(putch, arg, sp, ' ', fill);
	for (const char *p = prefix; *p; p++)
		emit(putch, arg, sp, *p);""", """	for (const char *p = prefix; *p; p++)
		emit(putch, arg, sp, *p);
	if (!sp->left && !sp->zero)
		pad(putch, arg, sp, ' ', fill);"""),),
           ("test_kprintf", "test_kprintf_random"), "a negative number padded with spaces puts the sign first", fast=True),
    Mutant("kprintf-left-and-zero", 1, "common/printfmt.c",
           (("	if (!sp->left && sp->zero)\n		pad(putch, arg, sp, '0', fill);",
             "	if (sp->zero)\n		pad(putch, arg, sp, '0', fill);"),),
           ("test_kprintf", "test_kprintf_random"), "'-' together with '0' still pads with zeros"),
    Mutant("kprintf-flags-leak", 1, "common/printfmt.c",
           (("	sp->left = sp->zero = false;\n", ""),),
           ("test_kprintf", "test_kprintf_random"), "flags are not reset between conversions of one call", fast=True),
    Mutant("kprintf-width-leaks", 1, "common/printfmt.c",
           (("	sp->width = sp->longs = 0;", "	sp->longs = 0;"),),
           ("test_kprintf_random",), "the width is not reset between conversions of one call"),
    Mutant("kprintf-p-no-prefix", 1, "common/printfmt.c",
           (('emit_number(putch, arg, sp, "0x", (uintptr_t)', 'emit_number(putch, arg, sp, "", (uintptr_t)'),),
           ("test_kprintf", "test_kprintf_random"), "%p without 0x"),
    Mutant("kprintf-p-fixed-width", 1, "common/printfmt.c",
           (("	case 'p':\n", "	case 'p':\n		sp->zero = true;\n		sp->width = sp->width < 18 ? 18 : sp->width;\n"),),
           ("test_kprintf", "test_kprintf_random"), "%p always printed as 16 zero-padded digits"),
    Mutant("kprintf-ret-ignores-padding", 1, "common/printfmt.c",
           (("	while (n-- > 0)\n		emit(putch, arg, sp, c);", "	while (n-- > 0)\n		putch(c, arg);"),),
           ("test_kprintf", "test_kprintf_random"), "the return value does not count padding"),
    Mutant("kprintf-X-lower", 1, "common/printfmt.c",
           (("conv == 'x' ? lower : upper", "lower"),),
           ("test_kprintf", "test_kprintf_random"), "%X prints lower-case digits"),
    Mutant("kprintf-no-z", 1, "common/printfmt.c",
           (("for (; *f == 'l' || *f == 'z'; f++)", "for (; *f == 'l'; f++)"),),
           ("test_kprintf", "test_kprintf_random"), "the z length is not parsed"),
    Mutant("kprintf-x-sign-extends", 1, "common/printfmt.c",
           (("	return va_arg(*ap, unsigned int);", "	return va_arg(*ap, int);"),),
           ("test_kprintf", "test_kprintf_random"), "%x/%u of an int read as signed: negative values sign-extend"),
    # -- lab 1: backtrace -----------------------------------------------------------------
    Mutant("backtrace-one-short", 1, "common/backtrace.c",
           (("depth < BACKTRACE_MAX_DEPTH && frame_ok(fp);",
             "depth < BACKTRACE_MAX_DEPTH && frame_ok(fp) && arch_frame_prev(fp);"),),
           ("test_backtrace",), "the walk stops one frame early (no _start frame)", fast=True),
    Mutant("backtrace-returns-zero", 1, "common/backtrace.c",
           (("	}\n	return depth;", "	}\n	return 0;"),),
           ("test_backtrace",), "backtrace_print does not return the frame count"),
    Mutant("backtrace-unknown-format", 1, "common/backtrace.c",
           (('name ? name : "<unknown>"', 'name ? name : "??"'),),
           ("test_backtrace",), "an address without a name printed as '??'"),
    Mutant("backtrace-names-by-ra", 1, "common/backtrace.c",
           (("ksyms_lookup_ra(ra, &off)", "ksyms_lookup(ra, &off)"),),
           ("test_backtrace",), "return addresses named by ra, not ra - 1", fast=True),
    Mutant("backtrace-depth-off-by-one", 1, "common/backtrace.c",
           (("depth < BACKTRACE_MAX_DEPTH &&", "depth <= BACKTRACE_MAX_DEPTH &&"),),
           ("test_backtrace",), "65 frames before the depth limit stops a loop"),
    Mutant("monitor-backtrace-from-caller", 1, "common/backtrace.c",
           (("int n = backtrace_print(arch_frame_pointer());", "int n = backtrace_print(arch_frame_prev(arch_frame_pointer()));"),),
           ("test_monitor",), "the monitor's backtrace starts one frame up (at its caller's frame pointer)"),
    Mutant("monitor-backtrace-no-title", 1, "common/backtrace.c",
           (('\tkprintf("Stack backtrace:\\n");\n', ""),),
           ("test_monitor",), "the monitor's backtrace without its 'Stack backtrace:' line"),
    Mutant("backtrace-no-alignment-check", 1, "common/backtrace.c",
           (("fp != 0 && fp % sizeof(uintptr_t) == 0 &&", "fp != 0 &&"),),
           ("test_backtrace",), "a misaligned frame pointer is followed"),
    Mutant("backtrace-no-bounds-check", 1, "common/backtrace.c",
           (("return fp != 0 && fp % sizeof(uintptr_t) == 0 && (in_image || in_stack);",
             "return fp != 0 && fp % sizeof(uintptr_t) == 0;"),),
           ("test_backtrace",), "a frame pointer outside the image and the stack is followed"),
    # -- lab 1: memory detection ----------------------------------------------------------
    Mutant("memdetect-cells-hardcoded", 1, "arch/riscv64/memdetect.c",
           (('uint32_t ac = root_cells(fdt, "#address-cells", 2), sc = root_cells(fdt, "#size-cells", 1);',
             "uint32_t ac = 2, sc = 2;"),),
           ("test_memory_maps",), "#address-cells and #size-cells hard-coded to QEMU's 2 and 2",
           arches=("riscv64",), fast=True),
    Mutant("memdetect-first-entry-only", 1, "arch/riscv64/memdetect.c",
           (("off + entry <= len && n < max;", "off + entry <= len && n < 1;"),),
           ("test_memory_maps",), "only the first reg entry of /memory is read", arches=("riscv64",)),
    Mutant("memdetect-step-by-sizeof", 1, "arch/x86_64/memdetect.c",
           (("p += ((const uint32_t *)p)[0] + 4)", "p += sizeof(struct multiboot_mmap_entry))"),),
           ("test_memory_maps",), "map entries stepped by sizeof, not size + 4", arches=("x86_64",), fast=True),
    Mutant("memdetect-drops-last-entry", 1, "arch/x86_64/memdetect.c",
           (("p + sizeof(struct multiboot_mmap_entry) <= end;", "p + sizeof(struct multiboot_mmap_entry) < end;"),),
           ("test_memory_maps",), "the last map entry is never read (QEMU's last is reserved)", arches=("x86_64",)),
    Mutant("memdetect-unsorted", 1, "arch/x86_64/memdetect.c",
           (("regions[i - 1].base > e->addr", "regions[i - 1].base > e->addr && 0"),),
           ("test_memory_maps",), "map entries kept in map order, not sorted", arches=("x86_64",)),
    Mutant("memdetect-addr-32bit", 1, "arch/x86_64/memdetect.c",
           (("regions[i] = (struct mem_region){e->addr, e->len};",
             "regions[i] = (struct mem_region){(uint32_t)e->addr, e->len};"),),
           ("test_memory_maps",), "base addresses truncated to 32 bits (RAM above 4 GiB)", arches=("x86_64",)),
    Mutant("memdetect-mbox-whole-words", 7, "arch/aarch64/memdetect.c",
           (("i += 3 + (buf[i + 1] + 3) / 4)", "i += 3 + buf[i + 1] / 4)"),),
           ("test_memory_maps",), "a tag's value buffer size taken as whole words (a 6-byte MAC "
           "address's is not)", arches=("aarch64",), fast=True),
    # -- lab 2: frame allocators ----------------------------------------------------------
    Mutant("buddy-stale-free-absorbed", 2, "common/buddy.c",
           (("		pop_block(buddy, k);\n		pfn &= ~(1UL << k);",
             "		list_del(&buddy->link);\n		nfree[k]--;\n		pfn &= ~(1UL << k);"),),
           ("test_buddy_every_frame_once[", "test_buddy_coalescing", "test_buddy_random"),
           "handout: a stale FRAME_FREE on an absorbed buddy", fast=True),
    Mutant("buddy-wrong-buddy", 2, "common/buddy.c",
           (("pa_to_frame((pfn ^ (1UL << k)) << PAGE_SHIFT);", "pa_to_frame((pfn + (1UL << k)) << PAGE_SHIFT);"),),
           ("test_buddy_coalescing",), "handout: the wrong buddy (pfn + 2^k instead of pfn ^ 2^k)"),
    Mutant("buddy-any-order", 2, "common/buddy.c",
           (("if (!buddy || buddy->state != FRAME_FREE || buddy->order != k)",
             "if (!buddy || buddy->state != FRAME_FREE)"),),
           ("test_buddy_random",), "handout: merging with a free buddy of another order"),
    Mutant("buddy-past-max-order", 2, "common/buddy.c",
           (("	while (k < FRAME_MAX_ORDER) {\n		struct frame *buddy",
             "	while (k <= FRAME_MAX_ORDER) {\n		struct frame *buddy"),),
           ("test_buddy_coalescing",), "handout: merging does not stop at order 10"),
    Mutant("buddy-add-range-per-frame", 2, "common/buddy.c",
           (("		push(pa_to_frame(pfn << PAGE_SHIFT), k);\n		pfn += 1UL << k;",
             "		for (size_t i = 0; i < (1UL << k); i++)\n"
             "			pa_to_frame((pfn + i) << PAGE_SHIFT)->flags = 0;\n"
             "		push(pa_to_frame(pfn << PAGE_SHIFT), k);\n		pfn += 1UL << k;"),),
           ("test_buddy_coalescing",), "handout: per-frame work in the buddy's add_range (one store per "
                                       "frame: the boot stays far under its budget, add_range's own does not)"),
    Mutant("stack-keeps-free-mark", 2, "common/stackalloc.c",
           (("	struct frame *f = container_of(n, struct frame, link);\n	f->state = FRAME_NONE;",
             "	struct frame *f = container_of(n, struct frame, link);"),),
           (), "handout: a stale FRAME_FREE on the block alloc returns (equivalent: frame_alloc "
               "marks the block FRAME_ALLOCATED whatever the allocator left)"),
    # -- lab 2: kmalloc and misuse --------------------------------------------------------
    Mutant("kfree-caller-in-helper", 2, "common/kmalloc.c",
           (("void kfree(void *p)\n{\n	uintptr_t caller = (uintptr_t)__builtin_return_address(0);",
             "static noinline uintptr_t kfree_caller(void)\n{\n	return (uintptr_t)__builtin_return_address(0);\n}\n\n"
             "void kfree(void *p)\n{\n	uintptr_t caller = kfree_caller();"),),
           ("test_misuse",), "handout: the caller taken in a helper", fast=True),
    # -- lab 2: page tables ---------------------------------------------------------------
    Mutant("pt-table-not-zeroed", 2, "common/pt.c",
           (("	if (t)\n		memset(t, 0, PAGE_SIZE);\n", ""),),
           ("test_page_tables[128]",), "handout: a new table not zeroed", fast=True),
    Mutant("pt-no-flush-on-unmap", 2, "common/pt.c",
           (("		*pte = 0;\n		flush(pt, va);", "		*pte = 0;"),),
           ("test_page_tables[",), "handout: not flushing after an unmap", fast=True),
    Mutant("pt-no-flush-on-map", 2, "common/pt.c",
           (("		*pte = arch_pte_leaf(pa, perm, want);\n		flush(pt, va);",
             "		*pte = arch_pte_leaf(pa, perm, want);"),),
           (), "not flushing after a map (equivalent under QEMU: neither arch caches a "
               "non-present entry, so a new mapping needs no flush there)"),
    Mutant("pt-large-ignores-pa", 2, "common/pt.c",
           (("!((va | pa) & (LARGE_PAGE_SIZE - 1))", "!(va & (LARGE_PAGE_SIZE - 1))"),),
           ("test_page_tables[",), "VM_LARGE where va is aligned but pa is not"),
    Mutant("pt-large-ignores-alignment", 2, "common/pt.c",
           (("(perm & VM_LARGE) && !((va | pa) & (LARGE_PAGE_SIZE - 1)) &&", "(perm & VM_LARGE) &&"),),
           ("test_page_tables[",), "VM_LARGE at any address"),
    Mutant("pt-walk-through-large", 2, "common/pt.c",
           (("if (l == want || (arch_pte_present(*pte) && arch_pte_is_leaf(*pte, l))) {", "if (l == want) {"),),
           ("test_page_tables[",), "handout: walking through a large leaf"),
    Mutant("pt-index-without-page-shift", 2, "common/pt.c",
           (("pte_t *pte = &table[pt_index(va, l)];", "pte_t *pte = &table[(va >> (9 * l)) & 511];"),),
           ("test_page_tables[", "test_faults"), "handout: off by one in the index bits (the 12 dropped)"),
    Mutant("pt-hand-made-table-entry", 2, "common/pt.c",
           (("*pte = arch_pte_table(kva_to_pa(next));", "*pte = arch_pte_table(kva_to_pa(next)) | 0x2;"),),
           ("test_page_tables[",), "handout: a hand-made riscv64 table pointer with R set is a leaf "
                                   "(on x86_64 bit 1 is RW, harmless in a table entry)", arches=("riscv64",)),
    # -- lab 2: the kernel address space and fault reports --------------------------------
    Mutant("kvm-image-mapped-twice", 2, "common/kvm.c",
           (("		err = map_direct(pt, base, end < kbase ? end : kbase);\n"
             "		if (!err)\n			err = map_direct(pt, base > kend ? base : kend, end);",
             "		err = map_direct(pt, base, end);\n		(void)kbase, (void)kend;"),),
           ("test_page_tables[",), "handout: mapping the image twice (a writable alias of the text)"),
    Mutant("kvm-write-without-read", 2, "common/kvm.c",
           (("err = map_image(pt, (uintptr_t)boot_stack, (uintptr_t)_end, VM_READ | VM_WRITE);",
             "err = map_image(pt, (uintptr_t)boot_stack, (uintptr_t)_end, VM_WRITE);"),),
           ("test_page_tables[",), "handout: write without read (pt_map refuses it, the address space is not built)"),
    Mutant("kvm-fault-pc-unnamed", 2, "common/kvm.c",
           (('fn ? fn : "<unknown>"', 'fn ? fn : "?"'),),
           ("test_faults",), "the fault report names a pc it cannot name '?'"),
    Mutant("kvm-text-writable", 2, "common/kvm.c",
           (("(uintptr_t)_etext,\n				VM_READ | VM_EXEC);", "(uintptr_t)_etext,\n				VM_READ | VM_WRITE | VM_EXEC);"),),
           ("test_page_tables[", "test_faults"), "kernel text mapped writable (W^X)"),
    # -- lab 3: the scheduler core (thread.c) ---------------------------------------------
    Mutant("sched-stack-bounds-stale", 3, "common/thread.c",
           (("	kcpu.kstack = &next->kstack; /* kstack_limit, kstack_top */\n	arch_set_kernel_stack",
             "	arch_set_kernel_stack"),),
           ("test_suite[threads]",), "handout: kstack_limit and kstack_top not updated on a switch", fast=True),
    Mutant("sched-irq-on-in-reschedule", 3, "common/thread.c",
           (("	timer_program();\n	if (next != prev)\n		thread_switch(prev, next);",
             "	timer_program();\n	arch_irq_enable();\n	if (next != prev)\n		thread_switch(prev, next);"),),
           ("test_joint_ls_alone_meet_deadlines", "test_scale"),
           "handout: enabling interrupts inside the scheduler (the suites pass; schedbench panics)"),
    Mutant("sched-no-charge-before-sleep", 3, "common/thread.c",
           (("		charge(now);\n		current->wake_ns = deadline_ns;", "		current->wake_ns = deadline_ns;"),),
           ("test_suite[yield]", "test_joint_cpu_min_share"), "handout: not charging before blocking (a sleep)"),
    Mutant("sched-no-charge-before-join", 3, "common/thread.c",
           (("		uint64_t now = arch_time_ns();\n		charge(now);\n		current->state = THREAD_BLOCKED;",
             "		uint64_t now = arch_time_ns();\n		current->state = THREAD_BLOCKED;"),),
           ("test_suite[yield]",), "handout: not charging before blocking (a join)"),
    Mutant("sched-no-charge-on-exit", 3, "common/thread.c",
           (("		panic(\"thread_exit: the %s thread cannot exit\", t->name);\n	charge(now);",
             "		panic(\"thread_exit: the %s thread cannot exit\", t->name);"),),
           ("test_suite[yield]",), "handout: not charging before exiting"),
    Mutant("sched-no-charge-on-yield", 3, "common/thread.c",
           (("	uint64_t now = arch_time_ns();\n\n	charge(now);\n	reschedule(LEAVE_PREEMPT, now);",
             "	uint64_t now = arch_time_ns();\n\n	reschedule(LEAVE_PREEMPT, now);"),),
           ("test_suite[yield]",), "a yield that does not charge the CPU time used", fast=True),
    Mutant("sched-no-timer-after-switch", 3, "common/thread.c",
           (("	run_start = now;\n	timer_program();\n	if (next != prev)", "	run_start = now;\n	if (next != prev)"),),
           ("test_suite[starve]", "test_joint_against_rr_100"), "handout: not programming the timer after a switch"),
    Mutant("sched-timer-quantum-only", 3, "common/thread.c",
           (("	if (!list_empty(&sleepers))\n		when =", "	if (0)\n		when ="),),
           ("test_suite[sleep]",), "handout: the timer programmed only for the quantum"),
    Mutant("sched-timer-sleepers-only", 3, "common/thread.c",
           (("		if (end < when)\n			when = end;", "		(void)end;"),),
           ("test_suite[starve]", "test_suite[rrshare]"), "handout: the timer programmed only for the sleepers"),
    Mutant("sched-charge-before-wakeups", 3, "common/thread.c",
           (("	stats.timer_irqs++;\n	while (!list_empty(&sleepers)) {",
             "	stats.timer_irqs++;\n	bool preempt = charge(now);\n	while (!list_empty(&sleepers)) {"),
            ("	} else if (charge(now)) {\n		stats.preemptions++;", "	} else if (preempt) {\n		stats.preemptions++;")),
           ("test_joint_against_rr_100", "test_joint_against_rr_150", "test_scale"),
           "handout: charging before the wake-ups in sched_timer_irq (the LS p99 leaves its budget)"),
    Mutant("sched-idle-enqueued", 3, "common/thread.c",
           (("	if (prev != &idle_thread) {\n		if (how == LEAVE_PREEMPT) {", "	{\n		if (how == LEAVE_PREEMPT) {"),),
           ("test_suite[",), "handout: enqueueing or blocking the idle thread"),
    Mutant("sched-sleep-queue-unsorted", 3, "common/thread.c",
           (("		list_add(pos, &current->sleep_link); /* after pos */",
             "		(void)pos;\n		list_add_tail(&sleepers, &current->sleep_link);"),),
           ("test_suite[sleep]",), "handout: an unsorted sleep queue"),
    Mutant("sched-exit-frees-stack", 3, "common/thread.c",
           (("	t->exit_code = code;\n	t->state = THREAD_EXITED;", "	t->exit_code = code;\n	kstack_free(t);\n	t->state = THREAD_EXITED;"),
            ("	kstack_free(t);\n	kfree(t);\n	arch_irq_restore(irq);", "	kfree(t);\n	arch_irq_restore(irq);")),
           ("test_suite[threads]",), "handout: freeing an exited thread's stack in thread_exit"),
    Mutant("sched-tcb-not-zeroed", 3, "common/thread.c",
           (("	memset(t, 0, sizeof(*t));\n	int err = kstack_alloc(t);", "	int err = kstack_alloc(t);"),),
           ("test_suite[threads]",), "handout: a TCB from kmalloc not zeroed (reads of its fields see the poison)"),
    Mutant("sched-exit-no-wake-joiner", 3, "common/thread.c",
           (("	if (t->joiner && t->joiner->state == THREAD_BLOCKED)\n		wake(t->joiner, now);", ""),),
           ("test_suite[threads]",), "thread_exit does not wake its joiner (the joiner sleeps for ever)"),
    Mutant("sched-join-if-not-while", 3, "common/thread.c",
           (("	while (t->state != THREAD_EXITED) {\n		uint64_t now", "	if (t->state != THREAD_EXITED) {\n		uint64_t now"),),
           (), "one block instead of a loop in thread_join (equivalent: only thread_exit wakes a joiner, "
               "so the first wake-up always finds t exited)"),
    # -- lab 3: the policies -------------------------------------------------------------
    Mutant("rr-ran-cleared-every-enqueue", 3, "common/sched_rr.c",
           (("	if (e->ran_ns >= SCHED_QUANTUM_NS)\n		e->ran_ns = 0;\n	list_add_tail(&rr_queue",
             "	e->ran_ns = 0;\n	list_add_tail(&rr_queue"),),
           ("test_policy_scenarios",), "handout: clearing ran_ns at every enqueue (RR)"),
    Mutant("rr-total-not-charged", 3, "common/sched_rr.c",
           (("	e->ran_ns += ran_ns;\n	e->total_ns += ran_ns;\n	return e->ran_ns >= SCHED_QUANTUM_NS;",
             "	e->ran_ns += ran_ns;\n	return e->ran_ns >= SCHED_QUANTUM_NS;"),),
           ("test_suite[rrshare]", "test_policy_scenarios"), "RR's tick does not add to total_ns"),
    Mutant("joint-ran-cleared-every-enqueue", 3, "common/sched_joint.c",
           (("	if (e->ran_ns >= SCHED_QUANTUM_NS) {\n		joining |= observe(e, SCHED_CPU_BOUND);\n		e->ran_ns = 0;",
             "	e->ran_ns = 0;\n	if (1) {\n		joining |= observe(e, SCHED_CPU_BOUND);"),),
           ("test_policy_scenarios",), "handout: clearing ran_ns at every enqueue (joint)"),
    Mutant("joint-no-tie-on-id", 3, "common/sched_joint.c",
           (("	e->node.tie = e->id;\n", ""),),
           ("test_policy_scenarios",), "handout: forgetting the lower id on ties"),
    Mutant("joint-no-hysteresis", 3, "common/sched_joint.c",
           (("if (++e->streak < SCHED_RECLASSIFY_RUNS)", "if (++e->streak < 1)"),),
           ("test_suite[reclass]", "test_policy_scenarios"), "reclassified after one run, not SCHED_RECLASSIFY_RUNS consecutive"),
    Mutant("joint-streak-not-reset", 3, "common/sched_joint.c",
           (("	if (seen == e->class) {\n		e->streak = 0;\n		return false;", "	if (seen == e->class) {\n		return false;"),),
           ("test_policy_scenarios",), "the streak of runs is not reset by a run of the current class (runs need not be consecutive)"),
    Mutant("joint-no-postponement", 3, "common/sched_joint.c",
           (("		e->ran_ns = 0;\n		if (e->class == SCHED_LATENCY)\n			release(e, now_ns);",
             "		e->ran_ns = 0;"),),
           ("test_policy_scenarios",), "a latency-sensitive thread that used a whole quantum keeps its deadline"),
    Mutant("joint-no-join-pass", 3, "common/sched_joint.c",
           (("	bool joining = !e->deadline_ns && admit(e, now_ns);",
             "	bool joining = false;\n\n	if (!e->deadline_ns)\n		admit(e, now_ns);"),),
           ("test_policy_scenarios",), "a new CPU-bound thread joins with pass 0 and runs in a burst"),
    Mutant("joint-no-wake-lift", 3, "common/sched_joint.c",
           (("	if (e->pass < floor)", "	if (0 && e->pass < floor)"),),
           ("test_policy_scenarios",), "a waking CPU-bound thread keeps its old pass and catches up on its sleep"),
    Mutant("joint-no-min-share", 3, "common/sched_joint.c",
           (("	return window.cpu_sum * 100 >= SCHED_CPU_MIN_SHARE * (window.cpu_sum + window.ls_sum);",
             "	return true;"),),
           ("test_joint_cpu_min_share", "test_policy_scenarios"), "no minimum share for the CPU-bound class"),
    Mutant("joint-edf-latest-first", 3, "common/sched_joint.c",
           (("e->node.key = e->deadline_ns;", "e->node.key = ~e->deadline_ns;"),),
           ("test_joint_ls_alone_meet_deadlines", "test_policy_scenarios"), "EDF picks the latest deadline"),
    Mutant("joint-stride-weight-inverted", 3, "common/sched_joint.c",
           (("		e->pass += STRIDE1 / weight * ran_ns / SCHED_QUANTUM_NS;",
             "		e->pass += STRIDE1 * weight * ran_ns / SCHED_QUANTUM_NS;"),),
           ("test_suite[stride]", "test_policy_scenarios"), "the pass advanced by weight, not by 1/weight"),
    Mutant("joint-pass-in-floating-point", 3, "common/sched_joint.c",
           (("		e->pass += STRIDE1 / weight * ran_ns / SCHED_QUANTUM_NS;",
             "		e->pass += (uint64_t)((double)STRIDE1 * ran_ns / weight / SCHED_QUANTUM_NS);"),),
           ("test_suite[threads]", "test_suite[stride]"), "handout: floating point in a policy (the kernel does not build)"),
    Mutant("joint-no-ls-preemption", 3, "common/sched_joint.c",
           (("	return e->class == SCHED_CPU_BOUND && !heap_empty(&ls_heap) && ls_first(now_ns);",
             "	return false;"),),
           ("test_policy_scenarios", "test_joint_against_rr_150"), "a released LS job never preempts a CPU-bound thread"),
    # -- lab 4: system calls and capabilities --------------------------------------------------
    Mutant("dispatch-bound-signed", 4, "common/syscall.c",
           (("if (unlikely(a->nr >= SYS_COUNT ||", "if (unlikely((long)a->nr >= SYS_COUNT ||"),),
           ("test_syscall_bad_arguments",),
           "the dispatch bound compared as a signed long: a \"negative\" number indexes "
           "the table below its start"),
    Mutant("debug-puts-len-unchecked", 4, "common/syscall.c",
           (("	if (len > KIT_DEBUG_PUTS_MAX)\n		return -EINVAL;\n	int err = copy_from_user",
             "	int err = copy_from_user"),),
           ("test_syscall_bad_arguments",),
           "sys_debug_puts never checks the length: a long one overruns the kernel's buffer, a "
           "wrapping one is -EFAULT, not -EINVAL", fast=True),
    Mutant("task-info-checks-after-copy", 4, "common/syscall.c",
           (("""	if (a->arg[1] < sizeof(info))
		return -EINVAL;
	strlcpy(info.name, t->name, sizeof(info.name));
	return copy_to_user(a->arg[0], &info, sizeof(info));""",
             """	strlcpy(info.name, t->name, sizeof(info.name));
	int err = copy_to_user(a->arg[0], &info, sizeof(info));
	if (err)
		return err;
	return a->arg[1] < sizeof(info) ? -EINVAL : 0;"""),),
           ("test_syscall_bad_arguments",),
           "sys_task_info checks the length after copying: a too-short buffer is overrun before "
           "the -EINVAL"),
    Mutant("mint-adds-rights", 4, "common/cnode.c",
           (("		c.badge = badge;\n	}", "		c.badge = badge;\n		c.rights = KIT_RIGHTS_ALL; /* a new badged capability */\n	}"),),
           ("test_caps_copy_mint_rights",),
           "a mint starts from all rights, not the source's: minting a read-only capability "
           "gives write and grant"),
    Mutant("revoke-direct-children-only", 4, "common/cnode.c",
           (("""	while (c->first_child) {
		struct cte *d = c->first_child;
		while (d->first_child) /* the deepest first: a leaf has no children to hand on */
			d = d->first_child;
		cap_delete(d);
	}""", """	for (struct cte *d = c->first_child, *next; d; d = next) {
		next = d->next_sibling;
		cap_delete(d);
	}"""),),
           ("test_caps_move_delete_revoke", "test_caps_retype_accounting"),
           "revoke walks the child list once: the grandchildren each delete hands up are left"),
    Mutant("delete-orphans-children", 4, "common/cnode.c",
           (("""	struct cte *parent = c->parent;
	while (c->first_child) {
		struct cte *ch = c->first_child;
		unlink(ch);
		link_child(ch, parent);
	}
	unlink(c);""", "	unlink(c);"),),
           ("test_caps_move_delete_revoke",),
           "delete leaves the children linked to the emptied slot: a later revoke of the parent "
           "does not reach them"),
    Mutant("retype-unaligned", 4, "common/untyped.c",
           (("size_t start = ROUNDUP(ut->cap.free_offset, size);", "size_t start = ut->cap.free_offset;"),),
           ("test_caps_retype_accounting",),
           "objects carved at the free offset, not aligned to their size: a frame off its page, "
           "and room left after a CNode where aligned blocks leave none"),
    Mutant("retype-from-any-capability", 4, "common/untyped.c",
           (("	if (ut->cap.type != KIT_CAP_UNTYPED)\n		return -EINVAL;\n", ""),),
           ("test_caps_bad_arguments",),
           "retype does not check that its source is an untyped: a CNode capability's size "
           "passes and objects are carved out of the CNode itself"),
    # -- lab 4: IPC and the fastpath ---------------------------------------------------------
    Mutant("ep-queue-lifo", 4, "common/endpoint.c",
           (("	list_add_tail(&ep->queue, &self->wait_link);", "	list_add(&ep->queue, &self->wait_link);"),),
           ("test_ipc_send_recv",),
           "an endpoint's wait queue is a stack: the last sender to block is received first",
           fast=True),
    Mutant("ep-deliver-forgets-badge", 4, "common/endpoint.c",
           (("	to->msg = *msg;\n",
             "	to->msg.info = msg->info;\n	for (int i = 0; i < KIT_MSG_REG_MRS; i++)\n"
             "		to->msg.mr[i] = msg->mr[i];\n"),),
           ("test_ipc_send_recv", "test_ipc_call_reply", "test_ipc_fault_message_and_revoke",
            "test_ipc_random_workload"),
           "the slowpath's delivery copies the tag and the MRs field by field and not the badge: "
           "the receiver sees the badge of its previous message (0 at first)"),
    Mutant("ep-reply-twice", 4, "common/endpoint.c",
           (("	self->caller = NULL;\n	c->replier = NULL;\n", "	c->replier = NULL;\n"),),
           ("test_ipc_call_reply",),
           "Reply does not consume the reply capability: a second Reply answers the caller again "
           "(0, not -ENOENT)"),
    Mutant("ntfn-signal-overwrites", 4, "common/notification.c",
           (("	unsigned long word = n->word | (badge ? badge : 1);",
             "	unsigned long word = badge ? badge : 1;"),),
           ("test_ipc_notifications",),
           "Signal stores its badge in the word instead of OR-ing it in: of two signals before a "
           "Wait only the last is seen"),
    Mutant("ntfn-wait-keeps-word", 4, "common/notification.c",
           (("		*word = n->word;\n		n->word = 0;\n		return 0;", "		*word = n->word;\n		return 0;"),),
           ("test_ipc_notifications",),
           "Wait and Poll read the word without clearing it: every later Wait returns at once "
           "with the old bits"),
    Mutant("fastpath-call-no-write-right", 4, "common/fastpath.c",
           (("	if (unlikely(!c || !fastpath_cap_ok(c, KIT_RIGHT_WRITE)))",
             "	if (unlikely(!c || c->cap.type != KIT_CAP_ENDPOINT))"),),
           ("test_ipc_rights_and_cap_transfer",),
           "fastpath_call checks the capability's type, not its write right: a read-only "
           "endpoint capability makes a Call whenever a receiver is waiting"),
    Mutant("fastpath-long-message", 4, "common/fastpath.c",
           (("	return (info & 0xff) <= KIT_MSG_REG_MRS;", "	return !KIT_MSGINFO_CAPS(info);"),),
           ("test_ipc_call_reply", "test_ipc_random_workload"),
           "the fastpath takes a message longer than the registers: MRs 4.. (in the IPC buffer) "
           "never reach the receiver, nor the reply's the caller"),
    Mutant("fastpath-call-badge-zero", 4, "common/fastpath.c",
           (("	arch_syscall_set_out(rtf, 6, c->cap.badge);", "	arch_syscall_set_out(rtf, 6, 0);"),),
           ("test_ipc_call_reply", "test_ipc_random_workload"),
           "fastpath_call hands the receiver badge 0 (as the reply does), not the capability's: "
           "a server cannot tell its clients apart when it was already waiting"),
    Mutant("fastpath-reply-recv-ignores-senders", 4, "common/fastpath.c",
           (("	if (unlikely(!caller || ep->state == EP_SEND))", "	if (unlikely(!caller))"),),
           ("test_ipc_random_workload",),
           "fastpath_reply_recv queues the server as a receiver while senders are queued on the "
           "endpoint: the queue mixes senders and receivers and the waiting clients are never served"),
    Mutant("fastpath-reply-recv-no-read-right", 4, "common/fastpath.c",
           (("	if (unlikely(!c || !fastpath_cap_ok(c, KIT_RIGHT_READ)))",
             "	if (unlikely(!c || c->cap.type != KIT_CAP_ENDPOINT))"),),
           ("test_ipc_rights_and_cap_transfer",),
           "fastpath_reply_recv checks the capability's type, not its read right: a ReplyRecv "
           "through a write-only endpoint capability waits for messages it may not receive"),
    Mutant("fastpath-reply-keeps-caller", 4, "common/fastpath.c",
           (("	self->caller = NULL;\n	caller->replier = NULL;\n", "	caller->replier = NULL;\n"),),
           ("test_ipc_call_reply",),
           "fastpath_reply_recv replies without consuming the reply capability: a later Reply "
           "answers the caller a second time"),
    Mutant("fastpath-takes-caps", 4, "common/fastpath.c",
           (("	return (info & 0xff) <= KIT_MSG_REG_MRS;", "	return KIT_MSGINFO_LEN(info) <= KIT_MSG_REG_MRS;"),),
           ("test_ipc_rights_and_cap_transfer",),
           "the fastpath checks the tag's length but not its caps bit: a Call carrying a "
           "capability to a waiting receiver delivers the message and drops the capability"),
    Mutant("fastpath-ignores-bound-notification", 4, "common/fastpath.c",
           (("""	if (unlikely(caller->exiting || ct->state != THREAD_BLOCKED ||
		     (self->bound && self->bound->word)))""",
             """	if (unlikely(caller->exiting || ct->state != THREAD_BLOCKED))"""),),
           ("test_ipc_notifications",),
           "ReplyRecv on the fastpath with a signal pending on the bound notification: the server "
           "blocks on its endpoint and the signal waits for the next message"),
    # -- lab 5: init's name service and supervisor ---------------------------------------------
    Mutant("ns-lookup-ignores-badge", 5, "user/lab5/init.c",
           (("SVC(s), KIT_RIGHT_WRITE | KIT_RIGHT_GRANT,\n\t\t\t\t (unsigned long)c + 1);",
             "SVC(s), KIT_RIGHT_WRITE | KIT_RIGHT_GRANT,\n\t\t\t\t 0);"),),
           ("test_name_service_badges",),
           "a lookup hands out the endpoint unbadged: the server cannot tell its clients apart", fast=True),
    Mutant("ns-register-any-name", 5, "user/lab5/init.c",
           (("	if (!name_eq(name, tab[c].name)) {\n		sys_cap_delete(RECV);\n		return -EPERM;\n	}\n", ""),),
           ("test_name_service",), "any task may register any name (and so take over a server's clients)"),
    Mutant("restart-without-limit", 5, "user/lab5/init.c",
           (("	if (e->restarts >= RESTART_MAX) {\n", "	if (0) {\n"),),
           ("test_restart_limit",),
           "a supervisor that never gives up: a server that keeps dying keeps the machine busy"),
    Mutant("restart-forgets-capabilities", 5, "user/lab5/init.c",
           (("	long r = start(i);\n",
             """	struct kit_task_spec s = {.fault_ep = MINT(i), .exit_ntfn = NTFN, .exit_badge = 1UL << i};
	struct kit_task_status st;

	memcpy(s.name, e->name, sizeof(s.name));
	long r = sys_task_create(&s, TASK(i));
	if (r == 0) {
		sys_task_status(TASK(i), &st);
		e->tid = st.tid, e->running = true;
	}
"""),),
           ("test_restart_killed", "test_restart_fault", "test_shell_restart_and_exit"),
           "the restart builds its own spec and gives the server no name-service capability "
           "(KIT_SLOT_ARG): it cannot register or reach its device again"),
    # -- lab 5: the kernel's interrupt delivery to drivers (common/irqnotify.c) -----------------
    Mutant("irq-ack-no-unmask", 5, "common/irqnotify.c",
           (("	platform_irq_unmask(h->irq);\n	return 0;", "	return 0;"),),
           ("test_shell_session", "test_echo_latency", "test_blk_driver"),
           "SYS_IRQ_ACK checks its capability and answers 0 but never unmasks the line: the "
           "handler's mask stays, consd hears no key and blkd waits forever for its completion"),
    Mutant("irq-ack-any-capability", 5, "common/irqnotify.c",
           (("	if (!c || c->cap.type != KIT_CAP_IRQ_HANDLER)\n		return -EINVAL;\n	struct irq_handler *h = c->cap.obj;\n	if (!h->ntfn)",
             "	if (!c)\n		return -EINVAL;\n	struct irq_handler *h = c->cap.obj;\n	if (!h || !h->ntfn)"),),
           ("test_task_calls",),
           "SYS_IRQ_ACK takes any capability as an IRQ handler: an endpoint's or a notification's "
           "object is read as one and some line unmasked; the drivers, which pass their own "
           "handler, work"),
    # -- lab 5: the file system's core (graded on the host: one arch is enough) --------------
    Mutant("log-commit-header-first", 5, "user/lab5/log.c",
           (("	write_log();\n	write_head();\n	install_trans(0);",
             "	write_head();\n	write_log();\n	install_trans(0);"),),
           ("test_fs_core_power_cut",),
           "handout: the commit point (the header) written before the log blocks: a power cut "
           "between them replays blocks of an older transaction", arches=("riscv64",), fast=True),
    Mutant("readi-ignores-offset-in-block", 5, "user/lab5/inode.c",
           (("		memcpy(d, bp->data + off % FS_BSIZE, m);", "		memcpy(d, bp->data, m);"),),
           ("test_fs_core_random",),
           "readi copies from the start of each block, not from the offset within it",
           arches=("riscv64",)),
    # -- lab 6: the kernel's forwarding of a Linux-ABI task's system call --------------------
    Mutant("linux-reply-ignores-tls", 6, "common/linux.c",
           (("	if (r == 0 && KIT_MSGINFO_LABEL(t->msg.info) == KIT_LINUX_REPLY_TLS &&\n"
             "	    KIT_MSGINFO_LEN(t->msg.info) >= 2)\n		arch_user_tls_set(tf, t->msg.mr[1]);\n", ""),),
           ("test_lxtest",),
           "a reply labelled KIT_LINUX_REPLY_TLS does not set the thread pointer: lxtest's program "
           "reads its word through the old one (and on x86_64 glibc's arch_prctl(ARCH_SET_FS) "
           "does nothing)"),
    Mutant("linux-empty-reply-reads-mr0", 6, "common/linux.c",
           (("		r = KIT_MSGINFO_LEN(t->msg.info) ? (long)t->msg.mr[0] : -ENOSYS;",
             "		r = (long)t->msg.mr[0];"),),
           ("test_lxtest",),
           "a reply of 0 MRs gives the program a stale MR 0, not -ENOSYS"),
    # -- lab 6: the launcher's initial stack and linuxd (exercises 2-5) -----------------------
    Mutant("lx-stack-unaligned", 6, "user/lab6/linux.c",
           (("	if (n % 2) /* sp 16-byte aligned at argc */\n		v[n++] = 0;\n", ""),),
           ("test_program[lxhello-5]", "test_program[lxexec]"),
           "sp not padded to 16 bytes: with an odd count of words (argc 2, or an "
           "environment) the program starts with sp 8 bytes off and glibc's start goes wrong"),
    Mutant("lx-mmap-reuse-not-zeroed", 6, "user/lab6/lx_mem.c",
           (("		if (mapped(p, i)) {\n			lx_mem_zero(p, addr + k * LX_PAGESZ, LX_PAGESZ);\n",
             "		if (mapped(p, i)) {\n"),),
           ("test_program[lxmalloc]",),
           "munmap frees pages without zeroing them: a later mmap hands out the old bytes, where "
           "Linux's fresh anonymous pages are zero"),
    Mutant("lx-write-ignores-append", 6, "user/lab6/lx_file.c",
           (("	if (f->flags & LX_O_APPEND) {\n		if ((r = fs_fstat(f->h, &st)) < 0)\n"
             "			return lx_fs_err(r);\n		f->off = st.size;\n	}\n", "	(void)st;\n"),),
           ("test_program[lxfiles]",),
           "write at the description's offset even with O_APPEND: an append overwrites the "
           "file's start"),
    Mutant("lx-execve-reads-the-array", 6, "user/lab6/lx_proc.c",
           (("read_str(p, ptr, *s, *room)", "read_str(p, addr, *s, *room)"),),
           ("test_program[lxexec]", "test_program[lxpipeline]"),
           "execve's argv copy-in reads the bytes of the pointer array as the string, not the "
           "string each pointer names"),
]

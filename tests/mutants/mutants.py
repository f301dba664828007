"""mutants.py: the kit's mutation suite for labs 1 and 2: realistic student bugs, each a
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
]

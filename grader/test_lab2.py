"""Lab 2 (mem): frame allocators, kmalloc, page tables, the kernel address space.

Every expected value is computed here: the free frames from -m (QEMU's memory
layout per machine) minus the reserved ranges the kernel prints (the kernel
image checked against kernel.elf), the buddy free lists' boot-time shape from
those free ranges, the kernel's section addresses from kernel.elf.
"""
import re

import pytest

from arches import ARCHES
from harness import suite_ok

MAX_ORDER = 10
PAGE = 4096
# Path-length budgets per arch (instructions per pair), about twice the reference's
# numbers (riscv64: 255 and 123; x86_64: 190 and 126; handout/lab2-mem.md, "How it is graded").
FRAME_PAIR_BUDGET = {"riscv64": 500, "x86_64": 400, "aarch64": 500}
KMALLOC_PAIR_BUDGET = {"riscv64": 250, "x86_64": 250, "aarch64": 250}
# The buddy's add_range at boot, instructions per block it puts on the free lists, about
# twice the reference's (riscv64 ~70, x86_64 ~55 at -m 128M): per-block work, not per-frame.
ADD_RANGE_PER_BLOCK = 150

pytestmark = pytest.mark.lab(2)


@pytest.fixture
def booted(booted):
    """conftest's booted, with memory poisoning on (kit.poison=1, mm.h): frame_alloc and
    frame_free fill every block, so reading memory nobody wrote fails every time. Not with
    1024M, where 'test frames' would fill 2 GiB (seconds under QEMU)."""
    def start(mem="128M", bootargs=""):
        return booted(mem=mem, bootargs=(bootargs + (" kit.poison=1" if mem == "128M" else "")).strip())
    return start


RESERVED = re.compile(r"^frames: reserved \[(0x[0-9a-f]+), (0x[0-9a-f]+)\) (.+)$", re.M)
BOOT_FREE = re.compile(r"^frames: (\w+) allocator, (\d+) free frames", re.M)


def free_runs(kernel, out, mib):
    """The free frame runs [start, end) (frame numbers) the kernel should hand to its allocator,
    after checking the reserved ranges it printed."""
    res = [(int(a, 16), int(b, 16), name) for a, b, name in RESERVED.findall(out)]
    names = [r[2] for r in res]
    assert "kernel" in names and "frame table" in names, \
        f"expected 'frames: reserved [...) kernel' and '... frame table' lines at boot, got {names}:\n{out}"
    off = ARCHES[kernel.arch].image_offset
    start = (kernel.symbols.addr("_start") - off) // PAGE * PAGE
    end = -(-(kernel.symbols.addr("_end") - off) // PAGE) * PAGE
    k = [r for r in res if r[2] == "kernel"][0]
    assert k[:2] == (start, end), \
        f"the kernel image is [{start:#x}, {end:#x}) in kernel.elf; the kernel reserved [{k[0]:#x}, {k[1]:#x})"
    fw = ARCHES[kernel.arch].firmware
    if fw:
        assert "firmware" in names and [r for r in res if r[2] == "firmware"][0][:2] == fw, \
            f"{kernel.arch} must reserve the firmware's [{fw[0]:#x}, {fw[1]:#x}) as 'firmware'"
    runs = []
    for base, top in ARCHES[kernel.arch].usable_ram(mib):
        pos, end = -(-base // PAGE), top // PAGE
        for rb, re_, _ in sorted(res):
            rb, re_ = rb // PAGE, re_ // PAGE
            if re_ <= pos or rb >= end:
                continue
            if rb > pos:
                runs.append((pos, rb))
            pos = max(pos, re_)
        if pos < end:
            runs.append((pos, end))
    return runs


def buddy_shape(runs):
    """Free blocks per order when every run is cut into maximal blocks aligned to their size."""
    counts = [0] * (MAX_ORDER + 1)
    for pfn, end in runs:
        while pfn < end:
            k = MAX_ORDER
            while k and (pfn % (1 << k) or pfn + (1 << k) > end):
                k -= 1
            counts[k] += 1
            pfn += 1 << k
    return counts


def exhaust(booted, kernel, mib, bootargs, name):
    m = booted(mem=f"{mib}M", bootargs=bootargs)
    out = m.kernel_text()  # from the kernel banner on: no firmware banner in a dump
    runs = free_runs(kernel, out, mib)
    want = sum(e - s for s, e in runs)
    got = BOOT_FREE.search(out)
    assert got, f"expected 'frames: {name} allocator, N free frames ...' at boot; got:\n{out[-2000:]}"
    assert got.group(1) == name, f"boot argument '{bootargs}' should select the {name} allocator, got {got.group(1)}"
    assert int(got.group(2)) == want, \
        f"with -m {mib}M the free frames are RAM minus the reserved ranges = {want}; the allocator counts {got.group(2)}"
    out = m.command("test frames", timeout=60)
    ex = re.search(r"^frames-exhaust: handed out (\d+) frames \((\d+) were in use before\), (\d+) duplicates, (\d+) bad$",
                   out, re.M)
    assert ex, f"'test frames' printed no 'frames-exhaust: ...' line:\n{out[-2000:]}"
    n, in_use, dups, bad = map(int, ex.groups())
    assert dups == 0, f"{dups} frames were handed out twice"
    assert bad == 0, f"{bad} frame_alloc results were not free RAM frames (misaligned, reserved or in the image)"
    assert n + in_use == want, \
        f"allocating until NULL handed out {n} frames with {in_use} already in use; {want} are free at boot"
    suite_ok(out, "frames")
    return m, runs, out


@pytest.mark.points(10)
def test_stack_allocator(booted, kernel):
    exhaust(booted, kernel, 128, "frames=stack", "stack")


@pytest.mark.points(10)
@pytest.mark.parametrize("mib", [128, 1024])
def test_buddy_every_frame_once(booted, kernel, mib):
    exhaust(booted, kernel, mib, "", "buddy")


@pytest.mark.points(10)
def test_buddy_coalescing(booted, kernel, note):
    m, runs, out = exhaust(booted, kernel, 128, "", "buddy")
    took = re.search(r"^frames: add_range took (\d+) instructions$", m.text, re.M)
    blocks = sum(buddy_shape(runs))
    assert took, "expected 'frames: add_range took N instructions' at boot"
    note(f"add_range {int(took.group(1))} instructions for {blocks} blocks")
    assert int(took.group(1)) <= ADD_RANGE_PER_BLOCK * blocks, \
        (f"add_range took {took.group(1)} instructions at boot to put {blocks} blocks on the free lists, "
         f"more than {ADD_RANGE_PER_BLOCK} per block: it works per frame, not per block")
    at_boot = re.search(r"^frames: free blocks per order 0\.\.10 at boot:((?: \d+)+)$", m.text, re.M)
    assert at_boot, "expected 'frames: free blocks per order 0..10 at boot: n0 ... n10' at boot"
    want = buddy_shape(runs)
    got = [int(x) for x in at_boot.group(1).split()]
    assert got == want, \
        f"at boot the free lists hold {got} blocks per order; the free frames cut into maximal aligned blocks give {want}"
    shapes = dict(re.findall(r"^frames-shape (before|after):((?: \d+)+)$", out, re.M))
    assert "before" in shapes and "after" in shapes, f"expected 'frames-shape before/after' lines:\n{out[-2000:]}"
    assert shapes["after"] == shapes["before"], \
        f"after allocating every frame and freeing them all the free lists are{shapes['after']}; before:{shapes['before']}"
    out = m.command("frames")
    assert re.search(rf"free blocks per order 0\.\.10:{shapes['before']};", out), \
        f"'frames' should print the free lists as 'free blocks per order 0..10:{shapes['before']}; ...', got:\n{out}"


@pytest.mark.points(10)
def test_buddy_random(booted):
    m = booted()
    out = m.command("test buddy", timeout=60)
    suite_ok(out, "buddy")


MISUSE = [
    ("frame_free", "double free"),
    ("frame_free", "not an allocated block"),
    ("frame_free", "misaligned address"),
    ("frame_free", "reserved frame"),
    ("frame_free", "not a RAM frame"),
    ("kfree", "double free"),
    ("kfree", "not the start of an object"),
    ("kfree", "not a kmalloc pointer"),
    ("pt_map", "already mapped"),
]


@pytest.mark.points(10)
@pytest.mark.warnings_expected()
def test_misuse(booted, kernel):
    m = booted()
    out = m.command("test misuse")
    missing = []
    for fn, what in MISUSE:
        line = re.search(rf"^{fn}: {what} (0x[0-9a-f]+) \(called from (\S+)\+0x([0-9a-f]+)\)$", out, re.M)
        if not line or line.group(2) != "ktest_misuse":
            missing.append(f"  {fn}: {what} 0x... (called from ktest_misuse+0x...)")
    assert not missing, "these misuse reports are missing or name the wrong caller:\n" + "\n".join(missing) + \
        f"\nthe output was:\n{out[-2500:]}"
    suite_ok(out, "misuse")


@pytest.mark.points(10)
def test_kmalloc(booted):
    m = booted()
    out = m.command("test kmalloc", timeout=60)
    suite_ok(out, "kmalloc")


@pytest.mark.points(5)
@pytest.mark.parametrize("mib", [128, 1024])
@pytest.mark.warnings_expected(r"pt_map: already mapped 0x40000000 \(called from ktest_vm\+0x[0-9a-f]+\)",
                               r"page fault: read at 0x40000000 pc=.*")
def test_page_tables(booted, kernel, mib):
    m = booted(mem=f"{mib}M")
    out = m.command("test vm")
    suite_ok(out, "vm")
    s, off = kernel.symbols, ARCHES[kernel.arch].image_offset
    checks = [("_start", "r-x"), ("km_sizes", "r--"), ("ktest_data_probe", "rw-"), ("boot_stack", "rw-")]
    for sym, perm in checks:
        va = s.addr(sym)
        out = m.command(f"vmmap {va:#x}")
        got = re.search(r"vmmap 0x[0-9a-f]+: (0x[0-9a-f]+) ([r-][w-][x-])", out)
        assert got, f"'vmmap {va:#x}' ({sym}) should map to {va - off:#x} {perm}; got: {out.strip()}"
        assert (int(got.group(1), 16), got.group(2)) == (va - off, perm), \
            f"{sym} at {va:#x} should map to {va - off:#x} with {perm}; vmmap says {got.group(1)} {got.group(2)}"
    for va, what in [(s.addr("boot_stack_guard"), "the boot stack's guard page"), (0, "NULL")]:
        out = m.command(f"vmmap {va:#x}")
        assert "not mapped" in out, f"{what} ({va:#x}) must not be mapped; vmmap says: {out.strip()}"
    top = ARCHES[kernel.arch].usable_ram(mib)[-1][1] - PAGE
    out = m.command(f"vmmap {ARCHES[kernel.arch].direct_map + top:#x}")
    assert re.search(rf"{top:#x} rw-", out), \
        f"the direct map should map the last RAM page {top:#x} read+write at {ARCHES[kernel.arch].direct_map + top:#x}; got: {out.strip()}"


FAULTS = [
    ("writing kernel text", "write", lambda s: s.addr("ktest_vmfault"), "write-text-faults"),
    ("executing data", "exec", lambda s: s.addr("arch_probe_ret"), "exec-data-faults"),
    ("reading NULL", "read", lambda s: 0, "null-faults"),
]


@pytest.mark.points(10)
@pytest.mark.warnings_expected()
def test_faults(booted, kernel):
    m = booted()
    out = m.command("test vmfault")
    for title, access, addr_of, check in FAULTS:
        addr = addr_of(kernel.symbols)
        part = out.split(f"vmfault: {title}", 1)
        assert len(part) == 2, f"'test vmfault' did not get to '{title}':\n{out[-2000:]}"
        rep = part[1].split("ktest vmfault", 1)[0]
        if re.search(rf"^ktest vmfault {check}: FAIL", out, re.M) and "page fault:" not in rep:
            assert False, (f"{title}: the {access} at {addr:#x} did not fault "
                           f"({'NULL is mapped' if access == 'read' else 'W^X not enforced'})")
        line = re.search(r"^page fault: (\w+) at (0x[0-9a-f]+) pc=(0x[0-9a-f]+) (\S+)$", rep, re.M)
        assert line, f"{title}: expected 'page fault: {access} at {addr:#x} pc=0x... <function>+0x...', got:\n{rep}"
        assert (line.group(1), int(line.group(2), 16)) == (access, addr), \
            f"{title}: expected a {access} fault at {addr:#x}, the report says {line.group(1)} at {line.group(2)}"
        pc = int(line.group(3), 16)
        name, off = kernel.symbols.lookup_ksyms(pc)
        want = f"{name}+{off:#x}" if name else "<unknown>+0x0"
        assert line.group(4) == want, f"{title}: pc {pc:#x} is {want} in kernel.elf; the report says {line.group(4)}"
        walk = re.findall(r"^  L(\d)\[(\d+)\] pte (0x[0-9a-f]+) (.+)$", rep, re.M)
        assert walk and walk[-1][3] != "table", f"{title}: expected the walk, one '  L<n>[<index>] pte 0x... <perm>' line per level, ending at a leaf or 'not present':\n{rep}"
        for lvl, idx, _, _ in walk:
            want_idx = (addr >> (12 + 9 * int(lvl))) & 511
            assert int(idx) == want_idx, f"{title}: L{lvl} index should be {want_idx} for {addr:#x}, the report says {idx}"
        last = walk[-1][3]
        if access == "read":
            assert last == "not present", f"NULL must not be mapped; the walk ends at '{last}'"
        else:
            bit = {"write": 1, "exec": 2}[access]
            assert len(last) == 5 and last[bit] == "-", f"{title}: the leaf's rights '{last}' should lack '{access[0]}'"
        assert re.search(r"^backtrace:\n  #0 ", rep, re.M), f"{title}: expected 'backtrace:' and frames after the walk:\n{rep}"
        assert re.search(rf"^ktest vmfault {check}: ok$", out, re.M), f"{title} did not fault (W^X / NULL not enforced)"
    suite_ok(out, "vmfault")


def pathlen(booted, what, budget, note):
    m = booted()
    out = m.command("test pathlen")
    got = re.search(rf"^pathlen {re.escape(what)}: (-?\d+) instructions$", out, re.M)
    assert got, f"expected 'pathlen {what}: N instructions' from 'test pathlen':\n{out}"
    n = int(got.group(1))
    assert n >= 0, (f"nothing was measured: the {what} pair never succeeded (an allocation "
                    f"returned NULL), so there is no path length to judge")
    note(f"{n} instructions, budget {budget}", metric=(f"instructions per {what} pair", n))
    assert 0 < n <= budget, f"one {what} pair took {n} instructions; the budget is {budget}"


@pytest.mark.points(5)
def test_frame_path_length(booted, kernel, note):
    pathlen(booted, "frame_alloc+frame_free", FRAME_PAIR_BUDGET[kernel.arch], note)


@pytest.mark.points(5)
def test_kmalloc_path_length(booted, kernel, note):
    pathlen(booted, "kmalloc+kfree", KMALLOC_PAIR_BUDGET[kernel.arch], note)

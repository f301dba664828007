"""Lab 1 (boot): banner, kprintf, memory size, backtrace, monitor, boot path length.

Every expected value is computed here (kprintf outputs from the C rules,
addresses from kernel.elf), never copied from the reference's output.
"""
import os
import random
import re

import pytest

from harness import PROMPT
from hostbuild import KIT, host_build, run_host

BOOT_BUDGET = 1_000_000  # instructions from kernel entry to the first prompt (KIT.md)

pytestmark = pytest.mark.lab(1)


@pytest.mark.points(5)
def test_banner(boot, kernel):
    m = boot(bootargs="grader=banner")
    m.expect(rf'^kit \S+ on {kernel.arch}: cpu 0, bootargs "grader=banner"$',
             what=f'the banner: kit <version> on {kernel.arch}: cpu 0, bootargs "grader=banner"')


# -- kprintf ------------------------------------------------------------------

CONV = re.compile(r"%([-0]*)(\d*)(ll|l|z)?([diuxXpsc%])")
BITS = {"int": 32, "uint": 32, "char": 32, "long": 64, "ulong": 64, "llong": 64, "size": 64,
        "ptr": 64}


def c_format(fmt, argtype, arg):
    """What C's printf prints for fmt with one argument (C11 7.21.6.1), for the kit's subset."""
    args = [7, "x", 255] if argtype == "none" else [arg]

    def one(m):
        flags, width, length, conv = m.groups()
        if conv == "%":
            return "%"
        v = args.pop(0)
        if conv == "s":
            return f"%{flags.replace('0', '')}{width}s" % v
        if conv == "c":
            return f"%{flags.replace('0', '')}{width}s" % chr(v & 0xff)
        bits = 64 if length or conv == "p" else 32
        v &= (1 << bits) - 1
        if conv in "di" and v >> (bits - 1):
            v -= 1 << bits
        if conv == "p":  # the kit's %p: "0x" then the digits; the 0 flag pads after "0x"
            if "0" in flags and "-" not in flags:
                return "0x" + f"{v:x}".zfill(int(width or 0) - 2)
            return f"%{flags.replace('0', '')}{width}s" % f"0x{v:x}"
        return f"%{flags}{width}{'d' if conv in 'diu' else conv}" % v

    return CONV.sub(one, fmt)


@pytest.mark.points(15)
def test_kprintf(booted, credit):
    m = booted()
    out = m.command("test kprintf")
    cases = re.findall(r'^kprintf-case (0x[0-9a-f]+) type=(\w+) arg=(0x[0-9a-f]+|".*?") '
                       r"fmt=\[(.*?)\] out=\[(.*?)\] ret=(0x[0-9a-f]+)$", out, re.M)
    assert len(cases) >= 30, f"expected at least 30 kprintf-case lines from 'test kprintf', got {len(cases)}:\n{out}"
    wrong = []
    for idx, argtype, arg, fmt, got, ret in cases:
        value = arg[1:-1] if arg.startswith('"') else int(arg, 16)
        want = c_format(fmt, argtype, value)
        n = int(ret, 16)
        n = n - (1 << 64) if n >> 63 else n
        if got != want or n != len(want):
            wrong.append(f"  kprintf(\"{fmt}\", {arg} as {argtype}) printed [{got}] returning {n};"
                         f" C prints [{want}] returning {len(want)}")
    truncates = bool(re.search(r"^ktest kprintf snprintf-truncates: ok$", out, re.M))
    if not truncates:
        wrong.append('  snprintf into a 4-byte buffer must keep "123" and return 6 (the full length)')
    credit(len(cases) + 1 - len(wrong), len(cases) + 1)
    assert not wrong, f"{len(wrong)} of {len(cases) + 1} kprintf cases differ from C:\n" + "\n".join(wrong)


# -- kprintf against the C library, on the host --------------------------------

RANDOM_CASES = 3000
RANDOM_SEED = 20261130
SHOW_WRONG = 25


def random_value(rng, bits):
    """An interesting integer of the given width (as an unsigned bit pattern)."""
    top = 1 << bits
    v = rng.choice([0, 1, 7, 42, 255, 1000, -1, -42, -1000, top // 2 - 1, -(top // 2),
                    rng.getrandbits(bits), rng.getrandbits(rng.randint(1, bits)),
                    -rng.getrandbits(rng.randint(1, bits - 1))])
    return v % top


def random_case(rng):
    """(student side, C side): each a (format, classes, args) triple; the C side says in
    C-library terms what the kit's subset prints (%p of p is %#lx, of NULL "0x0")."""
    sfmt, cfmt, scls, ccls, sargs, cargs = [], [], "", "", [], []
    text = lambda: "".join(rng.choice("ab |=-:") for _ in range(rng.choice([0, 0, 1, 3])))
    for _ in range(rng.randint(1, 3)):
        sfmt.append(text())
        cfmt.append(sfmt[-1])
        conv = rng.choice("ddiuxXxpscd%")
        flags = "".join(rng.choice("-0") for _ in range(rng.choice([0, 0, 1, 1, 2])))
        if conv in "sc%":
            flags = flags.replace("0", "")
        width = str(rng.randint(1, 24)) if rng.random() < 0.6 else ""
        if conv == "%":
            sfmt.append("%%")
            cfmt.append("%%")
            continue
        length = rng.choice(["", "", "l", "ll", "z"]) if conv in "diuxX" else ""
        spec = f"%{flags}{width}{length}{conv}"
        sfmt.append(spec)
        if conv in "diuxX":
            cls = {"": "I", "l": "L", "ll": "Q", "z": "L"}[length]
            v = f"{random_value(rng, 32 if cls == 'I' else 64):x}"
            scls, ccls, sargs, cargs = scls + cls, ccls + cls, sargs + [v], cargs + [v]
            cfmt.append(spec)
        elif conv == "c":
            v = f"{rng.randint(33, 126):x}"
            scls, ccls, sargs, cargs = scls + "I", ccls + "I", sargs + [v], cargs + [v]
            cfmt.append(spec)
        elif conv == "s":
            v = "".join(rng.choice("abcxyz019 ") for _ in range(rng.randint(0, 12)))
            scls, ccls, sargs, cargs = scls + "S", ccls + "S", sargs + [v], cargs + [v]
            cfmt.append(spec)
        else:  # p
            v = random_value(rng, 64) if rng.random() < 0.9 else 0
            scls, sargs = scls + "P", sargs + [f"{v:x}"]
            if v:
                cfmt.append(f"%#{flags}{width}lx")
                ccls, cargs = ccls + "L", cargs + [f"{v:x}"]
            elif "0" in flags and "-" not in flags and width and int(width) > 3:
                cfmt.append(f"0x%0{int(width) - 2}x")
                ccls, cargs = ccls + "I", cargs + ["0"]
            else:
                cfmt.append(f"%{flags.replace('0', '')}{width}s")
                ccls, cargs = ccls + "S", cargs + ["0x0"]
    sfmt.append(text())
    cfmt.append(sfmt[-1])
    return ("".join(sfmt), scls, sargs), ("".join(cfmt), ccls, cargs)


def run_cases(exe, lines, budget_s=30):
    """{case number: None (ok) or the mismatch text}; a crash marks its case and goes on from
    the next; a hang or a flood marks its case and every case not run yet (so a vprintfmt
    that loops costs one wait, not one per case)."""
    results, start = {}, 0
    while start < len(lines):
        status, out = run_host([exe, str(start)], input="".join(lines), timeout=budget_s)
        for m in re.finditer(r"^case (\d+) (ok|got .*)$", out, re.M):
            results[int(m.group(1))] = None if m.group(2) == "ok" else m.group(2)
        nxt = max([start - 1] + list(results)) + 1
        if nxt < len(lines):
            why = {"hang": f"ran for {budget_s} s", "flood": "printed without end"}.get(
                status, f"crashed (status {status})")
            results[nxt] = f"did not return: your vprintfmt {why}"
            nxt += 1
            if status in ("hang", "flood"):
                for k in range(nxt, len(lines)):
                    results[k] = "not run: an earlier case never returned"
                nxt = len(lines)
        start = nxt
    return results


@pytest.mark.points(10)
def test_kprintf_random(kernel, credit):
    """Your printfmt.c compiled on the host, against the C library's vsnprintf on
    RANDOM_CASES seeded formats: flag combinations, widths, lengths, up to three
    conversions in one call."""
    if kernel.build_error:
        pytest.fail(kernel.build_error, pytrace=False)
    exe = host_build(kernel, "printfmt_host", ["common/printfmt.c"], "printfmt_host.c")
    rng = random.Random(RANDOM_SEED)
    cases = [random_case(rng) for _ in range(RANDOM_CASES)]
    lines = ["\t".join([f, c or "-", *a, g, d or "-", *b]) + "\n" for (f, c, a), (g, d, b) in cases]
    results = run_cases(exe, lines)
    wrong = [(i, why) for i, why in sorted(results.items()) if why]
    credit(len(cases) - len(wrong), len(cases))
    shown = []
    for i, why in wrong[:SHOW_WRONG]:
        fmt, cls, args = cases[i][0]
        shown.append(f"  kprintf(\"{fmt}\"{''.join(', ' + (repr(a) if c == 'S' else '0x' + a) for c, a in zip(cls, args))}):"
                     f" {why}")
    more = f"\n  ... and {len(wrong) - SHOW_WRONG} more" if len(wrong) > SHOW_WRONG else ""
    assert not wrong, (f"{len(wrong)} of {len(cases)} random formats differ from the C library "
                       f"(ints are 32-bit, l ll z 64-bit):\n" + "\n".join(shown) + more)


# -- memory -------------------------------------------------------------------

def expected_memory(arch, mib):
    """(lowest, highest) usable KiB and the allowed range of the top address, for -m mib
    (a KeyError for an arch without an entry: add one with the arch)."""
    kib, size = mib * 1024, mib * 2**20
    return {
        # virt: one /memory node, all of RAM at 0x80000000
        "riscv64": ((kib, kib), (0x80000000 + size, 0x80000000 + size)),
        # pc: the e820 map holds back the BIOS area under 1 MiB and a little at the top of RAM.
        "x86_64": ((kib - 1024, kib - 1), (size - 2**20, size)),
        # raspi3b: the mailbox's ARM memory, from 0 (the grader sets the VideoCore's share)
        "aarch64": ((kib, kib), (size, size)),
    }[arch]


@pytest.mark.points(5)
@pytest.mark.parametrize("mib", [128, 512])
def test_memory(boot, kernel, mib):
    m = boot(mem=f"{mib}M")
    got = m.expect(r"^memory: .*$", what="the 'memory: ...' line")
    parsed = re.match(r"memory: (\d+) KiB usable in (\d+) region\(s\), top (0x[0-9a-f]+)$", got.group(0))
    assert parsed, f"expected 'memory: <KiB> KiB usable in <n> region(s), top <addr>', got: {got.group(0)}"
    (lo, hi), (tlo, thi) = expected_memory(kernel.arch, mib)
    kib, top = int(parsed.group(1)), int(parsed.group(3), 16)
    assert lo <= kib <= hi, f"with -m {mib}M expected {lo}..{hi} KiB usable, the kernel found {kib}"
    assert tlo <= top <= thi, f"with -m {mib}M expected the top of RAM in [{tlo:#x}, {thi:#x}], got {top:#x}"
    m.expect(PROMPT)
    out = m.command("mem")
    assert got.group(0) in out, f"'mem' should print the same line as boot; got:\n{out}"


# -- memory detection on descriptions the grader builds (host) --------------

LOAD_PA = 0x10000000  # where memdetect_host.c loads each description (its LOAD_PA)
EINVAL = 22


def fdt_blob(root_props, nodes):
    """A flattened device tree (Devicetree Specification v0.4, chapter 5): root_props and
    nodes, each node (name, props) with props a list of (name, bytes)."""
    strings, struct = bytearray(), bytearray()

    def string(name):
        at = strings.find(name.encode() + b"\0")
        if at < 0 or (at and strings[at - 1] != 0):
            at = len(strings)
            strings.extend(name.encode() + b"\0")
        return at

    def pad(b):
        return b + b"\0" * (-len(b) % 4)

    def node(name, props, children=()):
        struct.extend((1).to_bytes(4, "big") + pad(name.encode() + b"\0"))
        for pname, value in props:
            struct.extend((3).to_bytes(4, "big") + len(value).to_bytes(4, "big") +
                          string(pname).to_bytes(4, "big") + pad(value))
        for c in children:
            node(*c)
        struct.extend((2).to_bytes(4, "big"))

    node("", root_props, nodes)
    struct.extend((9).to_bytes(4, "big"))
    off_rsv, off_struct = 40, 56
    off_strings = off_struct + len(struct)
    total = off_strings + len(strings)
    head = [0xd00dfeed, total, off_struct, off_strings, off_rsv, 17, 16, 0, len(strings), len(struct)]
    return b"".join(v.to_bytes(4, "big") for v in head) + bytes(16) + bytes(struct) + bytes(strings)


def cells(v, n):
    return v.to_bytes(4 * n, "big")


def u32(v):
    return v.to_bytes(4, "big")


def dt_case(rng):
    """(blob, expected regions, what) for riscv64: a device tree with random cell sizes and
    /memory entries, other nodes carrying their own (different) cell counts."""
    ac, sc = rng.choice([(2, 2), (2, 1), (1, 1), (1, 2)])
    n = rng.randint(1, 3)
    base, regions = 0x80000000 if ac == 1 else rng.choice([0x80000000, 0x40000000, 0x100000000]), []
    for _ in range(n):
        size = rng.choice([0x800000, 0x4000000, 0x8000000, 0x10000000, 0x1000])
        size = min(size, (1 << 32) - 0x1000) if sc == 1 else size
        if ac == 1 and base + size >= 1 << 32:
            break
        regions.append((base, size))
        base += size + rng.choice([0, 0x1000000, 0x40000000 if ac == 2 else 0x1000000])
    reg = b"".join(cells(b, ac) + cells(sz, sc) for b, sz in regions)
    unit = f"memory@{regions[0][0]:x}" if rng.random() < 0.8 else "memory"
    nodes = [("chosen", [("bootargs", b"\0")]),
             ("cpus", [("#address-cells", u32(1)), ("#size-cells", u32(0))],
              [("cpu@0", [("reg", u32(0)), ("device_type", b"cpu\0")])]),
             (unit, [("device_type", b"memory\0"), ("reg", reg)]),
             ("soc", [("#address-cells", u32(3 - ac)), ("#size-cells", u32(3 - sc))])]
    rng.shuffle(nodes)
    props = [("#address-cells", u32(ac)), ("#size-cells", u32(sc)), ("compatible", b"riscv-virtio\0")]
    return fdt_blob(props, nodes), regions, f"#address-cells {ac}, #size-cells {sc}, {len(regions)} reg entries"


def mb_case(rng):
    """(blob, expected regions, what) for x86_64: multiboot information at LOAD_PA and its
    memory map: random order, entry sizes 20 or 24, RAM above 4 GiB, other entry types, a
    map that ends with available RAM."""
    top = rng.choice([0x8000000, 0x20000000, 0xc0000000])
    entries = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2), (0x100000, top - 0x120000, 1)]
    if rng.random() < 0.5:
        entries.append((top - 0x20000, 0x20000, rng.choice([2, 3, 4])))
    if rng.random() < 0.5:
        entries.append((0xfffc0000, 0x40000, 2))
    if rng.random() < 0.5:
        entries.append((1 << 32, rng.choice([0x40000000, 0x100000000]), 1))
    if rng.random() < 0.3:
        entries.append((0x1fe000000 if top < 0x1fe000000 else 0x300000000, 0x1000, 5))
    if rng.random() < 0.3:
        rng.shuffle(entries)
    esize = rng.choice([20, 20, 24])
    mmap = b"".join(esize.to_bytes(4, "little") + a.to_bytes(8, "little") + l.to_bytes(8, "little") +
                    t.to_bytes(4, "little") + bytes(esize - 20) for a, l, t in entries)
    at = LOAD_PA + 0x100
    info = [1 << 6 | 1, 640, (top >> 10) - 1024, 0, 0, 0, 0, 0, 0, 0, 0, len(mmap), at]
    blob = b"".join(v.to_bytes(4, "little") for v in info).ljust(0x100, b"\0") + mmap
    want = sorted((a, l) for a, l, t in entries if t == 1)
    last = "available" if entries[-1][2] == 1 else "reserved"
    return blob, want, (f"{len(entries)} entries of size {esize}{', unsorted' if entries != sorted(entries) else ''}, "
                        f"the last {last}")


MBOX_OK, MBOX_ERROR, MBOX_ANSWERED = 0x80000000, 0x80000001, 0x80000000
MBOX_ARM_MEMORY = 0x00010005


def mbox_case(rng):
    """(blob, expected regions, what) for aarch64: a VideoCore property buffer as the firmware
    answers it (arch/mbox.h): the ARM-memory tag among others in any order, value buffers of
    sizes that are not whole words, tags the firmware left unanswered."""
    size = rng.choice([0x8000000, 0x20000000, 0x3c000000, 0x3b400000])
    others = [(0x00010002, 4, [0xa02082]), (0x00010006, 8, [size, 0x40000000 - size]),
              (0x00010003, 6, [0x56341200, 0x9a78]), (0x00030002, 8, [2, 48000000]),
              (0x00010004, 8, [0x12345678, 0x9abcdef0])]
    tags = [(MBOX_ARM_MEMORY, 8, [0, size])] + rng.sample(others, rng.randint(0, len(others)))
    rng.shuffle(tags)
    unanswered = rng.random() < 0.3
    words = []
    for tag, vsize, value in tags:
        code = MBOX_ANSWERED | vsize if not (unanswered and tag != MBOX_ARM_MEMORY) else 0
        bsize = vsize + (rng.choice([0, 0, 4]) if tag != MBOX_ARM_MEMORY else 0)  # bytes, padded to words
        vwords = (bsize + 3) // 4
        words += [tag, bsize, code] + (value + [0] * vwords)[:vwords]
    words += [0]
    blob = b"".join(v.to_bytes(4, "little") for v in [4 * len(words) + 8, MBOX_OK] + words)
    return blob, [(0, size)], (f"{len(tags)} tags, ARM memory {tags.index(next(t for t in tags if t[0] == MBOX_ARM_MEMORY)) + 1}"
                               f"{', some unanswered' if unanswered else ''}")


def mbox_failures():
    """Property buffers without an answer about memory: each must give -EINVAL."""
    def buf(code, tags):
        words = [w for t in tags for w in t] + [0]
        return b"".join(v.to_bytes(4, "little") for v in [4 * len(words) + 8, code] + words)
    return [(buf(MBOX_ERROR, [(MBOX_ARM_MEMORY, 8, MBOX_ANSWERED | 8, 0, 0x8000000)]), -EINVAL,
             "the firmware's answer is an error (code 0x80000001)"),
            (buf(MBOX_OK, [(0x00010002, 4, MBOX_ANSWERED | 4, 1), (MBOX_ARM_MEMORY, 8, 0, 0, 0)]), -EINVAL,
             "the ARM-memory tag is not answered")]


MEMORY_CASES = 16
MEMORY_SEED = 7


def memory_cases(arch, rng):
    make = {"riscv64": dt_case, "x86_64": mb_case, "aarch64": mbox_case}[arch]
    cases = [make(rng) for _ in range(MEMORY_CASES)]
    if arch == "riscv64":
        cases.append((b"\0" * 64, -EINVAL, "not a device tree (bad magic)"))
    elif arch == "x86_64":
        cases.append((b"\0" * 0x100, -EINVAL, "multiboot information without a memory map (flags bit 6 clear)"))
    else:
        cases += mbox_failures()
    return cases


@pytest.mark.points(10)
def test_memory_maps(kernel, credit, tmp_path):
    """Your memdetect.c compiled on the host and run on firmware descriptions the grader
    builds: device trees with other cell sizes and several reg entries (riscv64), multiboot
    maps in any order, with RAM above 4 GiB and other entry sizes (x86_64), VideoCore property
    buffers with other tags around the memory one (aarch64)."""
    if kernel.build_error:
        pytest.fail(kernel.build_error, pytrace=False)
    srcs = [f"arch/{kernel.arch}/memdetect.c"] + ([os.path.join(KIT, "common", "fdt.c")]
                                                   if kernel.arch == "riscv64" else [])
    exe = host_build(kernel, "memdetect_host", srcs, "memdetect_host.c")
    cases = memory_cases(kernel.arch, random.Random(MEMORY_SEED))
    files = []
    for i, (blob, _, _) in enumerate(cases):
        files.append(str(tmp_path / f"case{i}"))
        with open(files[-1], "wb") as f:
            f.write(blob)
    wrong, stuck = [], None
    for i, (path, (_, want, what)) in enumerate(zip(files, cases)):
        status, out = ("skipped", "") if stuck else run_host([exe, path], timeout=5)
        line = re.search(r"^\S+: (-?\d+)((?: 0x[0-9a-f]+ 0x[0-9a-f]+)*)$", out, re.M)
        if status in ("hang", "flood"):
            stuck = got = {"hang": "ran for 5 s", "flood": "printed without end"}[status]
        elif stuck:
            got = f"not run: case {i - 1} or an earlier one {stuck}"
        else:
            got = (f"crashed (status {status}) {out.strip()[-200:]}" if not line
                   else int(line.group(1)) if int(line.group(1)) <= 0
                   else list(zip(*[iter(int(x, 16) for x in line.group(2).split())] * 2)))
        if got != want:
            show = lambda v: ", ".join(f"[{a:#x}, {a + l:#x})" for a, l in v) if isinstance(v, list) else v
            wrong.append(f"  case {i} ({what}): expected {show(want)}, got {show(got)}; file {path}")
    credit(len(cases) - len(wrong), len(cases))
    assert not wrong, f"{len(wrong)} of {len(cases)} memory descriptions read wrong (regions [base, end)):\n" + \
        "\n".join(wrong)


# -- backtrace ----------------------------------------------------------------

FRAME = re.compile(r"^  #(\d+) (0x[0-9a-f]+) (\S+)\+0x([0-9a-f]+)$", re.M)


def check_frames(kernel, out, chain):
    """The frames in out name chain in order from frame 0, count up from #0, and name each
    return address as the kernel's ksyms_lookup_ra does (the function holding ra - 1, the
    offset of ra; "<unknown>+0x0" outside the text), checked against kernel.elf."""
    frames = FRAME.findall(out)
    assert len(frames) >= len(chain), \
        f"expected at least {len(chain)} frames like '  #0 0x80200b4e func+0x12', got:\n{out}"
    names = [f[2] for f in frames]
    assert names[:len(chain)] == chain, f"expected the frames to start {chain}, got {names}"
    for depth, (d, addr, name, off) in enumerate(frames):
        assert int(d) == depth, f"frame numbers must count up from #0: {frames}"
        real, real_off = kernel.symbols.lookup_ra(int(addr, 16))
        assert (real, real_off) == (name, int(off, 16)), \
            f"frame #{d}: return address {addr} reads {real}+{real_off:#x} (the call is in " \
            f"{real}, at ra - 1), the kernel printed {name}+0x{off}"
    return names


def fake_chains(kernel):
    """{name: (return addresses, frames)} of the made-up chains of ktest_lab1.c."""
    s = kernel.symbols
    mid, top = s.addr("ktest_bt_mid") + 4, s.addr("ktest_bt_top")
    return {
        "zero": ([mid, top, s.addr("_start"), s.addr("ktest_bt_fake")], "a zero frame pointer ends it"),
        "misaligned": ([mid], "a misaligned frame pointer ends it"),
        "outside": ([mid], "a frame pointer below _start (outside the image and the stack) ends it"),
        "loop": ([mid] * 64, "a frame that points at itself: the walk stops after 64 frames"),
    }


@pytest.mark.points(20)
def test_backtrace(booted, kernel, credit):
    m = booted()
    out = m.command("test backtrace")
    real = out.split("backtrace-fake", 1)[0]
    wrong = []
    try:
        names = check_frames(kernel, real, ["ktest_bt_mid", "ktest_bt_top", "ktest_backtrace"])
        if "kmain" not in names or names[-1] != "_start":
            wrong.append(f"the walk should go on up to kmain and end at _start (the first frame); got {names}")
        got = re.search(r"^backtrace returned (0x[0-9a-f]+)$", real, re.M)
        if not got or int(got.group(1), 16) != len(names):
            wrong.append(f"backtrace_print printed {len(names)} frames and returned "
                         f"{int(got.group(1), 16) if got else '?'}: it must return the frame count")
    except AssertionError as e:
        wrong.append(str(e))
    failed = 1 if wrong else 0  # checks failed: the real walk, then one per made-up chain
    chains = fake_chains(kernel)
    for name, (ras, why) in chains.items():
        before = len(wrong)
        part = re.search(rf"^backtrace-fake {name}\n(.*?)^backtrace-fake {name} returned (0x[0-9a-f]+)$",
                         out, re.M | re.S)
        if not part:
            wrong.append(f"made-up chain '{name}': the walk did not come back")
            failed += 1
            continue
        frames = FRAME.findall(part.group(1))
        got_ras = [int(f[1], 16) for f in frames]
        if got_ras != ras:
            wrong.append(f"made-up chain '{name}' ({why}): expected {len(ras)} frames returning to "
                         f"{', '.join(hex(r) for r in ras[:4])}{' ...' if len(ras) > 4 else ''}, got {len(frames)}:\n"
                         + part.group(1)[:1500])
            failed += 1
            continue
        bad = [f"#{d} {a} {n}+0x{o}" for d, a, n, o in frames
               if kernel.symbols.lookup_ra(int(a, 16)) != (n, int(o, 16))]
        if bad:
            want = [f"{n}+{o:#x}" for n, o in (kernel.symbols.lookup_ra(r) for r in ras)]
            wrong.append(f"made-up chain '{name}': names by ra - 1 (\"<unknown>+0x0\" outside the text)"
                         f" are {want}; the kernel printed {bad}")
        if int(part.group(2), 16) != len(ras):
            wrong.append(f"made-up chain '{name}': {len(ras)} frames printed, backtrace_print returned "
                         f"{int(part.group(2), 16)}")
        failed += len(wrong) > before
    credit(1 + len(chains) - failed, 1 + len(chains))
    assert not wrong, "\n".join(wrong)


# -- monitor and power-off ----------------------------------------------------

@pytest.mark.points(15)
def test_monitor(booted, kernel, credit):
    """Five independent parts, each worth a share: help, kerninfo, an unknown command,
    backtrace, shutdown."""
    m = booted()
    wrong = []
    out = m.command("help")
    missing = [c for c in ["help", "kerninfo", "backtrace", "mem", "test", "shutdown"]
               if not re.search(rf"^{c}\b", out, re.M)]
    if missing:
        wrong.append(f"'help' should list {missing}; got:\n{out}")
    out = m.command("kerninfo")
    start, etext = kernel.symbols.addr("_start"), kernel.symbols.addr("_etext")
    if not re.search(rf"entry {start:#x}\b", out) or not re.search(rf"text +{start:#x}-{etext:#x}\b", out):
        wrong.append(f"kerninfo: expected 'entry {start:#x}' and 'text {start:#x}-{etext:#x}'; got:\n{out}")
    out = m.command("frobnicate 1 2")
    if "error: unknown command 'frobnicate'" not in out:
        wrong.append(f"an unknown command must say so; got:\n{out}")
    out = m.command("backtrace")
    try:
        assert "Stack backtrace:" in out, f"'backtrace' should print 'Stack backtrace:' first; got:\n{out}"
        check_frames(kernel, out, ["monitor_exec", "monitor_run", "kmain"])
    except AssertionError as e:
        wrong.append(str(e))
    m.send("shutdown")
    try:
        m.expect(r"powering off \(status 0\)", what="'shutdown: powering off (status 0)'")
        status = m.wait_exit(timeout=10)
        assert status == 0, f"after 'shutdown' QEMU should exit with status 0, got {status}"
    except AssertionError as e:
        wrong.append(str(e))
    credit(5 - len(wrong), 5)
    assert not wrong, "\n".join(wrong)


# -- boot path length ---------------------------------------------------------

@pytest.mark.points(15)
def test_boot_path_length(boot, note):
    m = boot()
    got = m.expect(r"^boot: .*$", what="the 'boot: N instructions from entry to prompt' line")
    parsed = re.match(r"boot: (\d+) instructions from entry to prompt$", got.group(0))
    assert parsed, f"expected 'boot: <N> instructions from entry to prompt', got: {got.group(0)}"
    n = int(parsed.group(1))
    note(f"{n} instructions, budget {BOOT_BUDGET}", metric=("instructions, boot to prompt", n))
    assert 0 < n < BOOT_BUDGET, f"boot took {n} instructions from entry to the prompt; the budget is {BOOT_BUDGET}"

"""Lab 1 (boot): banner, kprintf, memory size, backtrace, monitor, boot path length.

Every expected value is computed here (kprintf outputs from the C rules,
addresses from kernel.elf), never copied from the reference's output.
"""
import re

import pytest

from harness import PROMPT

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
        if conv == "p":
            return f"%{flags.replace('0', '')}{width}s" % f"0x{v:x}"
        return f"%{flags}{width}{'d' if conv in 'diu' else conv}" % v

    return CONV.sub(one, fmt)


@pytest.mark.points(25)
def test_kprintf(booted):
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
    assert not wrong, f"{len(wrong)} of {len(cases)} kprintf cases differ from C:\n" + "\n".join(wrong)
    assert re.search(r"^ktest kprintf snprintf-truncates: ok$", out, re.M), \
        "snprintf into a 4-byte buffer must keep \"123\" and return 6 (the full length)"


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
    }[arch]


@pytest.mark.points(10)
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


# -- backtrace ----------------------------------------------------------------

FRAME = re.compile(r"^  #(\d+) (0x[0-9a-f]+) (\S+)\+0x([0-9a-f]+)$", re.M)


def check_frames(kernel, out, chain):
    """The frames in out name chain in order from frame 0, and every name+offset matches the ELF."""
    frames = FRAME.findall(out)
    assert len(frames) >= len(chain), \
        f"expected at least {len(chain)} frames like '  #0 0x80200b4e func+0x12', got:\n{out}"
    names = [f[2] for f in frames]
    assert names[:len(chain)] == chain, f"expected the frames to start {chain}, got {names}"
    for depth, (d, addr, name, off) in enumerate(frames):
        assert int(d) == depth, f"frame numbers must count up from #0: {frames}"
        real, real_off = kernel.symbols.lookup(int(addr, 16))
        assert (real, real_off) == (name, int(off, 16)), \
            f"frame #{d}: {addr} is {real}+{real_off:#x} in kernel.elf, the kernel printed {name}+0x{off}"
    return names


@pytest.mark.points(20)
def test_backtrace(booted, kernel):
    m = booted()
    out = m.command("test backtrace")
    names = check_frames(kernel, out, ["ktest_bt_mid", "ktest_bt_top", "ktest_backtrace"])
    assert "kmain" in names, f"the walk should go on up to kmain (the first frame); got {names}"
    assert re.search(r"^ktest backtrace depth: ok$", out, re.M), "backtrace_print must return the frame count"


# -- monitor and power-off ----------------------------------------------------

@pytest.mark.points(15)
def test_monitor(booted, kernel):
    m = booted()
    out = m.command("help")
    for cmd in ["help", "kerninfo", "backtrace", "mem", "test", "shutdown"]:
        assert re.search(rf"^{cmd}\b", out, re.M), f"'help' should list '{cmd}'; got:\n{out}"
    out = m.command("kerninfo")
    start, etext = kernel.symbols.addr("_start"), kernel.symbols.addr("_etext")
    assert re.search(rf"entry {start:#x}\b", out), f"kerninfo: expected 'entry {start:#x}'; got:\n{out}"
    assert re.search(rf"text +{start:#x}-{etext:#x}\b", out), \
        f"kerninfo: expected 'text {start:#x}-{etext:#x}'; got:\n{out}"
    out = m.command("frobnicate 1 2")
    assert "error: unknown command 'frobnicate'" in out, f"an unknown command must say so; got:\n{out}"
    out = m.command("backtrace")
    assert "Stack backtrace:" in out, f"'backtrace' should print 'Stack backtrace:' first; got:\n{out}"
    check_frames(kernel, out, ["monitor_exec", "monitor_run", "kmain"])
    m.send("shutdown")
    m.expect(r"powering off \(status 0\)", what="'shutdown: powering off (status 0)'")
    status = m.wait_exit(timeout=10)
    assert status == 0, f"after 'shutdown' QEMU should exit with status 0, got {status}"


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

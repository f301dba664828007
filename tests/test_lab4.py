"""Lab 4 beyond the grader: a realistic student bug must be caught, the boot modules, and the
system-call fuzzer for 1,000,000 calls on riscv64 (the grader runs 20,000).

The mutant: syscall_dispatch bounds-checks the number as a signed long, so a "negative"
number (-1) indexes before syscall_table and the kernel calls whatever word lies there.
`run sysbad` passes -1 (check nr-negative); the grader must fail
test_syscall_bad_arguments and show the panic, on both arches.
"""
import re
import shutil
import subprocess

import pytest

from conftest import ARCHES, KIT, built, mem_args, skip_unsupported, solved_tree
from harness import Machine, Symbols

GOOD = "if (unlikely(a->nr >= SYS_COUNT || !syscall_table[a->nr]))"
SIGNED = "if (unlikely((long)a->nr >= SYS_COUNT || !syscall_table[a->nr]))"


@pytest.mark.parametrize("arch", ARCHES)
def test_signed_dispatch_bound_caught(arch, tmp_path):
    skip_unsupported(arch, 4)
    tree = tmp_path / "lab4-ipc"
    shutil.copytree(solved_tree(4), tree)
    src = tree / "common" / "syscall.c"
    text = src.read_text()
    assert GOOD in text, "the reference's bounds check moved: update the mutant"
    src.write_text(text.replace(GOOD, SIGNED))
    r = subprocess.run(["make", "-s", "grade", f"ARCH={arch}", "LAB=4", f"TREE={tree}",
                        "T=syscall_bad_arguments"], cwd=KIT, capture_output=True, text=True)
    out = r.stdout + r.stderr
    assert r.returncode != 0, out[-3000:]
    assert "test_syscall_bad_arguments: FAIL (0/15" in out, out[-3000:]
    assert "panic" in out, f"the failure should show the kernel's panic:\n{out[-3000:]}"


@pytest.mark.parametrize("arch", ARCHES)
def test_boot_modules(arch, tmp_path):
    """Every user program is a boot module; `run` of an unknown one is ENOENT, not a crash
    (aarch64: in its first stage, lab 7)."""
    qemu, elf = built(arch, lab=4)
    with Machine(qemu + mem_args(arch) + ["-append", ""], str(tmp_path / "modules.log"),
                 Symbols(elf), cwd=KIT) as m:
        m.expect(r"^K> ", what="the prompt")
        out = m.command("modules")
        names = re.findall(r"^(\S+)\s+\d+ bytes$", out, re.M)
        assert {"hello", "sysbasic", "sysbad", "fault", "sysbench"} <= set(names), out
        out = m.command("run nosuch")
        assert "run: nosuch: ENOENT" in out, out
        out = m.command("run hello")
        assert re.search(r"^run: hello exited with \d+$", out, re.M), out


def test_fuzz_million(tmp_path):
    """The seeded fuzzer (user/lab4/fuzz.c) for 1,000,000 system calls on the riscv64 reference:
    no panic, every result a known error code, the kernel runs the next task."""
    qemu, elf = built("riscv64", lab=4)
    with Machine(qemu + ["-m", "128M", "-append", ""], str(tmp_path / "fuzz.log"), Symbols(elf),
                 cwd=KIT) as m:
        m.expect(r"^K> ", what="the prompt")
        out = m.command(f"run fuzz {(1000000 << 32) | 1}", timeout=300, silence_s=120)
        assert "utest fuzz results: ok" in out and "run: fuzz exited with 0" in out, out[-3000:]
        assert re.search(r"^fuzz: seed 1, 1000000 calls", out, re.M), out[-3000:]
        out = m.command("run sysbasic")
        assert "run: sysbasic exited with 42" in out, out

"""The grader's diagnoses, shown on deliberately broken kernels.

The reference kernel takes the fault-injection boot argument
kit.break=silence|hang|panic|storm|exit|overflow; each must produce its own
diagnosis in bounded time, never a bare timeout.
"""
import os
import time

import pytest

from conftest import ARCHES, KIT, built
from harness import Machine, Symbols, KernelFailure

CASES = {
    "silence": "silence: the kernel printed nothing",
    "hang": "hang: no output for",
    "panic": "the kernel panicked:\n  panic: kit.break=panic: a deliberate panic",
    "storm": "trap storm: the same trap repeats",
    "exit": "QEMU exited with status 0 before that appeared",
}


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("fault", sorted(CASES))
def test_diagnosis(arch, fault, tmp_path):
    qemu, elf = built(arch)
    log = str(tmp_path / f"{fault}.log")
    start = time.monotonic()
    with Machine(qemu + ["-m", "128M", "-append", f"kit.break={fault}"], log, Symbols(elf),
                 cwd=KIT, silence_s=2.0) as m:
        with pytest.raises(KernelFailure) as e:
            m.expect(r"^K> ", timeout=20, what="the prompt")
    msg = str(e.value)
    assert CASES[fault] in msg, msg
    assert "expected the prompt" in msg and "last 20 lines" in msg and log in msg
    assert time.monotonic() - start < 15, f"the diagnosis took {time.monotonic() - start:.1f} s"
    if fault == "panic":
        # The grader names the caller from kernel.elf itself.
        assert "named by the grader" in msg and "kmain+" in msg, msg
    if fault == "storm":
        assert "pc 0x" in msg and "kmain+" in msg, msg


@pytest.mark.parametrize("arch", ARCHES)
def test_stack_overflow(arch, tmp_path):
    """From lab 2 on the boot stack has an unmapped guard page: running into it is a named panic."""
    qemu, elf = built(arch, lab=2)
    log = str(tmp_path / "overflow.log")
    with Machine(qemu + ["-m", "128M", "-append", "kit.break=overflow"], log, Symbols(elf),
                 cwd=KIT, silence_s=2.0) as m:
        with pytest.raises(KernelFailure) as e:
            m.expect(r"^K> ", timeout=20, what="the prompt")
    msg = str(e.value)
    assert "the kernel panicked:\n  panic: kernel stack overflow: sp 0x" in msg, msg
    assert "overflow+" in msg, msg


def test_build_failure(tmp_path):
    """A kernel that does not compile: every test reports the compiler's first error."""
    import shutil
    import subprocess
    tree = tmp_path / "kit"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=KIT,
                           capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        if os.path.exists(os.path.join(KIT, f)) and not f.startswith("build/"):
            (tree / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(os.path.join(KIT, f), tree / f)
    bad = tree / "labs" / "lab1-boot" / "common" / "printfmt.c"
    bad.write_text(bad.read_text() + "\nint broken(void) { return undeclared_thing; }\n")
    r = subprocess.run(["make", "-s", "grade", "LAB=1"], cwd=tree, capture_output=True, text=True)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "printfmt.c" in out and "undeclared_thing" in out, out[-3000:]
    assert "Score: 0/100" in out, out[-3000:]

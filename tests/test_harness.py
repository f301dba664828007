"""The grader's diagnoses, shown on deliberately broken kernels.

The reference kernel takes the fault-injection boot argument
kit.break=silence|hang|panic|storm|exit|overflow; each must produce its own
diagnosis in bounded time, never a bare timeout.
"""
import os
import subprocess
import time

import pytest

from conftest import ARCHES, KIT, built, mem_args
from harness import NO_TIMERS, KernelFailure, Machine, Symbols

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
    with Machine(qemu + mem_args(arch) + ["-append", f"kit.break={fault}"], log, Symbols(elf),
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
    with Machine(qemu + mem_args(arch) + ["-append", "kit.break=overflow"], log, Symbols(elf),
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
    from conftest import starter_tree
    tree = tmp_path / "lab1-boot"
    shutil.copytree(starter_tree(1), tree)
    bad = tree / "common" / "printfmt.c"
    bad.write_text(bad.read_text() + "\nint broken(void) { return undeclared_thing; }\n")
    r = subprocess.run(["make", "-s", "grade", "LAB=1", f"TREE={tree}"], cwd=KIT, capture_output=True,
                       text=True)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "printfmt.c" in out and "undeclared_thing" in out, out[-3000:]
    assert "Score: 0/100" in out, out[-3000:]


def test_tree_takes_only_student_files(tmp_path):
    """TREE=dir builds the lab's student files from dir and everything else from the kit: a
    provided file dropped into the tree is ignored, and a missing student file is named."""
    import shutil
    import subprocess
    from conftest import starter_tree
    tree = tmp_path / "lab2-mem"
    shutil.copytree(starter_tree(2), tree)
    (tree / "common" / "mm.c").write_text("this is not C and must never be compiled\n")
    r = subprocess.run(["make", "-s", "build", "LAB=2", f"TREE={tree}"], cwd=KIT, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    (tree / "common" / "buddy.c").unlink()
    r = subprocess.run(["make", "-s", "build", "LAB=2", f"TREE={tree}"], cwd=KIT, capture_output=True,
                       text=True)
    assert r.returncode != 0 and "has no common/buddy.c" in r.stdout + r.stderr


def test_flood(tmp_path):
    """A console flood is stopped at MAX_OUTPUT and named as such, with a log of bounded size."""
    import harness
    log = tmp_path / "flood.log"
    counter = "i=0; while :; do echo \"line $i of a flood that never repeats itself ...\"; i=$((i+1)); done"
    with harness.Machine(["sh", "-c", counter], str(log)) as m:
        with pytest.raises(harness.KernelFailure) as e:
            m.expect(r"^never printed$", timeout=60)
    assert "flood: the kernel printed more than 4 MiB" in str(e.value), str(e.value)[-500:]
    assert log.stat().st_size < harness.MAX_OUTPUT + (1 << 20)
    with harness.Machine(["yes", "the same line"], str(tmp_path / "loop.log")) as m:
        with pytest.raises(harness.KernelFailure) as e:
            m.expect(r"^never printed$", timeout=60)
    assert "flood: the kernel printed the same line 1000 times in a row: 'the same line'" in str(e.value)



def test_silent_from_the_start(tmp_path):
    """A machine that prints nothing at all (QEMU's firmware slow under load) is diagnosed as
    silence, with no output to slice."""
    with Machine(["sleep", "5"], str(tmp_path / "silent.log"), silence_s=1.5) as m:
        with pytest.raises(KernelFailure, match="silence: the kernel printed nothing"):
            m.expect("never", timeout=4)


def test_silence_of_a_starved_machine(tmp_path):
    """A silence counts the time the machine could run: time QEMU waited for a host CPU
    (harness.starved_s, Linux's schedstat) is taken off, so a machine behind a busy host is
    called silent only after SILENCE_BACKSTOP times the limit, and an idle one at once. The
    rule is shown with a starvation of 90 % of the wall time put in its place; the reading
    itself on a spinner that shares one CPU with two others."""
    import harness
    times = {}
    for starved in (False, True):
        start = time.monotonic()
        with Machine(["sleep", "30"], str(tmp_path / f"starved-{starved}.log"), silence_s=0.5) as m:
            if starved:
                m.starved_s = lambda: 0.9 * (time.monotonic() - start)
            with pytest.raises(KernelFailure, match="silence: the kernel printed nothing"):
                m.expect("never", timeout=20)
        times[starved] = time.monotonic() - start
    assert times[False] < 0.5 * harness.SILENCE_BACKSTOP <= times[True] < 0.5 * harness.SILENCE_BACKSTOP + 2, times
    spin = ["taskset", "-c", "0", "sh", "-c", "while :; do :; done"]
    busy = [subprocess.Popen(spin, start_new_session=True) for _ in range(2)]
    try:
        with Machine(spin, str(tmp_path / "spin.log")) as m:
            time.sleep(1)
            assert m.starved_s() > 0.1, "schedstat's run_delay of a spinner sharing its CPU"
    finally:
        for p in busy:
            p.kill()
            p.wait()


def test_no_timers_with_a_disk(tmp_path):
    """QEMU's no-timers warning then silence is a hang at once, but not on a machine with a
    disk (-drive), where the idle guest waits for a completion in host time."""
    script = f"echo 'kit test on fake'; echo '{NO_TIMERS}'; sleep 0.6; echo done"
    with Machine(["sh", "-c", script], str(tmp_path / "idle.log")) as m:
        with pytest.raises(KernelFailure, match="went idle with no timer armed"):
            m.expect(r"^done$", timeout=4)
    with Machine(["sh", "-c", script, "sh", "-drive", "file=x"], str(tmp_path / "disk.log")) as m:
        m.expect(r"^done$", timeout=4)

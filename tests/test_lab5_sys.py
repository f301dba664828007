"""Lab 5's system side (kit self-test, ahead of lab 5's grader): tasks as capabilities, init's
name service and supervisor, the console server and the shell.

The lab-5 reference kernel (stage 5: init.c, a student file, solved)
boots; the monitor runs user/lab5/tasktest (each task system call against its documented
errors: bad images, bad specs and slots, exit status, a fault, a kill, a last capability
deleted), then `run init`: init starts consd and the shell (blkd and fsd too when their boot
modules exist), the shell's prompt comes through consd, and the test types: echo, ps, a boot
module that exits 3, one that faults (the system goes on), nsbench (a lookup's instructions, a
restart's), `kill consd` (init restarts it; the shell still reads and writes through the new
one), `kill sh` (a new shell), and `exit`, which ends init and gives the monitor back.

While the shell waits for a key nothing is armed: QEMU says "icount sleep disabled and no
active timers" and the guest sleeps until the next byte, which the harness would take for a
hang on a machine without a disk (harness.NO_TIMERS); that wait is right here, so the rule is
off and the silence limit bounds every wait.
"""
import os
import re

import pytest

from conftest import ARCHES, KIT, make, skip_unsupported
from harness import Machine, Symbols

PROMPT = r"^\$ "


def shell(m, line, want=None):
    """Type line at the shell; its output up to the next prompt (want: a regex it must hold)."""
    out = m.command(line, prompt=PROMPT, timeout=20)
    if want:
        assert re.search(want, out, re.M), f"'{line}': no {want!r} in:\n{out}"
    return out


@pytest.mark.parametrize("arch", ARCHES)
def test_lab5_system(arch, tmp_path):
    skip_unsupported(arch, 5)  # aarch64 runs labs <= 4 (arches.py max_lab)
    v = [f"ARCH={arch}", "LAB=5", "SOL=1"]
    make(*v, "build")
    qemu, elf = make(*v, "print-qemu", "print-kernel").stdout.splitlines()
    with Machine(qemu.split() + ["-m", "128M", "-append", ""], str(tmp_path / "lab5.log"),
                 Symbols(os.path.join(KIT, elf)), cwd=KIT) as m:
        m.no_timers_s = None  # the shell waits for keys idle (module docstring)
        m.expect(r"^K> ", what="the prompt")
        out = m.command("run tasktest")
        fails = re.findall(r"^utest task .+: FAIL.*$", out, re.M)
        assert re.search(r"^utest task done: (\d+)/\1$", out, re.M) and not fails, out
        assert "panic" not in out

        m.send("run init")
        m.expect(r"^init: started consd", what="init starting consd")
        m.expect(r"^init: started sh", what="init starting the shell")
        m.expect(PROMPT, what="the shell's prompt")
        shell(m, "echo hello lab 5", r"^hello lab 5$")
        shell(m, "ps", r"^ *\d+ consd +\d+ running +0$")
        shell(m, "exit3", r"^sh: exit3 exited with 3$")
        out = shell(m, "crash", r"^sh: crash killed \(fault\)$")
        assert re.search(r"^init: crash faulted at pc 0x", out, re.M), out
        shell(m, "nosuchprogram", r"^sh: nosuchprogram: not found$")
        out = shell(m, "nsbench", r"^nsbench: consd restarted and registered after \d+ instr")
        lookup = int(re.search(r"^nsbench: lookup (\d+) instructions$", out, re.M).group(1))
        assert lookup < 10000, out
        shell(m, "kill consd", r"^init: restarted consd \(killed\), 2 restarts$")
        shell(m, "echo still here", r"^still here$")
        shell(m, "ps", r"^ *\d+ consd +\d+ running +2$")
        m.send("kill sh")
        m.expect(r"^init: restarted sh \(killed\), 1 restart$", what="the shell restarted")
        m.expect(PROMPT, what="the new shell's prompt")
        shell(m, "exit3 5", r"^sh: exit3 exited with 5$")
        out = m.command("exit")
        assert "init: sh exited with 0" in out and "run: init exited with 0" in out, out
        assert "kmain" in m.command("backtrace")
        assert "panic" not in m.text

"""Lab 8's task tracepoint on a real restart, and a device interrupt's latency to its driver:
the lab-8 reference kernel (riscv64, x86_64), the trace on, lab 5's init and shell, `kill consd`, then
a line typed at the shell; the dump passes tools/trace's checks, and its analysis pairs
consd's end (killed) with the new consd's start (the restart the supervisor made, and how long
the console server was down) and measures each keystroke's interrupt until consd, the
user-space UART driver its handler's notification wakes, runs."""
import os

import pytest

from conftest import KIT, make
from harness import Machine, Symbols
from test_trace_tool import trace  # tools/trace, loaded once


SHELL = r"^\$ "


@pytest.mark.parametrize("arch", ["riscv64", "x86_64"])  # the arches lab 5 runs on
def test_restart_in_trace(arch, tmp_path):
    v = [f"ARCH={arch}", "LAB=8", "SOL=1"]
    make(*v, "build")
    qemu, elf = make(*v, "print-qemu", "print-kernel").stdout.splitlines()
    with Machine(qemu.split() + ["-m", "128M", "-append", ""], str(tmp_path / "restart.log"),
                 Symbols(os.path.join(KIT, elf)), cwd=KIT) as m:
        m.no_timers_s = None  # the shell waits for keys idle (grader/test_lab5.py)
        m.expect(r"^K> ", what="the prompt")
        m.command("trace start 0 task,dev_irq,timer_irq,wake,switch")
        m.send("run init")
        m.expect(SHELL, what="lab 5's shell prompt")
        m.command("kill consd", prompt=SHELL, timeout=20)
        m.command("echo typed", prompt=SHELL, timeout=20)
        m.command("exit", timeout=20)
        m.command("trace stop")
        t = trace.parse(m.command("trace dump", timeout=60))
    assert trace.check(t) == [], trace.check(t)
    a = trace.analyze(t)
    starts = [trace.name8(r.a1) for r in t.of("task") if not (r.a0 >> 32) & 0xff]
    # a start is traced once its thread exists, which may have run already: no order asserted
    assert sorted(starts) == ["blkd", "consd", "consd", "fsd", "init", "sh"], starts
    consd = [r for r in a["restarts"] if r[0] == "consd"]
    assert len(consd) == 1 and consd[0][1] == "killed" and consd[0][2] > 0, a["restarts"]
    consd_tids = {r.a0 & 0xffffffff for r in t.of("task") if trace.name8(r.a1) == "consd"}
    keys = [x for x in a["irq_latency"] if x[1] in consd_tids]
    # each line typed at the shell (the UART's FIFO may bring several keys an interrupt): one
    # interrupt or more that woke consd, the old one and the new
    assert len(keys) >= 2 and all(x[3] > 0 for x in keys), (consd_tids, a["irq_latency"])
    print(trace.summary_text(t, a))

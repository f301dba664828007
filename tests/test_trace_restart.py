"""Lab 8's task tracepoint on a real restart: the lab-8 reference kernel (riscv64), the trace
on, lab 5's init and shell, `kill consd`; the dump passes tools/trace's checks, and its
analysis pairs consd's end (killed) with the new consd's start: the restart the supervisor
made, and how long the console server was down, from the trace alone."""
import importlib.machinery
import importlib.util
import os

from conftest import KIT, make
from harness import Machine, Symbols


def load(name, path):
    spec = importlib.util.spec_from_loader(name, importlib.machinery.SourceFileLoader(name, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


trace = load("tracetool_restart", os.path.join(KIT, "tools", "trace"))
SHELL = r"^\$ "


def test_restart_in_trace(tmp_path):
    v = ["ARCH=riscv64", "LAB=8", "SOL=1"]
    make(*v, "build")
    qemu, elf = make(*v, "print-qemu", "print-kernel").stdout.splitlines()
    with Machine(qemu.split() + ["-m", "128M", "-append", ""], str(tmp_path / "restart.log"),
                 Symbols(os.path.join(KIT, elf)), cwd=KIT) as m:
        m.no_timers_s = None  # the shell waits for keys idle (tests/test_lab5_sys.py)
        m.expect(r"^K> ", what="the prompt")
        m.command("trace start 0 task,mark")
        m.send("run init")
        m.expect(SHELL, what="lab 5's shell prompt")
        m.command("kill consd", prompt=SHELL, timeout=20)
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

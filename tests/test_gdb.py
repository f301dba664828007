"""GDB attaches the way the handout says: `make qemu-gdb` in one terminal and
gdb-multiarch with the generated gdbinit (what `make gdb` runs) in another.
Driven in batch mode: break in kmain, continue, check the stop and `bt`,
continue to power-off."""
import os
import subprocess
import threading
import time

import pytest

from conftest import ARCH_FACTS, ARCHES, KIT, built, free_port, make
from harness import Machine


def listening(port):
    """Is a socket listening on TCP port? (Read from /proc: a probe connection
    would count as a GDB session, and its end would resume the stopped VM.)"""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.split(":")[1], 16) == port:
                    return True
    return False


def wait_listening(port, timeout=20):
    deadline = time.monotonic() + timeout
    while not listening(port):
        if time.monotonic() > deadline:
            pytest.fail(f"QEMU never listened for GDB on port {port}")
        time.sleep(0.05)


@pytest.mark.parametrize("arch", ARCHES)
def test_gdb_break_in_kmain(arch, tmp_path):
    built(arch)
    port = free_port()
    v = [f"ARCH={arch}", f"LAB={ARCH_FACTS[arch].stage(1)}", "SOL=1", f"GDBPORT={port}"]
    make(*v, "gdbinit")
    gdbinit = os.path.join(os.path.dirname(make(*v, "print-kernel").stdout.strip()), "gdbinit")
    qemu = Machine(["make", "-s", "-C", KIT, "qemu-gdb", *v], str(tmp_path / "qemu.log"), cwd=KIT,
                   silence_s=60)
    with qemu:
        wait_listening(port)
        # Type `shutdown` once the monitor is up, so the last `continue` ends.
        typist = threading.Thread(target=lambda: (qemu.expect(r"^K> ", timeout=60), qemu.send("shutdown")),
                                  daemon=True)
        typist.start()
        gdb = subprocess.run(["gdb-multiarch", "-batch", "-nx", "-x", os.path.join(KIT, gdbinit),
                              "-ex", "break kmain", "-ex", "continue", "-ex", "bt", "-ex", "continue"],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        out = gdb.stdout + gdb.stderr
        assert "Breakpoint 1, kmain" in out, out
        assert "#0  kmain" in out, out
        status = qemu.wait_exit(timeout=30)
    assert status == 0, f"QEMU should power off cleanly after `shutdown`, got status {status}\n{out}"

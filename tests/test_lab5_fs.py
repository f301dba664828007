"""Lab 5's storage stack (kit self-test, ahead of lab 5's grader): the block server (blkd,
kit/blk.h), the file-system server (fsd, kit/fsclient.h) and its client library, through the
workload user/lab5/fswork.c, on a disk that tools/mkfs made.

First boot (the lab-5 reference kernel, stage 5 solved): `run init` starts consd, blkd, fsd
and the shell; the shell runs fswork three times: seed 1 alone; seed 2 with fsd killed after
100 operations; seed 3 with blkd killed after 150 (init's supervisor restarts each, the client library and fsd look the server up
again and repeat the call); seed 5 with fsd killed in the middle of an operation (by a second
thread of fswork, which runs only while the others wait: while fsd waits for the disk). Each run checks every write it had acknowledged, at the end
("0 errors"). Then `exit`, and fsck finds the image clean. Second boot of the same image:
fswork in verify mode for each seed (the model only, then the disk read back against it): what
the first boot wrote is there. Then a power cut: fswork with seed 4, QEMU killed after its
200th operation; fsck finds the image clean (replaying a committed log in memory), and a third
boot (fsd replays the log) still reads back seeds 1, 2, 3 and 5, fsck clean again.

Also printed (pytest -s): what fswork measures, each operation's instructions through the
whole stack (client -> fsd -> blkd -> device), the device's time not counted, and the block
reads and writes it took: a cached 480-byte read and stat, a 480-byte write and a create (one
transaction each), and a 4 KiB read that misses fsd's cache (the image's /big, larger than it).
"""
import os
import re
import subprocess

import pytest

from conftest import ARCHES, KIT, make, skip_unsupported
from harness import Machine, Symbols

PROMPT = r"^\$ "
SUMMARY = r"^fswork: (\d+) ops, (\d+) writes acknowledged \((\d+) bytes\), (\d+) files verified, " \
    r"(\d+) errors$"
COST = r"^fswork: cost (.+): (\d+) instructions, (\d+) block reads, (\d+) block writes$"
FSD, BLKD, VERIFY, MIDOP = 1 << 32, 2 << 32, 1 << 36, 1 << 37


def fswork(m, seed, kill_after=0, victim=0, verify=False):
    arg = seed | kill_after << 16 | victim | (VERIFY if verify else 0)
    out = m.command(f"fswork {arg:#x}", prompt=PROMPT, timeout=60)
    s = re.search(SUMMARY, out, re.M)
    assert s and s.group(5) == "0" and "sh: fswork" not in out, out  # it says only a failure
    assert int(s.group(1)) >= 300 and int(s.group(4)) == 16, out
    if not verify:
        assert int(s.group(2)) >= 100, out  # writes acknowledged, then checked
    return out


def fsck(img):
    r = subprocess.run([os.path.join(KIT, "build", "host", "fsck"), img], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout


def boot(arch, img, log):
    """A Machine (not entered) of the lab-5 reference kernel with disk img."""
    v = [f"ARCH={arch}", "LAB=5", "SOL=1"]
    make(*v, "build")
    qemu, elf = make(*v, f"DISK={img}", "print-qemu", "print-kernel").stdout.splitlines()
    return Machine(qemu.split() + ["-m", "128M", "-append", ""], log,
                   Symbols(os.path.join(KIT, elf)), cwd=KIT)


def start(m):
    """Up to the shell's prompt under init."""
    m.no_timers_s = None  # the shell waits for keys idle (tests/test_lab5_sys.py)
    m.expect(r"^K> ", what="the prompt")
    m.send("run init")
    m.expect(r"^init: started fsd", what="init starting fsd")
    m.expect(PROMPT, what="the shell's prompt")


def shutdown(m):
    out = m.command("exit")
    assert "run: init exited with 0" in out, out
    assert "panic" not in m.text


@pytest.mark.parametrize("arch", ARCHES)
def test_lab5_fs(arch, tmp_path):
    skip_unsupported(arch, 5)  # aarch64 runs labs <= 4 (arches.py max_lab; raspi3b has no disk)
    make("mkfs")
    img = os.path.join(KIT, "build", "disk", f"lab5-fs-{arch}.img")
    os.makedirs(os.path.dirname(img), exist_ok=True)
    big = os.path.join(tmp_path, "big")
    with open(big, "wb") as f:
        f.write(bytes(range(256)) * 1024)  # 256 KiB: 64 blocks, more than fsd's cache of 48
    r = subprocess.run([os.path.join(KIT, "build", "host", "mkfs"), img,
                        f"README.md={os.path.join(KIT, 'README.md')}", f"big={big}", "tmp/"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

    with boot(arch, img, str(tmp_path / "boot1.log")) as m:
        start(m)
        out = fswork(m, 1)
        costs = {c[0]: tuple(map(int, c[1:])) for c in re.findall(COST, out, re.M)}
        for op, (instr, reads, writes) in costs.items():
            print(f"{arch}: {op}: {instr} instructions, {reads} reads, {writes} writes")
        assert len(costs) == 5, out
        assert costs["fs_read 480 bytes (cached)"][0] < 20000, out
        assert costs["fs_read 4 KiB of /big (not cached)"][1] >= 1, out  # it went to blkd
        out = fswork(m, 2, 100, FSD)
        assert re.search(r"^init: restarted fsd \(killed\)", out, re.M), out
        out = fswork(m, 3, 150, BLKD)
        assert re.search(r"^init: restarted blkd \(killed\)", out, re.M), out
        out = fswork(m, 5, 120, FSD | MIDOP)
        assert re.search(r"^fswork: killed fsd in operation \d+: 0$", out, re.M), out
        assert re.search(r"^init: restarted fsd \(killed\)", out, re.M), out
        shutdown(m)
    fsck(img)

    with boot(arch, img, str(tmp_path / "boot2.log")) as m:
        start(m)
        for seed in (1, 2, 3, 5):
            fswork(m, seed, verify=True)
        m.send("fswork 4")  # then a power cut: QEMU killed mid-run
        m.expect(r"^fswork: 200 ops done", what="fswork's progress", timeout=60)
    fsck(img)  # fsck replays a committed log (in memory) before it checks

    with boot(arch, img, str(tmp_path / "boot3.log")) as m:
        start(m)  # fsd mounted the disk: replayed the log
        for seed in (1, 2, 3, 5):
            fswork(m, seed, verify=True)  # untouched by seed 4's run
        shutdown(m)
    fsck(img)

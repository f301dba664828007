"""Lab 5's virtio-blk driver in user space on its own (kit self-test, ahead of lab 5's grader).

The lab-5 reference kernel boots with a disk that tools/mkfs made (under build/, never
committed) on the board's virtio transport (riscv64: virtio-mmio slot 0 of QEMU virt;
x86_64: a legacy virtio-pci function on QEMU pc), and the monitor runs user/lab5/blktest:
the device from SYS_DEVICE_GET, its interrupt as a notification, the driver's setup, the
superblock read back, a block written and read back, 16 more reads. Completions are waited
for idle, so the test holds whenever QEMU's completion lands (before the driver waits or
after); the kernel idles with no timer armed meanwhile, which the harness does not take for a
hang on a machine with a disk (harness.NO_TIMERS). riscv64's QEMU runs without Sstc
(arch/riscv64/virt/rules.mk): with it, OpenSBI's mtimecmp of ~0 left a QEMU timer at
INT64_MAX, which an idle wait warped virtual time to, and QEMU livelocked there.
Afterwards fsck finds the image clean but for the block blktest wrote (the last, which no file
holds: a data block, its bit free, its bytes changed, which fsck does not read), and the
kernel's monitor still answers.
"""
import os
import re
import subprocess

import pytest

from conftest import ARCHES, KIT, make, skip_unsupported
from harness import Machine, Symbols




@pytest.mark.parametrize("arch", ARCHES)
def test_blk_driver(arch, tmp_path):
    skip_unsupported(arch, 5)  # aarch64 runs labs <= 4 (arches.py max_lab; raspi3b has no disk)
    make("mkfs")
    img = os.path.join(KIT, "build", "disk", f"blktest-{arch}.img")
    os.makedirs(os.path.dirname(img), exist_ok=True)
    r = subprocess.run([os.path.join(KIT, "build", "host", "mkfs"), img,
                        f"README.md={os.path.join(KIT, 'README.md')}"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    v = [f"ARCH={arch}", "LAB=5", "SOL=1"]
    make(*v, "build")
    qemu, elf = make(*v, f"DISK={img}", "print-qemu", "print-kernel").stdout.splitlines()
    with Machine(qemu.split() + ["-m", "128M", "-append", ""], str(tmp_path / "blk.log"),
                 Symbols(os.path.join(KIT, elf)), cwd=KIT) as m:
        m.expect(r"^K> ", what="the prompt")
        out = m.command("run blktest")
        fails = re.findall(r"^utest blk .+: FAIL.*$", out, re.M)
        assert re.search(r"^utest blk done: (\d+)/\1$", out, re.M) and not fails, out
        assert "blktest exited with 0" in out, out
        assert "kmain" in m.command("backtrace")
    r = subprocess.run([os.path.join(KIT, "build", "host", "fsck"), img], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout

"""Shared helpers for the kit's own tests: building kernels and finding the grader."""
import os
import re
import shlex
import socket
import subprocess
import sys

import pytest

KIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(KIT, "grader"))
from arches import ARCHES as ARCH_FACTS  # noqa: E402

ARCHES = list(ARCH_FACTS)
LAB_DIRS = subprocess.run(["make", "-s", "-C", KIT, "print-labs"], capture_output=True, text=True,
                          check=True).stdout.split()  # lab1-boot lab2-mem ...
LABS = [int(re.match(r"lab(\d+)-", d).group(1)) for d in LAB_DIRS]


def make(*args, check=True):
    r = subprocess.run(["make", "-s", "-C", KIT, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        pytest.fail(f"make {' '.join(args)} failed:\n{r.stdout}{r.stderr}", pytrace=False)
    return r


def built(arch, lab=1, sol=1):
    """(QEMU command without -m/-append, kernel ELF path) of a freshly built kernel: stage lab,
    or the first stage after it that arch builds (aarch64: its port lab, arches.py stage)."""
    v = [f"ARCH={arch}", f"LAB={ARCH_FACTS[arch].stage(lab)}", f"SOL={sol}"]
    make(*v, "build")
    qemu, elf = make(*v, "print-qemu", "print-kernel").stdout.splitlines()
    return shlex.split(qemu), os.path.join(KIT, elf)


def mem_args(arch, mem="128M"):
    """The QEMU arguments that give a kernel on arch mem of RAM (grader/arches.py qemu_mem)."""
    return ARCH_FACTS[arch].qemu_mem(mem)


def skip_unsupported(arch, lab):
    """Skip the calling test, with the reason, when arch does not build stage lab or does not
    grade lab (grader/arches.py max_lab, port_lab)."""
    if not ARCH_FACTS[arch].supports(lab):
        pytest.skip(ARCH_FACTS[arch].unsupported(lab))


def last_stage(arch):
    """The last stage arch builds and grades (riscv64: the last lab; aarch64: its port lab)."""
    return max(lab for lab in LABS if ARCH_FACTS[arch].supports(lab))


def lab_dir(lab):
    """labN-name of lab number lab."""
    return LAB_DIRS[LABS.index(lab)]


def solved_tree(lab):
    """build/solved/labN-name: lab's solved stage, which make renders from solutions/ (SOL=1)."""
    make(f"LAB={lab}", "SOL=1", "print-kernel")
    return os.path.join(KIT, "build", "solved", lab_dir(lab))


def starter_tree(lab):
    """build/starter/labN-name: lab's starter tree, which make renders from solutions/."""
    make(f"LAB={lab}", "print-kernel")
    return os.path.join(KIT, "build", "starter", lab_dir(lab))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

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
LABS = sorted(int(re.match(r"lab(\d+)-", d).group(1)) for d in os.listdir(os.path.join(KIT, "labs"))
              if re.match(r"lab\d+-", d))


def make(*args, check=True):
    r = subprocess.run(["make", "-s", "-C", KIT, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        pytest.fail(f"make {' '.join(args)} failed:\n{r.stdout}{r.stderr}", pytrace=False)
    return r


def built(arch, lab=1, sol=1):
    """(QEMU command without -m/-append, kernel ELF path) of a freshly built kernel."""
    v = [f"ARCH={arch}", f"LAB={lab}", f"SOL={sol}"]
    make(*v, "build")
    qemu, elf = make(*v, "print-qemu", "print-kernel").stdout.splitlines()
    return shlex.split(qemu), os.path.join(KIT, elf)


def solved_tree(lab):
    """build/solved/labN-name: lab's solved stage, which make renders from solutions/ (SOL=1)."""
    make(f"LAB={lab}", "SOL=1", "print-kernel")
    name = [d for d in os.listdir(os.path.join(KIT, "labs")) if d.startswith(f"lab{lab}-")][0]
    return os.path.join(KIT, "build", "solved", name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

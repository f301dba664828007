"""Same tree, same log: grading one tree twice gives byte-identical console logs (QEMU
-icount makes the guest deterministic; lab 1 and 2's tests type each command only at the
prompt and print nothing that depends on when it arrives, and lab 3's runs, whose numbers
do depend on the virtual time they start at, come from the boot argument kit.run, so they
start at the same instruction every run). Labs 1 to 3 on every arch, from a copy of the
solved lab-3 tree (its own build directory, so the honest-grader tests can run beside it),
the logs of lab 3's shared machines (shared-*.log) among them."""
import os
import shutil
import subprocess

import pytest

from conftest import ARCHES, KIT, lab_dir, skip_unsupported, solved_tree


def logs(arch, tree):
    build = subprocess.run(["make", "-s", "-C", KIT, f"ARCH={arch}", "LAB=3", f"TREE={tree}", "print-kernel"],
                           capture_output=True, text=True, check=True).stdout.strip()
    d = os.path.join(KIT, os.path.dirname(build), "grade-logs")
    out = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            out[name] = f.read()
    return out


@pytest.mark.parametrize("arch", ARCHES)
def test_same_tree_same_logs(arch, tmp_path):
    skip_unsupported(arch, 3)
    tree = str(tmp_path / lab_dir(3))
    shutil.copytree(solved_tree(3), tree)
    runs = []
    for _ in range(2):
        r = subprocess.run(["make", "-s", "-C", KIT, "grade", f"ARCH={arch}", "LAB=3", f"TREE={tree}"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout[-3000:]
        runs.append(logs(arch, tree))
    assert runs[0].keys() == runs[1].keys() and runs[0], "the two grades kept different logs"
    differ = [n for n in runs[0] if runs[0][n] != runs[1][n]]
    assert not differ, f"these logs differ between two grades of one tree: {differ}\n" + \
        "\n".join(first_difference(n, runs[0][n], runs[1][n]) for n in differ)


def first_difference(name, a, b):
    """Where two runs' log name part: the first line that differs, with one line before it."""
    la, lb = a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines()
    i = next((k for k, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
    before = la[i - 1] if i else "(start of log)"
    return (f"{name}: {len(la)} and {len(lb)} lines; line {i + 1} differs, after {before[:200]!r}:\n"
            f"  first grade:  {la[i][:300] if i < len(la) else '(end of log)'!r}\n"
            f"  second grade: {lb[i][:300] if i < len(lb) else '(end of log)'!r}")

"""The mutation suite (tests/mutants/mutants.py): each realistic bug, applied to a copy of the
solved tree and graded with `make grade LAB=N TREE=copy`, must lose points in the tests its
entry names, on every arch it lists; an entry that names no test is argued equivalent and
must keep full marks (so the argument is checked too). `make test` runs the fast subset,
each on one of its arches (in turn), grading only the named tests; MUTANTS=all runs every mutant through the whole grade
(`make mutants`)."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import KIT, lab_dir, solved_tree

sys.path.insert(0, os.path.join(KIT, "tests", "mutants"))
from mutants import M  # noqa: E402

ALL = os.environ.get("MUTANTS") == "all"
# make test: each fast mutant on one of its arches, taken in turn (the fast list walks the
# arches so each is covered), to keep make test within its time; make mutants: every arch.
FAST = [m for m in M if m.fast]
CASES = ([pytest.param(m, a, id=f"{m.name}-{a}") for m in M for a in m.arches] if ALL else
         [pytest.param(m, m.arches[i % len(m.arches)], id=f"{m.name}-{m.arches[i % len(m.arches)]}")
          for i, m in enumerate(FAST)])


def apply(m, tree):
    path = os.path.join(tree, m.file)
    with open(path) as f:
        text = f.read()
    for old, new in m.edits:
        assert text.count(old) == 1, f"mutant {m.name}: its text occurs {text.count(old)} times in {m.file}"
        text = text.replace(old, new)
    with open(path, "w") as f:
        f.write(text)


def failed_tests(res):
    return [t["name"] for t in res["tests"] if t["status"] != "passed"]


def killed_by(kill, failed):
    return any(f == kill or (kill.endswith("[") and f.startswith(kill)) for f in failed)


@pytest.mark.parametrize("m,arch", CASES)
def test_mutant(m, arch, tmp_path):
    tree = str(tmp_path / lab_dir(m.lab))
    shutil.copytree(solved_tree(m.lab), tree)
    apply(m, tree)
    v = [f"ARCH={arch}", f"LAB={m.lab}", f"TREE={tree}"]
    build = os.path.dirname(subprocess.run(["make", "-s", "-C", KIT, *v, "print-kernel"], capture_output=True,
                                           text=True, check=True).stdout.strip())
    only = [] if ALL or not m.kills else [
        "T=" + " or ".join(sorted({k.removeprefix("test_").rstrip("[") for k in m.kills}))]
    r = subprocess.run(["make", "-s", "-C", KIT, "grade", *v, *only], capture_output=True, text=True)
    results = os.path.join(KIT, build, "results.json")
    assert os.path.exists(results), f"no results from the grade:\n{r.stdout[-3000:]}{r.stderr[-2000:]}"
    with open(results) as f:
        res = json.load(f)
    failed = failed_tests(res)
    if not m.kills:
        assert not failed, f"mutant {m.name} is argued equivalent ({m.why}) but fails {failed}"
        return
    missed = [k for k in m.kills if not killed_by(k, failed)]
    assert not missed, (f"mutant {m.name} ({m.why}) survives {missed} on {arch}; the grade failed only "
                        f"{failed}:\n{r.stdout[-3000:]}")
    assert r.returncode != 0 and res["score"] < res["max_score"]

"""The honest-grader invariant (KIT.md): for every lab and arch the reference
scores full marks, and the starter builds, boots, keeps earlier labs' tests
passing and fails every test of its own lab. A port lab (arches.py port_lab:
aarch64's lab 7) stubs the port itself, so its starter cannot boot: it must
build, end every test with a reason within its bound (no hang), and fail
every test of its own lab; earlier labs' tests, which run on the port, fail
with it."""
import json
import os
import re
import subprocess

import pytest

from conftest import ARCH_FACTS, ARCHES, KIT, LABS, lab_dir, skip_unsupported


def build_dir(arch, lab, sol):
    return os.path.join(KIT, "build", arch, lab_dir(lab) + ("-sol" if sol else ""))


def grade(arch, lab, sol, tmp_path):
    out = os.path.join(build_dir(arch, lab, sol), "results.json")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run(["make", "-s", "-C", KIT, "grade", f"ARCH={arch}", f"LAB={lab}", f"SOL={sol}"],
                       capture_output=True, text=True)
    assert os.path.exists(out), f"the grader wrote no results:\n{r.stdout[-3000:]}{r.stderr[-2000:]}"
    with open(out) as f:
        return r, json.load(f)


def lab_of(test_name):
    m = re.match(r"test_lab(\d+)", test_name)
    return int(m.group(1)) if m else None


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("lab", LABS)
def test_reference_full_marks(arch, lab, tmp_path):
    skip_unsupported(arch, lab)
    r, res = grade(arch, lab, 1, tmp_path)
    failed = [t["name"] + ":\n" + t["output"] for t in res["tests"] if t["status"] != "passed"]
    assert not failed and res["score"] == res["max_score"] > 0, "\n".join(failed) or r.stdout[-2000:]
    assert f"Score: {res['max_score']}/{res['max_score']}" in r.stdout
    assert r.returncode == 0


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("lab", LABS)
def test_starter_fails_its_lab(arch, lab, tmp_path):
    skip_unsupported(arch, lab)
    r, res = grade(arch, lab, 0, tmp_path)
    assert r.returncode != 0 and res["score"] < res["max_score"]
    assert "did not build" not in r.stdout, f"the lab {lab} starter must build:\n{r.stdout[-2000:]}"
    own_passed = [t["name"] for t in res["tests"] if t["tags"] == [f"lab{lab}"] and t["status"] == "passed"]
    assert not own_passed, f"lab {lab} tests that pass on its starter (so they cannot fail): {own_passed}"
    if ARCH_FACTS[arch].port_lab == lab:  # the port stubbed: no boot, but a reason, no hang
        hung = [t["name"] for t in res["tests"] if re.search(r"^(?:E\s+)?(?:hang: no output|silence: |timeout: )", t["output"], re.M)]
        assert not hung, f"the lab {lab} starter must fail with a reason, not a hang: {hung}"
        assert "TODO(lab" in r.stdout, "the port's stubs must say what is missing (TODO(labN))"
        return
    logs = os.path.join(build_dir(arch, lab, 0), "grade-logs")
    assert any("K> " in open(os.path.join(logs, f)).read() for f in os.listdir(logs)), \
        "the starter must boot to the monitor prompt"
    earlier_failed = [t["name"] for t in res["tests"] if t["tags"] != [f"lab{lab}"] and t["status"] != "passed"]
    assert not earlier_failed, f"the lab {lab} starter must keep earlier labs' tests passing: {earlier_failed}"

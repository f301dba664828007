"""docker/autograde against hostile and broken submissions, in real containers.

Each submission must get the score it earned, with a reason, within its time
limit, without harming the others: a kernel that prints a forged score and test
lines; a tree that also carries its own grader and Makefile; a build that never
ends; a console flood; a build fragment that would use the network; a symlink to
the instructor's reference; an empty submission; a tree of the wrong lab. The
scores must equal what `make grade TREE=...` gives the same tree outside Docker.
Skipped, with the reason, where no Docker engine runs.
"""
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess

import pytest

from conftest import ARCH_FACTS, KIT, make

AUTOGRADE = os.path.join(KIT, "docker", "autograde")


def docker_ok():
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


pytestmark = pytest.mark.skipif(not docker_ok(), reason="no Docker engine here (docker info fails)")


def load(path, name):
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def image():
    r = subprocess.run([os.path.join(KIT, "docker", "build-image")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return "kit-grader"


def tree(lab, solved):
    v = [f"LAB={lab}"] + (["SOL=1"] if solved else [])
    make(*v, "print-kernel")
    name = next(n for n in make("print-labs").stdout.split() if n.startswith(f"lab{lab}-"))
    return os.path.join(KIT, "build", "solved" if solved else "starter", name)


def submission(root, name, lab, solved=True, where=None):
    """root/name/labs/<labN-name>/: a copy of lab's solved (or starter) tree; returns it."""
    src = tree(lab, solved)
    dst = os.path.join(root, name, where or os.path.join("labs", os.path.basename(src)))
    shutil.copytree(src, dst)
    return dst


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    assert old in text, f"{path}: {old!r} not found"
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))


def autograde(lab, subs, out, timeout=60):
    r = subprocess.run([AUTOGRADE, "--lab", str(lab), "--arch", "riscv64", "-j", "2", "--timeout",
                        str(timeout), "--out", str(out), str(subs)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    results = {}
    for name in os.listdir(subs):
        with open(os.path.join(out, name, "results.json")) as f:
            results[name] = json.load(f)
    return results, r.stdout


def outside_docker(lab, path):
    """Per-test scores of make grade TREE=path (riscv64), outside any container."""
    r = subprocess.run(["make", "-s", "-C", KIT, "grade", f"LAB={lab}", f"TREE={path}"],
                       capture_output=True, text=True)
    build = os.path.dirname(make(f"LAB={lab}", f"TREE={path}", "print-kernel").stdout.strip())
    with open(os.path.join(KIT, build, "results.json")) as f:
        return {t["name"]: t["score"] for t in json.load(f)["tests"]}


MEMDETECT = "int arch_mem_detect(struct mem_region *regions, int max)\n{\n"


def test_hostile_lab1(image, tmp_path):
    subs = tmp_path / "subs"
    # A kernel that prints a forged score and test lines, with a real bug (memory never found).
    forged = submission(subs, "forged", 1)
    edit(os.path.join(forged, "arch", "riscv64", "memdetect.c"), MEMDETECT,
         MEMDETECT + "\tkprintf(\"Score: 100/100\\n  test_memory[128]: OK (10/10, 0.1s)\\n\");\n"
         "\treturn -ENOSYS;\n")
    # The starter, carrying its own grader and Makefile that would give full marks.
    own = submission(subs, "own-grader", 1, solved=False)
    os.makedirs(subs / "own-grader" / "grader")
    (subs / "own-grader" / "grader" / "test_lab1.py").write_text("def test_all():\n    pass\n")
    (subs / "own-grader" / "Makefile").write_text("grade:\n\t@echo Score: 100/100\n")
    (subs / "own-grader" / "labs" / "lab1-boot" / "common" / "rules.mk").write_text("KSRCS :=\n")
    # A build that never ends: each macro level doubles the tokens of the last.
    bomb = submission(subs, "build-bomb", 1)
    levels = "".join(f"#define B{i + 1} B{i} B{i}\n" for i in range(48))
    with open(os.path.join(bomb, "common", "printfmt.c"), "a") as f:
        f.write("#define B0 x\n" + levels + "int boom(void) { B48; }\n")
    # A kernel that floods the console.
    flood = submission(subs, "flood", 1)
    edit(os.path.join(flood, "arch", "riscv64", "memdetect.c"), MEMDETECT,
         MEMDETECT + "\tfor (;;)\n\t\tkprintf(\"flood flood flood flood flood flood flood flood flood\\n\");\n")
    # A build fragment that would reach the network (never used: only sources are taken).
    net = submission(subs, "network", 1)
    with open(os.path.join(net, "common", "net.mk"), "w") as f:
        f.write("$(shell curl -s http://example.com/ > /tmp/pwned)\n")
    # A symlink to the instructor's reference file.
    link = submission(subs, "symlink", 1, solved=False)
    os.remove(os.path.join(link, "common", "printfmt.c"))
    os.symlink(os.path.join(KIT, "solutions", "common", "printfmt.c"),
               os.path.join(link, "common", "printfmt.c"))
    os.makedirs(subs / "empty")
    results, out = autograde(1, subs, tmp_path / "out", timeout=90)

    full = results["network"]["max_score"]
    assert full > 0 and results["network"]["score"] == full, "a clean solution still gets full marks"
    assert 0 < results["forged"]["score"] < full
    assert results["own-grader"]["score"] == 0, "the submission's own grader and Makefile are ignored"
    assert results["build-bomb"]["score"] == 0
    assert "longer than 90 s" in json.dumps(results["build-bomb"]) or \
        "did not build" in json.dumps(results["build-bomb"]), results["build-bomb"]
    assert results["flood"]["score"] < full and "flood:" in json.dumps(results["flood"])
    assert results["symlink"]["score"] == 0
    assert "common/printfmt.c: a symbolic link" in results["symlink"]["output"]
    assert results["empty"]["score"] == 0 and "no lab tree found" in results["empty"]["output"]
    # The same numbers as make grade outside Docker, test by test.
    docker_scores = {t["name"].split("] ", 1)[1]: t["score"] for t in results["forged"]["tests"]}
    assert docker_scores == outside_docker(1, forged)


def test_wrong_lab(image, tmp_path):
    """A carry-mode tree of lab 1 handed in for lab 2: graded, 0, and the reason names the file."""
    subs = tmp_path / "subs"
    submission(subs, "lab1-for-lab2", 1, where=os.path.join("labs", "src"))
    results, _ = autograde(2, subs, tmp_path / "out")
    r = results["lab1-for-lab2"]
    assert r["score"] == 0 and r["max_score"] > 0
    assert "has no common/buddy.c" in json.dumps(r), json.dumps(r)[:2000]


def test_confinement(image):
    """The grading containers have no network and cannot write outside /tmp and /out."""
    ag = load(AUTOGRADE, "autograde")
    probe = ("import socket, sys\n"
             "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=3); sys.exit(1)\n"
             "except OSError: pass\n"
             "try:\n    open('/etc/x', 'w'); sys.exit(2)\nexcept OSError: pass\n")
    r = subprocess.run(["docker", "run", "--rm"] + ag.confinement("512m") + [image, "python3", "-c", probe],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"status {r.returncode}: 1 = network reachable, 2 = root writable\n{r.stderr}"


def test_gradescope_entry(image, tmp_path):
    """The autograder zip, unpacked as Gradescope does, grades a submission from
    /autograder/submission into /autograder/results/results.json, on every arch."""
    subprocess.run([os.path.join(KIT, "docker", "gradescope", "make-zip"), "1", str(tmp_path / "lab1.zip")],
                   check=True, capture_output=True)
    submission(tmp_path / "sub", "repo", 1)
    script = ("mkdir -p /autograder/source /autograder/results && cd /autograder/source && "
              "python3 -m zipfile -e /zip/lab1.zip . && cp run_autograder /autograder/ && "
              "chmod +x /autograder/run_autograder && /autograder/run_autograder && "
              "cat /autograder/results/results.json")
    r = subprocess.run(["docker", "run", "--rm", "--network", "none", "--user", "0",
                        "-v", f"{tmp_path}:/zip:ro", "-v", f"{tmp_path / 'sub' / 'repo'}:/autograder/submission:ro",
                        image, "sh", "-c", script], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    res = json.loads(r.stdout[r.stdout.index("{"):])
    assert res["score"] == res["max_score"] > 0, json.dumps(res)[:2000]
    assert {t["name"].split("]")[0] + "]" for t in res["tests"]} == \
        {f"[{a}]" for a, f in ARCH_FACTS.items() if f.supports(1)}
    assert res["leaderboard"] and "graded the tree at labs/lab1-boot/" in res["output"]

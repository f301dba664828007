"""make dist (tools/dist): the student repository, in both modes.

What is checked: no branch holds a solution line the mode does not give (every
solution region's distinctive text is scanned for in every file of every
branch), nor solutions/, tests/, the instructor's tooling or anything of a
later lab; in carry mode, a student who solved lab K (the reference standing in
for their work) merges branch lab(K+1) without a conflict and then holds exactly
lab K+1's starter, and the repository grades that work with full marks; in
reference mode, each lab's tree is its starter.
"""
import importlib.machinery
import importlib.util
import os
import re
import subprocess

import pytest

from conftest import KIT, LABS, lab_dir


def load_labgen():
    loader = importlib.machinery.SourceFileLoader("labgen", os.path.join(KIT, "tools", "labgen"))
    spec = importlib.util.spec_from_loader("labgen", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


labgen = load_labgen()
LAST = LABS[-1]
GIT = ["git", "-c", "user.name=student", "-c", "user.email=student@localhost"]


def git(repo, *args, check=True):
    r = subprocess.run(GIT + list(args), cwd=repo, capture_output=True, text=True, errors="replace")
    assert not check or r.returncode == 0, f"git {' '.join(args)}:\n{r.stdout}{r.stderr}"
    return r


def dist(tmp_path, mode, lab=LAST):
    out = tmp_path / f"dist-{mode}"
    r = subprocess.run(["make", "-s", "-C", KIT, "dist", f"LAB={lab}", f"MODE={mode}", f"OUT={out}"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return out


def branch_files(repo, branch):
    """{path: text} of every file on branch."""
    names = git(repo, "ls-tree", "-r", "--name-only", branch).stdout.split()
    return {n: git(repo, "show", f"{branch}:{n}").stdout for n in names}


FORBIDDEN = re.compile(r"^(solutions/|tests/|build/|docker/|\.ci/|tools/(labgen|dist|sched-compare|experiment)$"
                       r"|handout/instructor\.md$|labs/STUBS\.md$)")


def later_lab(path, lab):
    m = re.match(r"^(common/lab|grader/test_lab|handout/lab|labs/lab)(\d+)", path)
    return m and int(m.group(2)) > lab


@pytest.mark.parametrize("mode, given", [("carry", None), ("reference", LAST)])
def test_no_solution_text(tmp_path, mode, given):
    """Every branch, every file: no solution line of a lab the mode does not give, no kit-only
    file, nothing of a later lab. Carry gives no solution; reference gives labs before N."""
    repo = dist(tmp_path, mode, LAST)
    branches = git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads").stdout.split()
    assert branches == ([f"lab{n}" for n in LABS] if mode == "carry" else ["main"])
    # A solution line that the skeleton also holds word for word (`uintptr_t off = 0;`) gives
    # nothing away: only lines found in solution regions alone count.
    skeleton = set()
    for p in git(KIT, "ls-files").stdout.split():
        if not p.startswith(("solutions/", "tests/", "labs/")) and os.path.isfile(os.path.join(KIT, p)):
            with open(os.path.join(KIT, p), errors="replace") as f:
                skeleton |= labgen.distinctive(f)
    secret = labgen.secret_lines(given or 1) - skeleton
    # (lab 8's short solutions, 29 lines, none of them in the skeleton)
    assert len(secret) > 25, "the scan must look for the solutions' text"
    for branch in branches:
        lab = int(branch[3:]) if mode == "carry" else LAST
        files = branch_files(repo, branch)
        assert not [p for p in files if FORBIDDEN.match(p)], f"{branch}: kit-only files"
        assert not [p for p in files if later_lab(p, lab)], f"{branch}: files of a later lab"
        assert f"handout/{lab_dir(lab)}.md" in files and "kit.mk" in files
        found = [f"{branch}:{p}: {line.strip()}" for p, text in files.items()
                 for line in text.splitlines() if line.strip() in secret]
        assert not found, "solution text in the student repository:\n" + "\n".join(found[:20])


def write_tree(tree, files):
    for rel, (text, _, _) in files.items():
        path = os.path.join(tree, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def test_carry_merges_cleanly_and_grades(tmp_path):
    """A student who solved each lab merges the next lab's branch without a conflict; the merged
    tree is that lab's starter (their code plus its stubs); their repository grades it."""
    course = dist(tmp_path, "carry")
    repo = tmp_path / "student"
    subprocess.run(["git", "clone", "-q", "-b", f"lab{LABS[0]}", str(course), str(repo)], check=True)
    tree = repo / "labs" / "src"
    for k in LABS:
        if k != LABS[0]:
            r = git(repo, "merge", "--no-edit", f"origin/lab{k}", check=False)
            assert r.returncode == 0, f"merging lab{k} into solved lab{k - 1}:\n{r.stdout}{r.stderr}"
            starter = labgen.stage_files(k, False)
            differ = [rel for rel, (text, _, _) in starter.items()
                      if (tree / rel).read_text() != text]
            assert not differ, f"after merging lab{k}, these differ from its starter: {differ}"
        write_tree(tree, labgen.stage_files(k, True))  # the student's own work
        git(repo, "commit", "-qam", f"lab {k} done")
    r = subprocess.run(["make", "-s", "grade"], cwd=repo, capture_output=True, text=True)
    total = re.search(r"^Score: (\d+)/(\d+)$", r.stdout, re.M)
    assert total and total.group(1) == total.group(2), r.stdout[-3000:] + r.stderr[-2000:]


def test_reference_trees_are_starters(tmp_path):
    repo = dist(tmp_path, "reference")
    for k in LABS:
        tree = repo / "labs" / lab_dir(k)
        for rel, (text, _, _) in labgen.stage_files(k, False).items():
            assert (tree / rel).read_text() == text, f"labs/{lab_dir(k)}/{rel} is not lab {k}'s starter"


def test_dist_refuses_to_overwrite(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "f").write_text("mine")
    r = subprocess.run(["make", "-s", "-C", KIT, "dist", f"OUT={tmp_path / 'x'}"], capture_output=True,
                       text=True)
    assert r.returncode != 0 and "not empty" in r.stdout + r.stderr
    assert (tmp_path / "x" / "f").read_text() == "mine"


def test_dist_grows_a_course(tmp_path):
    """make dist at lab 1, then at the last lab into the same repository: the lab-1 branch is
    untouched and the later branches follow from it (what a course pushes lab by lab)."""
    repo = dist(tmp_path, "carry", LABS[0])
    first = git(repo, "rev-parse", f"lab{LABS[0]}").stdout
    dist(tmp_path, "carry", LAST)
    assert git(repo, "rev-parse", f"lab{LABS[0]}").stdout == first
    for a, b in zip(LABS, LABS[1:]):
        assert git(repo, "rev-parse", f"lab{b}~1").stdout == git(repo, "rev-parse", f"lab{a}").stdout
    again = dist(tmp_path / "again", "carry", LAST)
    assert git(again, "rev-parse", f"lab{LAST}").stdout == git(repo, "rev-parse", f"lab{LAST}").stdout, \
        "the same kit gives the same commits"

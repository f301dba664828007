"""submission.py: what the batch autograder (docker/autograde) and the Gradescope entry
(docker/gradescope/run_autograder) do with one submission, in one place.

unpack(src, dst)        a submission (git repository, tarball, directory) as plain files
find_tree(root, lab)    where its lab tree is: labs/labN-name/, a carry course's labs/src/,
                        or the root itself
copy_tree(tree, dst)    only the regular source files of the tree (no symlink, no device,
                        nothing over MAX_FILE bytes, nothing outside common/, arch/ and user/),
                        with a note for each file left out
merge(lab, per_arch)    one Gradescope results.json from each arch's: tests named
                        "[arch] test", scores added, a leaderboard entry per arch
failed(reason)          the results of a run that graded nothing (score 0, the reason)
grade(kit, tree, lab, arch, out)   make grade TREE=tree in a scratch copy of the grading
                        kit; results.json, junit.xml, the console and the logs (each capped)
                        into out; returns the results

As a command (what runs inside a grading container, and on Gradescope):
  submission.py grade --kit K --tree T --lab N --arch A --out DIR
  submission.py gradescope --kit K --lab N [--submission /autograder/submission]
                [--results /autograder/results/results.json]   (every arch grading lab N)
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

MAX_FILE = 1 << 20                      # bytes: a larger source file is left out
MAX_LOG = 1 << 20                       # bytes of each console log and log file kept
SOURCE = re.compile(r"^(common|arch|user)/.+\.(c|S|h)$")


def unpack(src, dst):
    """Materialize submission src (a git repository's HEAD, a .tar/.tar.gz/.tgz, or a
    directory) as regular files under dst. Returns a list of notes (what was left out)."""
    notes = []
    os.makedirs(dst, exist_ok=True)
    if os.path.isdir(os.path.join(src, ".git")):
        r = subprocess.run(["git", "-c", "protocol.file.allow=always", "clone", "-q", "--depth", "1",
                            "--no-local", "file://" + os.path.abspath(src), dst + ".git-clone"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            src = dst + ".git-clone"
        else:
            notes.append(f"git clone failed ({r.stderr.strip()[:200]}); took the files as they are")
    if os.path.isfile(src) and re.search(r"\.(tar|tar\.gz|tgz|tar\.xz)$", src):
        with tarfile.open(src) as t:
            for m in t.getmembers():
                path = os.path.normpath(m.name)
                if path.startswith(("/", "..")) or not (m.isfile() or m.isdir()):
                    notes.append(f"left out {m.name}: {'outside the tree' if m.isfile() else 'not a regular file'}")
                    continue
                if m.isfile():
                    os.makedirs(os.path.join(dst, os.path.dirname(path)), exist_ok=True)
                    with t.extractfile(m) as f, open(os.path.join(dst, path), "wb") as out:
                        shutil.copyfileobj(f, out)
    elif os.path.isdir(src):
        notes += _copy_regular(src, dst, lambda rel: not rel.startswith(".git/"))
    else:
        notes.append(f"{src}: not a directory, git repository or tarball")
    shutil.rmtree(dst + ".git-clone", ignore_errors=True)
    return notes


def _copy_regular(src, dst, keep):
    """Copy the regular files under src for which keep(relative path) holds; never follow a
    symlink. Returns notes on what was left out."""
    notes = []
    for dirpath, dirnames, filenames in os.walk(src):  # os.walk does not follow symlinks
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, src)
            if os.path.islink(path):
                notes.append(f"left out {rel}: a symbolic link")
            elif name in filenames and keep(rel):
                if not os.path.isfile(path):
                    notes.append(f"left out {rel}: not a regular file")
                elif os.path.getsize(path) > MAX_FILE:
                    notes.append(f"left out {rel}: over {MAX_FILE >> 20} MiB")
                else:
                    os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
                    shutil.copyfile(path, os.path.join(dst, rel))
    return notes


def find_tree(root, lab):
    """(path, how) of lab `lab`'s tree (labN-name) in an unpacked submission, or (None, why)."""
    for cand, how in ((os.path.join(root, "labs", lab), f"labs/{lab}/"),
                      (os.path.join(root, "labs", "src"), "labs/src/ (carry)")):
        if os.path.isdir(cand):
            return cand, how
    if os.path.isdir(os.path.join(root, "common")) or os.path.isdir(os.path.join(root, "arch")):
        return root, "the submission's top directory"
    subdirs = [d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d))] if os.path.isdir(root) else []
    if len(subdirs) == 1:  # a tarball or zip with one top directory
        return find_tree(os.path.join(root, subdirs[0]), lab)
    return None, (f"no lab tree found: looked for labs/{lab}/, labs/src/, or common/ at the top"
                  f" (found: {', '.join(sorted(os.listdir(root))[:10]) or 'nothing'})")


def copy_tree(tree, dst):
    """The tree's source files (common/, arch/, user/: .c, .S, .h) into dst; notes on what was left out."""
    return _copy_regular(tree, dst, lambda rel: bool(SOURCE.match(rel)))


def failed(reason, max_score=0):
    """Results of a run that graded nothing."""
    return {"score": 0, "max_score": max_score, "execution_time": 0, "output": reason,
            "tests": [], "leaderboard": []}


def merge(lab, per_arch, notes=()):
    """One results.json from {arch: results}: tests "[arch] name", scores added, each
    leaderboard entry once per arch; notes (files left out) go in the top-level output."""
    out = {"score": 0, "max_score": 0, "execution_time": 0, "tests": [], "leaderboard": [],
           "output": "\n".join([f"lab {lab}"] + list(notes))}
    for arch, res in per_arch.items():
        out["score"] += res.get("score", 0)
        out["max_score"] += res.get("max_score", 0)
        out["execution_time"] += res.get("execution_time", 0)
        if not res.get("tests"):
            out["tests"].append({"name": f"[{arch}] grading", "score": 0,
                                 "max_score": res.get("max_score", 0), "status": "failed",
                                 "output": res.get("output", "nothing was graded")})
        for t in res.get("tests", []):
            out["tests"].append(dict(t, name=f"[{arch}] {t['name']}"))
        out["leaderboard"] += [dict(e, name=f"{arch}: {e['name']}") for e in res.get("leaderboard", [])]
    return out


def write(path, results):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(results, f, indent=2)


def _capped_copy(src, dst):
    with open(src, "rb") as f, open(dst, "wb") as out:
        out.write(f.read(MAX_LOG))


def grade(kit, tree, lab, arch, out):
    """Grade tree (lab number lab) on arch with the grading kit at kit (a student repository
    for the lab, read-only is fine); write results.json, junit.xml, console.txt and
    grade-logs/ under out and return the results (failed() when the grader wrote none)."""
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kit-") as tmp:
        work = os.path.join(tmp, "kit")
        shutil.copytree(kit, work, symlinks=True, ignore=shutil.ignore_patterns("build", ".git"))
        v = [f"LAB={lab}", f"ARCH={arch}", f"TREE={os.path.abspath(tree)}"]
        with open(os.path.join(tmp, "console.txt"), "w") as console:
            subprocess.run(["make", "-s", "grade"] + v, cwd=work, stdout=console, stderr=subprocess.STDOUT)
        _capped_copy(os.path.join(tmp, "console.txt"), os.path.join(out, "console.txt"))
        r = subprocess.run(["make", "-s", "print-kernel"] + v, cwd=work, capture_output=True, text=True)
        build = os.path.join(work, os.path.dirname(r.stdout.strip()))
        for name in ("results.json", "junit.xml"):
            if os.path.exists(os.path.join(build, name)):
                shutil.copyfile(os.path.join(build, name), os.path.join(out, name))
        logs = os.path.join(build, "grade-logs")
        if os.path.isdir(logs):
            os.makedirs(os.path.join(out, "grade-logs"), exist_ok=True)
            for name in os.listdir(logs):
                _capped_copy(os.path.join(logs, name), os.path.join(out, "grade-logs", name))
    path = os.path.join(out, "results.json")
    if not os.path.exists(path):
        with open(os.path.join(out, "console.txt"), errors="replace") as f:
            return failed("the grader wrote no results:\n" + f.read()[-1500:])
    with open(path) as f:
        return json.load(f)


def lab_name(kit, lab):
    """labN-name of lab number lab in the grading kit (its kit.mk)."""
    with open(os.path.join(kit, "kit.mk")) as f:
        labs = re.search(r"^KIT_LABS := (.*)$", f.read(), re.M).group(1).split()
    return next(n for n in labs if n.startswith(f"lab{lab}-"))


def gradescope(kit, lab, submission, results):
    """Gradescope's run_autograder: grade the submission on every arch that grades lab (arches.py)."""
    sys.path.insert(0, os.path.join(kit, "grader"))
    from arches import ARCHES
    name = lab_name(kit, lab)
    with tempfile.TemporaryDirectory(prefix="sub-") as tmp:
        raw, tree = os.path.join(tmp, "raw"), os.path.join(tmp, "tree")
        notes = unpack(submission, raw)
        found, how = find_tree(raw, name)
        os.makedirs(tree)
        notes = ([f"graded the tree at {how}"] + notes + copy_tree(found, tree)) if found else notes + [how]
        per_arch = {a: grade(kit, tree, lab, a, os.path.join(tmp, "out", a))
                    for a in ARCHES if ARCHES[a].supports(lab)}  # as docker/autograde
    write(results, merge(name, per_arch, notes))


def main():
    ap = argparse.ArgumentParser(description="grade one submission (see the module's docstring)")
    ap.add_argument("what", choices=["grade", "gradescope"])
    ap.add_argument("--kit", required=True)
    ap.add_argument("--lab", type=int, required=True)
    ap.add_argument("--tree")
    ap.add_argument("--arch")
    ap.add_argument("--out")
    ap.add_argument("--submission", default="/autograder/submission")
    ap.add_argument("--results", default="/autograder/results/results.json")
    args = ap.parse_args()
    if args.what == "grade":
        grade(args.kit, args.tree, args.lab, args.arch, args.out)
    else:
        gradescope(args.kit, args.lab, args.submission, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Host tests of lab 5's file-system core (user/lab5/fscore.h: the block cache, the log, inodes,
directories, the operations of kit/fsclient.h), the reference the file-system server runs
(lab 5's solved tree: its student files bcache.c, log.c, inode.c, dir.c with the provided
fsops.c), over an image file (user/lab5/fs_host.c, built here with the sanitizers as
build/host/fs-host-asan). The model and the power cuts are grader/fsmodel.py's, which the
grader's host tests of a student's core (grader/test_lab5_fs.py) run too.

test_random_against_model: seeded random sequences of create, write, read, mkdir, unlink,
stat and readdir, each checked as it runs against a Python model of the tree (contents, error
codes, stale handles); then fsck finds the image clean and its tree (read with fsmodel's own
reading of kit/fs.h) is the model's.

test_crash_at_every_write: a workload run once to count its block writes and record what each
operation acknowledged; then, for every block write w, the same workload cut off before w (a
power cut: fs-host --crash-after w), a mount (which replays the log), fsck clean, and the tree
either the model's after the operations acknowledged before the cut or after the one in flight
too: no acknowledged operation is lost, none is half done.
"""
import os
import subprocess
import tempfile

import pytest

from conftest import KIT, make, solved_tree
import fsmodel

OUT = os.path.join(KIT, "build", "host")
FS_CORE = ["bcache.c", "log.c", "inode.c", "dir.c"]  # lab 5's student files; fsops.c is provided


@pytest.fixture(scope="module")
def tools():
    make("mkfs")
    tree = os.path.join(solved_tree(5), "user", "lab5")
    exe = os.path.join(OUT, "fs-host-asan")
    r = subprocess.run(["gcc", "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                        "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                        "-Iuser/include", "-iquote", "user/lab5", "user/lab5/fs_host.c",
                        "user/lab5/fsops.c", *[os.path.join(tree, f) for f in FS_CORE],
                        "-o", f"{exe}.{os.getpid()}"], cwd=KIT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    os.replace(f"{exe}.{os.getpid()}", exe)  # renamed into place: another xdist worker may run it
    return os.path.join(OUT, "mkfs"), os.path.join(OUT, "fsck"), exe


@pytest.fixture
def tmp():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="fs-host-test-") as d:
        yield d


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_against_model(tools, tmp, seed):
    img = fsmodel.mkimage(tools[0], tmp)
    tree = fsmodel.run_random(tools[2], img, seed, 400)
    assert fsmodel.fsck(tools[1], img) == ""
    assert fsmodel.read_tree(img) == tree, fsmodel.tree_diff(fsmodel.read_tree(img), tree)


def test_crash_at_every_write(tools, tmp):
    base = fsmodel.mkimage(tools[0], tmp)
    writes, failures = fsmodel.crash_runs(tools[2], tools[1], base, os.path.join(tmp, "run.img"),
                                          stop_at_first=False)
    assert writes > 40, writes
    assert not failures, "\n".join(failures)

"""Host tests of lab 5's file-system core (user/lab5/fscore.h: the block cache, the log, inodes,
directories, the operations of kit/fsclient.h), the code the file-system server runs, over an
image file (user/lab5/fs_host.c, build here with the sanitizers as build/host/fs-host-asan).

test_random_against_model: seeded random sequences of create, write, read, mkdir, unlink,
stat and readdir, each checked as it runs against a Python model of the tree (contents, error
codes, stale handles); then fsck finds the image clean and its tree (read here, with this
file's own reading of kit/fs.h) is the model's.

test_crash_at_every_write: a workload run once to count its block writes and record what each
operation acknowledged; then, for every block write w, the same workload cut off before w (a
power cut: fs-host --crash-after w), a mount (which replays the log), fsck clean, and the tree
either the model's after the operations acknowledged before the cut or after the one in flight
too: no acknowledged operation is lost, none is half done.
"""
import os
import random
import shutil
import struct
import subprocess
import tempfile

import pytest

from conftest import KIT, make

BSIZE = 4096
NDIRECT = 12
IO_MAX = 480  # FS_IO_MAX
ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, ESTALE = 2, 17, 20, 21, 39, 116
OUT = os.path.join(KIT, "build", "host")
FS_CORE = ["user/lab5/fs_host.c", "user/lab5/bcache.c", "user/lab5/log.c", "user/lab5/inode.c",
           "user/lab5/dir.c", "user/lab5/fsops.c"]
DIR = "dir"  # the model's value for a directory (a file's is its bytes)


@pytest.fixture(scope="module")
def tools():
    make("mkfs")
    exe = os.path.join(OUT, "fs-host-asan")
    r = subprocess.run(["gcc", "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                        "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                        "-Iuser/include", *FS_CORE, "-o", exe], cwd=KIT, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return os.path.join(OUT, "mkfs"), os.path.join(OUT, "fsck"), exe


@pytest.fixture
def tmp():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="fs-host-test-") as d:
        yield d


def mkimage(tools, tmp, blocks=1024):
    img = os.path.join(tmp, "fs.img")
    src = os.path.join(tmp, "seed")
    with open(src, "wb") as f:
        f.write(b"seed file\n" * 50)
    r = subprocess.run([tools[0], "--blocks", str(blocks), "--inodes", "64", img,
                        f"seed={src}", "etc/"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return img


def fsck_clean(tools, img):
    r = subprocess.run([tools[1], img], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def read_tree(img):
    """{path: bytes, or DIR} of the image, from the root, with this file's reading of kit/fs.h."""
    with open(img, "rb") as f:
        data = f.read()
    inodestart = struct.unpack_from("<8I", data, BSIZE)[6]

    def inode(inum):
        v = struct.unpack_from("<hhhhI13I", data, inodestart * BSIZE + inum * 64)
        return v[0], v[4], list(v[5:])

    def body(inum):
        _, size, addrs = inode(inum)
        ind = struct.unpack_from("<1024I", data, addrs[NDIRECT] * BSIZE) if addrs[NDIRECT] \
            else [0] * 1024
        blocks = addrs[:NDIRECT] + list(ind)
        out = b"".join(data[b * BSIZE:(b + 1) * BSIZE] if b else bytes(BSIZE)
                       for b in blocks[:(size + BSIZE - 1) // BSIZE])
        return out[:size]

    tree = {}

    def walk(inum, path):
        d = body(inum)
        for off in range(0, len(d), 16):
            e, name = struct.unpack_from("<H14s", d, off)
            name = name.rstrip(b"\0").decode()
            if not e or name in (".", ".."):
                continue
            p = f"{path}/{name}"
            if inode(e)[0] == 1:
                tree[p] = DIR
                walk(e, p)
            else:
                tree[p] = body(e)

    walk(1, "")
    return tree


class Fs:
    """A running fs-host, one command at a time."""

    def __init__(self, exe, img, crash_after=None):
        args = [exe] + (["--crash-after", str(crash_after)] if crash_after is not None else [])
        self.p = subprocess.Popen(args + [img], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)
        self.log = []  # (command, its output line)

    def __call__(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        out = self.p.stdout.readline().strip()
        assert out and not out.startswith("panic"), f"{cmd}: {out!r}"
        self.log.append((cmd, out))
        return out.split()

    def close(self):
        self.p.stdin.close()
        rest = self.p.stdout.read()
        assert self.p.wait() == 0 and "stats:" in rest, rest
        return rest


class Model:
    """The tree as it should be, and the workload generator that keeps it."""

    def __init__(self, rng, tree):
        self.rng = rng
        self.tree = dict(tree)
        self.handles = {}  # path -> handle (hex) of what is there now
        self.stale = []  # handles of unlinked files

    def parent_ok(self, path):
        parent = path.rsplit("/", 1)[0]
        if not parent:
            return 0
        if parent not in self.tree:
            return -ENOENT if self.parent_ok(parent) == 0 else self.parent_ok(parent)
        return 0 if self.tree[parent] == DIR else -ENOTDIR

    def name(self):
        dirs = [""] + [p for p, v in self.tree.items() if v == DIR]
        base = self.rng.choice(dirs + ["/nodir", "/seed"])  # sometimes a bad parent
        return f"{base}/{self.rng.choice('abcdefgh')}{self.rng.randint(0, 3)}"

    def step(self, fs):
        r, files = self.rng.random(), [p for p, v in self.tree.items() if v != DIR]
        if r < 0.2:
            path = self.name()
            out = fs(f"create {path}")
            err = self.parent_ok(path) or (-EISDIR if self.tree.get(path) == DIR else 0)
            assert int(out[0]) == err, (path, out)
            if not err:
                self.tree[path] = b""
                self.handles[path] = out[1]
        elif r < 0.5 and files:
            path = self.rng.choice(files)
            h = self.handle(fs, path)
            body = self.tree[path]
            off = self.rng.choice([0, len(body), self.rng.randint(0, len(body) + 9000)])
            n = self.rng.choice([1, 17, IO_MAX, self.rng.randint(1, IO_MAX)])
            data = bytes(self.rng.getrandbits(8) for _ in range(n))
            out = fs(f"write {h} {off} {data.hex()}")
            assert int(out[0]) == n, out
            body = body + bytes(max(0, off - len(body)))
            self.tree[path] = body[:off] + data + body[off + n:]
        elif r < 0.65 and files:
            path = self.rng.choice(files)
            body = self.tree[path]
            off, n = self.rng.randint(0, len(body) + 10), self.rng.randint(0, IO_MAX)
            out = fs(f"read {self.handle(fs, path)} {off} {n}")
            want = body[off:off + n]
            assert int(out[0]) == len(want) and bytes.fromhex(out[1] if len(out) > 1 else "") \
                == want, (path, off, n)
        elif r < 0.75:
            path = self.name()
            out = fs(f"mkdir {path}")
            err = self.parent_ok(path) or (-EEXIST if path in self.tree else 0)
            assert int(out[0]) == err, (path, out)
            if not err:
                self.tree[path] = DIR
        elif r < 0.88:
            path = self.rng.choice(list(self.tree) + [self.name()])
            out = fs(f"unlink {path}")
            err = self.parent_ok(path) or (0 if path in self.tree else -ENOENT)
            if not err and self.tree[path] == DIR and \
                    any(p.startswith(path + "/") for p in self.tree):
                err = -ENOTEMPTY
            assert int(out[0]) == err, (path, out)
            if not err:
                del self.tree[path]
                if path in self.handles:
                    self.stale.append(self.handles.pop(path))
        elif r < 0.94 and self.stale:
            out = fs(f"stat {self.rng.choice(self.stale)}")
            assert int(out[0]) == -ESTALE, out
        else:
            d = self.rng.choice([""] + [p for p, v in self.tree.items() if v == DIR])
            self.check_dir(fs, d)

    def handle(self, fs, path):
        if path not in self.handles:
            out = fs(f"open {path}")
            assert int(out[0]) == 0 and int(out[3]) == len(self.tree[path]), (path, out)
            self.handles[path] = out[1]
        return self.handles[path]

    def check_dir(self, fs, d):
        out = fs(f"open {d or '/'}")
        assert int(out[0]) == 0 and out[2] == "1", out
        names, i = set(), 0
        while True:
            e = fs(f"readdir {out[1]} {i}")
            if int(e[0]) == 0:
                break
            i = int(e[0])
            names.add(e[1])
        want = {p[len(d) + 1:] for p in self.tree if p.rsplit("/", 1)[0] == d}
        assert names == want | {".", ".."}, (d, names, want)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_against_model(tools, tmp, seed):
    img = mkimage(tools, tmp)
    model = Model(random.Random(seed), read_tree(img))
    fs = Fs(tools[2], img)
    for _ in range(400):
        model.step(fs)
    fs.close()
    fsck_clean(tools, img)
    assert read_tree(img) == model.tree


def test_crash_at_every_write(tools, tmp):
    base = mkimage(tools, tmp)
    img = os.path.join(tmp, "run.img")
    shutil.copy(base, img)
    model = Model(random.Random(7), read_tree(img))
    snapshots = [dict(model.tree)]  # snapshots[k]: the tree after k operations
    fs = Fs(tools[2], img)
    while len(fs.log) < 40:
        before, tree = len(fs.log), dict(model.tree)
        model.step(fs)  # commands that change nothing (an open for a handle), then maybe one that does
        snapshots += [tree] * (len(fs.log) - before - 1) + [dict(model.tree)]
    stats = fs.close()
    writes = int(stats.split("block reads, ")[1].split()[0])
    script = "".join(cmd + "\n" for cmd, _ in fs.log)
    assert writes > 40, stats
    for w in range(writes):
        shutil.copy(base, img)
        r = subprocess.run([tools[2], "--crash-after", str(w), img], input=script,
                           capture_output=True, text=True)
        lines = r.stdout.splitlines()
        assert r.returncode == 3 and lines[-1] == "crash", (w, r.stdout, r.stderr)
        acked = [line.strip() for line in lines[:-1]]
        assert acked == [out for _, out in fs.log[:len(acked)]], w
        r = subprocess.run([tools[2], img], input="", capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr  # the mount replays the log
        fsck_clean(tools, img)
        k = len(acked)
        assert read_tree(img) in (snapshots[k], snapshots[min(k + 1, len(snapshots) - 1)]), \
            f"after a cut at block write {w} ({k} operations acknowledged)"

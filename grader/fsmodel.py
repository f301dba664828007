"""fsmodel.py: lab 5's file system on the host, for the grader (test_lab5_fs.py) and the kit's
own tests (tests/test_fs_host.py): fs-host (user/lab5/fs_host.c: the file-system core of
fscore.h over an image file, one command a line) driven against a Python model of the tree.

  Fs(exe, img)       a running fs-host, one command at a time (a watchdog ends a hang)
  Model(rng, tree)   the tree as it should be and the seeded workload that keeps it: each step
                     one operation (create, write, read, mkdir, unlink, stat of a stale handle,
                     readdir), its answer checked; a wrong one fails naming the operation,
                     what fs-host answered and what the model wanted
  read_tree(img)     {path: bytes, or DIR} of an image, read here from kit/fs.h's format
  mkimage, fsck      tools/mkfs and tools/fsck (build/host/, make mkfs)
  crash_runs(...)    a workload cut by a power cut at every block write, each recovered
"""
import os
import shutil
import struct
import subprocess
import threading

BSIZE = 4096
NDIRECT = 12
IO_MAX = 480  # FS_IO_MAX
ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, ESTALE = 2, 17, 20, 21, 39, 116
DIR = "dir"  # the model's value for a directory (a file's is its bytes)


class FsError(AssertionError):
    pass


def mkimage(mkfs, tmp, blocks=1024):
    """A fresh image in directory tmp: /seed (500 bytes) and /etc/; its path."""
    img = os.path.join(tmp, "fs.img")
    src = os.path.join(tmp, "seed")
    with open(src, "wb") as f:
        f.write(b"seed file\n" * 50)
    r = subprocess.run([mkfs, "--blocks", str(blocks), "--inodes", "64", img, f"seed={src}", "etc/"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return img


def fsck(fsck_exe, img):
    """fsck's report of img: "" when it is clean."""
    r = subprocess.run([fsck_exe, img], capture_output=True, text=True)
    return "" if r.returncode == 0 else (r.stdout + r.stderr).strip() or f"status {r.returncode}"


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

    def walk(inum, path, depth=0):
        d = body(inum)
        for off in range(0, len(d), 16):
            e, name = struct.unpack_from("<H14s", d, off)
            name = name.rstrip(b"\0").decode(errors="replace")
            if not e or name in (".", "..") or depth > 16:
                continue
            p = f"{path}/{name}"
            if inode(e)[0] == 1:
                tree[p] = DIR
                walk(e, p, depth + 1)
            else:
                tree[p] = body(e)

    walk(1, "")
    return tree


def tree_diff(got, want, limit=5):
    """How tree got differs from want, in words (at most limit differences)."""
    out = []
    for p in sorted(set(got) | set(want)):
        g, w = got.get(p), want.get(p)
        if g == w:
            continue
        if g is None:
            out.append(f"{p} is missing")
        elif w is None:
            out.append(f"{p} should not be there")
        elif DIR in (g, w):
            out.append(f"{p} is a {'directory' if g == DIR else 'file'}, not a "
                       f"{'directory' if w == DIR else 'file'}")
        else:
            at = next((i for i in range(min(len(g), len(w))) if g[i] != w[i]), min(len(g), len(w)))
            out.append(f"{p}: {len(g)} bytes, not {len(w)}; first difference at byte {at}")
    more = f" (and {len(out) - limit} more)" if len(out) > limit else ""
    return "; ".join(out[:limit]) + more


class Fs:
    """A running fs-host, one command at a time; killed after timeout seconds (a hang)."""

    def __init__(self, exe, img, crash_after=None, timeout=30):
        args = [exe] + (["--crash-after", str(crash_after)] if crash_after is not None else [])
        self.p = subprocess.Popen(args + [img], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.timer = threading.Timer(timeout, self.p.kill)
        self.timer.start()
        self.timeout = timeout
        self.log = []  # (command, its output line)

    def __call__(self, cmd):
        try:
            self.p.stdin.write(cmd + "\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            pass
        out = self.p.stdout.readline().strip()
        if not out or out.startswith("panic") or out.startswith("fs-host:"):
            rest = self.p.stdout.read() if self.p.poll() is not None or not out else ""
            why = out or (f"fs-host ended (status {self.p.wait()})" if self.p.returncode != -9
                          else f"fs-host did not answer within {self.timeout} s (a hang?)")
            raise FsError(f"'{short(cmd)}' (operation {len(self.log) + 1}): {why} {rest.strip()[-300:]}")
        self.log.append((cmd, out))
        return out.split()

    def close(self):
        self.p.stdin.close()
        rest = self.p.stdout.read()
        status = self.p.wait()
        self.timer.cancel()
        if status != 0 or "stats:" not in rest:
            raise FsError(f"fs-host did not end cleanly after {len(self.log)} operations "
                          f"(status {status}): {rest.strip()[-300:]}")
        return rest

    def kill(self):
        self.timer.cancel()
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def short(cmd):
    """A command for a message: a write's hex data cut short."""
    parts = cmd.split()
    if parts and parts[0] == "write" and len(parts) == 4 and len(parts[3]) > 16:
        return f"{' '.join(parts[:3])} <{len(parts[3]) // 2} bytes>"
    return cmd


def check(cond, cmd, out, want):
    if not cond:
        raise FsError(f"'{short(cmd)}': fs-host answered '{short(' '.join(out))}', {want}")


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
            cmd = f"create {path}"
            out = fs(cmd)
            err = self.parent_ok(path) or (-EISDIR if self.tree.get(path) == DIR else 0)
            check(int(out[0]) == err, cmd, out, f"the model wants {err}")
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
            cmd = f"write {h} {off} {data.hex()}"
            out = fs(cmd)
            check(int(out[0]) == n, f"{cmd} ({path})", out, f"the model wants {n} (bytes written)")
            body = body + bytes(max(0, off - len(body)))
            self.tree[path] = body[:off] + data + body[off + n:]
        elif r < 0.65 and files:
            path = self.rng.choice(files)
            body = self.tree[path]
            off, n = self.rng.randint(0, len(body) + 10), self.rng.randint(0, IO_MAX)
            cmd = f"read {self.handle(fs, path)} {off} {n}"
            out = fs(cmd)
            want = body[off:off + n]
            got = bytes.fromhex(out[1] if len(out) > 1 else "")
            at = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), None)
            check(int(out[0]) == len(want) and got == want, f"{cmd} ({path}, {len(body)} bytes)",
                  out, f"the model wants {len(want)} bytes" +
                  (f", the first wrong one at offset {off + at}" if at is not None else ""))
        elif r < 0.75:
            path = self.name()
            cmd = f"mkdir {path}"
            out = fs(cmd)
            err = self.parent_ok(path) or (-EEXIST if path in self.tree else 0)
            check(int(out[0]) == err, cmd, out, f"the model wants {err}")
            if not err:
                self.tree[path] = DIR
        elif r < 0.88:
            path = self.rng.choice(list(self.tree) + [self.name()])
            cmd = f"unlink {path}"
            out = fs(cmd)
            err = self.parent_ok(path) or (0 if path in self.tree else -ENOENT)
            if not err and self.tree[path] == DIR and \
                    any(p.startswith(path + "/") for p in self.tree):
                err = -ENOTEMPTY
            check(int(out[0]) == err, cmd, out, f"the model wants {err}")
            if not err:
                del self.tree[path]
                if path in self.handles:
                    self.stale.append(self.handles.pop(path))
        elif r < 0.94 and self.stale:
            cmd = f"stat {self.rng.choice(self.stale)}"
            out = fs(cmd)
            check(int(out[0]) == -ESTALE, cmd + " (an unlinked file)", out,
                  f"the model wants {-ESTALE} (ESTALE)")
        else:
            d = self.rng.choice([""] + [p for p, v in self.tree.items() if v == DIR])
            self.check_dir(fs, d)

    def handle(self, fs, path):
        if path not in self.handles:
            cmd = f"open {path}"
            out = fs(cmd)
            check(int(out[0]) == 0 and len(out) > 3 and int(out[3]) == len(self.tree[path]), cmd,
                  out, f"the model wants 0 and size {len(self.tree[path])}")
            self.handles[path] = out[1]
        return self.handles[path]

    def check_dir(self, fs, d):
        cmd = f"open {d or '/'}"
        out = fs(cmd)
        check(int(out[0]) == 0 and len(out) > 2 and out[2] == "1", cmd, out,
              "the model wants 0 and type 1 (a directory)")
        names, i = set(), 0
        while i < 1000:
            e = fs(f"readdir {out[1]} {i}")
            if int(e[0]) <= 0:
                break
            i = int(e[0])
            names.add(e[1])
        want = {p[len(d) + 1:] for p in self.tree if p.rsplit("/", 1)[0] == d} | {".", ".."}
        if names != want:
            raise FsError(f"readdir of {d or '/'}: {sorted(names)}, the model wants {sorted(want)}")


def run_random(exe, img, seed, ops, timeout=30):
    """ops steps of seed's workload on img; the model's tree (raises FsError on a wrong answer)."""
    import random
    model = Model(random.Random(seed), read_tree(img))
    fs = Fs(exe, img, timeout=timeout)
    try:
        for _ in range(ops):
            model.step(fs)
        fs.close()
    finally:
        fs.kill()
    return model.tree


def crash_runs(exe, fsck_exe, base, img, seed=7, ops=40, timeout=30, stop_at_first=True):
    """The workload of seed (ops operations) run once on a copy of image base to record its
    answers and block writes; then, for every block write w, the same commands cut off before w
    (fs-host --crash-after w), a mount (which replays the log), fsck, and the tree compared with
    the model's after the operations acknowledged before the cut, or after the one in flight
    too. Returns (writes, failures): failures are messages, one per cut that went wrong."""
    import random
    shutil.copy(base, img)
    model = Model(random.Random(seed), read_tree(img))
    snapshots = [dict(model.tree)]  # snapshots[k]: the tree after k commands
    fs = Fs(exe, img, timeout=timeout)
    try:
        while len(fs.log) < ops:
            before, tree = len(fs.log), dict(model.tree)
            model.step(fs)  # commands that change nothing (an open for a handle), then maybe one
            snapshots += [tree] * (len(fs.log) - before - 1) + [dict(model.tree)]
        stats = fs.close()
    finally:
        fs.kill()
    writes = int(stats.split("block reads, ")[1].split()[0])
    script = "".join(cmd + "\n" for cmd, _ in fs.log)
    failures = []
    for w in range(writes):
        shutil.copy(base, img)
        why = None
        try:
            r = subprocess.run([exe, "--crash-after", str(w), img], input=script,
                               capture_output=True, text=True, timeout=timeout)
            lines = r.stdout.splitlines()
            acked = [line.strip() for line in lines[:-1]]
            k = len(acked)
            cut = f"a power cut before block write {w} (in '{short(fs.log[k][0])}', command {k + 1})" \
                if k < len(fs.log) else f"a power cut before block write {w}"
            if r.returncode != 3 or not lines or lines[-1] != "crash":
                why = f"{cut}: fs-host did not stop there (status {r.returncode}): " \
                      f"{(r.stdout + r.stderr).strip()[-200:]}"
            elif acked != [out for _, out in fs.log[:k]]:
                why = f"{cut}: its answers before the cut differ from the run without one"
            else:
                r = subprocess.run([exe, img], input="", capture_output=True, text=True,
                                   timeout=timeout)
                report = fsck(fsck_exe, img) if r.returncode == 0 else None
                if r.returncode != 0:
                    why = f"{cut}: the next mount failed (recovery): {(r.stdout + r.stderr).strip()[-200:]}"
                elif report:
                    why = f"{cut}, then a mount (recovery): fsck says {report[:300]}"
                else:
                    tree = read_tree(img)
                    ok = (snapshots[k], snapshots[min(k + 1, len(snapshots) - 1)])
                    if tree not in ok:
                        why = (f"{cut}, then a mount (recovery): the tree is neither the one after "
                               f"the {k} acknowledged commands nor the one after the next: "
                               f"{tree_diff(tree, snapshots[k])}")
        except subprocess.TimeoutExpired:
            why = f"a power cut before block write {w}: fs-host ran for {timeout} s (a hang?)"
        if why:
            failures.append(why)
            if stop_at_first:
                break
    return writes, failures

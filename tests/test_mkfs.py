"""Host tests of tools/mkfs: mkfs builds lab 5's disk images (user/include/kit/fs.h, xv6's
format with 4 KiB blocks), fsck checks them.

`make mkfs` builds build/host/mkfs and build/host/fsck. An image made from a few files and
directories (one file large enough for the indirect block) is clean, and fsck --cat gives
back every file's bytes. Then one image per kind of corruption fsck knows (the list in
fsck.c's header comment; test_every_kind_is_tested keeps the two in step): the image is
patched here, with this file's own reading of the format, and fsck must fail and name the
kind. A committed log is replayed before the checks; a log that cannot be replayed is a
problem. Images go under build/host/, never beside the sources.
"""
import os
import re
import struct
import subprocess
import tempfile

import pytest

from conftest import KIT, make

BSIZE = 4096
NDIRECT = 12
DINODE = struct.Struct("<hhhhI13I")  # type major minor nlink size addrs[13]
DIRENT = struct.Struct("<H14s")
SUPER = struct.Struct("<8I")  # magic size nblocks ninodes nlog logstart inodestart bmapstart
ROOT = 1
OUT = os.path.join(KIT, "build", "host")
FSCK_SRC = os.path.join(KIT, "tools", "mkfs", "fsck.c")


@pytest.fixture(scope="module")
def tools():
    make("mkfs")
    return os.path.join(OUT, "mkfs"), os.path.join(OUT, "fsck")


@pytest.fixture
def tmp():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="mkfs-test-") as d:
        yield d


class Image:
    """A disk image in memory, read and patched with this file's own view of the format."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = bytearray(f.read())
        (self.magic, self.size, self.nblocks, self.ninodes, self.nlog, self.logstart,
         self.inodestart, self.bmapstart) = SUPER.unpack_from(self.data, BSIZE)
        self.datastart = self.bmapstart + self.size // (BSIZE * 8) + 1

    def save(self):
        with open(self.path, "wb") as f:
            f.write(self.data)

    def _ioff(self, inum):
        return self.inodestart * BSIZE + inum * DINODE.size

    def inode(self, inum):
        v = DINODE.unpack_from(self.data, self._ioff(inum))
        return {"type": v[0], "nlink": v[3], "size": v[4], "addrs": list(v[5:])}

    def set_inode(self, inum, **kw):
        ino = dict(self.inode(inum), **kw)
        v = DINODE.unpack_from(self.data, self._ioff(inum))
        DINODE.pack_into(self.data, self._ioff(inum), ino["type"], v[1], v[2], ino["nlink"],
                         ino["size"], *ino["addrs"])

    def _eoff(self, dinum, idx):
        off = idx * DIRENT.size
        return self.inode(dinum)["addrs"][off // BSIZE] * BSIZE + off % BSIZE

    def entries(self, dinum):
        n = self.inode(dinum)["size"] // DIRENT.size
        out = []
        for i in range(n):
            inum, name = DIRENT.unpack_from(self.data, self._eoff(dinum, i))
            out.append((inum, name.rstrip(b"\0").decode()))
        return out

    def set_entry(self, dinum, idx, inum=None, name=None):
        old_inum, old_name = DIRENT.unpack_from(self.data, self._eoff(dinum, idx))
        DIRENT.pack_into(self.data, self._eoff(dinum, idx),
                         old_inum if inum is None else inum,
                         old_name if name is None else name.encode())

    def lookup(self, path):
        inum = ROOT
        for part in path.strip("/").split("/"):
            inum = dict((n, i) for i, n in self.entries(inum))[part]
        return inum

    def index(self, dinum, name):
        return [n for _, n in self.entries(dinum)].index(name)

    def set_bit(self, b, used):
        off = (self.bmapstart + b // (BSIZE * 8)) * BSIZE + b % (BSIZE * 8) // 8
        if used:
            self.data[off] |= 1 << (b % 8)
        else:
            self.data[off] &= ~(1 << (b % 8)) & 0xFF


def build_image(tools, tmp):
    """(image path, {fs path: bytes}) of a small image: files in the root and in subdirectories."""
    mkfs, _ = tools
    files = {"/a.txt": b"hello, disk\n", "/bin/big": bytes(range(256)) * 1200,
             "/d/e/f": b"deep\n", "/bin/empty": b""}
    args = []
    for i, (path, body) in enumerate(files.items()):
        src = os.path.join(tmp, f"src{i}")
        with open(src, "wb") as f:
            f.write(body)
        args.append(f"{path}={src}")
    img = os.path.join(tmp, "fs.img")
    r = subprocess.run([mkfs, "--blocks", "1024", "--inodes", "100", img, *args, "tmp/"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return img, files


def fsck(tools, img, *args):
    return subprocess.run([tools[1], *args, img], capture_output=True)


def test_clean_image_round_trip(tools, tmp):
    img, files = build_image(tools, tmp)
    r = fsck(tools, img, "--ls")
    out = r.stdout.decode()
    assert r.returncode == 0, out
    assert "clean" in out
    for path in [*files, "/tmp", "/d/e"]:
        assert re.search(rf" {re.escape(path)}$", out, re.M), f"{path} not listed:\n{out}"
    for path, body in files.items():
        r = fsck(tools, img, "--cat", path)
        assert r.returncode == 0 and r.stdout == body, f"fsck --cat {path} differs"
    assert fsck(tools, img, "--cat", "/nope").returncode == 1
    big = Image(img).inode(Image(img).lookup("/bin/big"))
    assert big["addrs"][NDIRECT] != 0, "/bin/big should need the indirect block"


def test_mkfs_refuses(tools, tmp):
    mkfs, _ = tools
    src = os.path.join(tmp, "x")
    with open(src, "wb") as f:
        f.write(b"x" * (BSIZE * 40))
    img = os.path.join(tmp, "bad.img")
    for args, why in [([img, f"a-name-longer-than-14={src}"], "1 to 14 bytes"),
                      (["--blocks", "60", img, f"x={src}"], "full"),
                      (["--inodes", "3", img, f"x={src}", f"y={src}"], "out of inodes"),
                      ([img, f"x={src}", f"x={src}"], "twice"),
                      ([img, f"x={src}", f"x/y={src}"], "not a directory")]:
        r = subprocess.run([mkfs, *args], capture_output=True, text=True)
        assert r.returncode == 1 and why in r.stderr, (args, r.stderr)


def test_log_replayed(tools, tmp):
    """A committed log is replayed (in memory) before the checks: fsck reads the new data."""
    img, files = build_image(tools, tmp)
    im = Image(img)
    home = im.inode(im.lookup("/a.txt"))["addrs"][0]
    new = b"HELLO, LOG!\n"
    log0 = (im.logstart + 1) * BSIZE
    im.data[log0:log0 + BSIZE] = new + bytes(BSIZE - len(new))
    struct.pack_into("<II", im.data, im.logstart * BSIZE, 1, home)
    im.save()
    r = fsck(tools, img)
    assert r.returncode == 0 and b"1 committed blocks, replayed" in r.stdout, r.stdout
    assert fsck(tools, img, "--cat", "/a.txt").stdout == new


def corrupt_superblock(im):
    struct.pack_into("<I", im.data, BSIZE, 0x12345678)


def corrupt_log(im):
    struct.pack_into("<II", im.data, im.logstart * BSIZE, im.nlog + 3, im.datastart)


def corrupt_root(im):
    im.set_inode(ROOT, type=2)


def corrupt_type(im):
    im.set_inode(im.lookup("/a.txt"), type=9)


def corrupt_size(im):
    im.set_inode(im.lookup("/a.txt"), size=0)


def corrupt_address(im):
    ino = im.inode(im.lookup("/a.txt"))
    ino["addrs"][0] = im.logstart + 1
    im.set_inode(im.lookup("/a.txt"), addrs=ino["addrs"])


def corrupt_duplicate(im):
    ino = im.inode(im.lookup("/a.txt"))
    ino["addrs"][0] = im.inode(im.lookup("/bin/big"))["addrs"][3]
    im.set_inode(im.lookup("/a.txt"), addrs=ino["addrs"])


def corrupt_bit_free(im):
    im.set_bit(im.inode(im.lookup("/d/e/f"))["addrs"][0], False)


def corrupt_bit_used(im):
    im.set_bit(im.size - 1, True)


def corrupt_directory(im):
    im.set_inode(im.lookup("/bin"), size=im.inode(im.lookup("/bin"))["size"] - 5)


def corrupt_dot(im):
    im.set_entry(im.lookup("/bin"), 0, inum=im.lookup("/d"))


def corrupt_dotdot(im):
    im.set_entry(im.lookup("/d/e"), 1, inum=ROOT)


def corrupt_dirent(im):
    im.set_entry(ROOT, im.index(ROOT, "a.txt"), inum=im.ninodes + 7)


def corrupt_free_inode(im):
    im.set_entry(ROOT, im.index(ROOT, "a.txt"), inum=im.ninodes - 1)


def corrupt_name(im):
    im.set_entry(ROOT, im.index(ROOT, "tmp"), name="a.txt")


def corrupt_hard_link(im):
    im.set_entry(im.lookup("/bin"), im.index(im.lookup("/bin"), "empty"), inum=im.lookup("/d"))


def corrupt_orphan(im):
    im.set_entry(ROOT, im.index(ROOT, "a.txt"), inum=0)


def corrupt_link_count(im):
    im.set_inode(im.lookup("/a.txt"), nlink=2)


CORRUPTIONS = {
    "bad-superblock": corrupt_superblock, "bad-log": corrupt_log, "bad-root": corrupt_root,
    "bad-inode-type": corrupt_type, "bad-size": corrupt_size,
    "bad-block-address": corrupt_address, "duplicate-block": corrupt_duplicate,
    "bitmap-free-but-used": corrupt_bit_free, "bitmap-used-but-free": corrupt_bit_used,
    "bad-directory": corrupt_directory, "bad-dot": corrupt_dot, "bad-dotdot": corrupt_dotdot,
    "bad-dirent": corrupt_dirent, "dirent-free-inode": corrupt_free_inode,
    "duplicate-name": corrupt_name, "directory-hard-link": corrupt_hard_link,
    "orphan-inode": corrupt_orphan, "bad-link-count": corrupt_link_count,
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corruption_named(tools, tmp, kind):
    img, _ = build_image(tools, tmp)
    im = Image(img)
    CORRUPTIONS[kind](im)
    im.save()
    r = fsck(tools, img)
    out = r.stdout.decode(errors="replace")
    assert r.returncode == 1, f"fsck passed an image with {kind}:\n{out}"
    assert f"fsck: {kind}: " in out, f"fsck did not name {kind}:\n{out}"


def test_every_kind_is_tested():
    with open(FSCK_SRC) as f:
        header = f.read().split("*/", 1)[0].split("The kinds:", 1)[1].split(" * --ls", 1)[0]
    kinds = set()
    for m in re.finditer(r"^ \*   ([a-z-]+(?:, [a-z-]+)*) ", header, re.M):
        kinds.update(m.group(1).split(", "))
    assert kinds == set(CORRUPTIONS), f"fsck.c's kinds {sorted(kinds)}"

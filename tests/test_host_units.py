"""Host unit tests of lab 2's frame allocators and page-table walker, and of the min-heap
lab 3 provides (tests/host/).

buddy.c, stackalloc.c and pt.c come from the last lab's solved tree, which make renders
from solutions/common into build/solved (conftest.solved_tree) (the files there still hold each stub below its solution, and
buddy_free's stub panics), are compiled unchanged with the host gcc against the
kernel's own headers, linked with tests/host/host.c (the libc side, built with the same
headers: frame pool, kprintf, panic, mm_misuse, MMU hooks) and run with several seeds: test_alloc for
both allocators, test_vm once per PTE format (riscv64 Sv39, x86_64 4-level).
Binaries go to build/host/; rerun a failure with the command its message gives.

HOST_TEST_SRC_DIR=dir tests the buddy.c, stackalloc.c and pt.c in dir instead
(e.g. a student's lab2-mem/common, or a mutant).

test_heap: common/lab3/heap.c (provided code, no holes: it comes from the kit itself), the
d-ary min-heap of the joint scheduler's queues, against a model under random push, pop and
remove (tests/host/test_heap.c), with the sanitizers.
"""
import os
import re
import subprocess
import tempfile

import pytest

import arches
from conftest import KIT, LABS, solved_tree, starter_tree

HOST = os.path.join(KIT, "tests", "host")
OUT = os.path.join(KIT, "build", "host")
# The PTE formats, and what test_pt.c checks the arch's mmu.h against.
ARCHES = {a.name: {"TEST_VA_BITS": a.va_bits, "TEST_PT_LEVELS": a.pt_levels,
                   "TEST_READ_IMPLIED": int(a.read_implied)} for a in arches.ARCHES.values()}
SEEDS = [1, 2, 3, 20240611]
CFLAGS = ["-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter",
          "-fno-strict-aliasing", "-fno-omit-frame-pointer"]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"]
ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", UBSAN_OPTIONS="print_stacktrace=1")


def gcc(*args):
    r = subprocess.run(["gcc", *args], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.fail(f"gcc {' '.join(args)}\n{r.stdout}{r.stderr}", pytrace=False)


def sanitizers(tmp):
    """SANITIZE when this host can build and run sanitized programs, else no flags."""
    src, exe = os.path.join(tmp, "probe.c"), os.path.join(tmp, "probe")
    with open(src, "w") as f:
        f.write("#include <stdlib.h>\nint main(void) { free(malloc(8)); return 0; }\n")
    r = subprocess.run(["gcc", *SANITIZE, src, "-o", exe], capture_output=True)
    if r.returncode == 0 and subprocess.run([exe], env=ENV, capture_output=True).returncode == 0:
        return SANITIZE
    return []


def sources(tmp):
    """The directory of the buddy.c, stackalloc.c and pt.c under test."""
    if os.environ.get("HOST_TEST_SRC_DIR"):
        return os.path.abspath(os.environ["HOST_TEST_SRC_DIR"])
    return os.path.join(solved_tree(LABS[-1]), "common")


def pte_hooks(arch):
    """An arch's PTE encoding that is a student file (aarch64: lab 7's pte.c), solved, or []."""
    port_lab = arches.ARCHES[arch].port_lab
    path = port_lab and os.path.join(solved_tree(port_lab), "arch", arch, "pte.c")
    return [path] if path and os.path.exists(path) else []


def build(src, tag=""):
    """{"alloc": path, "riscv64": path, "x86_64": path}: the test binaries built from src."""
    os.makedirs(OUT, exist_ok=True)
    built = {}
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        src = src or sources(tmp)
        san = sanitizers(tmp)

        def link(name, arch, files, defines):
            # -iquote: the kernel's "string.h" and "errno.h" do not hide libc's from host.c; the
            # kernel's own include path has user/include too ("kit/abi.h", the ABI it shares).
            include = ["-iquote", os.path.join(KIT, "common", "include"), "-iquote", os.path.join(KIT, "user", "include"),
                       "-I" + os.path.join(KIT, "arch", arch, "include"), "-DARCH_DIRECT_MAP_BASE=0UL"]
            kernel = CFLAGS + san + ["-ffreestanding"] + include
            kernel += [f"-D{k}={v}" for k, v in defines.items()]
            objs = [os.path.join(tmp, f"{name}-host.o")]
            gcc(*CFLAGS, *san, *include, "-c", os.path.join(HOST, "host.c"), "-o", objs[0])
            for path in files:
                objs.append(os.path.join(tmp, f"{name}-{os.path.basename(path)}.o"))
                gcc(*kernel, "-c", path, "-o", objs[-1])
            exe = os.path.join(tmp, name)
            gcc(*san, *objs, "-o", exe)
            final = os.path.join(OUT, name + tag)
            os.replace(exe, final)  # atomic: parallel workers may build the same binary
            return final

        built["alloc"] = link("test_alloc", "riscv64",
                              [os.path.join(src, "buddy.c"), os.path.join(src, "stackalloc.c"),
                               os.path.join(HOST, "test_alloc.c")], {})
        for arch, defines in ARCHES.items():
            built[arch] = link(f"test_pt_{arch}", arch,
                               [os.path.join(src, "pt.c"), os.path.join(HOST, "test_pt.c")] + pte_hooks(arch),
                               defines)
    return built


@pytest.fixture(scope="session")
def binaries():
    return build(None)


def run(binary, mode, seed=0):
    """(exit status, output) of one test binary run."""
    try:
        r = subprocess.run([binary, mode, str(seed)], capture_output=True, text=True, env=ENV,
                           timeout=60)
    except subprocess.TimeoutExpired as e:
        return -1, f"{e.stdout or ''}\ntimed out after 60 s"
    return r.returncode, r.stdout + r.stderr


def expect_pass(binary, mode, seed=0):
    status, out = run(binary, mode, seed)
    if status != 0 or f"PASS {mode} seed={seed}" not in out:
        tail = "\n".join(out.splitlines()[-25:])
        pytest.fail(f"{os.path.relpath(binary, KIT)} {mode} {seed} exited {status} (seed {seed}; "
                    f"rerun: {os.path.relpath(binary, KIT)} {mode} {seed}):\n{tail}", pytrace=False)
    return out


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("allocator", ["buddy", "stack"])
def test_allocator(binaries, allocator, seed):
    """Random alloc/free against the frame-table invariants; exhaustion; all frames come back."""
    out = expect_pass(binaries["alloc"], allocator, seed)
    stats = dict(re.findall(r"(\w+)=(\w+)", out.splitlines()[-1]))
    assert int(stats["nulls"]) > 0 and int(stats["frees"]) > 0
    assert allocator == "stack" or int(stats["merges"]) > 0


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("arch", ARCHES)
def test_pt_random(binaries, arch, seed):
    """Random pt_map/pt_unmap against a reference model, then pt_destroy frees every table."""
    expect_pass(binaries[arch], "random", seed)


@pytest.mark.parametrize("arch", ARCHES)
def test_pt_directed(binaries, arch):
    """Arguments, non-canonical addresses, pt_walk, -ENOMEM, two spaces, 2 MiB pages."""
    out = expect_pass(binaries[arch], "directed")
    assert re.search(r"^pt_map: already mapped 0x[0-9a-f]+ \(called from 0x[0-9a-f]+\)$", out,
                     re.M), "pt_map reported no clash in mm_misuse's format"


@pytest.mark.parametrize("mode", ["unmap-noncanonical", "large-over-table", "map-undo"])
@pytest.mark.parametrize("arch", ARCHES)
def test_pt_edge_cases(binaries, arch, mode):
    """pt_unmap refuses a non-canonical va; VM_LARGE over an emptied table still maps; a
    pt_map that fails part-way (-EEXIST, -ENOMEM) undoes what it mapped."""
    expect_pass(binaries[arch], mode)


@pytest.fixture(scope="session")
def starter_binaries():
    return build(os.path.join(starter_tree(2), "common"), tag="-starter")


@pytest.mark.parametrize("what,mode", [("alloc", "buddy"), ("alloc", "stack"),
                                       ("riscv64", "random"), ("x86_64", "directed")])
def test_starter_fails(starter_binaries, what, mode):
    """The tests can fail: lab 2's starter (stubs) must not pass them."""
    status, out = run(starter_binaries[what], mode, 1)
    assert status != 0 and "PASS" not in out, out


@pytest.fixture(scope="session")
def heap_test():
    """build/host/test_heap: tests/host/test_heap.c with common/lab3/heap.c, built once."""
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        exe = os.path.join(tmp, "test_heap")
        gcc(*CFLAGS, *sanitizers(tmp), "-iquote", os.path.join(KIT, "common", "include"),
            os.path.join(HOST, "test_heap.c"), os.path.join(KIT, "common", "lab3", "heap.c"),
            "-o", exe)
        final = os.path.join(OUT, "test_heap")
        os.replace(exe, final)
    return final


@pytest.mark.parametrize("seed", SEEDS)
def test_heap(heap_test, seed):
    """Random push, pop and remove against a model: order, indices, -ENOSPC, sorted pops."""
    expect_pass(heap_test, "random", seed)

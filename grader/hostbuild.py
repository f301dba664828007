"""hostbuild.py: compile a student's lab file on the host with the kit's headers and a
grader harness (grader/host/), and run it: differential tests against trusted models."""
import os
import subprocess

KIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = os.path.join(KIT, "grader", "host")


def host_build(kernel, name, student_files, harness, defines=()):
    """The path of a host binary of harness (in grader/host/) and the student's files (paths
    under the student tree), built with the kernel's headers for kernel.arch; raises
    AssertionError with the compiler's first error when it does not build."""
    out = os.path.join(os.path.dirname(kernel.elf), "host")
    os.makedirs(out, exist_ok=True)
    exe = os.path.join(out, name)
    include = ["-iquote", os.path.join(KIT, "common", "include"),
               "-I" + os.path.join(KIT, "arch", kernel.arch, "include"), "-DARCH_DIRECT_MAP_BASE=0UL"]
    flags = ["-std=gnu11", "-O1", "-g", "-w", "-fno-strict-aliasing", "-fno-builtin"]
    srcs = [os.path.join(kernel.labsrc, f) if not os.path.isabs(f) else f for f in student_files]
    cmd = ["gcc", *flags, *include, *[f"-D{d}" for d in defines], *srcs,
           os.path.join(HOST, harness), "-o", exe + ".tmp"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    first = next((l for l in r.stderr.splitlines() if "error" in l), r.stderr.strip()[-400:])
    assert r.returncode == 0, (f"your {', '.join(os.path.basename(s) for s in student_files)} did not build "
                               f"on the host with {harness}; the first error:\n  {first}")
    os.replace(exe + ".tmp", exe)
    return exe

"""hostbuild.py: compile a student's lab file on the host with the kit's headers and a
grader harness (grader/host/), and run it: differential tests against trusted models."""
import os
import resource
import subprocess
import tempfile

KIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = os.path.join(KIT, "grader", "host")


def host_build(kernel, name, student_files, harness, defines=(), include=None):
    """The path of a host binary of harness (in grader/host/, or an absolute path) and the
    student's files (paths under the student tree; absolute paths: the kit's own), built with
    the kernel's headers for kernel.arch (include: these compiler options instead); raises
    AssertionError with the compiler's first error when it does not build."""
    out = os.path.join(os.path.dirname(kernel.elf), "host")
    os.makedirs(out, exist_ok=True)
    exe = os.path.join(out, name)
    if include is None:
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


OUTPUT_LIMIT = 1 << 20  # bytes a host run may write; past it the kernel stops it (SIGXFSZ)


def run_host(cmd, input=None, timeout=5):
    """Run a host binary built from student code: (status, stdout) where status is its exit
    status, "hang" past timeout seconds, or "flood" when it wrote more than OUTPUT_LIMIT bytes.
    Its output goes to a file with that size limit, so a print loop costs neither memory nor time."""
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
    with tempfile.TemporaryFile() as out:
        try:
            r = subprocess.run(cmd, input=input.encode() if input else None, stdout=out,
                               stderr=subprocess.STDOUT, timeout=timeout, preexec_fn=limit)
            status = "flood" if r.returncode == -25 else r.returncode  # SIGXFSZ
        except subprocess.TimeoutExpired:
            status = "hang"
        out.seek(0)
        return status, out.read(OUTPUT_LIMIT).decode("utf-8", "replace")

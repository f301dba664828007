"""linuxref.py: what a static Linux test program (user/lab6/linux/, make disk) does under Linux
itself, the expected side of lab 6's comparisons, never written by hand: the host runs it
(x86_64), or QEMU's user mode (qemu-riscv64, Debian's qemu-user) for riscv64. Also how the kit's
shell shows a run, so the two compare line for line.
"""
import os
import subprocess

# arch: (the compiler make disk builds the programs with, how the host runs one under Linux)
LINUX = {
    "riscv64": ("riscv64-linux-gnu-gcc", ["qemu-riscv64"]),
    "x86_64": ("gcc", []),
}
# Lines that are not the program's own: the kernel's fault report, the launcher's and the
# server's logs (user/lab6/linux.c, linuxd.c), the shell's verdict (user/lab5/sh.c), and QEMU's
# own warnings on its stderr, which the console log interleaves ("icount sleep disabled and no
# active timers" while the shell waits for a key).
NOT_PROGRAM = ("user fault:", "linux: ", "linuxd: ", "sh: ", "qemu-system-")


def runner_dir(arch, bindir, scratch):
    """A working directory for the Linux runs (scratch/linux-cwd, which the file programs make
    their files in, as they do in the kit's "/") in which linux/NAME runs program NAME of bindir
    under Linux, as /linux/NAME does in the kit (a program that execs one). Under qemu-user,
    whose execve is the host's, each is a script that runs the binary under QEMU with the argv[0]
    it was given."""
    cwd = os.path.join(scratch, "linux-cwd")
    d = os.path.join(cwd, "linux")
    os.makedirs(d, exist_ok=True)
    for name in sorted(os.listdir(bindir)):
        link, real = os.path.join(d, name), os.path.join(bindir, name)
        if os.path.lexists(link):
            os.remove(link)
        if LINUX[arch][1]:
            with open(link, "w") as f:
                f.write(f'#!/bin/sh\nexec env -u PWD {" ".join(LINUX[arch][1])} -0 "$0" "{real}" "$@"\n')
            os.chmod(link, 0o755)
        else:
            os.symlink(real, link)
    return cwd


def linux_run(arch, prog, args=(), cwd=None, timeout=60):
    """(stdout, exit status as a shell shows it: 128 + N for a signal N) of the Linux program
    prog run under Linux with argv {its name, *args} and an empty environment (as the kit's
    launcher gives it), in cwd."""
    name = os.path.basename(prog)
    cmd = LINUX[arch][1] + ["-0", name, prog] if LINUX[arch][1] else [name]
    r = subprocess.run(cmd + list(args), executable=None if LINUX[arch][1] else prog, cwd=cwd,
                       env={}, capture_output=True, text=True, timeout=timeout)
    return r.stdout, 128 - r.returncode if r.returncode < 0 else r.returncode


def program_output(out):
    """The program's own lines of a run's console text (NOT_PROGRAM's lines left out)."""
    lines = out.replace("\r", "").split("\n")
    return "\n".join(l for l in lines if not l.startswith(NOT_PROGRAM)).strip("\n")


def first_difference(want, got):
    """The first line where got differs from want: (line number from 1, want's, got's),
    '(nothing)' for a line one of them lacks; None when they are equal."""
    a, b = want.split("\n"), got.split("\n")
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "(nothing)"
        y = b[i] if i < len(b) else "(nothing)"
        if x != y:
            return i + 1, x, y
    return None

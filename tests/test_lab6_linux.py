"""Lab 6's first slice (kit self-test, reference only): static Linux executables, built by
Debian's compiler for the arch's Linux (user/lab6/linux/, make disk), run from lab 5's shell on
the lab-4 reference kernel (which carries lab 5's and lab 6's provided kernel code until they
have stages of their own): the kernel forwards each of their system calls to the Linux server
(user/lab6/linuxd.c, in the launcher user/lab6/linux.c) as a Call (kit/abi.h
KIT_LABEL_LINUX_SYSCALL). What each prints and its exit status must equal what the same binary
gives under Linux (qemu-riscv64 user mode, or the host itself for x86_64): never hand-written.

First, at the monitor, `run lxtest`: the kernel's side (SYS_TASK_CREATE's Linux fields, the
forwarded Call and its replies, SYS_TASK_MEM_*) against its documented errors.

Also printed (pytest -s) and asserted loosely: lxgetpid's forwarded getpid round trip
(program -> kernel -> linuxd -> back) in instructions, beside lab 4's native null system call
(handout/lab6-linux.md, "What forwarding costs"); lxspawn's fork + wait and fork + execve +
wait of a small program; lxread4k's 4 KiB read() of a cached file (program -> kernel -> linuxd
-> fsd, 480 bytes a Call, -> back); all in instructions.

Processes (lxfork, lxpipe, lxexec, lxpipeline): output in a fixed order (each parent waits
before it prints). lxexec and lxpipeline exec linux/lxargs relative to their working directory
("/" under the kit; under Linux a scratch directory, exec_dir, where the file programs make
their files too), so that part too is what Linux prints.
"""
import os
import re
import shutil
import subprocess

import pytest

from conftest import ARCHES, KIT, make, skip_unsupported
from harness import Machine, Symbols

PROMPT = r"^\$ "
V = ["SOL=1"]  # the last stage's reference (LAB=4 does not build on main: task_ending's `how`)
LINUX = {  # arch: (the compiler make disk uses, how to run a binary under Linux)
    "riscv64": ("riscv64-linux-gnu-gcc", ["qemu-riscv64"]),
    "x86_64": ("gcc", []),
}


def linux_run(arch, prog, cwd=None):
    """What prog prints under Linux, and its exit status (argv[0] its name, as the kit's); in
    directory cwd (the file programs make and remove their files there)."""
    name = os.path.basename(prog)
    if LINUX[arch][1]:
        r = subprocess.run(LINUX[arch][1] + ["-0", name, prog], capture_output=True, text=True,
                           timeout=60, cwd=cwd)
    else:
        r = subprocess.run([name], executable=prog, capture_output=True, text=True, timeout=60,
                           cwd=cwd)
    return r.stdout, r.returncode


def exec_dir(arch, tmp_path, build, progs):
    """A working directory for programs that exec linux/NAME (the kit runs them in "/", where
    /linux holds the programs): linux/NAME there runs the same binary under Linux: the binary
    itself on x86_64; under qemu-user, whose execve is the host's (qemu 7.2 does not intercept
    it, and binfmt_misc may not know riscv64), a script that runs it under qemu-riscv64 with
    the argv[0] and environment it was given (the exec'd program's argv[0] must be its path)."""
    d = tmp_path / "linux-cwd"
    os.makedirs(d / "linux", exist_ok=True)
    for p in progs:
        real = os.path.join(KIT, build, "linux", p)
        if LINUX[arch][1]:
            with open(d / "linux" / p, "w") as f:
                qemu = " ".join(LINUX[arch][1])
                f.write(f'#!/bin/sh\nexec env -u PWD {qemu} -0 "$0" {real} "$@"\n')
            os.chmod(d / "linux" / p, 0o755)
        else:
            os.symlink(real, d / "linux" / p)
    return str(d)


def boot(arch, img, log):
    qemu, elf = make(f"ARCH={arch}", *V, f"DISK={img}", "print-qemu",
                     "print-kernel").stdout.splitlines()
    return Machine(qemu.split() + ["-m", "128M", "-append", ""], log,
                   Symbols(os.path.join(KIT, elf)), cwd=KIT)


def run(m, name, arg=""):
    """The shell's output of `name [arg]` (the command line and the prompt cut off)."""
    out = m.command(f"{name} {arg}".strip(), prompt=PROMPT, timeout=60)
    lines = out.replace("\r", "").split("\n")
    return "\n".join(l for l in lines if not l.startswith(f"{name}") or l.startswith(f"{name}:"))


# Lines that are not the program's: the kernel's fault report, the launcher's and the server's
# logs, the shell's verdict.
NOT_PROGRAM = ("user fault:", "linux: ", "linuxd: ", "sh: ")


def program_output(out):
    return "\n".join(l for l in out.split("\n") if not l.startswith(NOT_PROGRAM)).strip("\n")


@pytest.mark.parametrize("arch", [a for a in ARCHES if a in LINUX])
def test_lab6_linux(arch, tmp_path):
    skip_unsupported(arch, 4)
    cc, runner = LINUX[arch]
    subprocess.run([os.path.join(KIT, "tools", "install-deps"), "--quiet", f"linux-{arch}"],
                   capture_output=True)
    if not shutil.which(cc):
        pytest.skip(f"no {cc} (tools/install-deps linux-{arch}): no Linux programs to run")
    if runner and not shutil.which(runner[0]):
        pytest.skip(f"no {runner[0]} (qemu-user) to run the Linux programs under Linux")
    make(f"ARCH={arch}", *V, "build")
    make(f"ARCH={arch}", *V, "disk")
    build = os.path.dirname(make(f"ARCH={arch}", *V, "print-kernel").stdout.strip())
    img = os.path.join(tmp_path, "disk.img")
    shutil.copy(os.path.join(KIT, build, "disk.img"), img)
    progs = ["lxhello", "lxexit7", "lxsegv", "lxenosys", "lxfork", "lxpipe", "lxexec", "lxpipeline",
             "lxsleepers"]
    progs += ["lxmalloc", "lxtime"]  # memory and time (lx_mem.c, lx_sys.c)
    progs += ["lxfiles", "lxdir"]  # files and directories over lab 5's fsd (lx_file.c, lx_path.c)
    if os.path.exists(os.path.join(KIT, build, "linux", "lxmhello")):
        progs.append("lxmhello")  # musl (x86_64, when musl-tools is installed)
    cwd = exec_dir(arch, tmp_path, build, ["lxargs"])  # lxexec execs linux/lxargs
    expect = {p: linux_run(arch, os.path.join(KIT, build, "linux", p), cwd) for p in progs}
    assert "lxargs: argc 4" in expect["lxexec"][0], expect["lxexec"]

    with boot(arch, img, str(tmp_path / "boot.log")) as m:
        m.no_timers_s = None  # the shell waits for keys idle (grader/test_lab5.py)
        m.expect(r"^K> ", what="the prompt")
        out = m.command("run lxtest")  # the kernel interface's errors (user/lab6/lxtest.c)
        fails = re.findall(r"^utest lx .+: FAIL.*$", out, re.M)
        assert re.search(r"^utest lx done: (\d+)/\1$", out, re.M) and not fails, out
        for line in re.findall(r"^lxtest: Linux call answered.*$", out, re.M):
            print(f"{arch}: {line}")  # a plain Reply beside SYS_LINUX_DEFER + SYS_LINUX_REPLY
        m.send("run init")
        m.expect(r"^init: started fsd", what="init starting fsd")
        m.expect(PROMPT, what="the shell's prompt")
        for prog, (text, status) in expect.items():
            out = run(m, prog)
            assert program_output(out) == text.strip("\n"), f"{prog}:\n{out}\nLinux:\n{text}"
            shown = 128 - status if status < 0 else status  # killed by signal -status
            if shown:
                assert f"sh: {prog} exited with {shown}" in out, out
            else:
                assert "sh: " not in out, out
        for prog in ("lxfiles", "lxdir"):  # they remove what they made: a second run is the same
            out = run(m, prog)
            assert program_output(out) == expect[prog][0].strip("\n"), f"{prog} again:\n{out}"
        assert "linux: lxsegv: Segmentation fault" in m.text
        assert m.text.count("linuxd: syscall 1000 not implemented") == 1, m.text
        out = run(m, "linux")  # the launcher as itself: how to run one, and which there are
        assert re.search(r"^usage: NAME \[N\] runs the Linux program /linux/NAME", out, re.M), out
        assert re.search(r"programs:.* lxhello", out, re.M), out
        out = run(m, "lxgetpid")
        g = re.search(r"^getpid: (\d+) instructions per round trip", out, re.M)
        assert g, out
        forwarded = int(g.group(1))
        print(f"{arch}: forwarded Linux getpid round trip: {forwarded} instructions")
        assert 100 < forwarded < 100000, out
        out = run(m, "lxspawn")  # process creation's cost (user/lab6/linux/lxspawn.c)
        spawn = {k: int(n) for k, n in re.findall(r"^(fork\+(?:exec\+)?wait): (\d+) instr", out,
                                                   re.M)}
        assert set(spawn) == {"fork+wait", "fork+exec+wait"}, out
        assert "fork+exec+wait: " in out and "(status 7)" in out, out
        print(f"{arch}: fork+wait {spawn['fork+wait']}, fork+exec+wait "
              f"{spawn['fork+exec+wait']} instructions")
        assert 1000 < spawn["fork+wait"] < spawn["fork+exec+wait"] < 1000000000, out
        out = run(m, "lxread4k")
        g = re.search(r"^read: (\d+) instructions per 4 KiB read \(4096 bytes\)", out, re.M)
        assert g, out
        print(f"{arch}: a 4 KiB read() of a cached file through linuxd and fsd: "
              f"{int(g.group(1))} instructions")
        assert 1000 < int(g.group(1)) < 2000000, out
        assert "panic" not in m.text

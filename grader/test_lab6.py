"""Lab 6 (linux): static Linux executables on the microkernel, each system call forwarded by the
kernel (your linux_syscall, exercise 1) to the Linux server linuxd as a Call; the launcher's
initial stack (exercise 2) and linuxd's memory (3), descriptors (4) and processes (5) are yours too.

test_lxtest boots to the monitor and runs `run lxtest` (user/lab6/lxtest.c): the kernel's side
alone, a Linux task built in memory, each forwarded call received and answered by the test, and
the kernel's Linux calls (SYS_TASK_CREATE's Linux fields, SYS_TASK_MEM_*, SYS_LINUX_DEFER,
SYS_LINUX_REPLY, fork's regs_task) against their documented errors.

The other tests share one machine with lab 5's disk as `make disk` builds it for this stage: the
Linux programs of user/lab6/linux/ compiled by Debian's compiler for the arch's Linux
(LINUX_CC, tools/install-deps linux-ARCH), each as /linux/NAME beside the launcher as /bin/NAME.
Under `run init`, the shell runs each program of PROGRAMS; what it prints and its exit status
must be what the same binary gives under Linux, run here at grade time (grader/linuxref.py: the
host for x86_64, qemu-riscv64 user mode for riscv64): never written by hand. test_getpid_cost
runs lxgetpid, the fewest instructions of a forwarded getpid round trip (program -> kernel ->
linuxd -> program) over 100, against a budget about twice the reference's (riscv64 2,991,
x86_64 1,927; handout/lab6-linux.md, "How it is graded").

Points: 20 (lxtest) + 10 (getpid's cost) + PROGRAMS'. aarch64 grades labs 1..4 only
(grader/arches.py max_lab): none of this runs there.
"""
import os
import re
import shutil
import subprocess

import pytest

import linuxref
from conftest import KIT, disk_args, make_vars
from harness import KernelFailure
from test_lab5 import System, utest

pytestmark = pytest.mark.lab(6)

# The Linux programs the shell runs (user/lab6/linux/NAME.c; "NAME N" passes argv[1] "N"):
# points, the arches it runs on (None: every arch that grades lab 6), what it shows. Each
# exercise's own (handout/lab6-linux.md, "How it is graded"): 1 lxtest, getpid's cost, lxenosys,
# lxtime; 2 lxhello, lxhello 5, lxmhello; 3 lxmalloc; 4 lxfiles, lxdir; 5 lxexit7, lxsegv,
# lxfork, lxpipe, lxexec, lxpipeline, lxsleepers.
PROGRAMS = {
    "lxhello": (10, None, "static glibc's start (the initial stack, TLS, brk), printf to the console"),
    "lxhello 5": (5, None, "an argument: argv[1] and argc from the initial stack"),
    "lxexit7": (5, None, "exit_group's status reaches the shell"),
    "lxsegv": (10, None, "a fault ends the program as Linux's SIGSEGV does (status 139)"),
    "lxenosys": (5, None, "a call nobody implements is -1 with errno ENOSYS, and the program goes on"),
    "lxmhello": (5, ("x86_64",), "musl's start (arch_prctl, set_tid_address, writev)"),
    "lxmalloc": (15, None, "brk, mmap, munmap, mprotect: malloc's memory, given back and reused"),
    "lxtime": (5, None, "clock_gettime, gettimeofday, nanosleep on the virtual clock"),
    "lxfiles": (10, None, "open, read, write, lseek, dup, fstat on lab 5's file system"),
    "lxdir": (10, None, "mkdir, chdir, getcwd, getdents64, unlink, rmdir and their errors"),
    "lxfork": (10, None, "fork, wait4, exit statuses, a child's copy of memory"),
    "lxpipe": (10, None, "pipe2 between a parent and its child, end of file"),
    "lxexec": (10, None, "execve of linux/lxargs with its argv and environment"),
    "lxpipeline": (10, None, "fork, dup2 of a pipe onto stdout, execve, read to end of file"),
    "lxsleepers": (5, None, "three children asleep at once, woken in the order Linux wakes them"),
}
LX_CHECKS = 172  # lxtest's checks (suite lx)
# A forwarded getpid round trip, the fewest instructions of 100 (lxgetpid): about twice the
# reference's on this stage (riscv64 2,991, x86_64 1,927).
GETPID_BUDGET = {"riscv64": 6000, "x86_64": 3800}
PROGRAM_S = 60  # wall seconds one program may take (the reference: well under one)


def pytest_generate_tests(metafunc):
    if "program" in metafunc.fixturenames:
        arch = metafunc.config.getoption("--arch")
        metafunc.parametrize("program", [
            pytest.param(cmd, marks=pytest.mark.points(p), id=cmd.replace(" ", "-"))
            for cmd, (p, arches, _) in PROGRAMS.items() if arches is None or arch in arches])


@pytest.mark.points(20)
def test_lxtest(booted):
    """`run lxtest` at the monitor: the forwarded Call (label, length, number, arguments), a
    reply's result and thread pointer, a task dropped or killed while it waits, a call set aside
    and answered later, fork's registers; every check passes."""
    m = booted()
    out = m.command("run lxtest", timeout=60)
    utest(out, "lx", LX_CHECKS)


class Linux:
    """The shared machine: lab 5's system under init with this stage's disk, and what each
    program does under Linux. A failure to get there is kept and raised for every test."""

    def __init__(self, config, kernel):
        self.config, self.kernel, self.system, self.failure = config, kernel, None, None

    def up(self):
        if self.failure:
            raise self.failure
        if self.system:
            return self.system
        try:
            if self.kernel.build_error:
                raise KernelFailure(self.kernel.build_error)
            self.dir = os.path.join(os.path.dirname(self.kernel.elf), "host", "lab6")
            shutil.rmtree(self.dir, ignore_errors=True)
            os.makedirs(self.dir)
            self.bindir = os.path.join(os.path.dirname(self.kernel.elf), "linux")
            r = subprocess.run(["make", "-s", "-C", KIT, *make_vars(self.config), "disk"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise KernelFailure(f"make disk failed:\n{(r.stdout + r.stderr)[-1500:]}")
            cc = linuxref.LINUX[self.kernel.arch][0]
            if not os.path.isdir(self.bindir) or not shutil.which(cc):
                raise KernelFailure(f"no Linux programs on the disk: {cc} is not installed "
                                    f"(tools/install-deps linux-{self.kernel.arch})")
            self.img = os.path.join(self.dir, "disk.img")
            shutil.copy(os.path.join(os.path.dirname(self.kernel.elf), "disk.img"), self.img)
            self.cwd = linuxref.runner_dir(self.kernel.arch, self.bindir, self.dir)
            self.system = System(self.kernel, "lab6",
                                 extra=disk_args(self.config, self.kernel, self.img))
            self.system.up()
        except KernelFailure as e:
            self.failure = e
            raise
        return self.system

    def expected(self, cmd):
        """(stdout, status) of cmd ("NAME [N]") under Linux."""
        name, *args = cmd.split()
        self.up()
        prog = os.path.join(self.bindir, name)
        assert os.path.exists(prog), f"make disk built no {name} (user/lab6/linux/{name}.c)"
        if linuxref.LINUX[self.kernel.arch][1] and not shutil.which(linuxref.LINUX[self.kernel.arch][1][0]):
            pytest.fail(f"no {linuxref.LINUX[self.kernel.arch][1][0]} (qemu-user) to run {name} under "
                        f"Linux (tools/install-deps linux-{self.kernel.arch})", pytrace=False)
        return linuxref.linux_run(self.kernel.arch, prog, args, cwd=self.cwd)

    def run(self, cmd):
        """The console text of cmd typed at the shell (its own line and the prompt cut off)."""
        lines = self.up().shell(cmd, timeout=PROGRAM_S).replace("\r", "").split("\n")
        echo = next((i for i, l in enumerate(lines) if l.strip() == cmd), -1)
        return "\n".join(lines[echo + 1:])

    def close(self):
        if self.system:
            self.system.close()


@pytest.fixture(scope="module")
def linux(request, kernel):
    lx = Linux(request.config, kernel)
    yield lx
    lx.close()


def test_program(linux, program):
    """One Linux program from the shell: what it prints and its exit status, as under Linux."""
    want, status = linux.expected(program)
    out = linux.run(program)
    name = program.split()[0]
    got = linuxref.program_output(out)
    diff = linuxref.first_difference(want.strip("\n"), got)
    said = "\n".join(l for l in out.split("\n") if l.startswith(linuxref.NOT_PROGRAM))
    context = (f"\n--- Linux printed ---\n{want.strip()}\n--- yours printed ---\n{got}"
               + (f"\n--- the kit said ---\n{said}" if said else ""))
    assert diff is None, (f"{program}: line {diff[0]} differs: Linux printed {diff[1]!r}, yours "
                          f"{diff[2]!r}" + context)
    verdict = re.search(rf"^sh: {re.escape(name)} exited with (\d+)$", out, re.M)
    shown = int(verdict.group(1)) if verdict else 0
    assert shown == status, (f"{program}: Linux's exit status is {status}, yours {shown}"
                             + context)


@pytest.mark.points(10)
def test_getpid_cost(linux, kernel, note):
    """lxgetpid: the fewest instructions of a forwarded getpid round trip, against the budget."""
    out = linux.run("lxgetpid")
    g = re.search(r"^getpid: (\d+) instructions per round trip$", out, re.M)
    assert g, f"lxgetpid printed no measurement; the output:\n{out[-2000:]}"
    n, budget = int(g.group(1)), GETPID_BUDGET[kernel.arch]
    note(f"forwarded getpid: {n} instructions (budget {budget})",
         metric=("instructions, forwarded getpid", n))
    assert n <= budget, f"a forwarded getpid takes {n} instructions; the budget is {budget}"

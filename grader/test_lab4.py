"""Lab 4 (ipc): user tasks and system calls (part A), capabilities (part B), IPC (part C),
the fastpath (part D).

Every test runs lab 4's user programs (user/lab4/, linked into the kernel as boot
modules) with the monitor's `run NAME [ARG]`, which prints "run: NAME exited with N" or
"run: NAME killed by a fault". The programs check what the kernel returns and print
"utest <suite> <check>: ok|FAIL got X want Y" lines, then "utest <suite> done: a/b"
(user/lab4/check.c); checks are named by group and the tests score groups. The
well-behaved programs run once each on one shared machine (fixture `runs`); the user
fault, the fastpath's measurements and the fuzzer boot their own. Path lengths are
measured in user space with the instruction counter (QEMU -icount: exact and repeatable).
"""
import os
import re

import pytest

from arches import ARCHES
from harness import PROMPT, KernelFailure, Machine

pytestmark = pytest.mark.lab(4)

# The null system call, user to user, instructions (user/lab4/sysbench.c): about twice the
# reference's (riscv64 211, x86_64 186, aarch64 181; handout/lab4-ipc.md, "How it is graded").
NULL_SYSCALL_BUDGET = {"riscv64": 400, "x86_64": 350, "aarch64": 350}
SYSBAD_CHECKS = 24  # user/lab4/sysbad.c's checks
CAPS_CHECKS = 88  # user/lab4/caps.c's checks
FRAME_CHECKS = 25  # user/lab4/frames.c's checks
# user/lab4/device.c's (riscv64, aarch64: the frame's, -ENOSYS for ports; x86_64: its I/O ports')
DEVICE_CHECKS = {"riscv64": 22, "x86_64": 26, "aarch64": 22}
CSPACE_CHECKS = 32  # user/lab4/cspace.c's checks
IPC_CHECKS = 106  # user/lab4/ipc.c's checks
RAND_CHECKS = 9  # user/lab4/ipcrand.c's checks, per seed
RAND_SEEDS = (1, 99)
# One Call + ReplyRecv round trip between two address spaces, user to user, instructions
# (user/lab4/pingpong.c): about twice the reference's fastpath (riscv64 314, x86_64 262,
# aarch64 307; lab 8's tracing adds about 40); the slowpath takes 2835, 1739 and 1686
# (handout/lab4-ipc.md, "How it is graded").
ROUND_TRIP_BUDGET = {"riscv64": 630, "x86_64": 525, "aarch64": 615}
FASTPATH_SPEEDUP = 3  # the fastpath at least this many times faster than the slowpath
FUZZ_SEED, FUZZ_CALLS = 7, 20000


def run(m, name, timeout=30):
    """The output of `run name` on machine m, up to the next prompt."""
    return m.command(f"run {name}", timeout=timeout)


def utest_ok(out, suite, checks):
    """All of a user test program's checks passed, and there were `checks` of them."""
    fails = re.findall(rf"^utest {suite} \S+: FAIL .*$", out, re.M)
    done = re.search(rf"^utest {suite} done: (\d+)/(\d+)$", out, re.M)
    assert done, f"'run {suite}' did not finish its checks; its output:\n{out[-3000:]}"
    assert not fails and done.group(1) == done.group(2), \
        f"'run {suite}': {done.group(1)}/{done.group(2)} checks passed:\n" + "\n".join(fails)
    assert int(done.group(2)) == checks, f"'run {suite}' ran {done.group(2)} checks, not {checks}"


def exited(out, name, code):
    m = re.search(rf"^run: {name} (exited with -?\d+|killed by a fault)$", out, re.M)
    assert m, f"'run {name}' did not end; its output:\n{out[-3000:]}"
    assert m.group(1) == f"exited with {code}", \
        f"'run {name}' {m.group(1)}, not 'exited with {code}'; its output:\n{out[-3000:]}"


@pytest.mark.points(10)
def test_syscall_basics(runs):
    """Every part-A call once: debug_puts prints, null and yield return 0, task_info fills
    the task's name, tid, entry and stack, exit's code reaches the monitor."""
    out = runs.output("sysbasic")
    assert "sysbasic: hello from user space" in out, f"SYS_DEBUG_PUTS printed nothing:\n{out}"
    assert re.search(r"^sysbasic: task sysbasic, tid \d+, entry 0x400000, stack top 0x40000000$",
                     out, re.M), f"SYS_TASK_INFO's answer is wrong:\n{out}"
    exited(out, "sysbasic", 42)


@pytest.mark.points(15)
def test_syscall_bad_arguments(runs):
    """Unknown numbers are -ENOSYS, bad lengths -EINVAL, pointers the task cannot use
    -EFAULT (NULL, unmapped, the kernel's half, read-only pages written, past the stack's
    end); the kernel never panics and answers afterwards."""
    out = runs.output("sysbad")
    utest_ok(out, "sysbad", SYSBAD_CHECKS)
    exited(out, "sysbad", 0)


@pytest.mark.points(5)
def test_user_fault_stops_task(booted):
    """A task that reads address 0 is reported and stopped; the kernel runs the next task."""
    m = booted()
    out = run(m, "fault")
    assert "fault: reading address 0" in out, f"the program's first line is missing:\n{out}"
    assert re.search(r"^user fault: .* at 0x0 pc=0x[0-9a-f]+ in task fault \(tid \d+\)$", out,
                     re.M), f"no user-fault report for address 0:\n{out}"
    assert re.search(r"^run: fault killed by a fault$", out, re.M), out
    exited(run(m, "sysbasic"), "sysbasic", 42)


@pytest.mark.points(5)
def test_null_syscall_path_length(runs, kernel, note):
    out = runs.output("sysbench")
    r = re.search(r"^sysbench: null syscall (\d+) instructions", out, re.M)
    assert r, f"sysbench printed no measurement:\n{out}"
    n, budget = int(r.group(1)), NULL_SYSCALL_BUDGET[kernel.arch]
    note(f"null syscall: {n} instructions user to user (budget {budget})",
         metric=("instructions per null syscall", n))
    exited(out, "sysbench", 0)
    assert n <= budget, f"the null system call takes {n} instructions; the budget is {budget}"


# -- part B: capabilities (user/lab4/caps.c; one run, its check groups scored apart) ---------


class Runs:
    """One machine for the group tests: each program runs once (on first use) and every test of
    its groups reads that output, so a lab-4 grade boots the kernel a few times, not once per
    group. A failure (a panic, a hang) is kept and shown to every test that needs the run."""

    def __init__(self, kernel):
        self.kernel, self.m, self.cache = kernel, None, {}

    def output(self, program):
        if program not in self.cache:
            try:
                if self.kernel.build_error:
                    raise KernelFailure(self.kernel.build_error)
                if self.m is None:
                    log = os.path.join(self.kernel.logdir, "lab4-shared.log")
                    mem = ARCHES[self.kernel.arch].qemu_mem("128M")
                    self.m = Machine(self.kernel.qemu + mem + ["-append", ""], log, self.kernel.symbols,
                                     cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
                    self.m.expect(PROMPT, what="the monitor prompt 'K> '")
                self.cache[program] = run(self.m, program)
            except KernelFailure as e:
                self.cache[program] = e
        if isinstance(self.cache[program], KernelFailure):
            raise self.cache[program]
        return self.cache[program]

    def close(self):
        if self.m:
            self.m.close()


@pytest.fixture(scope="module")
def runs(kernel):
    r = Runs(kernel)
    yield r
    r.close()


def group_ok(m, program, suite, checks, groups):
    """`run program`'s check lines of groups `groups` (name prefixes) all passed, and it ran
    `checks` checks in all; m is a Machine, or the shared Runs. Returns the output."""
    out = m.output(program) if isinstance(m, Runs) else run(m, program)
    done = re.search(rf"^utest {suite} done: (\d+)/(\d+)$", out, re.M)
    assert done, f"'run {program}' did not finish its checks; its output:\n{out[-3000:]}"
    assert int(done.group(2)) == checks, \
        f"'run {program}' ran {done.group(2)} checks, not {checks}:\n{out[-3000:]}"
    lines = re.findall(rf"^utest {suite} ((?:{'|'.join(groups)})(?:-\S*)?): (ok|FAIL.*)$", out, re.M)
    assert lines, f"no {'/'.join(groups)} checks in:\n{out[-3000:]}"
    fails = [f"{name}: {res}" for name, res in lines if res != "ok"]
    assert not fails, f"'run {program}': {len(fails)} of the {'/'.join(groups)} checks failed:\n" + \
        "\n".join(fails)
    return out


def caps_group(m, groups):
    return group_ok(m, "caps", "caps", CAPS_CHECKS, groups)


@pytest.mark.points(10)
def test_caps_copy_mint_rights(runs):
    """The root task's boot capabilities; retype endpoints; copy and mint only shrink rights;
    one badge, kept by copies; errors for full, empty and untyped slots."""
    caps_group(runs, ["boot", "copy", "mint"])


@pytest.mark.points(10)
def test_caps_move_delete_revoke(runs):
    """Move keeps the derivation tree; delete hands children to the parent; revoke removes
    every descendant (through deleted and moved capabilities), never the capability itself."""
    caps_group(runs, ["move", "delete", "revoke"])


@pytest.mark.points(10)
def test_caps_retype_accounting(runs):
    """An untyped gives out what its size holds, aligned, and no more (-ENOMEM, nothing made);
    revoking it makes its memory free again."""
    caps_group(runs, ["retype"])


@pytest.mark.points(5)
def test_caps_bad_arguments(runs):
    """Slots out of range, bad rights, types, sizes and counts, a full destination: each its
    documented error, nothing changed; the program exits normally."""
    out = caps_group(runs, ["bad"])
    exited(out, "caps", 0)


@pytest.mark.points(5)
def test_caps_frames_shared_memory(runs):
    """Frames retyped from untyped and mapped by their capabilities: one mapping per capability,
    a copy starts unmapped, two capabilities share the page (here and with a child task), a
    delete unmaps, bad addresses and slots get their errors."""
    out = group_ok(runs, "frames", "frame", FRAME_CHECKS, ["frame"])
    exited(out, "frames", 0)


@pytest.mark.points(10)
def test_caps_device_irq(runs, kernel):
    """The device capabilities lab 5's drivers use: the console UART's registers (riscv64 a
    frame the program maps, x86_64 I/O ports with their range errors), its interrupt line
    given a notification, a delete freeing it for a new claim, a notification deleted under
    it; errors documented. The interrupt's delivery and SYS_IRQ_ACK are lab 5's exercise 10,
    graded by lab 5's console and disk tests."""
    out = group_ok(runs, "device", "device", DEVICE_CHECKS[kernel.arch], ["dev"])
    exited(out, "device", 0)


@pytest.mark.points(5)
def test_caps_multilevel_cspace(runs):
    """Capability addresses as paths through CNodes: a retyped CNode reached with and without a
    guard, copy, move, identify and IPC through paths, three levels, a revoke reaching copies in
    other CNodes, guard and path errors, and a chain of 128 CNodes each held by the next deleted
    at once without overflowing the kernel stack."""
    out = group_ok(runs, "cspace", "cspace", CSPACE_CHECKS, ["path"])
    exited(out, "cspace", 0)


# -- part C: IPC (user/lab4/ipc.c, threads of one task; ipcrand.c, a random workload) -------


def ipc_group(m, groups):
    return group_ok(m, "ipc", "ipc", IPC_CHECKS, groups)


@pytest.mark.points(10)
def test_ipc_send_recv(runs):
    """Send and Recv: label, length, badge, MRs in registers and beyond them in the IPC
    buffer; a receiver blocks until a sender comes and the reverse; FIFO wake-up order;
    NBSend/NBRecv never block."""
    ipc_group(runs, ["setup", "send", "nb"])


@pytest.mark.points(10)
def test_ipc_call_reply(runs):
    """Call waits for its reply; the server sees the caller's badge (also on the fastpath, when
    it waits in ReplyRecv); Reply works once; ReplyRecv serves a loop of calls; long messages
    both ways."""
    ipc_group(runs, ["call"])


@pytest.mark.points(5)
def test_ipc_rights_and_cap_transfer(runs):
    """Send and Call need write (also while a receiver waits: the fastpath's case), Recv read,
    Signal write, Wait read, a capability transfer grant; a transferred capability (by a Send,
    or a Call to a waiting receiver) lands in the receiver's recv_slot, or is dropped when full."""
    ipc_group(runs, ["rights", "cap"])


@pytest.mark.points(10)
def test_ipc_notifications(runs):
    """Signal ORs badges, Wait takes and clears the word, Poll never blocks, a waiter wakes;
    a notification bound to a TCB wakes it out of Recv on an endpoint."""
    ipc_group(runs, ["ntfn", "bound"])


@pytest.mark.points(5)
def test_ipc_fault_message_and_revoke(runs):
    """A faulting thread's fault becomes a message to its fault endpoint (label, kind, pc,
    address, badge); deleting or revoking an object's last capability wakes its waiters
    with -EPIPE."""
    ipc_group(runs, ["fault", "gone"])


@pytest.mark.points(5)
def test_ipc_bad_arguments(runs):
    """Lengths over 64 MRs, capabilities of the wrong type, slots out of range or empty,
    starting a started TCB, a misaligned or mapped IPC buffer: each its documented error;
    the program (helper threads still blocked) exits normally."""
    out = ipc_group(runs, ["bad"])
    exited(out, "ipc", 0)


@pytest.mark.points(10)
def test_ipc_random_workload(runs, note):
    """Clients, servers and a notification under a seeded random mix of Call, Send, Signal and
    yield; what each server received equals what each client's model says it sent (counts,
    payload sums, FIFO per sender), every reply is what the model predicts."""
    seen = []
    for seed in RAND_SEEDS:
        out = group_ok(runs, f"ipcrand {seed}", "rand", RAND_CHECKS, ["rand"])
        exited(out, "ipcrand", 0)
        r = re.search(r"^rand: seed \d+, (\d+) calls, (\d+) sends", out, re.M)
        seen.append(f"seed {seed}: {r.group(1)} calls, {r.group(2)} sends" if r else f"seed {seed}")
    note("; ".join(seen))


# -- part D: the fastpath (user/lab4/pingpong.c and pingserver.c, two address spaces) --------


def pingpong(m):
    """(round-trip instructions, call hits, reply_recv hits) of one `run pingpong`."""
    out = run(m, "pingpong")
    exited(out, "pingpong", 0)
    r = re.search(r"^pingpong: round trip (\d+) instructions", out, re.M)
    h = re.search(r"^pingpong: fastpath call (\d+)/(\d+), reply_recv (\d+)/(\d+)$", out, re.M)
    assert r and h, f"pingpong printed no measurement:\n{out[-3000:]}"
    return int(r.group(1)), int(h.group(1)), int(h.group(3)), int(h.group(2))


@pytest.mark.points(10)
def test_fastpath_pingpong(booted, kernel, note):
    """Ping-pong between two address spaces (a client task and the server task it spawned):
    every timed Call and ReplyRecv takes the fastpath, and a round trip fits the budget."""
    m = booted()
    n, calls, rrs, rounds = pingpong(m)
    budget = ROUND_TRIP_BUDGET[kernel.arch]
    note(f"round trip {n} instructions on the fastpath (budget {budget}); hits {calls}+{rrs}/{2 * rounds}",
         metric=("instructions per IPC round trip (fastpath)", n))
    assert calls == rounds and rrs == rounds, \
        f"fastpath hits: call {calls}/{rounds}, reply_recv {rrs}/{rounds} (want all); `ipcstat` says why"
    assert n <= budget, f"a fastpath round trip takes {n} instructions; the budget is {budget}"


@pytest.mark.points(5)
def test_fastpath_against_slowpath(booted, note):
    """The same ping-pong with the fastpath off (`fastpath off`): the fastpath must be at least
    3x faster, and the slowpath still right."""
    m = booted()
    m.command("fastpath off")
    slow, calls, _, _ = pingpong(m)
    m.command("fastpath on")
    fast, _, _, _ = pingpong(m)
    note(f"round trip: slowpath {slow}, fastpath {fast} instructions ({slow / max(fast, 1):.1f}x)")
    assert calls == 0, f"with the fastpath off, {calls} calls still took it"
    assert fast * FASTPATH_SPEEDUP <= slow, \
        f"the fastpath ({fast}) is not {FASTPATH_SPEEDUP}x faster than the slowpath ({slow})"


@pytest.mark.points(5)
def test_syscall_fuzzer(booted, note):
    """A seeded fuzzer (random numbers, arguments, slots held and not, pointers) makes 20,000
    system calls: every result is >= 0 or a known error, the kernel never panics and runs the
    next task."""
    m = booted()
    out = group_ok(m, f"fuzz {FUZZ_SEED}", "fuzz", 1, ["results"])
    exited(out, "fuzz", 0)
    r = re.search(r"^fuzz: seed \d+, (\d+) calls, (\d+) ok, (\d+) errors", out, re.M)
    if r:
        note(f"{r.group(1)} calls: {r.group(2)} ok, {r.group(3)} errors")
    exited(run(m, "sysbasic"), "sysbasic", 42)

"""Lab 4 (ipc): user tasks and system calls (part A), capabilities (part B), IPC (part C).

Every test runs lab 4's user programs (user/lab4/, linked into the kernel as boot
modules) with the monitor's `run NAME`, which prints "run: NAME exited with N" or
"run: NAME killed by a fault". The programs check what the kernel returns and print
"utest <suite> <check>: ok|FAIL got X want Y" lines, then "utest <suite> done: a/b"
(user/lab4/check.c). Path lengths are measured in user space with the instruction
counter (QEMU -icount: exact and repeatable).
"""
import re

import pytest

pytestmark = pytest.mark.lab(4)

# The null system call, user to user, instructions (user/lab4/sysbench.c): about twice the
# reference's (riscv64 226, x86_64 185; handout/lab4-ipc.md, "How it is graded").
NULL_SYSCALL_BUDGET = {"riscv64": 450, "x86_64": 400}
SYSBAD_CHECKS = 24  # user/lab4/sysbad.c's checks
CAPS_CHECKS = 80  # user/lab4/caps.c's checks
IPC_CHECKS = 94  # user/lab4/ipc.c's checks
RAND_CHECKS = 9  # user/lab4/ipcrand.c's checks, per seed
RAND_SEEDS = (1, 99)


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
def test_syscall_basics(booted):
    """Every part-A call once: debug_puts prints, null and yield return 0, task_info fills
    the task's name, tid, entry and stack, exit's code reaches the monitor."""
    m = booted()
    out = run(m, "sysbasic")
    assert "sysbasic: hello from user space" in out, f"SYS_DEBUG_PUTS printed nothing:\n{out}"
    assert re.search(r"^sysbasic: task sysbasic, tid \d+, entry 0x400000, stack top 0x40000000$",
                     out, re.M), f"SYS_TASK_INFO's answer is wrong:\n{out}"
    exited(out, "sysbasic", 42)


@pytest.mark.points(15)
def test_syscall_bad_arguments(booted):
    """Unknown numbers are -ENOSYS, bad lengths -EINVAL, pointers the task cannot use
    -EFAULT (NULL, unmapped, the kernel's half, read-only pages written, past the stack's
    end); the kernel never panics and answers afterwards."""
    m = booted()
    out = run(m, "sysbad")
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
def test_null_syscall_path_length(booted, kernel, note):
    m = booted()
    out = run(m, "sysbench")
    r = re.search(r"^sysbench: null syscall (\d+) instructions", out, re.M)
    assert r, f"sysbench printed no measurement:\n{out}"
    n, budget = int(r.group(1)), NULL_SYSCALL_BUDGET[kernel.arch]
    note(f"null syscall: {n} instructions user to user (budget {budget})")
    exited(out, "sysbench", 0)
    assert n <= budget, f"the null system call takes {n} instructions; the budget is {budget}"


# -- part B: capabilities (user/lab4/caps.c; one run, its check groups scored apart) ---------


def group_ok(m, program, suite, checks, groups):
    """`run program`'s check lines of groups `groups` (name prefixes) all passed, and it ran
    `checks` checks in all. Returns the output."""
    out = run(m, program)
    done = re.search(rf"^utest {suite} done: (\d+)/(\d+)$", out, re.M)
    assert done, f"'run {program}' did not finish its checks; its output:\n{out[-3000:]}"
    assert int(done.group(2)) == checks, \
        f"'run {program}' ran {done.group(2)} checks, not {checks}:\n{out[-3000:]}"
    lines = re.findall(rf"^utest {suite} ((?:{'|'.join(groups)})-\S*): (ok|FAIL.*)$", out, re.M)
    assert lines, f"no {'/'.join(groups)} checks in:\n{out[-3000:]}"
    fails = [f"{name}: {res}" for name, res in lines if res != "ok"]
    assert not fails, f"'run {program}': {len(fails)} of the {'/'.join(groups)} checks failed:\n" + \
        "\n".join(fails)
    return out


def caps_group(m, groups):
    return group_ok(m, "caps", "caps", CAPS_CHECKS, groups)


@pytest.mark.points(10)
def test_caps_copy_mint_rights(booted):
    """The root task's boot capabilities; retype endpoints; copy and mint only shrink rights;
    one badge, kept by copies; errors for full, empty and untyped slots."""
    caps_group(booted(), ["boot", "copy", "mint"])


@pytest.mark.points(10)
def test_caps_move_delete_revoke(booted):
    """Move keeps the derivation tree; delete hands children to the parent; revoke removes
    every descendant (through deleted and moved capabilities), never the capability itself."""
    caps_group(booted(), ["move", "delete", "revoke"])


@pytest.mark.points(10)
def test_caps_retype_accounting(booted):
    """An untyped gives out what its size holds, aligned, and no more (-ENOMEM, nothing made);
    revoking it makes its memory free again."""
    caps_group(booted(), ["retype"])


@pytest.mark.points(5)
def test_caps_bad_arguments(booted):
    """Slots out of range, bad rights, types, sizes and counts, a full destination: each its
    documented error, nothing changed; the program exits normally."""
    out = caps_group(booted(), ["bad"])
    exited(out, "caps", 0)


# -- part C: IPC (user/lab4/ipc.c, threads of one task; ipcrand.c, a random workload) -------


def ipc_group(m, groups):
    return group_ok(m, "ipc", "ipc", IPC_CHECKS, groups)


@pytest.mark.points(10)
def test_ipc_send_recv(booted):
    """Send and Recv: label, length, badge, MRs in registers and beyond them in the IPC
    buffer; a receiver blocks until a sender comes and the reverse; FIFO wake-up order;
    NBSend/NBRecv never block."""
    ipc_group(booted(), ["setup", "send", "nb"])


@pytest.mark.points(10)
def test_ipc_call_reply(booted):
    """Call waits for its reply; the server sees the caller's badge; Reply works once;
    ReplyRecv serves a loop of calls; long messages both ways."""
    ipc_group(booted(), ["call"])


@pytest.mark.points(5)
def test_ipc_rights_and_cap_transfer(booted):
    """Send needs write, Recv read, Signal write, Wait read, a capability transfer grant;
    a transferred capability lands in the receiver's recv_slot, or is dropped when full."""
    ipc_group(booted(), ["rights", "cap"])


@pytest.mark.points(10)
def test_ipc_notifications(booted):
    """Signal ORs badges, Wait takes and clears the word, Poll never blocks, a waiter wakes;
    a notification bound to a TCB wakes it out of Recv on an endpoint."""
    ipc_group(booted(), ["ntfn", "bound"])


@pytest.mark.points(5)
def test_ipc_fault_message_and_revoke(booted):
    """A faulting thread's fault becomes a message to its fault endpoint (label, kind, pc,
    address, badge); deleting or revoking an object's last capability wakes its waiters
    with -EPIPE."""
    ipc_group(booted(), ["fault", "gone"])


@pytest.mark.points(5)
def test_ipc_bad_arguments(booted):
    """Lengths over 64 MRs, capabilities of the wrong type, slots out of range or empty,
    starting a started TCB, a misaligned or mapped IPC buffer: each its documented error;
    the program (helper threads still blocked) exits normally."""
    out = ipc_group(booted(), ["bad"])
    exited(out, "ipc", 0)


@pytest.mark.points(10)
def test_ipc_random_workload(booted, note):
    """Clients, servers and a notification under a seeded random mix of Call, Send, Signal and
    yield; what each server received equals what each client's model says it sent (counts,
    payload sums, FIFO per sender), every reply is what the model predicts."""
    m, seen = booted(), []
    for seed in RAND_SEEDS:
        out = group_ok(m, f"ipcrand {seed}", "rand", RAND_CHECKS, ["rand"])
        exited(out, "ipcrand", 0)
        r = re.search(r"^rand: seed \d+, (\d+) calls, (\d+) sends", out, re.M)
        seen.append(f"seed {seed}: {r.group(1)} calls, {r.group(2)} sends" if r else f"seed {seed}")
    note("; ".join(seen))

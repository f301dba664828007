"""Lab 4 (ipc): user tasks and system calls (part A), capabilities (part B).

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
# reference's (riscv64 222, x86_64 183; handout/lab4-ipc.md, "How it is graded").
NULL_SYSCALL_BUDGET = {"riscv64": 450, "x86_64": 400}
SYSBAD_CHECKS = 24  # user/lab4/sysbad.c's checks
CAPS_CHECKS = 80  # user/lab4/caps.c's checks


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


def caps_group(m, groups):
    """The caps program's lines of check groups `groups` (prefixes) all passed."""
    out = run(m, "caps")
    done = re.search(r"^utest caps done: (\d+)/(\d+)$", out, re.M)
    assert done, f"'run caps' did not finish its checks; its output:\n{out[-3000:]}"
    assert int(done.group(2)) == CAPS_CHECKS, f"'run caps' ran {done.group(2)} checks, not {CAPS_CHECKS}"
    lines = re.findall(rf"^utest caps ((?:{'|'.join(groups)})-?\S*): (ok|FAIL.*)$", out, re.M)
    assert lines, f"no '{groups}' checks in:\n{out[-3000:]}"
    fails = [f"{name}: {res}" for name, res in lines if res != "ok"]
    assert not fails, f"'run caps': {len(fails)} of the {'/'.join(groups)} checks failed:\n" + \
        "\n".join(fails)
    return out


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

"""Lab 7 (rpi): the aarch64 port's own tests, on QEMU raspi3b (aarch64 only: arches.py
port_lab). Labs 1-4's tests run on aarch64 in the same grade, unchanged.

The monitor's `cpu` command (arch/aarch64/arch.c) prints what the port set up: the exception
level and the one entry.S started at, the stack pointer in use, VBAR_EL1 and SCTLR_EL1, which
of cores 1-3 reached the park loop, and the timer frequency as CNTFRQ_EL0 says and as the
kernel uses it, with the counter time the kernel measures over 1,000,000 instructions (1 ms of
virtual time under -icount shift=0). A kernel fault report on aarch64 starts with the ESR
decoded ("esr: 0x... <exception class>: <fault status>, level N").
"""
import re

import pytest

from harness import PROMPT
from test_lab4 import NULL_SYSCALL_BUDGET, ROUND_TRIP_BUDGET, pingpong, run

pytestmark = pytest.mark.lab(7)

SCTLR_RES1 = 0x30D00800  # SCTLR_EL1's RES1 bits (Arm ARM D17.2.118)
SCTLR_M_C_I = 1 << 0 | 1 << 2 | 1 << 12  # the MMU and both caches on
PI3_CNTFRQ = 19_200_000  # a real Pi 3's counter; QEMU's raspi3b runs 62.5 MHz unless told
QEMU_CNTFRQ = 62_500_000
TIMER_TOLERANCE = 0.01  # counter time against virtual time (instructions)


def cpu(m):
    """The `cpu` command's lines, as a dict of the parsed facts."""
    out = m.command("cpu")
    facts = {}
    r = re.search(r"^cpu: EL(\d+), entered at EL(\d+), SPSel (\d+)$", out, re.M)
    assert r, f"`cpu` printed no exception level line:\n{out}"
    facts["el"], facts["entry_el"], facts["spsel"] = map(int, r.groups())
    r = re.search(r"^cpu: VBAR_EL1 (0x[0-9a-f]+), SCTLR_EL1 (0x[0-9a-f]+)$", out, re.M)
    assert r, f"`cpu` printed no VBAR_EL1/SCTLR_EL1 line:\n{out}"
    facts["vbar"], facts["sctlr"] = (int(x, 16) for x in r.groups())
    facts["parked"] = {int(c): s == "parked" for c, s in
                       re.findall(r"^cpu: core (\d) (parked|not parked)$", out, re.M)}
    r = re.search(r"^cpu: timer CNTFRQ_EL0 (\d+) Hz, used (\d+) Hz; (\d+) ns of counter time in "
                  r"(\d+) instructions$", out, re.M)
    assert r, f"`cpu` printed no timer line:\n{out}"
    facts["cntfrq"], facts["hz"], facts["ns"], facts["insns"] = map(int, r.groups())
    return facts


@pytest.mark.points(10)
def test_el1_reached(booted, kernel):
    """entry.S dropped from EL2 (where raspi3b starts a kernel8.img) to EL1 on SP_EL1, with the
    vectors at arm64_vectors and SCTLR_EL1's MMU and caches on (its RES1 bits kept)."""
    f = cpu(booted())
    assert f["entry_el"] == 2, f"entry.S started at EL{f['entry_el']}; raspi3b starts a kernel8.img in EL2"
    assert f["el"] == 1, f"the kernel runs at EL{f['el']}, not EL1: the drop (HCR_EL2.RW, SPSR_EL2, ELR_EL2, eret)"
    assert f["spsel"] == 1, "the kernel runs on SP_EL0: SPSR_EL2.M should be EL1h (0b0101)"
    want = kernel.symbols.addr("arm64_vectors")
    assert f["vbar"] == want, f"VBAR_EL1 is {f['vbar']:#x}, arm64_vectors is at {want:#x}"
    assert f["vbar"] % 2048 == 0, f"VBAR_EL1 {f['vbar']:#x} is not 2 KiB aligned"
    missing = (SCTLR_RES1 | SCTLR_M_C_I) & ~f["sctlr"]
    assert not missing, f"SCTLR_EL1 {f['sctlr']:#x} lacks bits {missing:#x} (RES1, or M, C, I)"


@pytest.mark.points(5)
def test_cores_parked(booted):
    """Cores 1-3 left the firmware's spin table (a wfe loop: busy time under TCG) for the
    kernel's wfi park loop; core 0 runs the kernel."""
    f = cpu(booted())
    assert sorted(f["parked"]) == [1, 2, 3], f"`cpu` should account for cores 1-3, it lists {sorted(f['parked'])}"
    idle = [c for c, p in f["parked"].items() if not p]
    assert not idle, f"cores {idle} never reached the park loop (spin table 0xe0/0xe8/0xf0 and sev)"


@pytest.mark.points(5)
@pytest.mark.parametrize("hz", [QEMU_CNTFRQ, PI3_CNTFRQ])
def test_timer_frequency_read(boot, hz):
    """The timer's frequency is read from CNTFRQ_EL0, never assumed: QEMU's 62.5 MHz, and a
    real Pi 3's 19.2 MHz (QEMU told so), both give the right time (1,000,000 instructions
    are 1 ms of virtual time)."""
    m = boot(extra=["-global", f"cortex-a53-arm-cpu.cntfrq={hz}"])
    m.expect(PROMPT, what="the monitor prompt 'K> '")
    f = cpu(m)
    assert f["cntfrq"] == hz, f"CNTFRQ_EL0 reads {f['cntfrq']} Hz; QEMU was given {hz}"
    assert f["hz"] == hz, f"the kernel uses {f['hz']} Hz, CNTFRQ_EL0 says {hz}: read it, never assume it"
    err = abs(f["ns"] - f["insns"]) / f["insns"]
    assert err <= TIMER_TOLERANCE, \
        f"{f['insns']} instructions (as many ns of virtual time) measured as {f['ns']} ns of counter time"


@pytest.mark.points(10)
@pytest.mark.warnings_expected()
def test_wx_exception_classes(booted):
    """W^X on aarch64, decoded from ESR_EL1: a write to kernel text is a data abort from EL1
    with a permission fault, executing data an instruction abort from EL1 with a permission
    fault, reading NULL a data abort with a translation fault; a user read of NULL is reported
    as a data abort from EL0; the kernel jumping into a user page faults (PXN)."""
    m = booted()
    out = m.command("test vmfault")
    want = [("writing kernel text", 0x25, "data abort from EL1", "permission fault"),
            ("executing data", 0x21, "instruction abort from EL1", "permission fault"),
            ("reading NULL", 0x25, "data abort from EL1", "translation fault")]
    for title, ec, name, status in want:
        part = out.split(f"vmfault: {title}", 1)
        assert len(part) == 2, f"'test vmfault' did not get to '{title}':\n{out[-2000:]}"
        r = re.search(r"^esr: (0x[0-9a-f]+) ([a-zA-Z0-9 ]+): ([a-z ]+), level \d$", part[1], re.M)
        assert r, f"{title}: no 'esr: 0x... <class>: <fault status>' line (did it fault?):\n{part[1][:1500]}"
        esr = int(r.group(1), 16)
        assert esr >> 26 == ec, f"{title}: ESR {esr:#x} has class {esr >> 26:#x}, want {ec:#x} ({name})"
        assert (r.group(2), r.group(3)) == (name, status), \
            f"{title}: '{r.group(2)}: {r.group(3)}', want '{name}: {status}' (W^X in the PTE's AP/PXN bits)"
    out = m.command("test umode")
    assert re.search(r"^ktest umode kernel-exec-user-faults: ok", out, re.M), \
        f"the kernel executed a user page without a fault: every user page needs PXN:\n{out[-1500:]}"
    out = run(m, "fault")
    assert re.search(r"^user fault: data abort from EL0 read at 0x0 ", out, re.M), \
        f"a user read of NULL should be reported as 'user fault: data abort from EL0 read at 0x0':\n{out}"


@pytest.mark.points(10)
def test_fastpath_on_aarch64(booted, note):
    """Lab 4's IPC fastpath through the aarch64 trap code: every timed Call and ReplyRecv of
    a ping-pong between two address spaces hits it, within the aarch64 budget; and the null
    system call (svc, the vector, the frame, back) within its budget."""
    m = booted()
    n, calls, rrs, rounds = pingpong(m)
    budget = ROUND_TRIP_BUDGET["aarch64"]
    out = run(m, "sysbench")
    r = re.search(r"^sysbench: null syscall (\d+) instructions", out, re.M)
    null = int(r.group(1)) if r else None
    note(f"round trip {n} instructions (budget {budget}); null system call {null} "
         f"(budget {NULL_SYSCALL_BUDGET['aarch64']})")
    assert calls == rounds and rrs == rounds, f"fastpath hits: call {calls}/{rounds}, reply_recv {rrs}/{rounds}"
    assert n <= budget, f"a fastpath round trip takes {n} instructions on aarch64; the budget is {budget}"
    assert null is not None, f"sysbench printed no measurement:\n{out[-2000:]}"
    assert null <= NULL_SYSCALL_BUDGET["aarch64"], f"the null system call takes {null} instructions"

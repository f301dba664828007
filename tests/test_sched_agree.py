"""The kernel's schedbench and tools/sched-sim agree on lab 3's workload.

Both run the workload of sched_workload.c under the policies of sched_rr.c and sched_joint.c,
from the same solved sources: schedbench on kernel threads in the lab-3 reference kernel
under QEMU, sched-sim on a simulated CPU. At loads 100 and 150, and at 150 with 50 CPU-bound
tasks (cpu-tasks=50, --cpu-tasks 50: 62 threads, the scaling experiment; seed 1, weights
1,2,3, 300 ms) they must agree
  - in direction, each of them: under joint the LS p99 response is lower than under RR, the
    LS deadline miss ratio no higher, and RR p99 / joint p99 is at least 3;
  - in magnitude: the kernel's joint p99 is within 25 % of sched-sim's (measured: 3-6 %
    apart), and its RR miss ratio at most 15 points below sched-sim's and never above it
    (measured: 6-9 points below at 9 CPU-bound tasks, 1 at 50; why, next).
Not closer, because the machines differ: the kernel pays for timer interrupts and real
context switches where sched-sim charges a fixed 2 us per switch, and the two judge a late
job differently. The kernel drops a job not started by its deadline even when its task slept
through the release; sched-sim drops jobs only when the previous one completes late, and runs
the others late. So under RR the kernel drops more jobs, does less LS work, and its miss ratio
and p99 come out lower than sched-sim's.

The builds and runs are tools/sched-compare's (which prints the same numbers as a table):
sched-sim is built once per session, and one QEMU boot per arch runs the four schedbench
commands. A failure lists the commands to rerun, in the kernel and in sched-sim.
test_plot_writes_figures draws sched-compare --plot's three figures from sched-sim runs.
"""
import importlib.machinery
import importlib.util
import os

import pytest

from conftest import ARCHES, KIT

WORKLOADS = [(100, None), (150, None), (150, 50)]  # (load, CPU-bound tasks; None: the load's)
SEED, MS = 1, 300
MIN_RATIO = 3          # RR p99 / joint p99, in each program
P99_FACTOR = 1.25      # kernel joint p99 against sched-sim's, either way
RR_MISS_POINTS = 15    # kernel RR miss % below sched-sim's, at most


def load_tool():
    """tools/sched-compare as a module (its file name has no .py)."""
    loader = importlib.machinery.SourceFileLoader(
        "sched_compare", os.path.join(KIT, "tools", "sched-compare"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


tool = load_tool()


def checked(fn, *args, **kwargs):
    """fn(*args, **kwargs); a CompareError fails the test with its message alone."""
    try:
        return fn(*args, **kwargs)
    except tool.CompareError as e:
        error = str(e)
    pytest.fail(error, pytrace=False)


@pytest.fixture(scope="session")
def sim():
    """The path of a freshly built sched-sim (the solved policies)."""
    return checked(tool.build_sim)


def direction(name, rr, joint):
    """What is wrong with one program's RR and joint summaries at one load, as lines."""
    bad = []
    rp, jp = rr["ls_response_us.p99"], joint["ls_response_us.p99"]
    rm, jm = rr["ls_deadlines.miss_pct"], joint["ls_deadlines.miss_pct"]
    if not jp < rp:
        bad.append(f"{name}: LS p99 {jp} us under joint is not lower than {rp} us under RR")
    if not jm <= rm:
        bad.append(f"{name}: joint misses {jm} % of LS deadlines, more than RR's {rm} %")
    if jp > 0 and rp / jp < MIN_RATIO:
        bad.append(f"{name}: RR p99 / joint p99 = {rp / jp:.1f}, below {MIN_RATIO}")
    return bad


def magnitude(kernel, sim):
    """What is wrong with the kernel's numbers against sched-sim's at one load, as lines."""
    bad = []
    kp, sp = kernel["joint"]["ls_response_us.p99"], sim["joint"]["ls_response_us.p99"]
    if not sp / P99_FACTOR <= kp <= sp * P99_FACTOR:
        bad.append(f"joint LS p99: kernel {kp} us, sched-sim {sp} us: "
                   f"more than a factor of {P99_FACTOR} apart")
    km, sm = kernel["rr"]["ls_deadlines.miss_pct"], sim["rr"]["ls_deadlines.miss_pct"]
    if not 0 <= sm - km <= RR_MISS_POINTS:
        bad.append(f"RR miss ratio: kernel {km} %, sched-sim {sm} %: expected the kernel's "
                   f"0 to {RR_MISS_POINTS} points below (it drops more jobs)")
    return bad


@pytest.mark.parametrize("arch", ARCHES)
def test_kernel_agrees_with_sim(arch, sim, tmp_path):
    """Direction at each load in both programs, and rough magnitude between them."""
    log = str(tmp_path / "schedbench.log")
    runs = checked(tool.kernel_runs, arch, WORKLOADS, SEED, MS, log=log)
    report = []
    for load, cpu_tasks in WORKLOADS:
        host = {p: checked(tool.sim_run, sim, p, load, SEED, MS, cpu_tasks) for p in tool.POLICIES}
        kernel = {p: runs[p, load, cpu_tasks][0] for p in tool.POLICIES}
        simulated = {p: host[p][0] for p in tool.POLICIES}
        bad = direction("kernel", kernel["rr"], kernel["joint"])
        bad += direction("sched-sim", simulated["rr"], simulated["joint"])
        bad += magnitude(kernel, simulated)
        if bad:
            cmds = [runs[p, load, cpu_tasks][1] for p in tool.POLICIES] + \
                [host[p][1] for p in tool.POLICIES]
            report += [f"{tool.name(load, cpu_tasks)}:", *(f"  {b}" for b in bad), "  rerun:",
                       *(f"    {c}" for c in cmds)]
    if report:
        pytest.fail(f"{arch}: the kernel and sched-sim disagree\n" + "\n".join(report),
                    pytrace=False)


def test_plot_writes_figures(sim, tmp_path):
    """sched-compare --plot's figures from sched-sim runs (standing in for the kernel's, which
    the test above checks): three PNG files, each under 150 KiB, so the handout can carry them."""
    workloads = [(150, None), (150, 50)]
    res = {key: {w: checked(tool.sim_run, sim, key[0], key[1], SEED, 100, key[2], 10)[0]
                 for w in ("kernel", "sim")}
           for key in [(p, load, n) for load, n in workloads for p in tool.POLICIES]}
    scale = {"riscv64": {p: [(21, 170, 280, 0.7), (62, 194, 360, 0.78)] for p in tool.POLICIES}}
    paths = tool.plot({"riscv64": res}, scale, workloads, 10, str(tmp_path))
    assert [os.path.basename(p) for p in paths] == ["sched-cdf.png", "sched-epochs.png",
                                                     "sched-scale.png"]
    for p in paths:
        with open(p, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", f"{p} is not a PNG"
        assert os.path.getsize(p) < 150 * 1024, f"{p}: {os.path.getsize(p)} bytes"

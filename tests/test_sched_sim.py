"""Host tests of tools/sched-sim and, through it, of lab 3's two scheduling policies.

`make sched-sim LAB=3 SOL=1` builds the simulator (build/host/sched-sim-sol) and the
policies' scripted unit tests (build/host/sched-policy-test-sol) from the solved stage-3
policies and workload generator; without SOL=1 from the starter make renders from solutions/
into build/starter/lab3-sched. See the Makefile's sched-sim target.

The unit tests check, one scenario each: RR's order and quantum; joint's hysteresis, EDF
order, limited preemption, admission by the declared deadline, deadline postponement,
stride ratios, the pass lift of a waking and of a joining entity, and the CPU-bound minimum
share; a failure prints "FAIL <scenario> test_policy.c:LINE: <condition>". The grader runs the
same scenarios on a student's two policy files (grader/test_lab3.py, test_policy_scenarios).

What is checked: the output and the CSV are a function of the arguments (same seed, same
bytes; another seed, other bytes); the CSV's epochs add up to the summary; and the research
claims of the joint scheduler on identical workloads, seeds 1..5:
  - latency-sensitive (LS) tasks alone meet every deadline under joint (EDF), at load 100
    and up to 85 % LS utilization;
  - at 100 % and 150 % mixed load, joint misses < 1 % of LS deadlines, its LS p99 response
    is at least 5x better than RR's, each CPU-bound task's share of the CPU-bound tasks'
    time is within 5 % of its weighted fair share, none starves, and no task changes class
    (the CPU-bound tasks declare no deadline, so they are admitted CPU-bound);
  - when LS demand alone fills the CPU, the CPU-bound class still gets its minimum share;
  - a burst of 50 or 200 new CPU-bound tasks at 150 % load: joint still misses < 1 % of the
    LS deadlines over the whole run and its LS p99 stays at least 5x better than RR's.
And the tests can fail: lab 3's starter policies (its stubs, rendered by labgen) fail every
unit scenario, cleanly, and sched-sim still runs them (nothing but idling).
Rerun a failure with the command in its message.

SCHED_SIM_POLICY_DIR=dir tests the sched_rr.c and sched_joint.c in dir instead (a student's
lab3-sched/common, a mutant); the binaries then end in -policies.
"""
import os
import re
import subprocess

import pytest

from conftest import KIT, make
from harness import sched_summary as summary

POLICY_DIR = os.environ.get("SCHED_SIM_POLICY_DIR")
UNIT_SCENARIOS = ["rr", "hysteresis", "edf_order", "limited_preemption", "admission",
                  "deadline_postponed", "stride_ratio", "stride_lift", "stride_join", "min_share"]
SEEDS = [1, 2, 3, 4, 5]
DURATION = ["--duration-ms", "2000", "--epoch-ms", "100"]
WEIGHTS = ["--weights", "1,2,3"]
SCHED_CPU_MIN_SHARE = 10  # percent, sched_policy.h


def built(sol, tag, policy_dir=None):
    """{"sim": path, "unit": path} of `make sched-sim` for lab 3 (sol: the reference)."""
    make("sched-sim", "LAB=3", f"SOL={sol}", f"SIM_TAG={tag}",
         *([f"POLICY_DIR={os.path.abspath(policy_dir)}"] if policy_dir else []))
    host = os.path.join(KIT, "build", "host")
    return {"sim": os.path.join(host, "sched-sim" + tag),
            "unit": os.path.join(host, "sched-policy-test" + tag)}


@pytest.fixture(scope="session")
def binaries():
    """The reference's binaries, or SCHED_SIM_POLICY_DIR's policies with the reference's rest."""
    return built(1, "-policies" if POLICY_DIR else "-sol", POLICY_DIR)


@pytest.fixture(scope="session")
def sim(binaries):
    return binaries["sim"]


@pytest.fixture(scope="session")
def unit(binaries):
    return binaries["unit"]


@pytest.fixture(scope="session")
def starter():
    """{"unit": path, "sim": path}: both built from lab 3's starter policies."""
    return built(0, "-starter")


@pytest.mark.parametrize("scenario", UNIT_SCENARIOS)
def test_policy_unit(unit, scenario):
    """One scripted scenario of test_policy.c: the policy's choices, step by step."""
    r = subprocess.run([unit, scenario], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout == f"PASS {scenario}\n", \
        f"{os.path.relpath(unit, KIT)} {scenario} exited {r.returncode}:\n{r.stdout}{r.stderr}"


# Mutants of the reference sched_joint.c, each with the scenario that must catch it: the
# scripted tests check each mechanism, not only that pick_next returns something.
MUTANTS = {
    "no_min_share": ("return window.cpu_sum * 100 >= SCHED_CPU_MIN_SHARE * (window.cpu_sum + "
                     "window.ls_sum);", "return true;", "min_share"),
    "all_latency_first": ("e->class = e->rel_deadline_ns ? SCHED_LATENCY : SCHED_CPU_BOUND;",
                          "e->class = SCHED_LATENCY;", "admission"),
    "no_pass_lift": ("if (e->pass < floor)", "if (0)", "stride_lift"),
    "no_hysteresis": ("if (++e->streak < SCHED_RECLASSIFY_RUNS)", "if (++e->streak < 1)",
                      "hysteresis"),
    "edf_latest_first": ("e->node.key = e->deadline_ns;", "e->node.key = ~e->deadline_ns;",
                         "edf_order"),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_mutant_caught(mutant, tmp_path):
    """A broken mechanism in joint fails its scenario at a check (not a hang, not a crash)."""
    before, after, scenario = MUTANTS[mutant]
    solved = os.path.join(KIT, "build", "solved", "lab3-sched", "common")
    make("sched-sim", "LAB=3", "SOL=1")  # renders the solved tree
    with open(os.path.join(solved, "sched_joint.c")) as f:
        text = f.read()
    assert text.count(before) == 1, f"the mutant's anchor is gone from sched_joint.c: {before}"
    (tmp_path / "sched_joint.c").write_text(text.replace(before, after))
    (tmp_path / "sched_rr.c").write_text(open(os.path.join(solved, "sched_rr.c")).read())
    unit = built(1, f"-mut-{mutant}", str(tmp_path))["unit"]
    r = subprocess.run([unit, scenario], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and re.match(rf"FAIL {scenario} \S*test_policy\.c:\d+: ", r.stdout), \
        f"mutant {mutant}: {os.path.relpath(unit, KIT)} {scenario} exited {r.returncode}:\n{r.stdout}"


def test_failed_build_leaves_no_binary(tmp_path):
    """A `make sched-sim` that does not compile removes both binaries of its tag, so an older
    build is never run by mistake."""
    solved = os.path.join(KIT, "build", "solved", "lab3-sched", "common")
    make("sched-sim", "LAB=3", "SOL=1")
    for f in ("sched_rr.c", "sched_joint.c"):
        (tmp_path / f).write_text(open(os.path.join(solved, f)).read())
    binaries = built(1, "-stale", str(tmp_path))
    assert all(os.path.exists(p) for p in binaries.values())
    (tmp_path / "sched_joint.c").write_text("this does not compile\n")
    r = make("sched-sim", "LAB=3", "SOL=1", "SIM_TAG=-stale", f"POLICY_DIR={tmp_path}", check=False)
    assert r.returncode != 0, "make sched-sim built a file that does not compile"
    left = [os.path.relpath(p, KIT) for p in binaries.values() if os.path.exists(p)]
    assert not left, f"a failed make sched-sim left {left} behind"
    assert not [f for f in os.listdir(os.path.dirname(binaries["sim"])) if "-stale." in f], \
        "a failed make sched-sim left a temporary file behind"


@pytest.mark.parametrize("scenario", UNIT_SCENARIOS)
def test_starter_fails(starter, scenario):
    """The tests can fail: lab 3's starter policies fail each scenario at a check, not a crash."""
    unit = starter["unit"]
    r = subprocess.run([unit, scenario], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and re.match(rf"FAIL {scenario} \S*test_policy\.c:\d+: ", r.stdout), \
        f"{os.path.relpath(unit, KIT)} {scenario} exited {r.returncode}:\n{r.stdout}{r.stderr}"


@pytest.mark.parametrize("policy", ["rr", "joint"])
def test_starter_is_safe(starter, policy):
    """The starter's stubs are safe: sched-sim runs them to the end, and nothing ever runs."""
    s = summary(run(starter["sim"], "--policy", policy, "--load", 100, "--duration-ms", 50))
    assert s["utilization_pct"] == 0 and s["ls_deadlines.jobs"] == 0


def run(sim, *args):
    """sched-sim's stdout for args; fails the test, with the command, when it exits non-zero."""
    cmd = [sim, *map(str, args)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr}", pytrace=False)
    return r.stdout


def simulate(sim, policy, *args):
    """(summary, the command to rerun) of one run."""
    argv = ["--policy", policy, *args, *DURATION]
    return summary(run(sim, *argv)), " ".join([os.path.relpath(sim, KIT), *map(str, argv)])


def test_deterministic(sim, tmp_path):
    """The same seed gives the same bytes on stdout and in the CSV; another seed does not."""
    outs, csvs = [], []
    for i, seed in enumerate([7, 7, 8]):
        csv = tmp_path / f"run{i}.csv"
        outs.append(run(sim, "--policy", "joint", "--load", 150, "--seed", seed,
                        "--duration-ms", 300, "--epoch-ms", 50, "--csv", csv))
        csvs.append(csv.read_bytes())
    assert outs[0] == outs[1] and csvs[0] == csvs[1], "seed 7 twice gave different output"
    assert outs[0] != outs[2] and csvs[0] != csvs[2], "seeds 7 and 8 gave the same output"
    assert len(csvs[0].splitlines()) == 1 + 300 // 50


@pytest.mark.parametrize("policy", ["rr", "joint"])
def test_csv_adds_up(sim, tmp_path, policy):
    """The CSV has one row per epoch (the last one partial), and they add up to the summary."""
    csv = tmp_path / "epochs.csv"
    out = run(sim, "--policy", policy, "--load", 150, "--seed", 1, "--duration-ms", 250,
              "--epoch-ms", 100, "--csv", csv)
    s = summary(out)
    header, *rows = [line.split(",") for line in csv.read_text().splitlines()]
    rows = [dict(zip(header, row)) for row in rows]
    assert [r["end_ms"] for r in rows] == ["100", "200", "250"]
    total = {k: sum(int(r[k]) for r in rows) for k in
             ("jobs", "misses", "switches", "decisions", "reclassifications")}
    assert total["jobs"] == s["ls_deadlines.jobs"]
    assert total["misses"] == s["ls_deadlines.misses"]
    assert total["switches"] == s["scheduler.switches"]
    assert total["decisions"] == s["scheduler.decisions"]
    assert total["reclassifications"] == s["scheduler.reclassifications"]
    assert len([line for line in out.splitlines() if re.match(r"\s+\d+\s+\d+\s", line)]) == 3


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("workload", [["--load", 100], ["--ls-util", 85]])
def test_ls_alone_meet_deadlines(sim, workload, seed):
    """Without CPU-bound tasks, joint (EDF) meets every LS deadline, to 85 % LS utilization."""
    s, cmd = simulate(sim, "joint", *workload, "--cpu-tasks", 0, "--seed", seed)
    assert s["ls_deadlines.jobs"] > 1000, cmd
    assert s["ls_deadlines.misses"] == 0 and s["ls_deadlines.late_unfinished"] == 0, \
        f"{cmd}: {s['ls_deadlines.misses']:.0f} LS deadline misses"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("load", [100, 150])
def test_joint_against_rr(sim, load, seed):
    """Joint and RR on the same mixed workload: deadlines, LS p99, CPU-bound fairness."""
    joint, cmd = simulate(sim, "joint", "--load", load, "--seed", seed, *WEIGHTS)
    rr, rr_cmd = simulate(sim, "rr", "--load", load, "--seed", seed, *WEIGHTS)
    assert joint["ls_deadlines.miss_pct"] < 1, f"{cmd}: LS deadline misses"
    assert 5 * joint["ls_response_us.p99"] <= rr["ls_response_us.p99"], \
        (f"LS p99 {joint['ls_response_us.p99']} us under joint ({cmd}) is not 5x better than "
         f"{rr['ls_response_us.p99']} us under RR ({rr_cmd})")
    cpu = joint["cpu_tasks"]
    assert len(cpu) == (load * 60 // 10 + 50) // 100
    for t in cpu:
        assert float(t["cpu_ms"]) > 0, f"{cmd}: CPU-bound task {t['id']} starved"
        assert float(t["error_pct"]) < 5, \
            f"{cmd}: task {t['id']} got {t['share_pct']} % of the CPU-bound time, fair {t['fair_pct']} %"
    assert joint["utilization_pct.cpu_bound"] >= SCHED_CPU_MIN_SHARE - 1, cmd
    assert joint["scheduler.reclassifications"] == 0, \
        f"{cmd}: expected no class changes (CPU-bound tasks declare no deadline: admitted CPU-bound)"
    assert all(t["class"] == "latency" for t in joint["ls_tasks"]), cmd
    assert rr["scheduler.reclassifications"] == 0, rr_cmd


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("ls_util", [100, 120])
def test_cpu_bound_minimum_share(sim, ls_util, seed):
    """LS demand alone fills the CPU: the CPU-bound class still gets SCHED_CPU_MIN_SHARE.

    The guarantee is the class's: LS tasks that fall behind join the class (they no longer
    block) and share it, so it is measured by the policy's class of what ran.
    """
    s, cmd = simulate(sim, "joint", "--ls-util", ls_util, "--cpu-tasks", 3, "--seed", seed)
    share = s["class_share_pct.cpu_bound"]
    assert share >= SCHED_CPU_MIN_SHARE - 1, \
        f"{cmd}: the CPU-bound class got {share} % of the CPU time tasks got"
    for t in s["cpu_tasks"]:
        assert float(t["cpu_ms"]) > 0 and float(t["error_pct"]) < 5, f"{cmd}: task {t['id']}"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("cpu_tasks", [50, 200])
def test_burst_of_cpu_tasks(sim, cpu_tasks, seed):
    """Many new CPU-bound tasks at once (latency-sensitive until they show themselves) beside
    the LS set at 150 %: no deadlines lost, over the whole run, and p99 5x better than RR's."""
    args = ["--load", 150, "--cpu-tasks", cpu_tasks, "--seed", seed, *WEIGHTS]
    joint, cmd = simulate(sim, "joint", *args)
    rr, rr_cmd = simulate(sim, "rr", *args)
    assert joint["ls_deadlines.miss_pct"] < 1, f"{cmd}: {joint['ls_deadlines.miss_pct']} % missed"
    assert 5 * joint["ls_response_us.p99"] <= rr["ls_response_us.p99"], \
        (f"LS p99 {joint['ls_response_us.p99']} us under joint ({cmd}) is not 5x better than "
         f"{rr['ls_response_us.p99']} us under RR ({rr_cmd})")
    assert joint["scheduler.reclassifications"] == 0, cmd


@pytest.mark.parametrize("args, message", [
    (["--policy", "fifo"], "neither rr nor joint"),
    (["--load", "abc"], "not a number"),
    (["--load", "999"], "at most"),
    (["--weights", "1,0"], "at least 1"),
    (["--bogus"], "usage"),
])
def test_bad_arguments(sim, args, message):
    """Bad arguments exit 2 with a reason, before simulating anything."""
    r = subprocess.run([sim, *args], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2 and message in r.stderr and not r.stdout, r.stderr

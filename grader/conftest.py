"""conftest.py: the grader's plumbing for pytest.

Options: --arch, --lab (grade labs 1..N), --sol (0: the lab's starter or the
student's labs/labN-*, 1: the solved stage), --tree DIR (a student's lab tree:
make's TREE), --results-json PATH (Gradescope format). Tests carry
@pytest.mark.lab(N) and @pytest.mark.points(P); the summary lists each test
and ends "Score: X/Y"; pytest exits non-zero below full marks because a test
failed. Fixtures: `kernel` (built once per session: ELF, QEMU command,
symbols), `boot` (start a Machine with -m and boot arguments) and `booted`
(the same, then wait for the monitor prompt).
"""
import json
import os
import re
import shlex
import shutil
import subprocess

import pytest

from harness import PROMPT, Machine, Symbols, KernelFailure

KIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_addoption(parser):
    g = parser.getgroup("kit grader")
    g.addoption("--arch", default="riscv64", help="riscv64 or x86_64")
    g.addoption("--lab", type=int, default=None, help="grade labs 1..LAB (default: the last)")
    g.addoption("--sol", default="0", help="1: grade the solved reference stage")
    g.addoption("--tree", default="", help="grade this student lab tree (make TREE=...)")
    g.addoption("--results-json", default=None, help="write Gradescope results here")


def pytest_configure(config):
    config.addinivalue_line("markers", "lab(n): the lab this test grades")
    config.addinivalue_line("markers", "points(p): what the test is worth")


def last_lab():
    """The last lab the kit (or this student repository) has, from the Makefile's list."""
    labs = subprocess.run(["make", "-s", "-C", KIT, "print-labs"], capture_output=True, text=True,
                          check=True).stdout.split()
    return int(re.match(r"lab(\d+)-", labs[-1]).group(1))


def pytest_collection_modifyitems(config, items):
    lab = config.getoption("--lab") or last_lab()
    config.option.lab = lab
    keep, drop = [], []
    for item in items:
        m = item.get_closest_marker("lab")
        (keep if m is None or m.args[0] <= lab else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def make_vars(config):
    tree = config.getoption("--tree")
    return [f"ARCH={config.getoption('--arch')}", f"LAB={config.option.lab}",
            f"SOL={config.getoption('--sol')}"] + ([f"TREE={tree}"] if tree else [])


class Kernel:
    """The kernel under test: its ELF, symbols and QEMU command (from the Makefile)."""

    def __init__(self, config):
        self.arch = config.getoption("--arch")
        self.build_error = None
        mk = ["make", "-s", "-C", KIT] + make_vars(config)
        build = subprocess.run(mk + ["build"], capture_output=True, text=True)
        if build.returncode != 0:
            out = build.stdout + build.stderr
            first = next((l for l in out.splitlines() if re.search(r"\berror\b", l)), out.strip()[-400:])
            self.build_error = f"the kernel did not build; the first error:\n  {first}"
            return
        info = subprocess.run(mk + ["print-qemu", "print-kernel"], capture_output=True, text=True,
                              check=True).stdout.splitlines()
        self.qemu = shlex.split(info[0])
        self.elf = os.path.join(KIT, info[1])
        self.logdir = os.path.join(os.path.dirname(self.elf), "grade-logs")
        shutil.rmtree(self.logdir, ignore_errors=True)  # this run's logs only
        self.symbols = Symbols(self.elf)


@pytest.fixture(scope="session")
def kernel(request):
    k = Kernel(request.config)
    return k


@pytest.fixture
def boot(kernel, request):
    """boot(mem="128M", bootargs="") starts the kernel; the Machine is closed after the test."""
    if kernel.build_error:
        raise KernelFailure(kernel.build_error)
    machines = []

    def start(mem="128M", bootargs="", extra=()):
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        log = os.path.join(kernel.logdir, f"{name}-{len(machines)}.log")
        cmd = kernel.qemu + ["-m", mem, "-append", bootargs] + list(extra)
        m = Machine(cmd, log, kernel.symbols, cwd=KIT)
        machines.append(m)
        return m

    yield start
    for m in machines:
        m.close()


@pytest.fixture
def booted(boot):
    """booted(mem="128M", bootargs="") boots like boot and waits for the monitor prompt."""
    def start(mem="128M", bootargs=""):
        m = boot(mem=mem, bootargs=bootargs)
        m.expect(PROMPT, what="the monitor prompt 'K> '")
        return m
    return start


@pytest.fixture
def note(request):
    """note(text, metric=None): a measurement shown beside the test in the score summary;
    metric=(name, value) also puts value on results.json's leaderboard (lower is better)."""
    def add(text, metric=None):
        request.node.user_properties.append(("note", text))
        if metric:
            request.node.user_properties.append(("metric", metric))
    return add


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    # A failed check reads as its message and the test line, not a Python traceback.
    if call.excinfo is not None and call.excinfo.errisinstance(AssertionError):
        entry = call.excinfo.traceback.filter(lambda e: e.path == item.path)
        where = f"{item.path.name}:{entry[-1].lineno + 1}: " if len(entry) else ""
        rep.longrepr = where + str(call.excinfo.value).split("\nassert ")[0]


RESULTS = []  # the call-phase (or failed setup) report of each test, in run order


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        RESULTS.append(report)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    m = item.get_closest_marker("points")
    item.user_properties.append(("points", m.args[0] if m else 0))
    m = item.get_closest_marker("lab")
    item.user_properties.append(("lab", m.args[0] if m else 0))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    results = summarize(config)
    if not results:
        return
    tr = terminalreporter
    tr.write_line("")
    tr.write_line(f"Grading lab {config.option.lab} on {config.getoption('--arch')}"
                  f"{' (reference)' if config.getoption('--sol') == '1' else ''}:")
    for r in results:
        note = f" [{r['note']}]" if r.get("note") else ""
        tr.write_line(f"  {r['name']}: {'OK' if r['status'] == 'passed' else 'FAIL'} "
                      f"({r['score']}/{r['max_score']}, {r['time']:.1f}s){note}")
    score = sum(r["score"] for r in results)
    total = sum(r["max_score"] for r in results)
    tr.write_line(f"Score: {score}/{total}")
    path = config.getoption("--results-json")
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            json.dump({"score": score, "max_score": total,
                       "execution_time": round(sum(r["time"] for r in results), 2),
                       "tests": [{"name": r["name"], "score": r["score"],
                                  "max_score": r["max_score"], "status": r["status"],
                                  "tags": [f"lab{r['lab']}"],
                                  "output": r["output"]} for r in results],
                       "leaderboard": [{"name": name, "value": value, "order": "asc"}
                                       for r in results for name, value in r["metrics"]]},
                      f, indent=2)


def summarize(config):
    out = []
    for rep in RESULTS:
        props = dict(rep.user_properties)
        points = props.get("points", 0)
        passed = rep.outcome == "passed"
        out.append({"name": rep.nodeid.split("::")[-1], "max_score": points, "lab": props.get("lab", 0),
                    "score": points if passed else 0, "status": "passed" if passed else "failed",
                    "time": rep.duration, "note": props.get("note", ""),
                    "metrics": [v for k, v in rep.user_properties if k == "metric"],
                    "output": "" if passed else str(rep.longrepr)})
    return out

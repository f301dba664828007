"""conftest.py: the grader's plumbing for pytest.

Options: --arch, --lab (grade labs 1..N), --sol (0: the lab's starter or the
student's labs/labN-*, 1: the solved stage), --tree DIR (a student's lab tree:
make's TREE), --results-json PATH (Gradescope format). Tests carry
@pytest.mark.lab(N) and @pytest.mark.points(P); the summary lists each test
and ends "Score: X/Y"; pytest exits non-zero below full marks because a test
failed. Fixtures: `kernel` (built once per session: ELF, QEMU command,
symbols, the student tree's directory), `boot` (start a Machine with -m and
boot arguments) and `booted` (the same, then wait for the monitor prompt),
`note` (a measurement for the summary), `credit` (partial credit: the share
of a test's independent cases that passed). `boot` and `booted` take `run`,
monitor commands the kernel runs by itself at boot (boot argument kit.run) at a
virtual time that does not depend on the host, so their output is the same
every run.

Two rules hold for every test that boots: a kernel warning line (a misuse
report, an unexpected trap or page fault) fails a test unless its
@pytest.mark.warnings_expected marker allows it, and a failed test's report ends with the
kernel's own diagnostic lines (FAIL lines, init failures, misuse reports,
traps, the memory line) and the paths of its logs.
"""
import json
import os
import re
import shlex
import shutil
import subprocess

import pytest

from arches import ARCHES
from harness import PROMPT, Machine, Symbols, KernelFailure

KIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_addoption(parser):
    g = parser.getgroup("kit grader")
    g.addoption("--arch", default="riscv64", help="riscv64, x86_64 or aarch64 (grader/arches.py)")
    g.addoption("--lab", type=int, default=None, help="grade labs 1..LAB (default: the last)")
    g.addoption("--sol", default="0", help="1: grade the solved reference stage")
    g.addoption("--tree", default="", help="grade this student lab tree (make TREE=...)")
    g.addoption("--results-json", default=None, help="write Gradescope results here")


def pytest_configure(config):
    config.addinivalue_line("markers", "lab(n): the lab this test grades")
    config.addinivalue_line("markers", "points(p): what the test is worth")
    config.addinivalue_line("markers", "warnings_expected(*regexes): the test provokes kernel warning "
                            "lines (those matching a regex; all of them without one)")


def last_lab():
    """The last lab the kit (or this student repository) has, from the Makefile's list."""
    labs = subprocess.run(["make", "-s", "-C", KIT, "print-labs"], capture_output=True, text=True,
                          check=True).stdout.split()
    return int(re.match(r"lab(\d+)-", labs[-1]).group(1))


def pytest_collection_modifyitems(config, items):
    lab = config.getoption("--lab") or last_lab()
    config.option.lab = lab
    keep, drop = [], []
    arch = ARCHES[config.getoption("--arch")]
    for item in items:  # labs 1..lab, those whose tests run on the arch (arches.py grades)
        m = item.get_closest_marker("lab")
        (keep if m is None or (m.args[0] <= lab and arch.grades(m.args[0])) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def make_vars(config):
    tree = config.getoption("--tree")
    return [f"ARCH={config.getoption('--arch')}", f"LAB={config.option.lab}",
            f"SOL={config.getoption('--sol')}"] + ([f"TREE={tree}"] if tree else [])


def disk_args(config, kernel, img):
    """QEMU's arguments for a virtio-blk disk img on kernel's board (the arch's QEMU_DISK)."""
    out = subprocess.run(["make", "-s", "-C", KIT, *make_vars(config), f"DISK={img}", "print-qemu"],
                         capture_output=True, text=True, check=True).stdout.splitlines()[0]
    cmd = shlex.split(out)
    return cmd[len(kernel.qemu):] if cmd[:len(kernel.qemu)] == kernel.qemu else cmd[cmd.index("-drive") - 2:]


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
        info = subprocess.run(mk + ["print-qemu", "print-kernel", "print-labsrc"], capture_output=True, text=True,
                              check=True).stdout.splitlines()
        self.qemu = shlex.split(info[0])
        self.elf = os.path.join(KIT, info[1])
        self.labsrc = os.path.join(KIT, info[2])  # the tree whose student files were built
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

    def start(mem="128M", bootargs="", extra=(), run=()):
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        log = os.path.join(kernel.logdir, f"{name}-{len(machines)}.log")
        cmd = kernel.qemu + ARCHES[kernel.arch].qemu_mem(mem)
        cmd += ["-append", run_bootargs(bootargs, run)] + list(extra)
        m = Machine(cmd, log, kernel.symbols, cwd=KIT, queued=run)
        machines.append(m)
        request.node.machines = machines
        return m

    yield start
    for m in machines:
        if getattr(request.node, "call_passed", False):  # the same log every run (a failure: at once)
            m.settle()
        m.close()


def run_bootargs(bootargs, run):
    """bootargs with the monitor commands run added as kit.run (monitor.c: ';' between
    commands, '+' for a space): the kernel runs them at boot, at a virtual time that does not
    depend on the host, and Machine.command reads their output as if they had been typed."""
    assert not any(c in cmd for cmd in run for c in ";+"), f"kit.run cannot carry {run}"
    args = " ".join(([bootargs] if bootargs else []) +
                    (["kit.run=" + ";".join(c.replace(" ", "+") for c in run)] if run else []))
    assert len(args) < 1000, "boot arguments longer than the kernel keeps (x86_64 boot_args, kit.run's buffer)"
    return args


@pytest.fixture
def booted(boot):
    """booted(mem="128M", bootargs="", run=()) boots like boot and waits for the monitor prompt;
    run: monitor commands the kernel runs by itself at boot (kit.run), read with command()."""
    def start(mem="128M", bootargs="", run=()):
        m = boot(mem=mem, bootargs=bootargs, run=tuple(run))
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


@pytest.fixture
def credit(request):
    """credit(passed, total): the test's independent cases, passed of total; a failed test
    scores that share of its points (rounded down)."""
    def add(passed, total):
        request.node.user_properties.append(("credit", (passed, total)))
    return add


# Kernel warning lines: a misuse report (mm_misuse's format), an unexpected trap, a page fault.
WARNING = re.compile(r"^(?:\w+: [a-zA-Z ]+ 0x[0-9a-f]+ \(called from \S+\)|trap: .*|page fault: .*)$", re.M)
# The kernel's own explanations, quoted in a failed test's report.
DIAGNOSTIC = re.compile(r"^(?:ktest \S+ .*: FAIL .*|init: .*|panic: .*|memory: .*|frames: .*(?:not|unknown|no ).*"
                        r"|frames: free blocks per order .*|frames-(?:shape|marks|exhaust)\b.*)$"
                        r"|" + WARNING.pattern[1:], re.M)


def diagnostics(machines, limit=25, shown=""):
    """The kernel's diagnostic lines in machines' output (deduplicated, at most limit; those
    the report already quotes, in shown, left out) and the log paths, as text for a failure
    report."""
    lines, seen = [], set()
    for m in machines:
        for line in (x.group(0) for x in DIAGNOSTIC.finditer(m.kernel_text())):
            if line not in seen and line not in shown:
                seen.add(line)
                lines.append(line)
    out = ""
    if lines:
        more = f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else ""
        out += "\n--- the kernel said ---\n" + "\n".join("  " + l for l in lines[:limit]) + more
    logs = [m.log_path for m in machines]
    if logs:
        out += "\n--- log" + ("s" if len(logs) > 1 else "") + ": " + ", ".join(
            os.path.relpath(p, KIT) for p in logs)
    return out


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if call.when != "call":
        return
    item.call_passed = rep.passed
    machines = getattr(item, "machines", [])
    # A passing test fails on a warning line it did not provoke on purpose.
    allowed = item.get_closest_marker("warnings_expected")
    if rep.passed and machines and (allowed is None or allowed.args):
        warned = [x.group(0) for m in machines for x in WARNING.finditer(m.kernel_text())
                  if not (allowed and any(re.fullmatch(a, x.group(0)) for a in allowed.args))]
        if warned:
            rep.outcome = "failed"
            rep.user_properties.append(("credit", (0, 1)))  # no partial credit either
            rep.longrepr = ("the kernel printed warning lines this test does not provoke:\n" +
                            "\n".join("  " + w for w in warned[:10]) + diagnostics(machines))
            return
    # A failed check reads as its message and the test line, not a Python traceback,
    # followed by what the kernel itself said.
    if call.excinfo is not None and call.excinfo.errisinstance(AssertionError):
        entry = call.excinfo.traceback.filter(lambda e: e.path == item.path)
        where = f"{item.path.name}:{entry[-1].lineno + 1}: " if len(entry) else ""
        msg = str(call.excinfo.value).split("\nassert ")[0]
        extra = diagnostics(machines, shown=msg)
        if "--- full log:" in msg:  # the harness's report already names the log
            extra = extra.split("\n--- log")[0]
        rep.longrepr = where + msg + extra


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
        score = points if passed else 0
        if not passed and "credit" in props:
            got, total = props["credit"]
            score = points * got // total if total else 0
        out.append({"name": rep.nodeid.split("::")[-1], "max_score": points, "lab": props.get("lab", 0),
                    "score": score, "status": "passed" if passed else "failed",
                    "time": rep.duration, "note": props.get("note", ""),
                    "metrics": [v for k, v in rep.user_properties if k == "metric"],
                    "output": "" if passed else str(rep.longrepr)})
    return out

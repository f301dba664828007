"""trace_analysis_run.py MODULE OUTDIR: lab 8 part C's checks (a student's
tools/trace_analysis.py, MODULE) on a seeded synthetic trace (a well-formed one, whatever the
student's kernel does) and on copies broken on purpose, beside the kit's tools/trace; prints one JSON object: for each case, whether the student's check and
the kit's found a problem, and the plot's points against the kit's. Run by grader/test_lab8.py
in a subprocess with a time limit (student code)."""
import copy
import importlib.machinery
import importlib.util
import json
import os
import random
import sys

KIT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(name, path):
    spec = importlib.util.spec_from_loader(name, importlib.machinery.SourceFileLoader(name, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def synthetic(kit, rng, n=400):
    """A trace of n records on cpu 0: threads 2..5 switching (preempted, sleeping, woken),
    timer interrupts, decisions, latency jobs; its counters agree with it."""
    t, ts, running, recs = kit.Trace(), 1000, 2, []

    def rec(ev, tid, a0, a1):
        nonlocal ts
        ts += rng.randint(1, 500)
        recs.append(kit.Rec(0, kit.REC.pack(ts, len(recs) + 1, kit.EV[ev], tid, a0, a1)))

    while len(recs) < n:
        rec("timer_irq", running, 0, 0)
        nxt = rng.choice([x for x in range(2, 6) if x != running])
        rec("wake", running, nxt, rng.randint(0, 1))
        rec("decision", running, nxt, rng.randint(50, 300))
        rec("switch", running, running, nxt | rng.randint(0, 2) << 32)
        running = nxt
        rec("job", running, ts, rng.randint(1000, 900000))
    t.records = recs
    for r in recs:
        r.ns = r.ts
    counts = {}
    for r in recs:
        counts[r.name] = counts.get(r.name, 0) + 1
    t.counters = {k: counts.get(ev, 0) for k, ev in kit.COUNTED}
    t.cpus = {0: {"reserved": len(recs), "lost": 0, "torn": 0}}
    return t


def main():
    module, out = sys.argv[1:3]
    kit = load("tracetool", os.path.join(KIT, "tools", "trace"))
    t = synthetic(kit, random.Random(8))
    res = {"records": len(t.records)}

    def case(name, fn, *args):
        try:
            res[name] = bool(fn(*args))
        except Exception as e:  # a stub's NotImplementedError, a bug
            res[name] = f"{type(e).__name__}: {e}"

    student = load("trace_analysis", module)
    recs = t.records
    switches = [i for i, r in enumerate(recs) if r.name == "switch"]
    back = copy.copy(recs)
    k = len(back) // 2
    back[k] = copy.copy(back[k])
    back[k].ts = back[k - 1].ts - 1
    gap = recs[:k] + recs[k + 1:]
    bad = copy.copy(recs)
    j = switches[len(switches) // 2]
    bad[j] = copy.copy(bad[j])
    bad[j].a0 += 1000
    counts = {}
    for r in recs:
        counts[r.name] = counts.get(r.name, 0) + 1
    pairs = kit.COUNTED
    off = dict(t.counters, switches=t.counters["switches"] + 1)
    case("monotonic_good", student.monotonic_problems, recs)
    case("monotonic_back", student.monotonic_problems, back)
    case("monotonic_gap", student.monotonic_problems, gap)
    case("switch_good", student.switch_problems, recs)
    case("switch_bad", student.switch_problems, bad)
    case("count_good", student.count_problems, counts, t.counters, pairs)
    case("count_bad", student.count_problems, counts, off, pairs)
    lat = kit.responses(t)
    png = os.path.join(out, "latency_cdf.png")
    try:
        pts = student.plot_latency_cdf(lat, png, "test")
        want = {c: [(n / 1000, (i + 1) / len(v)) for i, n in enumerate(sorted(v))] for c, v in lat.items() if v}
        got = {c: [tuple(p) for p in v] for c, v in (pts or {}).items()}
        res["plot"] = got == want and os.path.getsize(png) > 1000
    except Exception as e:
        res["plot"] = f"{type(e).__name__}: {e}"
    print(json.dumps(res))


if __name__ == "__main__":
    main()

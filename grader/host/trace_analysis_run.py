"""trace_analysis_run.py MODULE: lab 8 part C's measurements (a student's
tools/trace_analysis.py, MODULE) on a seeded synthetic trace whose answers the generator
records as it writes it (the trusted model: no analysis of the records), and on copies that
lost a record; prints one JSON object: for each case, true when the answer is right, else what
was wrong. Run by grader/test_lab8.py in a subprocess with a time limit (student code)."""
import importlib.machinery
import importlib.util
import json
import os
import random
import sys

KIT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CALLS = [1, 5, 9, 18, 22]  # system-call numbers the threads make
PREEMPT, BLOCK, SLEEP = 0, 1, 2


def load(name, path):
    spec = importlib.util.spec_from_loader(name, importlib.machinery.SourceFileLoader(name, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def synthetic(kit, rng, n=600):
    """(records, truth): threads 2..5 on cpu 0 making system calls, some of which block or
    sleep until another thread wakes them, wakes of threads already runnable, and timer
    preemptions. truth["sys"][i] is
    (enter index, exit index, nr, ns) of each finished call; truth["wait"][i] is (switch
    index, wake index, tid, ns) of each wait."""
    recs, ts, running = [], 1000, 2
    runnable, waiting, open_call = {3, 4, 5}, {}, {}
    truth = {"sys": [], "wait": []}

    def rec(ev, tid, a0, a1):
        nonlocal ts
        ts += rng.randint(1, 500)
        r = kit.Rec(0, kit.REC.pack(ts, len(recs) + 1, kit.EV[ev], tid, a0, a1))
        r.ns = ts
        recs.append(r)
        return len(recs) - 1

    def switch(why):
        nonlocal running
        nxt = rng.choice(sorted(runnable))
        runnable.discard(nxt)
        i = rec("switch", running, running, nxt | why << 32)
        if why == PREEMPT:
            runnable.add(running)
        else:
            waiting[running] = i
        running = nxt
        if running in open_call:  # back from a blocking call: it returns
            k, nr = open_call.pop(running)
            j = rec("sys_exit", running, nr, 0)
            truth["sys"].append((k, j, nr, recs[j].ns - recs[k].ns))

    while len(recs) < n:
        step = rng.random()
        if waiting and (step < 0.3 or not runnable):
            tid = rng.choice(sorted(waiting))
            j = rec("wake", running, tid, rng.randint(0, 1))
            i = waiting.pop(tid)
            truth["wait"].append((i, j, tid, recs[j].ns - recs[i].ns))
            runnable.add(tid)
        elif step < 0.35 and runnable:  # a wake of a thread already runnable: no wait ends
            rec("wake", running, rng.choice(sorted(runnable)), 0)
        elif step < 0.55 and runnable:
            rec("timer_irq", running, 0, 0)
            rec("decision", running, 0, rng.randint(50, 300))
            switch(PREEMPT)
        else:
            nr = rng.choice(CALLS)
            k = rec("sys_enter", running, nr, rng.randint(0, 99))
            if rng.random() < 0.5 or not runnable:
                j = rec("sys_exit", running, nr, 0)
                truth["sys"].append((k, j, nr, recs[j].ns - recs[k].ns))
            else:
                open_call[running] = (k, nr)
                switch(rng.choice([BLOCK, SLEEP]))
    return recs, truth


def answer(items, drop=frozenset()):
    """{key: [ns]} of truth items (in the order of their second index), without those whose
    record indices meet drop."""
    out = {}
    for it in sorted(items, key=lambda it: it[1]):
        if not drop & {it[0], it[1]}:
            out.setdefault(it[2], []).append(it[3])
    return out


def compare(got, want):
    """True, or a short note of the first difference."""
    if not isinstance(got, dict):
        return f"returned {type(got).__name__}, not a dict"
    got = {k: list(v) for k, v in got.items() if v}
    if got == want:
        return True
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            g, w = got.get(k, []), want.get(k, [])
            return f"key {k}: {len(g)} values, want {len(w)}" if len(g) != len(w) else \
                f"key {k}: {g[:4]}..., want {w[:4]}..."
    return False


def main():
    module = sys.argv[1]
    kit = load("tracetool", os.path.join(KIT, "tools", "trace"))
    recs, truth = synthetic(kit, random.Random(8))
    res = {"records": len(recs)}
    student = load("trace_analysis", module)

    def case(name, fn, records, want):
        try:
            res[name] = compare(fn(records), want)
        except Exception as e:  # a stub's NotImplementedError, a bug
            res[name] = f"{type(e).__name__}: {e}"

    def without(i):
        return recs[:i] + recs[i + 1:]

    short = [c for c in truth["sys"] if c[1] - c[0] == 1]
    mid = short[len(short) // 2]
    blocked = [c for c in truth["sys"] if c[1] - c[0] > 3]  # a call another thread ran inside
    lost_exit, lost_enter = blocked[len(blocked) // 3], blocked[2 * len(blocked) // 3]
    def runs_next(w):  # the thread's next wake or switch-in after w's wake is a switch-in
        for r in recs[w[1] + 1:]:
            if r.name == "wake" and r.a0 == w[2]:
                return False
            if r.name == "switch" and r.a1 & 0xffffffff == w[2]:
                return True
        return False

    lost = [w for w in truth["wait"] if runs_next(w)]
    wait = lost[len(lost) // 2]
    case("syscall_good", student.syscall_times, recs, answer(truth["sys"]))
    case("syscall_lost_exit", student.syscall_times, without(lost_exit[1]),
         answer(truth["sys"], {lost_exit[1]}))
    case("syscall_lost_enter", student.syscall_times, without(lost_enter[0]),
         answer(truth["sys"], {lost_enter[0]}))
    case("syscall_lost_short", student.syscall_times, without(mid[1]), answer(truth["sys"], {mid[1]}))
    case("blocked_good", student.blocked_times, recs, answer(truth["wait"]))
    case("blocked_lost_wake", student.blocked_times, without(wait[1]), answer(truth["wait"], {wait[1]}))
    print(json.dumps(res))


if __name__ == "__main__":
    main()

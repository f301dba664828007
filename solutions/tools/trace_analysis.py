# @file lab8
"""trace_analysis.py: lab 8 part C, your half of the host analysis: the consistency checks
of a trace and one plot. The kit's tools/trace decodes the dump (parse) and calls these when
you run it with --analysis tools/trace_analysis.py; the grader compares them with its own on
good traces and on traces it breaks on purpose.

Records come as tools/trace's Rec objects: .cpu, .seq, .ts (cycles), .ns, .type, .name
("switch", "wake", ...), .tid, .a0, .a1 (common/include/trace.h says what a0 and a1 hold).
Each check returns a list of problems, one string each: [] when all is well.
"""


def monotonic_problems(records):
    """Per CPU, in dump order: a timestamp (ts) smaller than the one before, or a seq that is
    not the one before plus 1 (mod 2**32), is a problem."""
    # @lab8 solution
    problems, last = [], {}
    for r in records:
        prev = last.get(r.cpu)
        if prev is not None:
            if r.ts < prev.ts:
                problems.append(f"cpu {r.cpu}: timestamp goes back at seq {r.seq} ({prev.ts} -> {r.ts})")
            if r.seq != (prev.seq + 1) & 0xFFFFFFFF:
                problems.append(f"cpu {r.cpu}: records missing between seq {prev.seq} and {r.seq}")
        last[r.cpu] = r
    return problems
    # @lab8 stub
    # TODO(lab8): part C. walk the records of each CPU in order; report a timestamp that goes
    # back and a seq that skips. Hint: a dict from cpu to the last record seen.
    raise NotImplementedError("TODO(lab8): monotonic_problems")
    # @lab8 end


def switch_problems(records):
    """Per CPU: every switch record's leaving thread (a0) must be the thread the CPU's previous
    switch record brought in (a1's low 32 bits); the first switch of a CPU has no previous."""
    # @lab8 solution
    problems, running = [], {}
    for r in records:
        if r.name != "switch":
            continue
        if r.cpu in running and r.a0 != running[r.cpu]:
            problems.append(f"cpu {r.cpu}: tid {running[r.cpu]} was switched in but tid {r.a0} "
                            f"was switched out at {r.ts}")
        running[r.cpu] = r.a1 & 0xFFFFFFFF
    return problems
    # @lab8 stub
    # TODO(lab8): part C. the thread each CPU's switches brought in must be the next one to
    # leave. Hint: a1 also carries the reason, above bit 32.
    raise NotImplementedError("TODO(lab8): switch_problems")
    # @lab8 end


def count_problems(counts, counters, pairs):
    """counts: {event name: records of it}; counters: the kernel's {counter: value} over the
    traced run; pairs: [(counter, event name)] that must agree. A counter missing from counters
    is skipped; an event missing from counts counts 0."""
    # @lab8 solution
    return [f"{counts.get(ev, 0)} {ev} events, but the kernel counted {counters[key]} {key}"
            for key, ev in pairs if key in counters and counts.get(ev, 0) != counters[key]]
    # @lab8 stub
    # TODO(lab8): part C. one problem per pair whose counts differ.
    raise NotImplementedError("TODO(lab8): count_problems")
    # @lab8 end


def plot_latency_cdf(latencies, path, title=""):
    """latencies: {class name: [ns]}; write a PNG at path: one empirical CDF (a step from 0 to
    1) per class that has values, x in microseconds on a log scale, a legend naming each
    class with its count. Returns {class name: [(us, fraction)]}, the points of each step."""
    # @lab8 solution
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = {}
    fig, ax = plt.subplots(figsize=(6, 4))
    for cls, values in latencies.items():
        if not values:
            continue
        v = sorted(values)
        points[cls] = [(n / 1000, (i + 1) / len(v)) for i, n in enumerate(v)]
        ax.step([x for x, _ in points[cls]], [y for _, y in points[cls]], where="post",
                label=f"{cls} ({len(v)})")
    ax.set_xscale("log")
    ax.set_xlabel("us")
    ax.set_ylabel("fraction")
    ax.set_title(title)
    if points:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return points
    # @lab8 stub
    # TODO(lab8): part C. sort each class's values, the fraction at the i-th is (i + 1) / n;
    # matplotlib's step(..., where="post"), a log x axis, savefig(path).
    raise NotImplementedError("TODO(lab8): plot_latency_cdf")
    # @lab8 end

"""tools/trace (lab 8) on the host, without a kernel: a dump written the way
common/lab8/trace_export.c writes it decodes to the records it holds and passes the checks;
a flipped hex digit fails its line's CRC, a dump cut short has no end, a switch out of the
wrong thread, a timestamp that goes back and a counter that disagrees are each reported."""
import importlib.machinery
import importlib.util
import os
import zlib

from conftest import KIT


def load(name, path):
    spec = importlib.util.spec_from_loader(name, importlib.machinery.SourceFileLoader(name, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


trace = load("tracetool", os.path.join(KIT, "tools", "trace"))


def dump(recs, counters, lost=0):
    """The @T lines of recs ((ts, type, tid, a0, a1) each), 8 records a line, as the kernel."""
    raw = [trace.REC.pack(ts, i + 1, trace.EV[ev], tid, a0, a1) for i, (ts, ev, tid, a0, a1) in enumerate(recs)]
    lines = ["@T begin v1 cpus=1 rec=32 mask=0xffffffff", "@T clock c0=0 ns0=0 c1=1000000 ns1=1000000",
             "@T counters " + " ".join(f"{k}={v}" for k, v in counters.items()),
             f"@T cpu 0 size=16384 reserved={len(recs) + lost} lost={lost}"]
    crc_all = 0
    for i in range(0, len(raw), 8):
        data = b"".join(raw[i:i + 8])
        crc = zlib.crc32(data)
        crc_all ^= crc
        lines.append(f"@T d 0 {i} {len(raw[i:i + 8])} {data.hex()} {crc:08x}")
    lines += ["@T cpu 0 torn=0", f"@T end lines={(len(raw) + 7) // 8} crc={crc_all:08x}"]
    return "K> trace dump\n" + "\n".join(lines) + "\nK> "


def run_of(n=20):
    """n switches among threads 2..4, each after a timer interrupt and a decision."""
    recs, cur, ts = [], 2, 100
    for i in range(n):
        nxt = 2 + (cur - 1) % 3
        recs += [(ts, "timer_irq", cur, 0, 0), (ts + 10, "decision", cur, nxt, 150),
                 (ts + 20, "switch", cur, cur, nxt)]
        cur, ts = nxt, ts + 1000
    return recs, {"switches": n, "decisions": n, "timer_irqs": n, "dev_irqs": 0}


def test_good_dump_decodes_and_checks():
    recs, counters = run_of()
    t = trace.parse(dump(recs, counters))
    assert [(r.ts, r.name, r.tid, r.a0, r.a1) for r in t.records] == recs
    assert trace.check(t) == []
    assert trace.analyze(t)["counts"]["switch"] == 20


def test_broken_dumps_are_reported():
    recs, counters = run_of()
    text = dump(recs, counters)
    i = text.index("@T d 0 8 ") + 20
    flipped = text[:i] + ("0" if text[i] != "0" else "1") + text[i + 1:]
    assert any("CRC" in p for p in trace.check(trace.parse(flipped)))
    assert any("end" in p for p in trace.check(trace.parse(text[:text.index("@T cpu 0 torn")])))
    wrong = list(recs)
    wrong[5] = wrong[5][:3] + (9,) + wrong[5][4:]
    assert any("switched out" in p for p in trace.check(trace.parse(dump(wrong, counters))))
    back = list(recs)
    back[7] = (back[6][0] - 1,) + back[7][1:]
    assert any("goes back" in p for p in trace.check(trace.parse(dump(back, counters))))
    assert any("kernel counted" in p for p in trace.check(trace.parse(dump(recs, dict(counters, switches=19)))))
    assert any("lost says" in p for p in trace.check(trace.parse(dump(recs, counters, lost=0).replace(
        "lost=0", "lost=3"))))


def test_restart_is_measured():
    """A task event's end, then a start of the same name (lab 5's supervisor restarting a
    server): tools/trace pairs them and reports how it ended and how long it was down."""
    recs, counters = run_of(4)
    name = int.from_bytes(b"consd\0\0\0", "little")
    recs += [(9000, "task", 2, 7 | 1 << 32 | 3 << 40, name),  # consd (tid 7) killed
             (9500, "task", 2, 9 | 0 << 32, int.from_bytes(b"sh\0\0\0\0\0\0", "little")),
             (12000, "task", 2, 8 | 0 << 32, name)]  # a new consd (tid 8)
    t = trace.parse(dump(recs, counters))
    assert trace.check(t) == []
    a = trace.analyze(t)
    assert a["restarts"] == [("consd", "killed", 3000)], a["restarts"]
    assert "restarts: consd (killed) down 3.0 us" in trace.summary_text(t, a)


def test_irq_latency_is_measured():
    """A device interrupt, the wake of the thread its handler signals, that thread switched in:
    tools/trace measures the interrupt-to-thread latency per line; an interrupt that woke
    nobody, or whose woken thread a timer interrupt preempted first, is not counted."""
    recs, counters = run_of(2)  # ends with thread 4 running
    recs += [(5000, "dev_irq", 4, 10, 0), (5040, "wake", 4, 7, 1), (5100, "switch", 4, 4, 7),
             (6000, "dev_irq", 7, 10, 0),  # woke nobody
             (7000, "dev_irq", 7, 1, 0), (7010, "wake", 7, 9, 1), (7050, "timer_irq", 7, 0, 0),
             (7060, "switch", 7, 7, 9)]  # a timer interrupt came between: not this one's
    counters = dict(counters, dev_irqs=3, timer_irqs=counters["timer_irqs"] + 1, switches=4)
    t = trace.parse(dump(recs, counters))
    a = trace.analyze(t)
    assert a["irq_latency"] == [(10, 7, 100, 100)], a["irq_latency"]
    assert "line 10: 1, median 100 instructions" in trace.summary_text(t, a)

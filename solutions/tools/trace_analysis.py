# @file lab8
"""trace_analysis.py: lab 8 part C, your half of the host analysis: two measurements that the
kit's tools/trace does not make. tools/trace decodes the dump (parse) and prints these when you
run it with --analysis tools/trace_analysis.py; the grader compares them with the answers it
built into a seeded synthetic trace, and with copies of it that lost a record.

Records come as tools/trace's Rec objects, in dump order: .cpu, .seq, .ts (cycles), .ns, .type,
.name ("switch", "sys_enter", ...), .tid, .a0, .a1 (common/include/trace.h says what a0 and a1
hold). Times are .ns differences.
"""

WHY_BLOCK, WHY_SLEEP = 1, 2  # trace.h: TRACE_WHY_BLOCK, TRACE_WHY_SLEEP


def syscall_times(records):
    """{system-call number: [ns]}: each system call's time from its thread's sys_enter to that
    thread's next sys_exit (other threads may run, and make calls, in between), in the order of
    the exits. An exit whose thread has no open enter is skipped (its enter was lost); an enter
    while the thread already has one open replaces it (the exit was lost)."""
    # @lab8 solution
    out, open_ = {}, {}
    for r in records:
        if r.name == "sys_enter":
            open_[r.tid] = r
        elif r.name == "sys_exit" and r.tid in open_:
            e = open_.pop(r.tid)
            out.setdefault(e.a0, []).append(r.ns - e.ns)
    return out
    # @lab8 stub
    # TODO(lab8): part C. pair each thread's enter with its exit. Hint: a dict from tid to the
    # open sys_enter record; a0 is the call's number.
    raise NotImplementedError("TODO(lab8): syscall_times")
    # @lab8 end


def blocked_times(records):
    """{tid: [ns]}: how long each thread was off the CPU waiting, from a switch that took it
    out blocked or asleep (a0 the thread, reason a1 >> 32 TRACE_WHY_BLOCK or TRACE_WHY_SLEEP) to
    the wake record naming it (wake's a0), in the order of the wakes. A preempted or exiting
    thread is not waiting; a wake of a thread with no open wait is skipped (it was runnable);
    a thread switched in is no longer waiting (its wake was lost)."""
    # @lab8 solution
    out, since = {}, {}
    for r in records:
        if r.name == "switch":
            since.pop(r.a1 & 0xFFFFFFFF, None)
            if r.a1 >> 32 in (WHY_BLOCK, WHY_SLEEP):
                since[r.a0] = r.ns
        elif r.name == "wake" and r.a0 in since:
            out.setdefault(r.a0, []).append(r.ns - since.pop(r.a0))
    return out
    # @lab8 stub
    # TODO(lab8): part C. a dict from tid to when it left the CPU to wait; close it at the
    # wake that names it. Hint: a switch's reason is a1 >> 32, the thread leaving is a0, the
    # one coming in a1's low 32 bits.
    raise NotImplementedError("TODO(lab8): blocked_times")
    # @lab8 end

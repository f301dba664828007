"""harness.py: boot a kit kernel in QEMU and talk to its serial console.

Machine runs QEMU (TCG, -icount shift=0,sleep=off, one vCPU) with the serial
console on a pipe, keeps everything the kernel prints in a per-test log, and
waits for patterns with a bound. When a wait fails it says why instead of
timing out bare: the kernel panicked (message and backtrace, symbolized here
from the ELF), a trap storm (one trap repeating), silence (nothing after the
firmware), a hang (output stopped), an early exit (QEMU's status), or plain
output that never matched. Every failure shows the expected pattern and the
last 20 lines.
"""
import bisect
import os
import re
import shlex
import signal
import subprocess
import threading
import time

from elftools.elf.elffile import ELFFile

SILENCE_S = 5.0      # no output for this long: silence or hang (see SILENCE_BACKSTOP)
# The silence and prompt-idle limits count the time QEMU could run: time its threads spent
# runnable but waiting for a host CPU (Linux's schedstat run_delay) is taken off, so a kernel
# slowed by a busy host (make test beside other jobs, a class graded at once) is not called
# hung, while an idle or spinning one is named as soon as ever. A silence still ends after
# SILENCE_BACKSTOP times the limit of wall time, however starved QEMU was.
SILENCE_BACKSTOP = 6
TIMEOUT_S = 30.0     # upper bound on any single wait
PROMPT = r"^K> "      # the monitor prompt (regex, multiline)
PROMPT_IDLE_S = 1.0  # idle this long at the monitor prompt: nothing more is coming
PANIC_IDLE_S = 0.5   # idle this long after a panic line: its backtrace is complete
STORM_REPEATS = 8    # identical trap lines in a row that make a storm
MAX_OUTPUT = 4 << 20   # characters of console output kept; past it QEMU is stopped (a flood)
FLOOD_REPEATS = 1000  # the same line this many times in a row: a print loop (a flood)
TAIL_LINES = 20
BUSY_POLL_S = 0.2    # how often a wait with a busy limit looks at QEMU's CPU time
# QEMU's warning when the guest waits for an interrupt and no timer is armed (under -icount
# sleep=off; QEMU prints it once per run): nothing can ever wake it but typed input, so that
# much silence after it is a hang. Not on a machine with a disk (a -drive argument, lab 5): a
# driver rightly waits idle, no timer armed, for the disk's completion, which lands in host
# time (longer on a loaded machine); there the silence limit alone bounds the wait.
NO_TIMERS = "icount sleep disabled and no active timers"
NO_TIMERS_IDLE_S = 0.1
# The warning as QEMU writes it to its stderr, which shares the console's pipe: it can land in
# the middle of the kernel's output (after a prompt, inside a program's line). Not the kernel's
# words: command() leaves it out of what it returns; the log keeps it.
NO_TIMERS_LINE = re.compile(r"qemu-system-\w+: warning: " + re.escape(NO_TIMERS) + r"\n?")


class KernelFailure(AssertionError):
    """A failed expectation, with the grader's diagnosis as its message."""


class Symbols:
    """Function symbols of the kernel ELF, for checking and naming addresses."""

    def __init__(self, elf_path):
        self.by_name, self.funcs = {}, []
        text = {}  # address -> name of the symbols the kernel's ksyms table holds (tools/mksyms)
        with open(elf_path, "rb") as f:
            elf = ELFFile(f)
            symtab = elf.get_section_by_name(".symtab")
            for sym in symtab.iter_symbols():
                if sym["st_info"]["type"] == "STT_FUNC":
                    self.by_name[sym.name] = (sym["st_value"], sym["st_size"])
                    self.funcs.append((sym["st_value"], sym["st_size"], sym.name))
                elif sym["st_info"]["type"] in ("STT_NOTYPE", "STT_OBJECT") and sym.name:
                    self.by_name.setdefault(sym.name, (sym["st_value"], sym["st_size"]))
                shndx = sym["st_shndx"]
                if (sym.name and not sym.name.startswith(".L") and isinstance(shndx, int)
                        and sym["st_info"]["type"] in ("STT_FUNC", "STT_NOTYPE")
                        and elf.get_section(shndx)["sh_flags"] & 0x4):  # SHF_EXECINSTR
                    if sym["st_value"] not in text or sym["st_info"]["bind"] != "STB_LOCAL":
                        text[sym["st_value"]] = sym.name
        self.funcs.sort()
        self.text = sorted(text.items())
        self.text_addrs = [a for a, _ in self.text]

    def addr(self, name):
        return self.by_name[name][0]

    def lookup(self, addr):
        """(name, offset) of the function containing addr, or (None, 0)."""
        best = None
        for start, size, name in self.funcs:
            if start <= addr and (addr < start + max(size, 1)):
                best = (name, addr - start)
            if start > addr:
                break
        return best or (None, 0)

    def lookup_ksyms(self, addr):
        """(name, offset) as the kernel's ksyms_lookup names addr: the last text symbol at or
        below it, inside [_start, _etext); (None, 0) outside."""
        if not self.by_name["_start"][0] <= addr < self.by_name["_etext"][0]:
            return (None, 0)
        i = bisect.bisect_right(self.text_addrs, addr) - 1
        return (self.text[i][1], addr - self.text[i][0]) if i >= 0 else (None, 0)

    def lookup_ra(self, ra):
        """(name, offset) of return address ra as ksyms_lookup_ra names it: the function
        holding ra - 1, the offset ra's own; ("<unknown>", 0) when it has no name."""
        name, off = self.lookup_ksyms(ra - 1)
        return (name, off + 1) if name else ("<unknown>", 0)

    def describe(self, addr, ra=False):
        """addr and the function it is in; ra: addr is a return address (named by ra - 1)."""
        name, off = self.lookup_ra(addr) if ra else self.lookup_ksyms(addr)
        return f"{addr:#x} {name}+{off:#x}" if name and name != "<unknown>" else f"{addr:#x} (not in the kernel)"


class Machine:
    """One QEMU run of the kernel. Use as a context manager; output goes to log_path.

    The reader thread appends QEMU's output as chunks (self.text joins them on demand) and
    signals self.cond on every chunk and at end of file; waits sleep on that condition (or
    until the next idle limit of a diagnosis) and search only what is new. The search rule:
    a wait searches from the start of the line holding the previous match's end (so ^
    anchors keep their meaning), and after a miss resumes from the start of the line that
    was last, or OVERLAP_CHARS before the end if that is earlier; so a match is found when
    it starts in the last incomplete line or the last OVERLAP_CHARS of what was searched,
    which covers patterns spanning a few lines."""

    OVERLAP_CHARS = 4096

    def __init__(self, cmd, log_path, symbols=None, cwd=None, silence_s=SILENCE_S, queued=()):
        self.silence_s = silence_s
        self.no_timers_s = None if "-drive" in cmd else NO_TIMERS_IDLE_S  # the NO_TIMERS rule
        self.queued = list(queued)  # commands the kernel runs from kit.run, in order (command())
        self.cmd, self.log_path, self.symbols = cmd, log_path, symbols
        self.pos = 0            # where the next expect starts searching
        self.cond = threading.Condition()  # guards the fields below; notified on new output and EOF
        self._chunks, self._starts = [], []  # the output (\r removed) and each chunk's offset
        self.length = 0         # characters of output so far
        self.eof = False        # the reader saw the end of QEMU's output
        self.flooded = False    # QEMU printed more than MAX_OUTPUT and was stopped
        self._match_start = 0   # where the last expect's match started
        self._diag_at = 0       # output scanned for panic and banner lines (a line start)
        self._panic_at = None   # where the first "panic: " line starts
        self._banner = False    # a "kit ... on ..." line appeared
        self.last_output = time.monotonic()
        self.cpu_at_output = 0.0  # QEMU's CPU seconds when the last output came (busy limits)
        self.starved_at_output = 0.0  # starved_s() then (the silence limits)
        self._sent_at = 0       # the output's length when the grader last typed a line
        self.started = time.monotonic()
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        self.log = open(log_path, "w")
        self.log.write("$ " + shlex.join(cmd) + "\n")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            s = chunk.decode("utf-8", "replace").replace("\r", "")
            if self.length + len(s) > MAX_OUTPUT:  # keep the first MAX_OUTPUT, stop QEMU
                if not self.flooded:
                    self.log.write(f"\n[grader: more than {MAX_OUTPUT >> 20} MiB of output; QEMU stopped]\n")
                    with self.cond:
                        self.flooded = True
                    try:
                        os.killpg(self.proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                continue
            mark = self._idle_mark()
            with self.cond:
                self._starts.append(self.length)
                self._chunks.append(s)
                self.length += len(s)
                self._restart_idle(mark)
                self.cond.notify_all()
            self.log.write(s)
            self.log.flush()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    # -- the output: chunks, read by slices (callers hold self.cond) --------------

    @property
    def text(self):
        """All output so far, \r removed."""
        with self.cond:
            if len(self._chunks) > 1:
                self._chunks, self._starts = ["".join(self._chunks)], [0]
            return self._chunks[0] if self._chunks else ""

    def kernel_text(self):
        """All output from the kernel's banner on (the firmware's banner dropped)."""
        text = self.text
        b = re.search(r"^kit \S+ on ", text, re.M)
        return text[b.start():] if b else text

    def _slice(self, a, b):
        """The output's characters [a, b) (a below 0 counts from 0)."""
        a = max(a, 0)
        if a >= b or not self._chunks:
            return ""
        i = max(bisect.bisect_right(self._starts, a) - 1, 0)
        j = bisect.bisect_left(self._starts, b)
        return "".join(self._chunks[i:j])[a - self._starts[i]:b - self._starts[i]]

    def _line_start(self, p):
        """The offset of the start of the line holding offset p."""
        i = bisect.bisect_right(self._starts, p - 1) - 1
        while i >= 0:
            nl = self._chunks[i].rfind("\n", 0, p - self._starts[i])
            if nl >= 0:
                return self._starts[i] + nl + 1
            i -= 1
        return 0

    def _tail_text(self, lines):
        """The output from the start of its last `lines` lines (a final newline ends the last)."""
        back = 4096
        while True:
            a = max(self.length - back, 0)
            t = self._slice(a, self.length)
            if a == 0 or t.count("\n", 0, len(t) - 1) >= lines:
                return t
            back *= 4

    def cpu_s(self):
        """QEMU's CPU time so far (user + system, seconds; all its threads), or 0 once it is gone.
        Unlike wall time it does not stretch when the host is busy: a guest that keeps QEMU
        computing without printing is stuck whatever the load."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def starved_s(self):
        """Seconds QEMU's threads have spent runnable but waiting for a host CPU, summed (the
        second field of Linux's /proc/PID/task/TID/schedstat, run_delay in ns); 0 once it is gone."""
        total, tasks = 0, f"/proc/{self.proc.pid}/task"
        try:
            tids = os.listdir(tasks)
        except OSError:
            return 0.0
        for tid in tids:
            try:
                with open(f"{tasks}/{tid}/schedstat") as f:
                    total += int(f.read().split()[1])
            except (OSError, IndexError, ValueError):
                pass
        return total / 1e9

    def _ran_for(self, idle):
        """Of idle seconds since the last output, those QEMU was not kept waiting for a CPU."""
        return idle - max(self.starved_s() - self.starved_at_output, 0.0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def settle(self, timeout=5.0):
        """Wait (at most timeout seconds) until the kernel sits at the monitor prompt or QEMU
        has exited, so that a test which stops reading early still leaves the same log every
        run (the kernel prints nothing more at an idle prompt)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not self.eof and self._slice(self.length - 4, self.length) != "\nK> ":
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.reader.join(timeout=2)
        self.log.close()

    def _idle_mark(self):
        """QEMU's CPU and starved seconds now, read outside the lock (they read /proc)."""
        return self.cpu_s(), self.starved_s()

    def _restart_idle(self, mark):
        """The silence and busy limits count from now (output came, or keys were typed); mark
        from _idle_mark. Caller holds self.cond."""
        self.last_output = time.monotonic()
        self.cpu_at_output, self.starved_at_output = mark

    # -- talking to the kernel ----------------------------------------------

    def send(self, line):
        """Type line and Enter at the console."""
        self.log.write(f"\n[grader types: {line}]\n")
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()
        mark = self._idle_mark()
        with self.cond:  # idleness counts from now: the echo is still on its way
            self._restart_idle(mark)
            self._sent_at = self.length

    def type_keys(self, keys, timeout=TIMEOUT_S, pause_s=0.01):
        """Type keys (printable characters, no Enter) one at a time, each pause_s seconds after
        the echo of the one before has come: so a key almost always reaches an idle guest (the
        echo's writer finishes in some thousand instructions, microseconds), and what the guest
        counts from its interrupt does not depend on when the host delivered it."""
        self.log.write(f"\n[grader types key by key: {keys}]\n")
        for k in keys:
            self.proc.stdin.write(k.encode())
            self.proc.stdin.flush()
            mark = self._idle_mark()
            with self.cond:
                self._restart_idle(mark)
                self._sent_at = self.length
            self.expect(re.escape(k), timeout, what=f"the echo of the key {k!r}")
            time.sleep(pause_s)

    def _exited(self):
        """Whether QEMU has exited, its output read to the end (judge an exit only then)."""
        if self.eof and self.proc.poll() is None:
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        exited = self.proc.poll() is not None
        if exited:
            self.reader.join(timeout=2)
        return exited

    def expect(self, pattern, timeout=TIMEOUT_S, what=None, silence_s=None, busy_s=None):
        """Wait for regex pattern (multiline) after the last match; returns the match (its
        positions are relative to the searched stretch of output: use its groups).

        silence_s overrides, for this wait, how long no output counts as a hang (a command
        known to compute quietly). busy_s: a hang also once QEMU has used busy_s seconds of
        CPU time since the last output (progress measured by the guest's work, not the host's
        clock: a kernel that prints steadily, like schedbench's epoch lines, is stuck when that
        much computing brought no line). Raises KernelFailure with a diagnosis when it does
        not appear."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        silence = self.silence_s if silence_s is None else silence_s
        scan = self.pos  # no match starts before scan
        while True:
            exited = self._exited()
            with self.cond:
                base = self._line_start(scan)
                window = self._slice(base, self.length)
                m = rx.search(window, scan - base)
                # A pattern ending in $ must match a whole line: wait for its newline.
                if m and pattern.endswith("$") and m.end() == len(window) and not exited:
                    m = None
                if m:
                    self._match_start, self.pos = base + m.start(), base + m.end()
                    return m
                last_line = base + window.rfind("\n") + 1
                scan = max(scan, min(last_line, self.length - self.OVERLAP_CHARS))
                idle = time.monotonic() - self.last_output
                why = self._diagnose(idle, deadline, exited, silence)
                if not why and busy_s is not None and not exited:
                    busy = self.cpu_s() - self.cpu_at_output
                    if busy > busy_s:
                        why = (f"hang: the kernel computed for {busy:.1f} s of CPU time without "
                               f"printing a line (limit {busy_s} s)")
                if not why and not exited:
                    wait = self._wake_in(deadline, silence)
                    self.cond.wait(min(wait, BUSY_POLL_S) if busy_s is not None else wait)
            if why:
                self.fail(f"expected {what or repr(pattern)}", why)

    def command(self, line, prompt=PROMPT, timeout=TIMEOUT_S, silence_s=None, busy_s=None):
        """Run a monitor command; returns its output (up to the next prompt). The next of the
        commands queued by the boot argument kit.run is not typed: the kernel shows it at its
        prompt and runs it by itself; its output is read the same way."""
        if self.queued and self.queued[0] == line:
            self.queued.pop(0)
            # the line "K> LINE"; a wait for the prompt may have matched its "K> " already
            self.expect(rf"(?:(?<=^K> )|^K> ){re.escape(line)}$", timeout, what=f"'{line}' run from kit.run",
                        silence_s=silence_s, busy_s=busy_s)
        else:
            self.send(line)
        start = self.pos
        self.expect(prompt, timeout, what=f"the prompt after '{line}'", silence_s=silence_s, busy_s=busy_s)
        with self.cond:
            return NO_TIMERS_LINE.sub("", self._slice(start, self._match_start))

    def wait_exit(self, timeout=TIMEOUT_S):
        """Wait for QEMU to exit; returns its status, fails on a timeout."""
        deadline = time.monotonic() + timeout
        while not self._exited():
            with self.cond:
                idle = time.monotonic() - self.last_output
                why = self._diagnose(idle, deadline, False, self.silence_s)
                if not why and not self.eof:
                    self.cond.wait(self._wake_in(deadline, self.silence_s))
            if why:
                self.fail("expected QEMU to exit", why)
        return self.proc.returncode

    # -- diagnoses (callers hold self.cond) ------------------------------------

    def _wake_in(self, deadline, silence):
        """Seconds until a diagnosis could change without new output: an idle limit or the deadline."""
        now = time.monotonic()
        limits = [deadline, self.last_output + silence, self.last_output + PROMPT_IDLE_S]
        if now > self.last_output + min(silence, PROMPT_IDLE_S):  # a limit may be near: look again soon
            limits.append(now + BUSY_POLL_S)
        if self.no_timers_s is not None:
            limits.append(self.last_output + self.no_timers_s)
        if self._panic_at is not None:
            limits.append(self.last_output + PANIC_IDLE_S)
        return max(min([t for t in limits if t > now], default=now) - now, 0.005)

    def _scan_lines(self):
        """Look for the panic and banner lines in the output not yet scanned for them."""
        t = self._slice(self._diag_at, self.length)
        if self._panic_at is None:
            panic = re.search(r"^panic: ", t, re.M)
            if panic:
                self._panic_at = self._diag_at + panic.start()
        self._banner = self._banner or bool(re.search(r"^kit \S+ on ", t, re.M))
        self._diag_at += t.rfind("\n") + 1

    def _diagnose(self, idle, deadline, exited, silence_s):
        """Why the wait should end now, or None. exited: QEMU had exited before the last search;
        silence_s: the no-output limit for this wait."""
        if self.flooded:
            return (f"flood: the kernel printed more than {MAX_OUTPUT >> 20} MiB to the console; "
                    "the run was stopped")
        self._scan_lines()
        if self._panic_at is not None and (exited or idle > PANIC_IDLE_S):
            return self._panic_report(self._slice(self._panic_at, self.length))
        storm = self._storm(self._tail_text(STORM_REPEATS + 1))
        if storm:
            return storm
        loop = self._tail_text(FLOOD_REPEATS + 1).splitlines()[-FLOOD_REPEATS:]
        if len(loop) == FLOOD_REPEATS and loop[0] and len(set(loop)) == 1:
            return f"flood: the kernel printed the same line {FLOOD_REPEATS} times in a row: {loop[0][:120]!r}"
        if exited:
            return f"QEMU exited with status {self.proc.returncode} before that appeared"
        if (idle > PROMPT_IDLE_S and self._slice(self.length - 4, self.length) == "\nK> "
                and self._ran_for(idle) > PROMPT_IDLE_S):
            return "the kernel is waiting at the monitor prompt: it never printed that"
        if (self.no_timers_s is not None and idle > self.no_timers_s
                and NO_TIMERS in self._slice(self._sent_at, self.length)):
            return ("hang: the kernel went idle with no timer armed (QEMU: \"" + NO_TIMERS +
                    "\"): it waits for an interrupt that never comes; is every thread blocked, "
                    "or was the timer not programmed?")
        if idle > silence_s and (idle > silence_s * SILENCE_BACKSTOP or self._ran_for(idle) > silence_s):
            idle = max(idle, silence_s)
            if not self._banner:
                return (f"silence: the kernel printed nothing in {idle:.0f} s (no banner); "
                        "did it reach kmain? Is the console working?")
            return f"hang: no output for {idle:.0f} s after the last line"
        if time.monotonic() > deadline:
            return "timeout: the kernel kept printing but never printed that"
        return None

    def _storm(self, text):
        lines = [l for l in text.splitlines()[-STORM_REPEATS - 1:] if l]
        tail = lines[-STORM_REPEATS:]
        if len(tail) == STORM_REPEATS and tail[0].startswith("trap:") and len(set(tail)) == 1:
            where = ""
            m = re.search(r"pc=(0x[0-9a-f]+)", tail[0])
            if m and self.symbols:
                where = f"\n  pc {self.symbols.describe(int(m.group(1), 16))}"
            return (f"trap storm: the same trap repeats without end:\n  {tail[0]}{where}\n"
                    "  the trap handler returns to the faulting instruction")
        return None

    def _panic_report(self, block):
        lines = block.splitlines()[:30]
        out = ["the kernel panicked:"] + ["  " + l for l in lines]
        if self.symbols:
            # Return addresses (backtrace frames, "called from") are named by ra - 1.
            ras = set(int(a, 16) for a in re.findall(r"(?:^  #\d+ |called from )(0x[0-9a-f]+)", block, re.M))
            addrs = sorted(set(int(a, 16) for a in re.findall(r"\b0x[0-9a-f]{6,16}\b", block)))
            named = [self.symbols.describe(a, a in ras) for a in addrs if self.symbols.lookup_ksyms(a - (a in ras))[0]]
            if named:
                out.append("  addresses in it, named by the grader from kernel.elf:")
                out += ["    " + n for n in named]
        return "\n".join(out)

    def tail(self, n=TAIL_LINES):
        """The last n lines of output, from the last command (typed or from kit.run: a "K> CMD"
        line) or else the kernel's banner on, when one is among them."""
        with self.cond:
            t = self._tail_text(n + 1)
        lines = t.rstrip("\n").splitlines()[-n:]
        start = [i for i, l in enumerate(lines) if re.match(r"kit \S+ on |K> \S", l)]
        return "\n".join(lines[start[-1]:] if start else lines)

    def fail(self, expected, why):
        raise KernelFailure(
            f"{expected}\n{why}\n--- last {TAIL_LINES} lines of output ---\n{self.tail()}\n"
            f"--- full log: {self.log_path}")


# -- helpers the lab tests share ----------------------------------------------


def suite_ok(out, suite):
    """All checks of an in-kernel ktest suite passed; else fail with its FAIL lines (check
    names may hold spaces and colons) and the numbers the suite printed and judged."""
    fails = re.findall(rf"^ktest {suite} .+?: FAIL .*$", out, re.M)
    done = re.search(rf"^ktest {suite} done: (\d+)/(\d+)$", out, re.M)
    said = [l for l in out.splitlines()[1:] if l.strip() and not re.match(rf"ktest {suite} (start$|.+?: ok$|.+?: FAIL |done: )", l)]
    numbers = ("\nwhat it printed besides its checks:\n" + "\n".join("  " + l for l in said[:20]) +
               (f"\n  ... and {len(said) - 20} more lines" if len(said) > 20 else "")) if said else ""
    assert done, f"'test {suite}' did not finish; its output:\n{out[-3000:]}"
    assert not fails and done.group(1) == done.group(2), \
        (f"'test {suite}': {done.group(1)}/{done.group(2)} checks passed; the failed checks:\n" +
         "\n".join("  " + f for f in fails) + numbers)


def sched_summary(out):
    """The '== summary' block that schedbench (kernel) and sched-sim (host) both print, as a
    dict: "key v k1 v1 ..." lines give s[key] = v and s["key.k1"] = v1; the cpu_task and
    ls_task rows become lists of dicts under "cpu_tasks" and "ls_tasks"."""
    assert "== summary" in out, f"no '== summary' block in:\n{out[-3000:]}"
    block = out[out.index("== summary"):]
    s = {"cpu_tasks": [], "ls_tasks": []}
    heads = {}
    for line in block.splitlines()[1:]:
        words = line.split()
        if not words:
            continue
        if words[0] in ("cpu_task", "ls_task"):
            if words[1] == "id":
                heads[words[0]] = words[1:]
            elif words[1].isdigit():
                s[words[0] + "s"].append(dict(zip(heads.get(words[0], []), words[1:])))
            continue
        if not re.match(r"^[a-z_]+$", words[0]) or len(words) < 2:
            break
        key, values = words[0], words[1:]
        try:
            if len(values) % 2:  # "key value k1 v1 k2 v2 ...", else "key k1 v1 ..."
                s[key], values = float(values[0]), values[1:]
            s.update({f"{key}.{k}": float(v) for k, v in zip(values[::2], values[1::2])})
        except ValueError:
            break
    return s

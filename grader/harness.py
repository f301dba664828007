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
import os
import re
import shlex
import signal
import subprocess
import threading
import time

from elftools.elf.elffile import ELFFile

SILENCE_S = 5.0      # no output for this long: silence or hang
TIMEOUT_S = 30.0     # upper bound on any single wait
PROMPT = r"^K> "      # the monitor prompt (regex, multiline)
PROMPT_IDLE_S = 1.0  # idle this long at the monitor prompt: nothing more is coming
STORM_REPEATS = 8    # identical trap lines in a row that make a storm
TAIL_LINES = 20


class KernelFailure(AssertionError):
    """A failed expectation, with the grader's diagnosis as its message."""


class Symbols:
    """Function symbols of the kernel ELF, for checking and naming addresses."""

    def __init__(self, elf_path):
        self.by_name, self.funcs = {}, []
        with open(elf_path, "rb") as f:
            symtab = ELFFile(f).get_section_by_name(".symtab")
            for sym in symtab.iter_symbols():
                if sym["st_info"]["type"] == "STT_FUNC":
                    self.by_name[sym.name] = (sym["st_value"], sym["st_size"])
                    self.funcs.append((sym["st_value"], sym["st_size"], sym.name))
                elif sym["st_info"]["type"] in ("STT_NOTYPE", "STT_OBJECT") and sym.name:
                    self.by_name.setdefault(sym.name, (sym["st_value"], sym["st_size"]))
        self.funcs.sort()

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

    def describe(self, addr):
        name, off = self.lookup(addr)
        return f"{addr:#x} {name}+{off:#x}" if name else f"{addr:#x} (not in the kernel)"


class Machine:
    """One QEMU run of the kernel. Use as a context manager; output goes to log_path."""

    def __init__(self, cmd, log_path, symbols=None, cwd=None, silence_s=SILENCE_S):
        self.silence_s = silence_s
        self.cmd, self.log_path, self.symbols = cmd, log_path, symbols
        self.text = ""          # all output so far, \r removed
        self.pos = 0            # where the next expect starts searching
        self.last_output = time.monotonic()
        self.started = time.monotonic()
        self.lock = threading.Lock()
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
            with self.lock:
                self.text += s
                self.last_output = time.monotonic()
            self.log.write(s)
            self.log.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.reader.join(timeout=2)
        self.log.close()

    # -- talking to the kernel ----------------------------------------------

    def send(self, line):
        """Type line and Enter at the console."""
        self.log.write(f"\n[grader types: {line}]\n")
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()
        with self.lock:  # idleness counts from now: the echo is still on its way
            self.last_output = time.monotonic()

    def expect(self, pattern, timeout=TIMEOUT_S, what=None, silence_s=None):
        """Wait for regex pattern (multiline) after the last match; returns the match.

        silence_s overrides, for this wait, how long no output counts as a hang (a command
        known to compute quietly). Raises KernelFailure with a diagnosis when it does not
        appear."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        while True:
            # Judge an exit only after its last output has been read and searched.
            exited = self.proc.poll() is not None
            if exited:
                self.reader.join(timeout=2)
            with self.lock:
                m = rx.search(self.text, self.pos)
                # A pattern ending in $ must match a whole line: wait for its newline.
                if m and pattern.endswith("$") and m.end() == len(self.text) and not exited:
                    m = None
                idle = time.monotonic() - self.last_output
            if m:
                self.pos = m.end()
                return m
            why = self._diagnose(idle, deadline, exited, silence_s)
            if why:
                self.fail(f"expected {what or repr(pattern)}", why)
            time.sleep(0.01)

    def command(self, line, prompt=PROMPT, timeout=TIMEOUT_S, silence_s=None):
        """Run a monitor command; returns its output (up to the next prompt)."""
        self.send(line)
        start = self.pos
        m = self.expect(prompt, timeout, what=f"the prompt after '{line}'", silence_s=silence_s)
        return self.text[start:m.start()]

    def wait_exit(self, timeout=TIMEOUT_S):
        """Wait for QEMU to exit; returns its status, fails on a timeout."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            with self.lock:
                idle = time.monotonic() - self.last_output
            why = self._diagnose(idle, deadline, exited=False)
            if why:
                self.fail("expected QEMU to exit", why)
            time.sleep(0.01)
        self.reader.join(timeout=2)
        return self.proc.returncode

    # -- diagnoses ----------------------------------------------------------

    def _diagnose(self, idle, deadline, exited, silence_s=None):
        """Why the wait should end now, or None. exited: QEMU had exited before the last search;
        silence_s: the no-output limit for this wait (default: the machine's)."""
        text = self.text
        panic = re.search(r"^panic: .*", text, re.M)
        if panic and (exited or idle > 0.5):
            return self._panic_report(text[panic.start():])
        storm = self._storm(text)
        if storm:
            return storm
        if exited:
            return f"QEMU exited with status {self.proc.returncode} before that appeared"
        if idle > PROMPT_IDLE_S and text.endswith("\nK> "):
            return "the kernel is waiting at the monitor prompt: it never printed that"
        if idle > (self.silence_s if silence_s is None else silence_s):
            if not re.search(r"^kit \S+ on ", text, re.M):
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
            addrs = sorted(set(int(a, 16) for a in re.findall(r"\b0x[0-9a-f]{6,16}\b", block)))
            named = [self.symbols.describe(a) for a in addrs if self.symbols.lookup(a)[0]]
            if named:
                out.append("  addresses in it, named by the grader from kernel.elf:")
                out += ["    " + n for n in named]
        return "\n".join(out)

    def tail(self, n=TAIL_LINES):
        return "\n".join(self.text.rstrip("\n").splitlines()[-n:])

    def fail(self, expected, why):
        raise KernelFailure(
            f"{expected}\n{why}\n--- last {TAIL_LINES} lines of output ---\n{self.tail()}\n"
            f"--- full log: {self.log_path}")


# -- helpers the lab tests share ----------------------------------------------


def suite_ok(out, suite):
    """All checks of an in-kernel ktest suite passed; else fail with the failing lines."""
    fails = re.findall(rf"^ktest {suite} \S+: FAIL .*$", out, re.M)
    done = re.search(rf"^ktest {suite} done: (\d+)/(\d+)$", out, re.M)
    assert done, f"'test {suite}' did not finish; its output:\n{out[-3000:]}"
    assert not fails and done.group(1) == done.group(2), \
        f"'test {suite}': {done.group(1)}/{done.group(2)} checks passed:\n" + "\n".join(fails)


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

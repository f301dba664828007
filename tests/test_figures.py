"""tools/figures (make figures): it measures the README's performance table on a real boot and
rewrites only the section between its markers. One arch, no grade, into a copy of the README,
so the kit's own README is never touched by a test run."""
import json
import os
import shutil
import subprocess

from conftest import KIT


def test_figures_rewrites_its_section(tmp_path):
    readme, out = tmp_path / "README.md", tmp_path / "figures.json"
    shutil.copy(os.path.join(KIT, "README.md"), readme)
    before = readme.read_text()
    r = subprocess.run(["/usr/bin/python3", os.path.join(KIT, "tools", "figures"), "--arch", "riscv64",
                        "--no-grade", "--out", str(out), "--readme", str(readme)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    f = json.loads(out.read_text())["riscv64"]
    for k in ("boot", "null_syscall", "ipc_fastpath", "ipc_slowpath", "decision_instr",
              "ls_p99_us_rr", "ls_p99_us_joint", "tracepoint_on", "tracepoint_off"):
        assert f.get(k, 0) > 0, f"{k} missing or zero: {f}"
    assert f["ipc_slowpath"] > 3 * f["ipc_fastpath"] and f["ls_p99_us_rr"] > f["ls_p99_us_joint"], f
    assert any(k.startswith("fs: ") for k in f), f"no storage figure (lab 5 on riscv64): {f}"
    after = readme.read_text()
    b, e = "<!-- figures:begin -->", "<!-- figures:end -->"
    assert before[:before.index(b)] == after[:after.index(b)], "text before the section changed"
    assert before[before.index(e):] == after[after.index(e):], "text after the section changed"
    assert f"| null system call, user to user | {f['null_syscall']:,} |" in after, after

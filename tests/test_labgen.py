"""The lab generator (tools/labgen): stages, markers, staleness and leak checks."""
import os
import subprocess
import textwrap

import pytest

KIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABGEN = os.path.join(KIT, "tools", "labgen")

SOURCE = textwrap.dedent("""\
    int f(void)
    {
    	// @lab1 solution
    	return one_solution_line_long_enough();
    	// @lab1 stub
    	// TODO(lab1): return one. Hint: it is 1.
    	return -ENOSYS;
    	// @lab1 end
    }

    // @lab2 solution
    int g(void) { return lab_two_solution_line_here(); }
    // @lab2 end
    """)


def run(root, *args):
    env = dict(os.environ, KIT_ROOT=str(root))
    return subprocess.run(["/usr/bin/python3", LABGEN, *args], env=env, capture_output=True,
                          text=True)


@pytest.fixture
def kit(tmp_path):
    (tmp_path / "solutions" / "common").mkdir(parents=True)
    (tmp_path / "solutions" / "common" / "f.c").write_text(SOURCE)
    (tmp_path / "solutions" / "common" / "late.c").write_text("// @file lab2\nint late;\n")
    return tmp_path


def test_stages(kit):
    assert run(kit, "--all").returncode == 0
    lab1 = (kit / "labs" / "lab1-boot" / "common" / "f.c").read_text()
    assert "TODO(lab1)" in lab1 and "one_solution_line" not in lab1
    assert "lab_two" not in lab1 and "@lab" not in lab1
    assert not (kit / "labs" / "lab1-boot" / "common" / "late.c").exists()
    lab2 = (kit / "labs" / "lab2-mem" / "common" / "f.c").read_text()
    assert "one_solution_line" in lab2 and "TODO(lab1)" not in lab2 and "lab_two" not in lab2
    assert (kit / "labs" / "lab2-mem" / "common" / "late.c").read_text() == "int late;\n"
    readme = (kit / "labs" / "lab1-boot" / "README.md").read_text()
    assert "common/f.c:3" in readme


def test_solved(kit):
    assert run(kit, "--solved", "--lab", "2", "--out", str(kit / "out")).returncode == 0
    text = (kit / "out" / "lab2-mem" / "common" / "f.c").read_text()
    assert "one_solution_line" in text and "lab_two_solution" in text and "TODO" not in text


def test_check_stale_and_leak(kit):
    assert run(kit, "--all").returncode == 0
    assert run(kit, "--check").returncode == 0
    path = kit / "labs" / "lab1-boot" / "common" / "f.c"
    path.write_text(path.read_text() + "\treturn one_solution_line_long_enough();\n")
    r = run(kit, "--check")
    assert r.returncode == 1
    assert "leaked" in r.stderr and "f.c" in r.stderr and "stale" in r.stderr
    (kit / "labs" / "lab1-boot" / "common" / "f.c").unlink()
    r = run(kit, "--check")
    assert "common/f.c is missing" in r.stderr


@pytest.mark.parametrize("bad, message", [
    ("// @lab1 solution\nx;\n", "never ends"),
    ("// @lab1 solution\n// @lab2 solution\n// @lab2 end\n// @lab1 end\n", "inside the lab1 region"),
    ("// @lab1 end\n", "without a matching"),
])
def test_marker_errors(kit, bad, message):
    (kit / "solutions" / "common" / "f.c").write_text(bad)
    r = run(kit, "--all")
    assert r.returncode == 1 and message in r.stderr and "f.c:" in r.stderr


def test_kit_labs_are_current():
    r = subprocess.run(["/usr/bin/python3", LABGEN, "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_arch_lists_agree():
    """grader/arches.py and the arch/ directories (the Makefile's list) name the same arches."""
    from conftest import ARCHES
    assert sorted(ARCHES) == sorted(d for d in os.listdir(os.path.join(KIT, "arch"))
                                    if os.path.isdir(os.path.join(KIT, "arch", d)))

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


def tree(kit, lab):
    return kit / "build" / "labs" / {1: "lab1-boot", 2: "lab2-mem", 3: "lab3-sched", 4: "lab4-ipc"}[lab]


def test_stages(kit):
    assert run(kit, "--all").returncode == 0
    lab1 = (tree(kit, 1) / "common" / "f.c").read_text()
    assert "TODO(lab1)" in lab1 and "one_solution_line" not in lab1
    assert "lab_two" not in lab1 and "@lab" not in lab1
    assert not (tree(kit, 1) / "common" / "late.c").exists()
    lab2 = (tree(kit, 2) / "common" / "f.c").read_text()
    assert "one_solution_line" in lab2 and "TODO(lab1)" not in lab2 and "lab_two" not in lab2
    assert (tree(kit, 2) / "common" / "late.c").read_text() == "int late;\n"
    readme = (tree(kit, 1) / "README.md").read_text()
    assert "common/f.c:3" in readme
    assert not (kit / "labs" / "lab1-boot").exists(), "trees are generated under build/, not committed"


def test_solved(kit):
    assert run(kit, "--solved", "--lab", "2", "--out", str(kit / "out")).returncode == 0
    text = (kit / "out" / "lab2-mem" / "common" / "f.c").read_text()
    assert "one_solution_line" in text and "lab_two_solution" in text and "TODO" not in text


def test_list_and_files(kit):
    assert run(kit, "--list").stdout.split() == ["lab1-boot", "lab2-mem"]
    assert run(kit, "--files", "--lab", "1").stdout.split() == ["common/f.c"]
    assert run(kit, "--files", "--lab", "2").stdout.split() == ["common/f.c", "common/late.c"]


def test_golden_stale_and_leak(kit):
    assert run(kit, "--all").returncode == 0
    golden = kit / "labs" / "STUBS.md"
    text = golden.read_text()
    assert "## Lab 1: boot" in text and "### common/f.c:3" in text and "TODO(lab1): return one" in text
    assert "one_solution_line" not in text
    assert run(kit, "--check").returncode == 0
    src = kit / "solutions" / "common" / "f.c"
    src.write_text(src.read_text().replace("Hint: it is 1.", "Hint: it is one."))
    r = run(kit, "--check")
    assert r.returncode == 1 and "STUBS.md is stale" in r.stderr
    assert run(kit, "--all").returncode == 0 and run(kit, "--check").returncode == 0
    golden.write_text(golden.read_text() + "\treturn one_solution_line_long_enough();\n")
    r = run(kit, "--check")
    assert r.returncode == 1 and "solution text in the golden file" in r.stderr
    golden.unlink()
    assert "STUBS.md is missing" in run(kit, "--check").stderr
    assert run(kit, "--all").returncode == 0
    (kit / "labs" / "lab1-boot").mkdir()
    assert "labs/lab1-boot is committed" in run(kit, "--check").stderr


# How a later lab extends code an earlier lab provided, shown with lab 4's first
# change to lab 3's thread switch (the address-space switch): a "@lab4 provided"
# region in the provided text of thread.c appears from stage 4 on, in the
# starter and the solved form, and never touches the lab-3 student's own lines.
THREAD = textwrap.dedent("""\
    // @file lab3
    static void thread_switch(struct thread *prev, struct thread *next)
    {
    	kstack_top = next->stack_hi;
    	// @lab4 provided
    	if (next->vspace != prev->vspace)
    	\tvspace_activate(next->vspace);
    	// @lab4 end
    	arch_context_switch(&prev->ctx, &next->ctx);
    }

    static struct thread *pick(void)
    {
    	// @lab3 solution
    	return the_lab_three_solution_line();
    	// @lab3 stub
    	// TODO(lab3): pick.
    	return 0;
    	// @lab3 end
    }

    // @lab4 solution
    int lab_four_work(void) { return lab_four_solution_here(); }
    // @lab4 stub
    // TODO(lab4): lab four's work.
    // @lab4 end
    """)


def test_later_lab_extends_provided_code(kit):
    (kit / "solutions" / "common" / "thread.c").write_text(THREAD)
    assert run(kit, "--all").returncode == 0
    lab3 = (tree(kit, 3) / "common" / "thread.c").read_text()
    lab4 = (tree(kit, 4) / "common" / "thread.c").read_text()
    assert "vspace_activate" not in lab3 and "TODO(lab3): pick." in lab3
    assert "vspace_activate" in lab4 and "the_lab_three_solution_line" in lab4
    assert "TODO(lab4)" in lab4 and "@lab" not in lab4
    # The only difference between stages 3 and 4 outside the student's own lines is lab 4's
    # provided text and lab 4's stub: carrying one's own lab-3 code into lab 4 merges cleanly.
    assert lab4.replace("\tif (next->vspace != prev->vspace)\n\t\tvspace_activate(next->vspace);\n", "") \
        .startswith(lab3.split("static struct thread *pick")[0])
    assert run(kit, "--solved", "--lab", "4", "--out", str(kit / "out")).returncode == 0
    assert "vspace_activate" in (kit / "out" / "lab4-ipc" / "common" / "thread.c").read_text()
    assert run(kit, "--list").stdout.split() == ["lab1-boot", "lab2-mem", "lab3-sched", "lab4-ipc"]


@pytest.mark.parametrize("bad, message", [
    ("// @lab1 solution\nx;\n", "never ends"),
    ("// @lab1 solution\n// @lab2 solution\n// @lab2 end\n// @lab1 end\n", "inside the lab1 region"),
    ("// @lab1 end\n", "without a matching"),
    ("// @lab1 solution\n// @lab2 provided\n// @lab2 end\n// @lab1 end\n", "regions do not nest"),
    ("// @lab2 provided\nx;\n// @lab2 stub\n// @lab2 end\n", "stub in a provided region"),
])
def test_marker_errors(kit, bad, message):
    (kit / "solutions" / "common" / "f.c").write_text(bad)
    r = run(kit, "--all")
    assert r.returncode == 1 and message in r.stderr and "f.c:" in r.stderr


def test_kit_stubs_are_current():
    r = subprocess.run(["/usr/bin/python3", LABGEN, "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_arch_lists_agree():
    """grader/arches.py and the arch/ directories (the Makefile's list) name the same arches."""
    from conftest import ARCHES
    assert sorted(ARCHES) == sorted(d for d in os.listdir(os.path.join(KIT, "arch"))
                                    if os.path.isdir(os.path.join(KIT, "arch", d)))

"""The way into and out of user mode, ahead of lab 4 (kit self-test, not graded).

The lab-3 reference kernel's `test umode` suite (common/lab3/ktest_umode.c) runs
a system call and an exception in user mode with arch_user_probe, twice each,
with the kernel stack for traps from user mode set by arch_set_kernel_stack to
one of two spare pages in turn; every trap must come from user mode, at the
instruction run, with its frame on the page just set. An arch_set_kernel_stack
that does nothing (or sets one fixed stack) fails it or crashes the kernel.
"""
import pytest

from conftest import ARCHES, KIT, built, mem_args
from harness import Machine, Symbols, suite_ok


@pytest.mark.parametrize("arch", ARCHES)
def test_umode(arch, tmp_path):
    qemu, elf = built(arch, lab=3)
    with Machine(qemu + mem_args(arch) + ["-append", ""], str(tmp_path / "umode.log"), Symbols(elf),
                 cwd=KIT) as m:
        m.expect(r"^K> ", what="the prompt")
        out = m.command("test umode")
        suite_ok(out, "umode")
        # 14 checks, one more that the kernel cannot execute a user page (ARCH_KERNEL_NO_USER_EXEC;
        # x86_64: SMEP, in the kit's QEMU model), one more that it cannot read one outside the
        # copy helpers (ARCH_KERNEL_NO_USER_ACCESS: riscv64's SUM, x86_64's SMAP; not aarch64)
        want = 15 if arch == "aarch64" else 16
        assert f"ktest umode done: {want}/{want}" in out, out
        # The kernel goes on afterwards: its own stack was not overwritten.
        out = m.command("backtrace")
        assert "kmain" in out, out

"""The arch/platform split, checked on the reference kernels (kit-internal, not graded).

- A real device interrupt, the console UART's transmitter-empty one, reaches a registered
  handler through the board's controller and irq_dispatch; masked, it does not come; with no
  handler it is reported once and masked (`test irq`, common/ktest_irq.c).
- The registration tables (sections ktests, kinit, moncmds: orphans that ld bounds with
  __start_SEC/__stop_SEC) lie in read-only memory: inside [_etext, _erodata), which lab 2's
  kernel address space maps read-only, and in a read-only segment.
"""
import re

import pytest
from elftools.elf.constants import P_FLAGS, SH_FLAGS
from elftools.elf.elffile import ELFFile

from conftest import ARCH_FACTS, ARCHES, KIT, LABS, built, last_stage, mem_args, skip_unsupported
from harness import Machine, Symbols, suite_ok

REPORT = r"^irq: interrupt (\d+) has no handler; masked$"


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("which", ["first", "last"])
def test_irq_dispatch(arch, which, tmp_path):
    """From lab 1 (no paging) and in the last lab (the kernel address space, threads, timer);
    an arch that arrives with its port lab has one stage for both."""
    first = min(lab for lab in LABS if ARCH_FACTS[arch].supports(lab))
    lab = first if which == "first" else last_stage(arch)
    if which == "last" and lab == first:
        pytest.skip(f"{arch}'s first stage is its last (lab {lab})")
    qemu, elf = built(arch, lab)
    with Machine(qemu + mem_args(arch) + ["-append", ""], str(tmp_path / "irq.log"), Symbols(elf),
                 cwd=KIT) as m:
        m.expect(r"^K> ", what="the prompt")
        out = m.command("test irq")
        suite_ok(out, "irq")
        reports = re.findall(REPORT, out, re.M)
        assert len(reports) == 1, f"expected one 'irq: interrupt N has no handler' report:\n{out}"
        out = m.command("test irq")  # the layer is left as it was found: the suite runs again
        suite_ok(out, "irq")


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("lab", LABS)
def test_tables_read_only(arch, lab):
    skip_unsupported(arch, lab)
    _, elf = built(arch, lab)
    with open(elf, "rb") as f:
        e = ELFFile(f)
        syms = {s.name: s["st_value"] for s in e.get_section_by_name(".symtab").iter_symbols()}
        ro = [(p["p_vaddr"], p["p_vaddr"] + p["p_memsz"]) for p in e.iter_segments()
              if p["p_type"] == "PT_LOAD" and not p["p_flags"] & P_FLAGS.PF_W]
        for name in ("ktests", "kinit", "moncmds"):
            sec = e.get_section_by_name(name)
            if sec is None:  # kinit and moncmds are empty in lab 1
                assert name != "ktests", "the ktests table is missing"
                continue
            start, end = sec["sh_addr"], sec["sh_addr"] + sec["sh_size"]
            assert not sec["sh_flags"] & SH_FLAGS.SHF_WRITE, f"{name} is writable"
            assert syms["_etext"] <= start and end <= syms["_erodata"], \
                f"{name} [{start:#x}, {end:#x}) is outside [_etext, _erodata)"
            assert any(lo <= start and end <= hi for lo, hi in ro), f"{name} is in a writable segment"
            assert syms[f"__start_{name}"] == start and syms[f"__stop_{name}"] == end

"""User programs (user/rules.mk): built with the kernel's compiler for the lower half, static,
entry at _start, one segment per permission set and none both writable and executable."""
import os

import pytest
from elftools.elf.elffile import ELFFile

from conftest import ARCH_FACTS, ARCHES, KIT, last_stage, make

USER_BASE = 0x400000  # user/rules.mk
PF_X, PF_W, PF_R = 1, 2, 4


@pytest.mark.parametrize("arch", ARCHES)
def test_hello_elf(arch):
    v = [f"ARCH={arch}", f"LAB={last_stage(arch)}", "SOL=1"]
    make(*v, "user")
    elf_path = os.path.join(KIT, os.path.dirname(make(*v, "print-kernel").stdout.strip()),
                            "user", "hello.elf")
    with open(elf_path, "rb") as f:
        elf = ELFFile(f)
        facts = ARCH_FACTS[arch]
        assert elf["e_machine"] == facts.elf_machine and elf["e_type"] == "ET_EXEC"
        start = elf.get_section_by_name(".symtab").get_symbol_by_name("_start")[0]["st_value"]
        assert elf["e_entry"] == start == USER_BASE
        types = [s["p_type"] for s in elf.iter_segments()]
        assert "PT_INTERP" not in types and "PT_DYNAMIC" not in types, "user programs are static"
        loads = [s for s in elf.iter_segments() if s["p_type"] == "PT_LOAD"]
        assert sorted(s["p_flags"] & 7 for s in loads) == [PF_R, PF_R | PF_X, PF_R | PF_W], \
            "text R+X, rodata R, data+bss R+W"
        for s in loads:
            assert s["p_vaddr"] % 4096 == 0 and s["p_vaddr"] >= USER_BASE
            assert s["p_vaddr"] + s["p_memsz"] <= facts.user_top, "user space is the lower half"

"""arches.py: what the grader and the kit's own tests know about each architecture, in one place.

Adding an architecture is one entry here plus its arch/<arch>/ directory (whose
rules.mk holds the toolchain and QEMU facts the Makefile needs); code that
needs a fact looks it up with ARCHES[arch].field, so a missing entry is a
KeyError, never a silent fallback to another arch.
"""
import sys
from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class Arch:
    name: str
    image_offset: int    # the kernel image's virtual minus physical address (ARCH_KERNEL_IMAGE_OFFSET)
    direct_map: int      # the direct map's base: kernel VA of physical 0 (ARCH_DIRECT_MAP_BASE)
    va_bits: int         # virtual-address bits of the kernel's page-table format
    pt_levels: int       # page-table levels
    read_implied: bool   # a present PTE is always readable (x86)
    firmware: tuple      # physical [start, end) the firmware keeps below the kernel, or ()
    elf_machine: str     # e_machine of its kernel and user ELF files (pyelftools' name)
    user_top: int        # the end of the lower half, where user space ends
    usable_ram: Callable  # usable_ram(mib): the RAM [start, end) the firmware reports for QEMU -m mib
    # qemu_mem(mem): the QEMU arguments that give the kernel mem ("128M") of RAM
    qemu_mem: Callable = lambda mem: ["-m", mem]
    # The last portable lab before its port lab whose tests run on the arch (None: every lab);
    # the labs after the port lab run on it from the start.
    max_lab: Optional[int] = None
    # The lab that brings the arch's port (aarch64: 7, the RPi lab), or None. Its stages start
    # there (the port's own files are that lab's student files), and its tests run on this arch
    # only; from it on, the portable labs up to max_lab are graded on the arch too.
    port_lab: Optional[int] = None

    def builds(self, lab):
        """Whether stage lab is built on this arch (make qemu, make grade)."""
        return self.port_lab is None or lab >= self.port_lab

    def stage(self, lab):
        """The first stage at or after lab that is built on this arch (where lab's code runs)."""
        return lab if self.builds(lab) else self.port_lab

    def grades(self, lab):
        """Whether lab's own tests run on this arch (in a stage it builds)."""
        if lab in PORT_LABS:
            return PORT_LABS[lab] == self.name
        if self.port_lab is not None and lab > self.port_lab:  # written after the port: portable
            return True
        return self.max_lab is None or lab <= self.max_lab

    def supports(self, lab):
        """Whether stage lab is built and its own lab graded on this arch (the kit's tests)."""
        return self.builds(lab) and self.grades(lab)

    def unsupported(self, lab):
        """Why stage lab is not built, or its lab not graded, on this arch (for messages)."""
        if not self.builds(lab):
            return (f"{self.name} arrives with lab {self.port_lab}, its port (grader/arches.py "
                    f"port_lab): stage {lab} is not built on it; from lab {self.port_lab} on, "
                    f"labs 1..{self.max_lab} are graded on it too")
        if lab in PORT_LABS:
            return (f"lab {lab} is {PORT_LABS[lab]}'s port lab: {self.name} has no holes or tests "
                    f"in it (its stage {lab} is the one before with nothing added)")
        return (f"{self.name} runs labs 1..{self.max_lab} so far (grader/arches.py max_lab); "
                f"lab {lab}'s tests do not run on it")


PORT_LABS = {}  # lab -> the arch whose port it is (filled below)

RASPI3B_ARM_MAX_MIB = 1008  # the peripherals start at 0x3f000000: the VideoCore keeps 16 MiB at least


def raspi3b_mem(mem):
    """raspi3b refuses any -m but 1G: the ARM gets mem (at most RASPI3B_ARM_MAX_MIB, as a Pi
    with gpu_mem=16), the VideoCore's share (QEMU's vcram-size) the rest."""
    mib = min(int(mem.rstrip("M")), RASPI3B_ARM_MAX_MIB)
    return ["-m", "1G", "-global", f"bcm2835-peripherals.vcram-size={(1024 - mib) << 20}"]


ARCHES = {
    "riscv64": Arch("riscv64", image_offset=0xffffffff00000000, direct_map=0xffffffd000000000,
                    va_bits=39, pt_levels=3,
                    read_implied=False, firmware=(0x80000000, 0x80200000), elf_machine="EM_RISCV",
                    user_top=1 << 38,
                    # QEMU virt: one bank at 0x80000000 (one /memory node).
                    usable_ram=lambda mib: [(0x80000000, 0x80000000 + (mib << 20))]),
    "x86_64": Arch("x86_64", image_offset=0xffffffff80000000, direct_map=0xffff800000000000,
                   va_bits=48, pt_levels=4, read_implied=True, firmware=(), elf_machine="EM_X86_64",
                   user_top=1 << 47,
                   # QEMU pc with SeaBIOS: e820 keeps [0, 0x9fc00) and [1 MiB, top - 128 KiB).
                   usable_ram=lambda mib: [(0, 0x9fc00), (0x100000, (mib << 20) - 0x20000)]),
    "aarch64": Arch("aarch64", image_offset=0xffffffff00000000, direct_map=0xffffffd000000000,
                    va_bits=39, pt_levels=3, read_implied=True, firmware=(0, 0x80000),
                    elf_machine="EM_AARCH64", user_top=1 << 38,
                    # QEMU raspi3b: the mailbox's ARM memory, [0, RAM - the VideoCore's share).
                    usable_ram=lambda mib: [(0, min(mib, RASPI3B_ARM_MAX_MIB) << 20)],
                    # Labs 1-4, 7 and 8: raspi3b has no disk for lab 5's servers (and lab 6's
                    # Linux programs, which run on them).
                    qemu_mem=raspi3b_mem, max_lab=4, port_lab=7),
}
PORT_LABS.update({a.port_lab: a.name for a in ARCHES.values() if a.port_lab})

if __name__ == "__main__":  # arches.py builds|supports ARCH LAB: for the Makefile ("1", else why not)
    if len(sys.argv) != 4 or sys.argv[1] not in ("builds", "supports"):
        sys.exit("usage: arches.py builds|supports ARCH LAB")
    arch, lab = ARCHES[sys.argv[2]], int(sys.argv[3])
    print(1 if getattr(arch, sys.argv[1])(lab) else arch.unsupported(lab))

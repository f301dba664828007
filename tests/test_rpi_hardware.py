"""aarch64 without semihosting, as on a Raspberry Pi with no debugger attached (handout/
lab7-rpi.md, "On real hardware"): the HLT the kernel uses for QEMU's semihosting traps as an
undefined instruction, which the kernel takes as "no semihosting" (an empty command line,
power-off by the watchdog) instead of a panic at boot."""

from conftest import ARCH_FACTS, KIT, built, mem_args
from harness import Machine, Symbols

def test_boots_and_powers_off_without_semihosting(tmp_path):
    qemu, elf = built("aarch64", ARCH_FACTS["aarch64"].port_lab)
    i = qemu.index("-semihosting-config")
    qemu = qemu[:i] + qemu[i + 2:]
    with Machine(qemu + mem_args("aarch64"), str(tmp_path / "nosemi.log"), Symbols(elf), cwd=KIT) as m:
        m.expect(r"^K> ", what="the prompt")
        out = m.command("cpu")
        assert "cpu: EL1" in out, out
        m.send("shutdown")
        m.expect(r"^shutdown: powering off", what="the power-off line")
        status = m.wait_exit()
    assert status == 0, f"QEMU exited with {status}: the watchdog reset with -no-reboot exits 0"

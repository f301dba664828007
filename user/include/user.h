/*
 * user.h: what every user program sees: freestanding C types and main's
 * contract. The system-call and IPC interface comes with lab 4.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * main: the program; crt0 (user/lib/<arch>/crt0.S) calls it with a zero
 * frame pointer on the stack the kernel set up and hands its return value
 * to the exit path (until lab 4: a breakpoint trap, so the kernel sees the
 * program end).
 */
int main(void);

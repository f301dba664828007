/*
 * monitor.h: the kernel monitor, a command line on the serial console.
 */
#pragma once

/* A monitor command: argv[0] is its name; returns 0 or a negative -E* code. */
struct monitor_cmd {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

/* MONITOR_CMD(name, help, fn): add a command from any file (section moncmds, bounded by the
 * linker's __start_moncmds and __stop_moncmds); labs add theirs this way. */
#define MONITOR_CMD(cname, chelp, fn)                                                              \
	static const struct monitor_cmd moncmd_##fn                                                \
	    __attribute__((used, section("moncmds"), aligned(8))) = {cname, chelp, fn}

/* monitor_run: read and run commands forever, prompting with "K> ". */
noreturn void monitor_run(void);

/* monitor_exec: split line into words and run the command; returns its result or -ENOENT. */
int monitor_exec(char *line);

/* mon_backtrace: the `backtrace` command (lab 1): the monitor's own call chain. */
int mon_backtrace(int argc, char **argv);

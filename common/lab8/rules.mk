# common/lab8/rules.mk: provided code lab 8 (metrics) brings, compiled from stage 8 on: the
# trace's rings, run-time switch, fastpath and system-call tracepoints, and its dump to the
# host (trace_export.c). CONFIG_TRACE turns the tracepoints in the rest of the kernel on
# (trace.h): before stage 8 they compile to nothing. kwsbench.c: the capstone's command (user/lab8/).
KSRCS += common/lab8/trace_export.c common/lab8/kwsbench.c
CFLAGS += -DCONFIG_TRACE
# The ring and the tracepoints are on every path they trace: compiled for speed, as lab 4's
# fastpath (handout/lab8-metrics.md, "The cost of observing").
CFLAGS_trace.c := -O2
# Its fastpath hooks stay one load and a branch in front of lab 4's fastpath while tracing is
# off: a sibling call, as fastpath.c's.
CFLAGS_trace_export.c := -O2 -foptimize-sibling-calls

# The kit's one entry point. Targets:
#   make qemu      boot the kernel in QEMU (quit: Ctrl-A x)
#   make qemu-gdb  the same, stopped at the first instruction, waiting for GDB
#   make gdb       gdb-multiarch attached to `make qemu-gdb` (in another terminal)
#   make grade     the pytest grader for labs 1..LAB (T=name runs matching tests only)
#   make check     fast static checks: labs/STUBS.md up to date, no solution text leaked, format
#   make test      the kit's whole self-check (check + tests/ + graders on every lab and arch)
#   make mutants   every mutant of tests/mutants/ through the whole grade (make test runs a fast subset)
#   make labs      write every starter tree under build/labs/ and labs/STUBS.md, from solutions/
#   make dist      the student repository for lab LAB (MODE=carry|reference, OUT=dir)
#   make user      the user programs (user/), built for the lower half with the kernel's compiler
#   make sched-sim lab 3's host simulator and its policy unit tests, from this lab's policies
#   make experiment lab 8's experiments (RR vs joint, scaling, IPC, the keyword-spotting capstone), traced, with a report (ARCH=all too)
#   make figures   measure the README's performance figures on every arch and rewrite them (tools/figures)
#   make mkfs      lab 5's host file-system tools: build/host/mkfs, build/host/fsck (tools/mkfs/), fs-host (stage 5 on)
#   make disk      lab 5's disk image of this build's user programs: $(BUILD)/disk.img (DISK= below)
#   make deps      install the Debian packages the kit needs
#   make clean     remove build/
# Variables: ARCH=riscv64|x86_64|aarch64 (grade: also all)  LAB=N (default: the last lab)  SOL=1 (the reference)
#            TREE=dir (build a student's lab tree)  MEM=128M  BOOTARGS="..."
#            BOOT=monitor (make qemu from lab 5 on: the kernel monitor, not lab 5's shell)
#            UPROG=name (make gdb: a user program's symbols too, lab 4 on)
#            DISK=image (lab 5 on: a virtio-blk disk, e.g. one tools/mkfs made)
# Objects go under build/<arch>/, never beside the sources.

ARCH ?= riscv64
SOL ?= 0
MEM ?= 128M
BOOTARGS ?=
BOOT ?=
PYTHON := /usr/bin/python3

# ARCH=all: `make grade` once per arch (the directories under arch/), one score each;
# fails when any arch is below full marks.
ifeq ($(ARCH),all)
ifneq ($(filter-out grade experiment,$(or $(MAKECMDGOALS),all)),)
$(error ARCH=all works with 'make grade' and 'make experiment' only)
endif
experiment:
	@st=0; for a in $(sort $(notdir $(wildcard arch/*))); do \
		$(MAKE) --no-print-directory experiment ARCH=$$a || st=1; done; exit $$st
.PHONY: experiment
grade:
	@st=0; for a in $(sort $(notdir $(wildcard arch/*))); do \
		$(MAKE) --no-print-directory grade ARCH=$$a || st=1; done; exit $$st
.PHONY: grade
else
# The kit's repository (solutions/ present) lists its labs with labgen and
# generates each lab tree on demand; a student repository (make dist) has its trees in labs/.
ifeq ($(wildcard $(PYTHON)),)
$(shell tools/install-deps --quiet build-$(ARCH) >&2)
endif
# A student repository's kit.mk (tools/dist) names its labs (KIT_LABS), the tree
# of a carry-mode course (KIT_TREE) and each lab's student files (KIT_FILES_labN-name).
KIT_REPO := $(if $(wildcard solutions),1,)
-include kit.mk
ifeq ($(KIT_REPO),1)
LABS_ALL := $(shell $(PYTHON) tools/labgen --list)
else
LABS_ALL := $(or $(KIT_LABS),$(sort $(notdir $(wildcard labs/lab*-*))))
endif
LAST_LAB := $(patsubst lab%,%,$(firstword $(subst -, ,$(lastword $(LABS_ALL)))))
LAB ?= $(LAST_LAB)
LABNAME := $(filter lab$(LAB)-%,$(LABS_ALL))
ifeq ($(LABNAME),)
$(error no lab $(LAB): the kit has $(LABS_ALL))
endif

# The architectures are the directories under arch/ (grader/arches.py holds what the grader knows of each).
ARCHES := $(sort $(notdir $(wildcard arch/*)))
ifeq ($(filter $(ARCH),$(ARCHES)),)
$(error ARCH must be one of $(ARCHES), not '$(ARCH)')
endif
include arch/$(ARCH)/rules.mk
# An arch whose port is a lab of its own (grader/arches.py port_lab: aarch64, lab 7) has no
# stage before it: make grade skips those with this reason (so ARCH=all grades what exists).
ARCH_BUILDS := $(shell $(PYTHON) grader/arches.py builds $(ARCH) $(LAB))
ARCH_LAB_OK := $(filter 1,$(ARCH_BUILDS))
ARCH_SKIP := $(ARCH_BUILDS)
ifneq ($(ARCH_LAB_OK),1)
ifneq ($(filter-out grade check test mutants labs dist deps clean print-labs print-qemu print-kernel print-labsrc,$(or $(MAKECMDGOALS),all)),)
$(error $(ARCH_SKIP))
endif
endif

# LABSRC: the lab tree whose student files this kernel is built from.
# TREE=dir: a student's tree (a submission, a mutant); only the stage's student
# files are taken from it, everything else from the kit. SOL=1: the reference.
ifneq ($(TREE),)
LABSRC := $(abspath $(TREE))
BUILD := build/$(ARCH)/$(LABNAME)-tree-$(shell printf %s '$(LABSRC)' | md5sum | cut -c1-8)
else ifeq ($(SOL)$(KIT_REPO),1)
$(error SOL=1 needs the kit's solutions/, which a student repository does not have)
else ifeq ($(SOL),1)
LABSRC := build/solved/$(LABNAME)
BUILD := build/$(ARCH)/$(LABNAME)-sol
else ifeq ($(KIT_REPO),1)
LABSRC := build/starter/$(LABNAME)
BUILD := build/$(ARCH)/$(LABNAME)
else
LABSRC := $(or $(KIT_TREE),labs/$(LABNAME))
BUILD := build/$(ARCH)/$(LABNAME)
endif
KERNEL := $(BUILD)/kernel.elf

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
NM := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy
CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -ffreestanding \
	-fno-builtin -fno-strict-aliasing -nostdlib -fno-common -fno-stack-protector -fno-pie -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -fno-asynchronous-unwind-tables -MMD -MP \
	$(ARCH_CFLAGS) -Icommon/include -Iarch/$(ARCH)/include -iquote user/include
LDFLAGS := -nostdlib -static $(ARCH_LDFLAGS) -T arch/$(ARCH)/kernel.ld

# Kit sources come from per-directory rules.mk files that append to KSRCS:
# common/, common/labK/ for every stage K <= LAB (provided code a lab brings),
# and the arch's (included above). A lab tree holds only files with holes: all of them build.
# KEXTRA_OBJS: generated objects a stage links in (lab 4's boot modules, user/rules.mk).
include common/rules.mk
include $(wildcard $(foreach k,$(shell seq 1 $(LAB)),common/lab$(k)/rules.mk))
# The stage's student files (labgen's list in the kit's repository, kit.mk's in a
# student's), plus new ones a student added to the tree, unless their name is a kit
# source's: a copy of a provided file never replaces the kit's.
ifeq ($(KIT_REPO),1)
LABFILES := $(shell $(PYTHON) tools/labgen --files --lab $(LAB))
else
LABFILES := $(or $(KIT_FILES_$(LABNAME)),$(patsubst $(LABSRC)/%,%,$(shell find $(LABSRC) -name '*.[cS]')))
endif
LABKINDS := common/%.c arch/$(ARCH)/%.c arch/$(ARCH)/%.S
LABNEW = $(filter-out $(LABFILES),$(patsubst $(LABSRC)/%,%,$(wildcard $(LABSRC)/common/*.c \
	$(LABSRC)/arch/$(ARCH)/*.c $(LABSRC)/arch/$(ARCH)/*.S)))
LABSRCS = $(addprefix $(LABSRC)/,$(filter $(LABKINDS),$(LABFILES)) \
	$(foreach f,$(LABNEW),$(if $(filter $(notdir $(f)),$(notdir $(KSRCS))),,$(f))))
SRCS = $(KSRCS) $(filter-out $(addprefix $(LABSRC)/,$(TREE_MISSING)),$(LABSRCS))
OBJS = $(patsubst %,$(BUILD)/obj/%.o,$(subst $(LABSRC)/,lab/,$(SRCS))) $(KEXTRA_OBJS)

# DISK=image (lab 5 on): a virtio-blk disk for the block server (the board's QEMU_DISK).
DISK ?=
GDBPORT := $(shell expr 26000 + $$(id -u) % 5000)
# An arch's rules.mk may set QEMU_SMP (a board with a fixed number of cores) and
# QEMU_MEM_ARGS (a board with a fixed RAM size: how it gives the kernel MEM).
QEMU_SMP ?= -smp 1
QEMU_MEM_ARGS ?= -m $(MEM)
# The guest sees no host time: -icount counts time in instructions, and the RTC (which
# x86_64's BIOS reads, waiting out its update-in-progress bit) starts at a fixed date and
# runs on that same virtual clock, so a run is the same whatever the host's clock or load.
QEMU_FLAGS = $(QEMU_MACHINE) $(QEMU_SMP) -nographic -no-reboot -icount shift=0,sleep=off \
	-rtc base=2000-01-01T00:00:00,clock=vm -kernel $(KERNEL_BOOT_IMAGE) $(QEMU_EXTRA) $(if $(DISK),$(QEMU_DISK))
DEPS = bash tools/install-deps

.PHONY: all build user dist qemu qemu-gdb gdb grade check test labs deps clean print-qemu print-kernel print-labsrc print-labs gdbinit sched-sim mkfs mkfs-tools disk mutants experiment figures FORCE
all: build
build: $(KERNEL_BOOT_IMAGE)

# The lab tree is generated from solutions/ under build/ (never committed) when
# the Makefile is read, so the source list sees it; labgen rewrites only the
# files whose text changed. Goals that build no kernel skip it.
ifeq ($(KIT_REPO)$(TREE),1)
ifneq ($(filter-out check test mutants labs dist deps clean print-labs,$(or $(MAKECMDGOALS),all)),)
$(if $(shell $(PYTHON) tools/labgen --lab $(LAB) $(if $(filter 1,$(SOL)),--solved --out build/solved,--out build/starter) >&2 || echo fail),\
  $(error tools/labgen could not generate lab $(LAB)))
endif
endif
# A TREE without one of the lab's files fails the build (tree-check, before any
# compile) with the names, so the grader reports it as the build error of every test.
TREE_MISSING = $(strip $(if $(TREE),$(foreach f,$(LABSRCS),$(if $(wildcard $(f)),,$(patsubst $(LABSRC)/%,%,$(f))))))
tree-check:
	@$(if $(TREE_MISSING),echo "error: TREE=$(TREE) has no $(strip $(TREE_MISSING)) (lab $(LAB) files)" >&2; exit 1,true)
.PHONY: tree-check

define compile_rule
$(BUILD)/obj/$(1)%.c.o: $(2)%.c | deps-build
	@mkdir -p $$(@D)
	@echo "  CC      $$<"
	@$$(CC) $$(CFLAGS) $$(CFLAGS_$$(notdir $$<)) -c $$< -o $$@
$(BUILD)/obj/$(1)%.S.o: $(2)%.S | deps-build
	@mkdir -p $$(@D)
	@echo "  AS      $$<"
	@$$(CC) $$(CFLAGS) -D__ASSEMBLY__ -c $$< -o $$@
endef
$(eval $(call compile_rule,lab/,$(LABSRC)/))
$(eval $(call compile_rule,,))

# Two-pass link: pass 1 has an empty symbol table; its function symbols become
# the table linked into pass 2 (after .data, so no code address moves).
# The object list itself is a prerequisite, so removing a source relinks.
$(BUILD)/objs.list: FORCE
	@mkdir -p $(@D)
	@echo '$(OBJS)' | cmp -s - $@ || echo '$(OBJS)' > $@

$(KERNEL): $(OBJS) $(BUILD)/objs.list arch/$(ARCH)/kernel.ld tools/mksyms | deps-build
	@echo "  LD      $@"
	@$(PYTHON) tools/mksyms < /dev/null > $(BUILD)/ksyms0.S
	@$(CC) $(CFLAGS) -c $(BUILD)/ksyms0.S -o $(BUILD)/ksyms0.o
	@$(LD) $(LDFLAGS) -o $(BUILD)/kernel.pass1.elf $(OBJS) $(BUILD)/ksyms0.o
	@$(NM) -n --defined-only $(BUILD)/kernel.pass1.elf | $(PYTHON) tools/mksyms > $(BUILD)/ksyms.S
	@$(CC) $(CFLAGS) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	@$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms.o
	@$(NM) -n --defined-only $@ | $(PYTHON) tools/mksyms --verify $(BUILD)/kernel.pass1.elf $(NM)

$(OBJS): | deps-build tree-check
-include $(OBJS:.o=.d)

# User programs (user/rules.mk): `make user` builds every one under $(BUILD)/user/.
include user/rules.mk
user: $(USER_PROGRAMS)
-include $(shell find $(BUILD)/user/obj -name '*.d' 2>/dev/null)

deps-build:
	@$(DEPS) --quiet build-$(ARCH)
deps-qemu:
	@$(DEPS) --quiet qemu-$(ARCH)
.PHONY: deps-build deps-qemu

# From lab 5 on, on an arch that runs lab 5 (a disk: grader/arches.py), `make qemu` boots the
# whole user-space system: the disk `make disk` builds (unless DISK= names one) and the boot
# argument kit.run=run+init, so init starts consd, blkd, fsd and the shell. `exit` at the
# shell ends init and gives the kernel monitor back; BOOT=monitor boots to the monitor alone.
QEMU_SYSTEM := $(if $(filter monitor,$(BOOT)),,$(if $(shell test $(LAB) -ge 5 && \
	$(PYTHON) grader/arches.py supports $(ARCH) 5 | grep -qx 1 && echo 1),1))
ifeq ($(QEMU_SYSTEM),1)
qemu qemu-gdb: $(if $(DISK),,disk)
qemu qemu-gdb: DISK = $(BUILD)/disk.img
qemu qemu-gdb: BOOTARGS += kit.run=run+init
endif

qemu: build deps-qemu
	@echo "*** booting $(LABNAME)$(if $(filter 1,$(SOL)), (reference),) on $(ARCH)$(if $(QEMU_SYSTEM), into lab 5's shell ('exit': the kernel monitor; BOOT=monitor: the monitor alone),); quit with Ctrl-A x"
	$(QEMU) $(QEMU_FLAGS) $(QEMU_MEM_ARGS) -append "$(strip $(BOOTARGS))"

# Under GDB, icount keeps sleep=on: with sleep=off QEMU 7.2 never resumes a
# riscv64 guest stopped at a breakpoint. Instruction counts are unchanged.
qemu-gdb: build deps-qemu
	@echo "*** QEMU waits for GDB on port $(GDBPORT): run 'make gdb ARCH=$(ARCH) LAB=$(LAB) SOL=$(SOL)' in another terminal"
	$(QEMU) $(subst sleep=off,sleep=on,$(QEMU_FLAGS)) $(QEMU_MEM_ARGS) -append "$(strip $(BOOTARGS))" -S -gdb tcp::$(GDBPORT)

# UPROG=name: also load user program name's symbols (lab 4 on; they sit at USER_BASE).
$(BUILD)/gdbinit: FORCE
	@mkdir -p $(@D)
	@printf 'set architecture %s\nfile %s\nset confirm off\ntarget remote localhost:%s\n' \
		'$(GDB_ARCH)' '$(abspath $(KERNEL))' '$(GDBPORT)' > $@
	@$(if $(UPROG),printf 'add-symbol-file %s\n' '$(abspath $(BUILD)/user/$(UPROG).elf)' >> $@)
gdbinit: $(BUILD)/gdbinit
gdb: $(BUILD)/gdbinit
	@$(DEPS) --quiet gdb
	gdb-multiarch -q -x $(BUILD)/gdbinit

# One line the grader reads: the QEMU command without -m and -append.
print-qemu:
	@echo $(QEMU) $(QEMU_FLAGS)
print-kernel:
	@echo $(KERNEL)
print-labsrc:
	@echo $(LABSRC)
print-labs:
	@echo $(LABS_ALL)

GRADE_ARGS = --arch=$(ARCH) --lab=$(LAB) --sol=$(SOL) $(if $(TREE),--tree=$(LABSRC)) $(if $(T),-k '$(T)')
grade:
ifeq ($(ARCH_LAB_OK),1)
	@$(DEPS) --quiet qemu-$(ARCH) grade $(if $(shell test $(LAB) -ge 6 && echo 1),linux-$(ARCH))
	@cd grader && $(PYTHON) -m pytest -q -p no:cacheprovider $(GRADE_ARGS) \
		--junitxml=$(abspath $(BUILD))/junit.xml --results-json=$(abspath $(BUILD))/results.json
else
	@echo "make grade: skipped: $(ARCH_SKIP)"
endif

labs:
	@$(PYTHON) tools/labgen --all

# The student repository for a course at lab LAB (tools/dist): MODE=carry (one
# branch per lab, students merge each next lab into their own work) or
# MODE=reference (each lab's tree with the labs before it solved).
MODE ?= carry
OUT ?= build/dist/$(LABNAME)-$(MODE)
dist:
	@$(DEPS) --quiet grade
	@$(PYTHON) tools/dist --lab $(LAB) --mode $(MODE) --out $(OUT)

# tools/sched-sim on the host, from lab 3 on: build/host/sched-sim and
# build/host/sched-policy-test (suffix -sol for SOL=1), with sched_rr.c and
# sched_joint.c from this lab's tree (SOL=1: the reference; POLICY_DIR=dir:
# from dir instead) and what lab 3 provides (common/lab3/: the workload generator, the heap). Each binary is renamed
# into place, so parallel builds never see half a file, and a failed build leaves neither
# binary behind (no stale one to run by mistake). SIM_TAG=-x: another suffix.
SIM_TAG ?= $(if $(filter 1,$(SOL)),-sol,)
SIM_POLICIES = $(or $(POLICY_DIR),$(LABSRC)/common)
SIM_SRCS = $(SIM_POLICIES)/sched_rr.c $(SIM_POLICIES)/sched_joint.c common/lab3/sched_workload.c \
	common/lab3/heap.c
SIM_CC = gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -iquote common/include
sched-sim:
	@$(DEPS) --quiet build-x86_64
	@test -f $(LABSRC)/common/sched_rr.c || { echo "sched-sim: lab $(LAB) has no scheduler (lab 3 on)" >&2; exit 1; }
	@mkdir -p build/host
	@rm -f build/host/sched-sim$(SIM_TAG) build/host/sched-policy-test$(SIM_TAG)
	@set -e; for m in sched-sim:sim.c sched-policy-test:test_policy.c; do \
		out=build/host/$${m%%:*}$(SIM_TAG); \
		$(SIM_CC) tools/sched-sim/$${m#*:} $(SIM_SRCS) -o $$out.$$$$ || { rm -f $$out.$$$$; exit 1; }; \
		mv -f $$out.$$$$ $$out; done

# Lab 8's experiments on ARCH, traced, into build/experiment/ARCH/report.md (tools/experiment).
experiment:
	@test -f tools/experiment || { echo "make experiment: the kit's tool (it runs the reference); here, trace your own runs with tools/trace" >&2; exit 1; }
	@$(DEPS) --quiet build-$(ARCH) qemu-$(ARCH) build-x86_64 plot linux-$(ARCH)
	@$(PYTHON) tools/experiment --arch $(ARCH)

# The README's performance figures, measured on every arch (boot, system call, IPC, scheduler,
# tracepoint, storage, grade time) and written between its figures markers (tools/figures).
figures:
	@test -f tools/figures || { echo "make figures: the kit's tool (it measures the reference)" >&2; exit 1; }
	@$(DEPS) --quiet $(foreach a,$(sort $(notdir $(wildcard arch/*))),build-$(a) qemu-$(a))
	@$(PYTHON) tools/figures

# tools/mkfs on the host (lab 5's disk format, user/include/kit/fs.h): build/host/mkfs builds an
# image from files, build/host/fsck checks one; from stage 5 on, build/host/fs-host (-sol for
# SOL=1) runs the file-system server's core (FS_CORE, user/lab5/rules.mk: the lab tree's student
# files) over an image. Each binary is renamed into place, like sched-sim's. make disk needs only
# mkfs (mkfs-tools), so a student file the host compiler warns about never stops make qemu.
MKFS_CC = gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iuser/include
FS_HOST := build/host/fs-host$(if $(filter 1,$(SOL)),-sol,)
mkfs-tools:
	@$(DEPS) --quiet build-x86_64
	@mkdir -p build/host
	@set -e; for t in mkfs fsck; do \
		$(MKFS_CC) tools/mkfs/$$t.c -o build/host/$$t.$$$$ && mv -f build/host/$$t.$$$$ build/host/$$t; done
mkfs: mkfs-tools
	@$(if $(FS_CORE),$(MKFS_CC) -iquote user/lab5 user/lab5/fs_host.c \
		$(foreach f,$(FS_CORE),$(call user_src,$(f))) -o $(FS_HOST).$$$$ && mv -f $(FS_HOST).$$$$ $(FS_HOST),true)

# Lab 5's disk image (tools/mkfs): every user program of this build as /bin/NAME, README.md and
# an empty /tmp, lab 6's Linux test programs (/linux/NAME, user/lab6/rules.mk), into
# $(BUILD)/disk.img; boot it with `make qemu DISK=$(BUILD)/disk.img`. 32 MiB with the Linux
# programs (static glibc: 0.5 to 0.8 MB each), else mkfs's 8 MiB. Written under a name of its
# own first ($$$$: the shell's process id), so two makes at once (a grade and a kit test) never
# write one file.
disk: $(USER_PROGRAMS) $(LINUX_PROGRAMS) mkfs-tools
	@build/host/mkfs $(if $(LINUX_PROGRAMS),--blocks 8192) $(BUILD)/disk.img.$$$$ README.md tmp/ \
		$(foreach p,$(USER_PROGRAMS),bin/$(basename $(notdir $(p)))=$(p)) $(LINUX_DISK_ENTRIES) && \
		mv -f $(BUILD)/disk.img.$$$$ $(BUILD)/disk.img
	@echo "  DISK    $(BUILD)/disk.img (make qemu ARCH=$(ARCH) LAB=$(LAB) SOL=$(SOL) DISK=$(BUILD)/disk.img)"

check:
	@$(DEPS) --quiet check
	@$(if $(KIT_REPO),$(PYTHON) tools/labgen --check)
	@bash tools/format-check

# Every kernel is built first, one make at a time (each with two jobs), so the parallel
# tests never race two builds of the same tree (from lab 6 on, its Linux programs too: make disk).
LAB_NUMS := $(foreach d,$(LABS_ALL),$(patsubst lab%,%,$(firstword $(subst -, ,$(d)))))
test:
	@$(if $(KIT_REPO),,echo "make test is the kit's own self-check; here, use make grade" >&2; exit 1)
	@$(DEPS) --quiet all
	@$(MAKE) -s check
	@set -e; for a in $(ARCHES); do for l in $(LAB_NUMS); do \
		[ "$$($(PYTHON) grader/arches.py supports $$a $$l)" = 1 ] || continue; for s in 0 1; do \
		$(MAKE) -s -j2 build $$([ $$l -ge 6 ] && echo disk) ARCH=$$a LAB=$$l SOL=$$s >/dev/null; \
		done; done; done
	@$(PYTHON) -m pytest -q -p no:cacheprovider -n 2 --durations=20 $(PYTEST_ARGS) tests

# Every mutant of tests/mutants/mutants.py through the whole grade (make test runs the fast ones).
mutants:
	@$(DEPS) --quiet all
	@MUTANTS=all $(PYTHON) -m pytest -q -p no:cacheprovider -n 2 tests/test_mutants.py

deps:
	@$(DEPS) all

clean:
	rm -rf build

endif # ARCH=all

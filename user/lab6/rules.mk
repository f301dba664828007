# user/lab6: lab 6's Linux support. linux: the launcher and Linux server (linux.c, linuxd.c);
# make disk puts it on the disk as /bin/NAME beside each Linux test program /linux/NAME
# (LINUX_PROGRAMS below), so `NAME` in lab 5's shell runs that program. From stage 6 on, where
# lab 6's student files (solutions/user/lab6/: linux.c, lx_file.c, lx_mem.c, lx_proc.c) exist.
ifneq ($(filter-out 1 2 3 4 5,$(LAB)),)
$(eval $(call user_program,linux,user/lab6/linux.c user/lab6/linuxd.c user/lab6/lx_file.c user/lab6/lx_path.c user/lab6/lx_mem.c user/lab6/lx_sys.c user/lab6/lx_proc.c user/lab6/lx_pipe.c))

# Linux test programs (user/lab6/linux/NAME.c): static executables built with Debian's
# compiler for this arch's Linux (LINUX_CC in arch/ARCH/rules.mk, packages LINUX_PKGS:
# tools/install-deps linux-ARCH), none when it is not installed. Their expected output is what
# they print under Linux (tests/test_lab6_linux.py runs them there), never written by hand.
LINUX_CC_FOUND := $(if $(LINUX_CC),$(shell command -v $(LINUX_CC) 2>/dev/null))
LINUX_PROGRAMS := $(if $(LINUX_CC_FOUND),$(patsubst user/lab6/linux/%.c,$(BUILD)/linux/%,$(wildcard user/lab6/linux/*.c)))
$(BUILD)/linux/%: user/lab6/linux/%.c
	@mkdir -p $(@D)
	@echo "  LINUXCC $<"
	@$(LINUX_CC) -static -O2 -o $@ $<
# With musl too where the arch has a musl compiler (LINUX_MUSL_CC): lxhello.c as lxmhello.
LINUX_MUSL_FOUND := $(if $(LINUX_MUSL_CC),$(shell command -v $(LINUX_MUSL_CC) 2>/dev/null))
LINUX_PROGRAMS += $(if $(LINUX_MUSL_FOUND),$(BUILD)/linux/lxmhello)
$(BUILD)/linux/lxm%: user/lab6/linux/lx%.c
	@mkdir -p $(@D)
	@echo "  MUSLCC  $<"
	@$(LINUX_MUSL_CC) -static -O2 -o $@ $<
# make disk's entries: each program as /linux/NAME, the launcher as /bin/NAME (user/lab6/linux.c).
LINUX_DISK_ENTRIES := $(foreach p,$(LINUX_PROGRAMS),linux/$(notdir $(p))=$(p) bin/$(notdir $(p))=$(BUILD)/user/linux.elf)
endif
# lxtest: the kernel's Linux-ABI interface against its documented errors (`run lxtest`).
$(eval $(call user_program,lxtest,user/lab6/lxtest.c user/lab4/check.c))
# lxkws (lab 8's capstone as a Linux program) includes lab 8's network, built without
# auto-vectorised loops: the same work an inference is in the kit's kwsd (no SIMD; x86_64's SSE
# would make it 16.5 instead of 26.7 million instructions).
$(BUILD)/linux/lxkws: user/lab6/linux/lxkws.c user/lab8/kws_model.c user/lab8/kws_model.h
	@mkdir -p $(@D)
	@echo "  LINUXCC $<"
	@$(LINUX_CC) -static -O2 -fno-tree-vectorize -o $@ $<

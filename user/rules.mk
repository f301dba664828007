# user/rules.mk: user programs, built with the kernel's compiler for the lower half.
#
# $(call user_program,NAME,SOURCES) defines $(BUILD)/user/NAME.elf: SOURCES
# (paths from the kit's root) linked with the runtime (user/lib/<arch>/) by
# user/user.ld at USER_BASE, and adds it to USER_PROGRAMS, which `make user`
# builds; a source that is a student file of the stage comes from the lab tree (user_src).
# Each program's directory has a rules.mk that calls it; user
# programs include only user/include/ (never the kernel's headers).
USER_BASE := 0x400000
USER_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdlib \
	-fno-common -fno-stack-protector -fno-pie -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -MMD -MP $(USER_ARCH_CFLAGS) -Iuser/include
USER_LDFLAGS := -nostdlib -static $(ARCH_LDFLAGS) -T user/user.ld --defsym=USER_BASE=$(USER_BASE)
USER_RUNTIME := user/lib/$(ARCH)/crt0.S user/lib/$(ARCH)/sys.S user/lib/kit.c user/lib/ns.c \
	user/lib/fsclient.c common/string.c
USER_PROGRAMS :=

# user_src: where source $(1) (a path from the kit's root) is compiled from: the lab tree's copy
# when it is one of the stage's student files (a user file with lab work: solutions/user/,
# LABFILES), else the kit's own. Either way "" includes also search the kit's directory of the
# file (-iquote below), so a student file finds the provided headers beside it.
user_src = $(if $(filter $(1),$(LABFILES)),$(LABSRC)/$(1),$(1))

define user_program
USER_PROGRAMS += $$(BUILD)/user/$(1).elf
$$(BUILD)/user/$(1).elf: $$(patsubst %,$$(BUILD)/user/obj/%.o,$$(foreach f,$$(USER_RUNTIME) $(2),$$(call user_src,$$(f)))) \
		user/user.ld | deps-build
	@echo "  LD      $$@"
	@$$(LD) $$(USER_LDFLAGS) -o $$@ $$(filter %.o,$$^)
endef

$(BUILD)/user/obj/%.c.o: %.c | deps-build
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(USER_CFLAGS) -iquote $(patsubst $(LABSRC)/%,%,$(<D)) -c $< -o $@
# The kernel's freestanding string functions (memset ... errstr), with its headers.
$(BUILD)/user/obj/common/string.c.o: USER_CFLAGS += -iquote common/include
$(BUILD)/user/obj/%.S.o: %.S | deps-build
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

include $(wildcard user/*/rules.mk)

# Boot modules (lab 4 on: common/lab4/rules.mk adds $(BUILD)/modules.o to the kernel): every
# user program, linked into the kernel image by a generated assembly file. It is rewritten
# whenever a program changes, so the kernel relinks with the new image.
$(BUILD)/modules.S: $(USER_PROGRAMS) tools/mkmodules
	@mkdir -p $(@D)
	@$(PYTHON) tools/mkmodules $(USER_PROGRAMS) > $@.tmp && mv -f $@.tmp $@
$(BUILD)/modules.o: $(BUILD)/modules.S | deps-build
	@echo "  AS      $<"
	@$(CC) $(CFLAGS) -D__ASSEMBLY__ -c $< -o $@

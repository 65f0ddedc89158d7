# board.mk - the LM3S6965 firmware (QEMU lm3s6965evb), included by the
# top-level Makefile.
#
#   make firmware        builds $(BUILD)/fw/mote-fw.elf and prints its size
#   make run-fw          boots it under QEMU (user networking, port 8080)
#   make firmware-clean  removes $(BUILD)/fw
#
# Options: FW_IP, FW_MASK, FW_GW (dotted quads; defaults 10.0.2.15,
# 255.255.255.0, 10.0.2.2) and FW_EXCLUDE (core sources to leave out while
# they are unfinished, e.g. FW_EXCLUDE=src/route.c), FW_EXTRA_CFLAGS (e.g.
# -fstack-usage, or -DMOTE_... config overrides).

# Included files must not steal the default goal from the top-level Makefile.
fw_saved_goal := $(.DEFAULT_GOAL)

BUILD ?= build
FW_ROOT := $(patsubst %/,%,$(dir $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))))
FW_DIR := $(BUILD)/fw
FW_ELF := $(FW_DIR)/mote-fw.elf
FW_PORT := $(FW_ROOT)/ports/lm3s6965

FW_CROSS ?= arm-none-eabi-
FW_CC := $(FW_CROSS)gcc
FW_SIZE := $(FW_CROSS)size
FW_QEMU ?= qemu-system-arm

FW_IP ?= 10.0.2.15
FW_MASK ?= 255.255.255.0
FW_GW ?= 10.0.2.2
FW_EXCLUDE ?=
FW_EXTRA_CFLAGS ?=
# 1: the address comes from DHCP (QEMU's user network serves one).
FW_DHCP ?= 0

fw_comma := ,
fw_quad = $(subst .,$(fw_comma),$(1))

FW_ARCH := -mcpu=cortex-m3 -mthumb
FW_CFLAGS := $(FW_ARCH) -Os -std=c11 -g \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wcast-qual \
	-ffunction-sections -fdata-sections \
	-I$(FW_ROOT)/include -I$(FW_PORT) -I$(FW_ROOT)/ports/common \
	-DMOTE_FW_IP=$(call fw_quad,$(FW_IP)) \
	-DMOTE_FW_MASK=$(call fw_quad,$(FW_MASK)) \
	-DMOTE_FW_GW=$(call fw_quad,$(FW_GW)) -DMOTE_FW_DHCP=$(FW_DHCP) \
	$(FW_EXTRA_CFLAGS)
# newlib-nano supplies memcpy/memset and libgcc the divisions; the reset
# handler in startup.c replaces crt0.
FW_LDFLAGS := $(FW_ARCH) --specs=nano.specs -nostartfiles \
	-Wl,--gc-sections -Wl,-T,$(FW_PORT)/lm3s6965.ld \
	-Wl,-Map,$(FW_DIR)/mote-fw.map

FW_CORE_SRCS := $(filter-out $(FW_EXCLUDE) $(addprefix $(FW_ROOT)/,$(FW_EXCLUDE)),\
	$(sort $(wildcard $(FW_ROOT)/src/*.c)))
FW_PORT_SRCS := $(sort $(wildcard $(FW_PORT)/*.c))
FW_COMMON := $(FW_ROOT)/ports/common
FW_COMMON_SRCS := $(FW_COMMON)/testapps.c
FW_CORE_OBJS := $(patsubst $(FW_ROOT)/src/%.c,$(FW_DIR)/core/%.o,$(FW_CORE_SRCS))
FW_PORT_OBJS := $(patsubst $(FW_PORT)/%.c,$(FW_DIR)/port/%.o,$(FW_PORT_SRCS)) \
	$(patsubst $(FW_COMMON)/%.c,$(FW_DIR)/common/%.o,$(FW_COMMON_SRCS))
FW_OBJS := $(FW_CORE_OBJS) $(FW_PORT_OBJS)

.PHONY: firmware firmware-clean run-fw

# `make test` builds the firmware before ctest boots it (tests/firmware),
# also as leased by DHCP (build/dhcp/fw/mote-fw.elf).
TEST_PREREQS += firmware firmware-dhcp
.PHONY: firmware-dhcp
firmware-dhcp:
	$(MAKE) --no-print-directory firmware FW_DHCP=1 BUILD=$(BUILD)/dhcp

firmware: $(FW_ELF)
	@$(FW_SIZE) $(FW_ELF)
	@python3 $(FW_ROOT)/tests/firmware/fwsize.py $(FW_DIR)/mote-fw.map $(FW_ELF) || \
		echo "(the per-part split needs python3)"

firmware-clean:
	rm -rf $(FW_DIR)

$(FW_ELF): $(FW_OBJS) $(FW_PORT)/lm3s6965.ld
	@mkdir -p $(@D)
	$(FW_CC) $(FW_LDFLAGS) -o $@ $(FW_OBJS) -Wl,--start-group -lc -lgcc -Wl,--end-group

# The build options live in a stamp file so changing FW_IP rebuilds. make
# functions write it, not the shell: flags may hold quotes
# (-DMOTE_CONFIG_FILE='"x.h"').
FW_STAMP := $(FW_DIR)/flags.stamp
fw_flags_now = $(FW_CC) $(FW_CFLAGS)
fw_neq = $(or $(subst $(1),,$(2)),$(subst $(2),,$(1)))
$(FW_STAMP): FORCE_FW_FLAGS
	$(if $(call fw_neq,$(fw_flags_now),$(file <$@)),$(shell mkdir -p $(@D))$(file >$@,$(fw_flags_now)))@:
.PHONY: FORCE_FW_FLAGS
FORCE_FW_FLAGS:

$(FW_DIR)/core/%.o: $(FW_ROOT)/src/%.c $(FW_STAMP)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -MMD -MP -c -o $@ $<

$(FW_DIR)/port/%.o: $(FW_PORT)/%.c $(FW_STAMP)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -MMD -MP -c -o $@ $<

$(FW_DIR)/common/%.o: $(FW_COMMON)/%.c $(FW_STAMP)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -MMD -MP -c -o $@ $<

-include $(FW_OBJS:.o=.d)

# Manual use: console on this terminal, http://127.0.0.1:8080 forwarded.
run-fw: $(FW_ELF)
	$(FW_QEMU) -M lm3s6965evb -display none -monitor none -serial stdio \
		-semihosting-config enable=on,target=native \
		-nic user,model=stellaris,hostfwd=tcp:127.0.0.1:8080-$(FW_IP):80 \
		-kernel $(FW_ELF)

.DEFAULT_GOAL := $(fw_saved_goal)

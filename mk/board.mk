# board.mk - the LM3S6965 firmware (QEMU lm3s6965evb), included by the
# top-level Makefile.
#
#   make run             the HTTP demo with DHCP under QEMU, console here,
#                        http://127.0.0.1:$(PORT)/ forwarded to its port 80
#                        (PORT=8080; PCAP=file.pcap: the firmware's own
#                        capture of every frame, written through UART1)
#   make firmware        builds $(BUILD)/fw/mote-fw.elf (and .bin, the flash
#                        image), prints its size and the toolchain used
#   make run-fw          boots the static-address image (port 8080 -> 80)
#   make bench           (with the others) bench-fw: requests per second
#                        through the forward, instructions per keep-alive GET
#   make firmware-clean  removes $(BUILD)/fw
#
# Options: FW_IP, FW_MASK, FW_GW (dotted quads; defaults 10.0.2.15,
# 255.255.255.0, 10.0.2.2), FW_DHCP=1 (lease the address instead),
# FW_PCAP=1 (the UART1 capture), FW_EXCLUDE (core sources to leave out
# while they are unfinished, e.g. FW_EXCLUDE=src/route.c), FW_EXTRA_CFLAGS
# (e.g. -fstack-usage, or -DMOTE_... config overrides).
#
# The image is reproducible: no paths (-ffile-prefix-map), no timestamps, no
# build id, so two clean builds from any two folders with the same
# toolchain are bit-identical (tests/firmware/reproducible.sh).

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
# 1: every frame also goes out as a pcap record on UART1.
FW_PCAP ?= 0

fw_comma := ,
fw_quad = $(subst .,$(fw_comma),$(1))

FW_ARCH := -mcpu=cortex-m3 -mthumb
# Three listeners: the TCP test services (9, 19) and HTTP (80).
FW_CFLAGS := $(FW_ARCH) -Os -std=c11 -g \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wcast-qual \
	-ffunction-sections -fdata-sections \
	-ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(abspath $(BUILD))=build \
	-DMOTE_TCP_LISTENERS=3 -DMOTE_FW_PCAP=$(FW_PCAP) \
	-I$(FW_ROOT)/include -I$(FW_PORT) -I$(FW_ROOT)/ports/common \
	-DMOTE_FW_IP=$(call fw_quad,$(FW_IP)) \
	-DMOTE_FW_MASK=$(call fw_quad,$(FW_MASK)) \
	-DMOTE_FW_GW=$(call fw_quad,$(FW_GW)) -DMOTE_FW_DHCP=$(FW_DHCP) \
	$(FW_EXTRA_CFLAGS)
# newlib-nano supplies memcpy/memset and libgcc the divisions; the reset
# handler in startup.c replaces crt0.
FW_LDFLAGS := $(FW_ARCH) --specs=nano.specs -nostartfiles \
	-Wl,--gc-sections -Wl,--build-id=none -Wl,-T,$(FW_PORT)/lm3s6965.ld \
	-Wl,-Map,$(FW_DIR)/mote-fw.map

FW_CORE_SRCS := $(filter-out $(FW_EXCLUDE) $(addprefix $(FW_ROOT)/,$(FW_EXCLUDE)),\
	$(sort $(wildcard $(FW_ROOT)/src/*.c)))
FW_PORT_SRCS := $(sort $(wildcard $(FW_PORT)/*.c))
FW_COMMON := $(FW_ROOT)/ports/common
FW_COMMON_SRCS := $(FW_COMMON)/testapps.c $(FW_COMMON)/demo.c
# The demo's web pages, embedded as const arrays (gzip -n: no timestamp).
FW_ASSETS := $(sort $(wildcard $(FW_COMMON)/www/*))
FW_ASSETS_C := $(FW_DIR)/gen/demo_assets.c
FW_CORE_OBJS := $(patsubst $(FW_ROOT)/src/%.c,$(FW_DIR)/core/%.o,$(FW_CORE_SRCS))
FW_PORT_OBJS := $(patsubst $(FW_PORT)/%.c,$(FW_DIR)/port/%.o,$(FW_PORT_SRCS)) \
	$(patsubst $(FW_COMMON)/%.c,$(FW_DIR)/common/%.o,$(FW_COMMON_SRCS)) \
	$(FW_DIR)/gen/demo_assets.o
FW_OBJS := $(FW_CORE_OBJS) $(FW_PORT_OBJS)
FW_BIN := $(FW_DIR)/mote-fw.bin

.PHONY: firmware firmware-clean run-fw run

# `make test` builds the firmware before ctest boots it (tests/firmware),
# also as leased by DHCP (build/dhcp/fw/mote-fw.elf, what `make run` boots)
# and with the UART1 capture as well (build/pcap/fw/mote-fw.elf).
TEST_PREREQS += firmware firmware-dhcp firmware-pcap
.PHONY: firmware-dhcp firmware-pcap
firmware-dhcp:
	$(MAKE) --no-print-directory firmware FW_DHCP=1 BUILD=$(BUILD)/dhcp
firmware-pcap:
	$(MAKE) --no-print-directory firmware FW_DHCP=1 FW_PCAP=1 \
		BUILD=$(BUILD)/pcap

firmware: $(FW_ELF) $(FW_BIN)
	@$(FW_SIZE) $(FW_ELF)
	@python3 $(FW_ROOT)/tests/firmware/fwsize.py $(FW_DIR)/mote-fw.map $(FW_ELF) || \
		echo "(the per-part split needs python3)"
	@echo "toolchain: $$($(FW_CC) --version | head -n 1); $$($(FW_CROSS)ld --version | head -n 1); newlib $$(dpkg-query -W -f='$${Version}' libnewlib-arm-none-eabi 2>/dev/null || echo unknown)"
	@echo "image: $(FW_BIN) sha256 $$(sha256sum < $(FW_BIN) | cut -c1-64)"

$(FW_BIN): $(FW_ELF)
	$(FW_CROSS)objcopy -O binary $< $@

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

$(FW_ASSETS_C): $(FW_ROOT)/tools/mkassets.py $(FW_ASSETS)
	@mkdir -p $(@D)
	python3 $(FW_ROOT)/tools/mkassets.py $(FW_COMMON)/www $@

$(FW_DIR)/gen/%.o: $(FW_DIR)/gen/%.c $(FW_STAMP)
	$(FW_CC) $(FW_CFLAGS) -MMD -MP -c -o $@ $<

-include $(FW_OBJS:.o=.d)

# The project's main job: the DHCP image with the HTTP demo, under QEMU's
# user network, console on this terminal; ports/lm3s6965/run.py announces
# the address and where to point curl. Ctrl-C stops it.
PORT ?= 8080
PCAP ?=
fw_run_build = $(BUILD)/$(if $(PCAP),pcap,dhcp)
run: deps
	@$(MAKE) --no-print-directory firmware FW_DHCP=1 \
		FW_PCAP=$(if $(PCAP),1,0) BUILD=$(fw_run_build)
	@python3 $(FW_PORT)/run.py --port $(PORT) $(if $(PCAP),--pcap $(PCAP)) \
		--qemu $(FW_QEMU) $(fw_run_build)/fw/mote-fw.elf

# Figures of `make run`'s image: tests/firmware/rps.sh (wrk through the
# forward) and count_http.sh (instructions per GET from a QEMU trace).
bench: bench-fw
.PHONY: bench-fw
bench-fw: deps firmware-dhcp
	bash $(FW_ROOT)/tests/firmware/rps.sh $(BUILD)/dhcp/fw/mote-fw.elf
	bash $(FW_ROOT)/tests/firmware/count_http.sh $(BUILD)/dhcp/fw/mote-fw.elf

# Manual use: console on this terminal, http://127.0.0.1:8080 forwarded.
run-fw: $(FW_ELF)
	$(FW_QEMU) -M lm3s6965evb -display none -monitor none -serial stdio \
		-semihosting-config enable=on,target=native \
		-nic user,model=stellaris,hostfwd=tcp:127.0.0.1:8080-$(FW_IP):80 \
		-kernel $(FW_ELF)

.DEFAULT_GOAL := $(fw_saved_goal)

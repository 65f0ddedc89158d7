# mote - top-level targets. CMake builds the host side (library, host port,
# tests) underneath; cross builds live in tools/size.py and mk/*.mk.
#
#   make run     the HTTP server on the emulated Cortex-M3 (QEMU, DHCP,
#                http://127.0.0.1:8080/; PORT=, PCAP=file.pcap; mk/board.mk)
#   make test    install missing packages, build, run every test (sanitized)
#   make size    flash/RAM per module for Cortex-M3, RV32 and Xtensa
#   make deps    install the Debian packages the build and tests need
#   make bench   figures: TCP bulk throughput, HTTP requests per second,
#                HTTP parser cost, the firmware's requests/s and
#                instructions per GET

BUILD ?= build
HOST_BUILD := $(BUILD)/host
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.DEFAULT_GOAL := all

# Targets that must be built before ctest runs (mk/*.mk append to it).
TEST_PREREQS :=

# Debian packages: compilers and cross compilers, the test framework, the
# peers and judges of the system tests.
DEPS := gcc make cmake python3 libcmocka-dev \
	gcc-arm-none-eabi libnewlib-arm-none-eabi \
	gcc-riscv64-unknown-elf gcc-xtensa-lx106 \
	iproute2 iputils-ping procps ethtool tshark curl wrk apache2-utils \
	clang libclang-rt-14-dev valgrind qemu-system-arm dnsmasq-base

-include mk/*.mk

.PHONY: all deps host test size bench bench-tcp bench-server clean

all: host

deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q "install ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
		echo "missing packages; run as root:"; \
		echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing"; \
		exit 1; \
	fi; \
	echo "installing:$$missing"; \
	echo "wireshark-common wireshark-common/install-setuid boolean false" | \
		debconf-set-selections; \
	apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing

host:
	cmake -S . -B $(HOST_BUILD) -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(HOST_BUILD) -j $(JOBS)

test: deps
	$(MAKE) host $(TEST_PREREQS)
	cd $(HOST_BUILD) && ctest --output-on-failure

size: deps
	python3 tools/size.py --build $(BUILD)/size

# Figures, from a non-sanitized -O2 build (mk/*.mk add their own).
BENCH_BUILD := $(BUILD)/bench
bench: bench-tcp bench-server
bench-tcp: deps
	cmake -S . -B $(BENCH_BUILD) -DMOTE_SANITIZE=OFF -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BENCH_BUILD) -j $(JOBS) --target mote-posix
	bash bench/tcp_bench.sh $(abspath $(BENCH_BUILD))/mote-posix
bench-server: deps
	cmake -S . -B $(BENCH_BUILD) -DMOTE_SANITIZE=OFF -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BENCH_BUILD) -j $(JOBS) --target mote-posix
	$(CC) -O2 -Wall -Wextra -Werror -o $(BENCH_BUILD)/epoll_server bench/epoll_server.c
	bash bench/server_bench.sh $(abspath $(BENCH_BUILD))/mote-posix \
		$(abspath $(BENCH_BUILD))/epoll_server

clean:
	rm -rf $(BUILD)

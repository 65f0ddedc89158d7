# http.mk - fuzzing and figures of the HTTP parser and router, included by
# the top-level Makefile.
#
#   make fuzz    builds the libFuzzer harnesses (clang, fuzzer + ASan +
#                UBSan) and runs each for FUZZ_TIME seconds (default 60),
#                starting from the corpora in tests/fuzz/corpus; new inputs
#                go to $(BUILD)/http/corpus/<name>, not into the repo
#   make bench   prints instructions per byte, state sizes, Thumb-2 sizes
#
# `make test` replays the corpora through ctest (fuzz_replay_*).

http_saved_goal := $(.DEFAULT_GOAL)

BUILD ?= build
HTTP_ROOT := $(patsubst %/,%,$(dir $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))))
HTTP_OUT := $(BUILD)/http
FUZZ_TIME ?= 60
FUZZ_CC ?= clang
HTTP_FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I$(HTTP_ROOT)/include -I$(HTTP_ROOT)/tests/unit
HTTP_FUZZERS := http_parser http_parser_os http_diff route route_diff
HTTP_LIB_SRC := $(HTTP_ROOT)/src/http_parser.c $(HTTP_ROOT)/src/route.c

.PHONY: fuzz bench bench-http

# The parser's harness is built with two application header fields
# (tests/unit/test_http_config.h), as its unit test is.
$(HTTP_OUT)/fuzz_http_parser: HTTP_FUZZ_DEFS := \
	-DMOTE_CONFIG_FILE='"test_http_config.h"'
$(HTTP_OUT)/fuzz_%: $(HTTP_ROOT)/tests/fuzz/fuzz_%.c $(HTTP_LIB_SRC) \
		$(HTTP_ROOT)/include/mote/http_parser.h \
		$(HTTP_ROOT)/include/mote/route.h \
		$(HTTP_ROOT)/tests/unit/test_http_feed.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HTTP_FUZZ_FLAGS) $(HTTP_FUZZ_DEFS) $< $(HTTP_LIB_SRC) -o $@

# The parser again as -Os builds it (no run loops): its own fuzzer, on the
# same seeds.
$(HTTP_OUT)/fuzz_http_parser_os: $(HTTP_ROOT)/tests/fuzz/fuzz_http_parser.c \
		$(HTTP_LIB_SRC) $(HTTP_ROOT)/include/mote/http_parser.h \
		$(HTTP_ROOT)/tests/unit/test_http_feed.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HTTP_FUZZ_FLAGS) -D__OPTIMIZE_SIZE__=1 \
		-DMOTE_CONFIG_FILE='"test_http_config.h"' $< $(HTTP_LIB_SRC) -o $@

# The -O2 build (fast paths) against the -Os build (byte machine alone),
# renamed: they must agree split by split (tests/fuzz/fuzz_http_diff.c).
$(HTTP_OUT)/fuzz_http_diff: $(HTTP_ROOT)/tests/fuzz/fuzz_http_diff.c \
		$(HTTP_ROOT)/src/http_parser.c \
		$(HTTP_ROOT)/include/mote/http_parser.h \
		$(HTTP_ROOT)/tests/unit/test_http_feed.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HTTP_FUZZ_FLAGS) -Os -DMOTE_CONFIG_FILE='"test_http_config.h"' \
		-Dmote_http_parse=mote_http_parse_os \
		-Dmote_http_init=mote_http_init_os \
		-Dmote_http_method_names=mote_http_method_names_os \
		-c $(HTTP_ROOT)/src/http_parser.c -o $@_os.o
	$(FUZZ_CC) $(HTTP_FUZZ_FLAGS) -O2 -DMOTE_CONFIG_FILE='"test_http_config.h"' \
		$< $(HTTP_ROOT)/src/http_parser.c $@_os.o -o $@

# The router against its previous engine (tests/fuzz/route_ref.c).
$(HTTP_OUT)/fuzz_route_diff: $(HTTP_ROOT)/tests/fuzz/fuzz_route_diff.c \
		$(HTTP_ROOT)/tests/fuzz/route_ref.c $(HTTP_ROOT)/src/route.c \
		$(HTTP_ROOT)/include/mote/route.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HTTP_FUZZ_FLAGS) $< $(HTTP_ROOT)/tests/fuzz/route_ref.c \
		$(HTTP_ROOT)/src/route.c -o $@

fuzz: $(addprefix $(HTTP_OUT)/fuzz_,$(HTTP_FUZZERS))
	@set -e; for h in $(HTTP_FUZZERS); do \
		mkdir -p $(HTTP_OUT)/corpus/$$h; \
		echo "fuzz_$$h: $(FUZZ_TIME) s"; \
		log=$(HTTP_OUT)/fuzz_$$h.log; seeds=$${h%_os}; \
		[ $$seeds != http_diff ] || seeds=http_parser; \
		[ $$seeds != route_diff ] || seeds=route; \
		if ! $(HTTP_OUT)/fuzz_$$h -max_total_time=$(FUZZ_TIME) \
			-max_len=4096 -artifact_prefix=$(HTTP_OUT)/ \
			$(HTTP_OUT)/corpus/$$h \
			$(HTTP_ROOT)/tests/fuzz/corpus/$$seeds \
			>$$log 2>&1; then \
			tail -40 $$log; echo "fuzz_$$h FAILED (log: $$log)"; exit 1; \
		fi; \
		grep -E '^Done' $$log; \
	done

bench: bench-http
bench-http:
	@sh $(HTTP_ROOT)/bench/http_bench.sh $(HTTP_ROOT) $(HTTP_OUT)/bench

.DEFAULT_GOAL := $(http_saved_goal)

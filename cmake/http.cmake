# http.cmake - the HTTP request parser and the compile-time router, included
# by the root CMakeLists.txt after the `mote` library and the cmocka helpers.
#
# Tests registered here:
#   test_http_parser   parser rules, splits, prefixes, guard pages, the HTTP
#                      entries of hostile-inputs.md (cmocka)
#   test_http_limits   the parser built with other limits (cmocka)
#   test_http_*_os     both again with the parser built -Os (no run loops)
#   test_route         route table and matcher (cmocka)
#   route_link         the route section under --gc-sections, LTO, a static
#                      library member, and a Cortex-M3 link with KEEP
#   fuzz_replay_*      the fuzz corpora replayed through the harnesses,
#                      built with gcc and the sanitizers (no libFuzzer)
#   fuzz_replay_http_diff[_small]  the parser's corpus through the -O2 and
#                      -Os builds at once, which must agree split by split
#                      (_small: with the smallest limits)

target_sources(mote PRIVATE src/http_parser.c src/route.c)

# The parser test compiles its own copy of the parser with two application
# header fields (tests/unit/test_http_config.h); the library's copy is built
# with the default (empty) list and is not pulled in.
mote_add_unit_test(test_http_parser tests/unit/test_http_parser.c
  src/http_parser.c)
target_include_directories(test_http_parser PRIVATE tests/unit)
target_compile_definitions(test_http_parser PRIVATE
  MOTE_CONFIG_FILE="test_http_config.h")

# The same parser with other limits: the smallest target, the largest
# header count.
mote_add_unit_test(test_http_limits tests/unit/test_http_limits.c
  src/http_parser.c)
target_include_directories(test_http_limits PRIVATE tests/unit)
target_compile_definitions(test_http_limits PRIVATE MOTE_HTTP_MAX_TARGET=16
  MOTE_HTTP_MAX_HEADERS=255 MOTE_HTTP_MAX_HEADER_BLOCK=2048)

# The parser takes runs of plain bytes in loops except under -Os, where it
# stays byte at a time to be small (as the firmware builds it): both builds
# pass the same tests.
foreach(t test_http_parser test_http_limits)
  get_target_property(srcs ${t} SOURCES)
  get_target_property(defs ${t} COMPILE_DEFINITIONS)
  mote_add_unit_test(${t}_os ${srcs})
  target_include_directories(${t}_os PRIVATE tests/unit)
  target_compile_definitions(${t}_os PRIVATE ${defs})
  target_compile_options(${t}_os PRIVATE -Os)
endforeach()

mote_add_unit_test(test_route tests/unit/test_route.c)

add_test(NAME route_link
  COMMAND sh ${MOTE_ROOT}/tests/route_link/run.sh ${MOTE_ROOT}
          ${CMAKE_CURRENT_BINARY_DIR}/route_link)

# Corpus replay: the libFuzzer entry points with a plain main. The parser's
# harness uses the parser test's configuration, as `make fuzz` does.
add_executable(fuzz_replay_http_parser tests/fuzz/fuzz_http_parser.c
  tests/fuzz/replay.c src/http_parser.c)
target_compile_definitions(fuzz_replay_http_parser PRIVATE
  MOTE_CONFIG_FILE="test_http_config.h")
add_executable(fuzz_replay_route tests/fuzz/fuzz_route.c tests/fuzz/replay.c)
# The router against its previous engine, on the router's corpus.
add_executable(fuzz_replay_route_diff tests/fuzz/fuzz_route_diff.c
  tests/fuzz/route_ref.c tests/fuzz/replay.c)
foreach(h http_parser route route_diff)
  target_compile_options(fuzz_replay_${h} PRIVATE ${MOTE_WARN_FLAGS})
  target_include_directories(fuzz_replay_${h} PRIVATE tests/unit)
  target_link_libraries(fuzz_replay_${h} PRIVATE mote)
  string(REGEX REPLACE "_diff$" "" corpus ${h})
  add_test(NAME fuzz_replay_${h}
    COMMAND fuzz_replay_${h} ${MOTE_ROOT}/tests/fuzz/corpus/${corpus})
endforeach()

# Differential replay: the parser built for speed (-O2, with its fast
# paths) against the same source built -Os (the byte machine alone),
# renamed so both link into one harness; every corpus input, many splits,
# identical transcripts required. Again with the smallest limits, so that
# most inputs cross one.
foreach(v "" _small)
  foreach(o Os O2)
    add_library(http_parser_${o}${v} OBJECT src/http_parser.c)
    target_include_directories(http_parser_${o}${v} PRIVATE include tests/unit)
    target_compile_definitions(http_parser_${o}${v} PRIVATE
      MOTE_CONFIG_FILE="test_http_config.h")
    target_compile_options(http_parser_${o}${v} PRIVATE ${MOTE_WARN_FLAGS}
      -${o})
    if(v)
      target_compile_definitions(http_parser_${o}${v} PRIVATE
        MOTE_HTTP_MAX_TARGET=16 MOTE_HTTP_MAX_HEADERS=4
        MOTE_HTTP_MAX_HEADER_BLOCK=64)
    endif()
  endforeach()
  target_compile_definitions(http_parser_Os${v} PRIVATE
    mote_http_parse=mote_http_parse_os mote_http_init=mote_http_init_os
    mote_http_method_names=mote_http_method_names_os)
  add_executable(fuzz_replay_http_diff${v} tests/fuzz/fuzz_http_diff.c
    tests/fuzz/replay.c $<TARGET_OBJECTS:http_parser_O2${v}>
    $<TARGET_OBJECTS:http_parser_Os${v}>)
  target_compile_definitions(fuzz_replay_http_diff${v} PRIVATE
    MOTE_CONFIG_FILE="test_http_config.h")
  target_compile_options(fuzz_replay_http_diff${v} PRIVATE ${MOTE_WARN_FLAGS})
  target_include_directories(fuzz_replay_http_diff${v} PRIVATE include
    tests/unit)
  add_test(NAME fuzz_replay_http_diff${v}
    COMMAND fuzz_replay_http_diff${v}
            ${MOTE_ROOT}/tests/fuzz/corpus/http_parser)
endforeach()

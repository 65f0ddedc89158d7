# tcp.cmake - TCP hardening: the keyed hash and its tests, included by the
# root CMakeLists.txt after the `mote` library and the cmocka helpers.
#
# Tests registered here:
#   test_tcp_hardening   congestion control, fast retransmit, persist,
#                        RFC 5961, ISNs and SYN cookies, every TCP entry of
#                        hostile-inputs.md by name (cmocka)
#   system_tcp_harden    against the Linux kernel over a TAP: fast
#                        retransmit under 2% loss, a 5,000-SYN flood

target_sources(mote PRIVATE src/siphash.c)

mote_add_unit_test(test_tcp_hardening tests/unit/test_tcp_hardening.c)
target_include_directories(test_tcp_hardening PRIVATE src)

add_test(NAME system_tcp_harden
  COMMAND ${MOTE_ROOT}/tests/system/tcp_harden.sh $<TARGET_FILE:mote-posix>)
set_tests_properties(system_tcp_harden PROPERTIES TIMEOUT 300 RUN_SERIAL ON)

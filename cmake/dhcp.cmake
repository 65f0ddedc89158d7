# dhcp.cmake - UDP and the DHCP client: sources, unit and system tests,
# included by the root CMakeLists.txt.
target_sources(mote PRIVATE src/udp.c src/dhcp.c)
# Application UDP ports (0 by default) for the host's tests and port; PUBLIC
# so every target that links mote sees the same struct mote_stack.
target_compile_definitions(mote PUBLIC MOTE_UDP_PORTS=2)

mote_add_unit_test(test_udp tests/unit/test_udp.c)
mote_add_unit_test(test_dhcp tests/unit/test_dhcp.c)

# The same tests against a client built with a static fallback address
# (MOTE_DHCP_FALLBACK is compile-time): dhcp.c is compiled into the test, so
# the library's copy is never pulled in.
mote_add_unit_test(test_dhcp_fallback tests/unit/test_dhcp.c src/dhcp.c)
target_compile_definitions(test_dhcp_fallback PRIVATE
  "MOTE_DHCP_FALLBACK=MOTE_IPV4(10, 0, 0, 77), MOTE_IPV4(255, 255, 255, 0), MOTE_IPV4(10, 0, 0, 1)")

# A lease from dnsmasq on the kernel side of a TAP device, renewals in
# scaled time, and a restart of the server.
add_test(NAME system_dhcp
  COMMAND ${MOTE_ROOT}/tests/system/dhcp.sh $<TARGET_FILE:mote-posix>)
set_tests_properties(system_dhcp PROPERTIES RUN_SERIAL ON TIMEOUT 120)

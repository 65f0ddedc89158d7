# board.cmake - tests of the LM3S6965 port, the scheduler and the ring,
# included by the root CMakeLists.txt.
#
# Host unit tests go through mote_add_unit_test() (ASan/UBSan, cmocka).
# The ring's two-thread stress needs ThreadSanitizer, which cannot be mixed
# with ASan, so that executable drops the directory's sanitizer flags.
# Firmware tests boot the ELF that `make firmware` built (MOTE_FW_ELF) under
# QEMU; they exit 77 (skipped) when QEMU or, for the TAP test, root is
# missing, and fail when the ELF is missing.

mote_add_unit_test(test_ring tests/unit/test_ring.c src/ring.c)
mote_add_unit_test(test_sched tests/unit/test_sched.c src/sched.c)
# The firmware's blink and console tasks on the simulated GPIO/UART.
mote_add_unit_test(test_sched_tasks tests/unit/test_sched_tasks.c
  ports/lm3s6965/console.c ports/posix/hal_sim.c src/sched.c src/ring.c)
target_include_directories(test_sched_tasks PRIVATE ports/lm3s6965)
# The MAC driver's TX word packing, every length and span split.
mote_add_unit_test(fw_enet_pack tests/firmware/test_enet_pack.c)
target_include_directories(fw_enet_pack PRIVATE ports/lm3s6965)

find_package(Threads REQUIRED)
add_executable(test_ring_tsan tests/unit/test_ring_tsan.c src/ring.c)
set_property(TARGET test_ring_tsan PROPERTY COMPILE_OPTIONS "")
set_property(TARGET test_ring_tsan PROPERTY LINK_OPTIONS "")
target_compile_options(test_ring_tsan PRIVATE ${MOTE_WARN_FLAGS}
  -fsanitize=thread -O1 -g)
target_link_options(test_ring_tsan PRIVATE -fsanitize=thread)
target_include_directories(test_ring_tsan PRIVATE include)
target_link_libraries(test_ring_tsan PRIVATE Threads::Threads)
# TSan maps its shadow at fixed addresses; kernels with high mmap
# randomization break that ("unexpected memory mapping"), so run without ASLR
# where setarch exists.
find_program(MOTE_SETARCH setarch)
if(MOTE_SETARCH)
  add_test(NAME test_ring_tsan COMMAND ${MOTE_SETARCH}
    ${CMAKE_HOST_SYSTEM_PROCESSOR} -R $<TARGET_FILE:test_ring_tsan>)
else()
  add_test(NAME test_ring_tsan COMMAND test_ring_tsan)
endif()
# Any race report fails the test, not just a wrong byte.
set_tests_properties(test_ring_tsan PROPERTIES
  ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1:exitcode=66"
  TIMEOUT 120)

# The firmware linker script keeps MOTE_ROUTE() entries between their bounds.
add_test(NAME fw_route_section
  COMMAND ${MOTE_ROOT}/tests/firmware/route_section.sh)
set_tests_properties(fw_route_section PROPERTIES SKIP_RETURN_CODE 77
  LABELS firmware)

set(MOTE_FW_ELF ${MOTE_ROOT}/build/fw/mote-fw.elf CACHE FILEPATH
  "Firmware image the fw_* tests boot (built by make firmware)")
foreach(t uart_console usernet_boot tap_ping tap_tcp systick)
  add_test(NAME fw_${t}
    COMMAND ${MOTE_ROOT}/tests/firmware/${t}.sh ${MOTE_FW_ELF})
  set_tests_properties(fw_${t} PROPERTIES
    TIMEOUT 120 SKIP_RETURN_CODE 77 LABELS firmware)
endforeach()
# The image built with FW_DHCP=1 (make firmware-dhcp) leases its address
# from QEMU's user network before the forward is used.
set(MOTE_FW_DHCP_ELF ${MOTE_ROOT}/build/dhcp/fw/mote-fw.elf CACHE FILEPATH
  "Firmware image built with FW_DHCP=1 (make firmware-dhcp)")
add_test(NAME fw_usernet_dhcp
  COMMAND ${MOTE_ROOT}/tests/firmware/usernet_boot.sh ${MOTE_FW_DHCP_ELF})
set_tests_properties(fw_usernet_dhcp PROPERTIES ENVIRONMENT "FW_EXPECT_DHCP=1"
  TIMEOUT 120 SKIP_RETURN_CODE 77 LABELS firmware)
# What `make run` runs (build/pcap: FW_DHCP=1 FW_PCAP=1, so the firmware's
# own capture can be judged too): the HTTP demo through the port forward.
set(MOTE_FW_PCAP_ELF ${MOTE_ROOT}/build/pcap/fw/mote-fw.elf CACHE FILEPATH
  "Firmware image built with FW_DHCP=1 FW_PCAP=1 (make firmware-pcap)")
add_test(NAME fw_http
  COMMAND ${MOTE_ROOT}/tests/firmware/http_run.sh ${MOTE_FW_PCAP_ELF})
set_tests_properties(fw_http PROPERTIES
  TIMEOUT 180 SKIP_RETURN_CODE 77 LABELS firmware)
# Two builds of HEAD in two folders give the same image.
add_test(NAME fw_reproducible
  COMMAND ${MOTE_ROOT}/tests/firmware/reproducible.sh)
set_tests_properties(fw_reproducible PROPERTIES
  TIMEOUT 600 SKIP_RETURN_CODE 77 LABELS firmware)
# The demo's /api/led drives the host's simulated GPIO.
target_sources(mote-posix PRIVATE ports/posix/hal_sim.c src/ring.c)
# The TAP tests load the CPU, the clock test measures time: keep them alone.
set_tests_properties(fw_tap_ping fw_tap_tcp fw_systick fw_http PROPERTIES
  RUN_SERIAL ON)

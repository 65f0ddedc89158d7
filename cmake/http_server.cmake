# http_server.cmake - the HTTP/1.1 server, its unit tests, the host port's
# demo application and the curl system test; included by the root
# CMakeLists.txt.
target_sources(mote PRIVATE src/http_server.c)
# The host port listens on 9 and 19 for its TCP test applications and on 80
# for the demo: PUBLIC so every target sees the same struct mote_stack.
target_compile_definitions(mote PUBLIC MOTE_TCP_LISTENERS=3)

mote_add_unit_test(test_http_server tests/unit/test_http_server.c)

# The demo application on the host port (port 80), and a 4 KB constant body
# at /bench/4k for `make bench`.
target_sources(mote-posix PRIVATE ports/common/demo.c bench/asset_4k.c)

# curl and a raw-socket client against the demo, in a private namespace.
add_test(NAME system_http
  COMMAND ${MOTE_ROOT}/tests/system/http.sh $<TARGET_FILE:mote-posix>)
set_tests_properties(system_http PROPERTIES TIMEOUT 300 RUN_SERIAL ON)

# The demo's web assets, embedded at build time (gzip when smaller, ETag).
file(GLOB MOTE_DEMO_ASSETS CONFIGURE_DEPENDS ${MOTE_ROOT}/ports/common/www/*)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/demo_assets.c
  COMMAND python3 ${MOTE_ROOT}/tools/mkassets.py ${MOTE_ROOT}/ports/common/www
          ${CMAKE_CURRENT_BINARY_DIR}/demo_assets.c
  DEPENDS ${MOTE_ROOT}/tools/mkassets.py ${MOTE_DEMO_ASSETS}
  COMMENT "Embedding the demo's web assets")
target_sources(mote-posix PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/demo_assets.c)
target_include_directories(mote-posix PRIVATE ${MOTE_ROOT}/ports/posix)

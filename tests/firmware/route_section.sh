#!/usr/bin/env bash
# route_section.sh - the firmware linker script keeps the route section that
# MOTE_ROUTE() fills: entries from separate objects that nothing references
# survive --gc-sections, sit in flash between __start_mote_routes and
# __stop_mote_routes, and are word aligned. Links a tiny image with the
# port's linker script only; needs the ARM toolchain (skipped without it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ld_script=$here/../../ports/lm3s6965/lm3s6965.ld
CC=${FW_CROSS:-arm-none-eabi-}gcc
NM=${FW_CROSS:-arm-none-eabi-}nm
command -v "$CC" >/dev/null || { echo "SKIP: no $CC"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mote-route.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Three 12-byte descriptors in two objects, plus a reset handler.
cat >"$tmp/a.c" <<'C'
struct r { const char *path; unsigned method; void (*fn)(void); };
__attribute__((section("mote_routes"), used))
const struct r route_a = { "/a", 1, 0 };
__attribute__((section("mote_routes"), used))
const struct r route_b = { "/b", 2, 0 };
void mote_isr_reset(void);
void mote_isr_reset(void) { for (;;) { } }
C
cat >"$tmp/b.c" <<'C'
struct r { const char *path; unsigned method; void (*fn)(void); };
__attribute__((section("mote_routes"), used))
const struct r route_c = { "/c", 3, 0 };
C
flags="-mcpu=cortex-m3 -mthumb -Os -std=c11 -Wall -Wextra -Werror -ffunction-sections -fdata-sections"
$CC $flags -c -o "$tmp/a.o" "$tmp/a.c"
$CC $flags -c -o "$tmp/b.o" "$tmp/b.c"
$CC -mcpu=cortex-m3 -mthumb -nostdlib -Wl,--gc-sections -T "$ld_script" \
    -o "$tmp/t.elf" "$tmp/a.o" "$tmp/b.o"

addr() { "$NM" "$tmp/t.elf" | awk -v s="$1" '$3 == s { print $1 }'; }
start=$(addr __start_mote_routes)
stop=$(addr __stop_mote_routes)
[ -n "$start" ] && [ -n "$stop" ] || { echo "FAIL: bounds symbols missing"; exit 1; }
bytes=$((16#$stop - 16#$start))
echo "routes: __start_mote_routes=0x$start __stop_mote_routes=0x$stop ($bytes B)"
[ "$bytes" -eq 36 ] || { echo "FAIL: expected 3 routes of 12 B"; exit 1; }
[ $((16#$start % 4)) -eq 0 ] || { echo "FAIL: section not word aligned"; exit 1; }
[ $((16#$start)) -lt $((0x40000)) ] || { echo "FAIL: routes not in flash"; exit 1; }
for r in route_a route_b route_c; do
    a=$(addr "$r")
    [ -n "$a" ] && [ $((16#$a)) -ge $((16#$start)) ] && [ $((16#$a)) -lt $((16#$stop)) ] ||
        { echo "FAIL: $r outside the bounds"; exit 1; }
done
echo "PASS"

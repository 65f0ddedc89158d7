#!/bin/sh
# run.sh SRC_ROOT OUT_DIR - the route section survives every way of linking.
#   gc:        -ffunction-sections -fdata-sections -Wl,--gc-sections
#   lto:       -flto -O2, and with --gc-sections too
#   archive:   a route in a static-library member nothing references: absent
#              from a plain link (archive members are pulled by symbols only),
#              present with --whole-archive and with MOTE_ROUTES_USE
#   firmware:  arm-none-eabi-gcc, Cortex-M3, a script with KEEP and the start
#              and stop symbols, --gc-sections: every descriptor in flash
set -eu
root=$1
out=$2
mkdir -p "$out"
cd "$out"
src=$root/tests/route_link
CC=${CC:-gcc}
flags="-std=c11 -Wall -Wextra -Werror -I$root/include"
fail=0

check() { # name expected cmd...
    name=$1; expected=$2; shift 2
    if "$@" -DEXPECTED="$expected" -o "$name" && ./"$name" >"$name.txt"; then
        echo "ok   $name ($expected routes)"
    else
        echo "FAIL $name (expected $expected routes)"; cat "$name.txt" 2>/dev/null || true
        fail=1
    fi
}

check plain 2 $CC $flags "$src/main.c" "$src/other.c" "$root/src/route.c"
check gc 2 $CC $flags -Os -ffunction-sections -fdata-sections \
    -Wl,--gc-sections "$src/main.c" "$src/other.c" "$root/src/route.c"
check lto 2 $CC $flags -O2 -flto "$src/main.c" "$src/other.c" \
    "$root/src/route.c"
check lto_gc 2 $CC $flags -O2 -flto -ffunction-sections -fdata-sections \
    -Wl,--gc-sections "$src/main.c" "$src/other.c" "$root/src/route.c"

# the static library: member.o, nothing references it
$CC $flags -c "$src/member.c" -o member.o
$CC $flags -c "$root/src/route.c" -o route.o
rm -f libroutes.a
ar rcs libroutes.a member.o route.o
check archive_plain 1 $CC $flags "$src/main.c" libroutes.a
check archive_whole 2 $CC $flags "$src/main.c" -Wl,--whole-archive \
    libroutes.a -Wl,--no-whole-archive
check archive_use 2 $CC $flags -DUSE_MEMBER "$src/main.c" libroutes.a
check archive_use_gc_lto 2 $CC $flags -DUSE_MEMBER -O2 -flto \
    -ffunction-sections -fdata-sections -Wl,--gc-sections "$src/main.c" \
    libroutes.a

# the firmware link
if command -v arm-none-eabi-gcc >/dev/null 2>&1; then
    arm-none-eabi-gcc -std=c11 -Wall -Wextra -Werror -I"$root/include" \
        -mcpu=cortex-m3 -mthumb -Os -ffunction-sections -fdata-sections \
        -ffreestanding -nostdlib -nostartfiles -T "$src/fw.ld" \
        -Wl,--gc-sections "$src/fw.c" "$src/other.c" "$root/src/route.c" \
        -o fw.elf
    start=$(arm-none-eabi-nm fw.elf | awk '$3 == "__start_mote_routes" { print $1 }')
    stop=$(arm-none-eabi-nm fw.elf | awk '$3 == "__stop_mote_routes" { print $1 }')
    size=$(( 0x$stop - 0x$start ))
    # sizeof(struct mote_route) is 8 on a 32-bit target; two routes
    if [ "$size" -eq 16 ] && [ $(( 0x$start )) -lt $(( 0x20000000 )) ] &&
       arm-none-eabi-nm fw.elf | grep -q 'mote_route_in_fw_' &&
       arm-none-eabi-nm fw.elf | grep -q 'mote_route_in_other_'; then
        echo "ok   firmware (2 routes in flash at 0x$start)"
    else
        echo "FAIL firmware: section is $size bytes at 0x$start"
        fail=1
    fi
else
    echo "FAIL firmware: arm-none-eabi-gcc not found"
    fail=1
fi
exit $fail

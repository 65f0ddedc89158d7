#!/usr/bin/env bash
# reproducible.sh - the firmware image does not depend on where or when it
# is built: the committed tree (HEAD) is exported into two fresh folders
# with different names and depths, the `make run` image (FW_DHCP=1) is
# built in each, and the ELF files and flash images must be bit-identical.
# Uncommitted changes are not part of it (it checks what a clone builds).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v arm-none-eabi-gcc >/dev/null || { echo "SKIP: no cross compiler"; exit 77; }
git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null || { echo "SKIP: not a git checkout"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mote-repro.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

rev=$(git -C "$ROOT" rev-parse --short HEAD)
a=$TMP/one
b=$TMP/second-clone/of-mote
for d in "$a" "$b"; do
    mkdir -p "$d"
    git -C "$ROOT" archive HEAD | tar -x -C "$d"
    # Bounded: a build takes seconds; 300 s covers a loaded machine.
    timeout 300 make -C "$d" --no-print-directory -j2 firmware FW_DHCP=1 \
        >"$TMP/build-$(basename "$d").log" 2>&1 ||
        { tail -20 "$TMP/build-$(basename "$d").log"; echo "FAIL: build in $d"; exit 1; }
done
{ grep -E '^(toolchain|image):' "$TMP/build-one.log" || true; } | sed "s|$TMP/||"
for f in mote-fw.elf mote-fw.bin; do
    if ! cmp "$a/build/fw/$f" "$b/build/fw/$f"; then
        echo "FAIL: $f differs between two builds of $rev"
        exit 1
    fi
done
# No trace of either folder in the image.
if grep -q -a -e "$TMP" "$a/build/fw/mote-fw.elf"; then
    echo "FAIL: the build folder's path is inside the ELF"
    exit 1
fi
echo "HEAD $rev: mote-fw.elf and mote-fw.bin identical from two folders ($(sha256sum <"$a/build/fw/mote-fw.bin" | cut -c1-16)...)"
echo PASS

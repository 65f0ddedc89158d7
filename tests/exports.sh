#!/bin/sh
# Fails when the library exports a symbol without the mote_ prefix. Allowed:
# the linker-made __start_/__stop_ section bounds, and AddressSanitizer's
# per-global ODR indicators (__odr_asan.NAME), whose NAME is checked instead.
set -eu
lib=$1
names=$(nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' |
        sed 's/^__odr_asan\.//')
count=$(printf '%s\n' "$names" | grep -c . || true)
if [ "$count" -eq 0 ]; then
    echo "exports: no symbols found in $lib" >&2
    exit 1
fi
bad=$(printf '%s\n' "$names" |
      grep -v -e '^mote_' -e '^__start_' -e '^__stop_' || true)
if [ -n "$bad" ]; then
    echo "exports: symbols without the mote_ prefix:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "exports: $count symbols, all prefixed mote_"

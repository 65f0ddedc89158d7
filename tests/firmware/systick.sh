#!/usr/bin/env bash
# systick.sh [ELF] - the firmware's millisecond clock (SysTick) against the
# host's clock: two 'uptime' readings some seconds apart must differ by the
# host's elapsed time: at most 1 % fast, at most 10 % slow. The bounds are
# lopsided on purpose: a wrong clock setup is off by a large factor either
# way, while QEMU can only lose ticks (expiries that land while its vCPU
# thread is descheduled merge into one pending SysTick): measured 0.3-0.9 %
# slow on an idle 2-CPU host, 3.5 % with both CPUs loaded.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "$@"
SPAN=${SPAN:-3}

fw_start_qemu -- -nic none
fw_console 'expect:^mote-fw: up ' 'send:uptime' 'expect:^uptime_ms ' \
    "sleep:$SPAN" 'send:uptime' 'expect:^uptime_ms ' >"$FW_TMP/steps.txt" ||
    { cat "$FW_TMP/steps.txt"; fw_fail "uptime dialogue"; }
cat "$FW_TMP/steps.txt"
# Lines: "match +HOST_S uptime_ms GUEST_MS"
read -r h1 g1 h2 g2 < <(grep 'uptime_ms' "$FW_TMP/steps.txt" |
    sed 's/^match +\([0-9.]*\)s uptime_ms \([0-9]*\).*/\1 \2/' | tr '\n' ' ') || true
python3 - "$h1" "$g1" "$h2" "$g2" <<'PY'
import sys
h1, g1, h2, g2 = map(float, sys.argv[1:])
host_ms = (h2 - h1) * 1000.0
guest_ms = g2 - g1
ratio = guest_ms / host_ms
print("host %.1f ms, firmware %.0f ms, ratio %.4f" % (host_ms, guest_ms, ratio))
sys.exit(0 if 0.90 <= ratio <= 1.01 else 1)
PY
echo "PASS"

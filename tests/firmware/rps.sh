#!/usr/bin/env bash
# rps.sh [ELF] - measurement, not a pass/fail test: keep-alive requests per
# second through QEMU's user network and its port forward, as `make run`
# runs the firmware (ELF defaults to build/dhcp). wrk when installed (1 and
# 4 connections, SECONDS each, default 5), else a Python keep-alive loop on
# one connection. Then the stack high-water mark from /api/stats.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "${1:-$FW_ROOT/build/dhcp/fw/mote-fw.elf}"
SECONDS_EACH=${SECONDS_EACH:-5}

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
timeout -k 5 "$QEMU_MAX_S" "$QEMU" -M lm3s6965evb -display none \
    -monitor none -serial "file:$FW_TMP/uart.log" \
    -semihosting-config enable=on,target=native \
    -nic "user,model=stellaris,hostfwd=tcp:127.0.0.1:$PORT-:80" \
    -kernel "$FW_ELF" >"$FW_TMP/qemu.log" 2>&1 &
QEMU_PID=$!
for _ in $(seq 1 200); do
    grep -q 'dhcp bound' "$FW_TMP/uart.log" 2>/dev/null && break
    sleep 0.05
done
grep -q 'dhcp bound' "$FW_TMP/uart.log" || fw_fail "no DHCP lease"

for path in /api/led /; do
    if command -v wrk >/dev/null; then
        for c in 1 4; do
            r=$(timeout $((SECONDS_EACH + 20)) wrk -t1 -c$c -d${SECONDS_EACH}s "$URL$path" |
                awk '/Requests\/sec/ {print $2} /Socket errors|Non-2xx/ {print "(" $0 ")"}' | tr '\n' ' ')
            echo "GET $path keep-alive, wrk -c$c: $r requests/s"
        done
    else
        timeout $((SECONDS_EACH + 20)) env PYTHONPATH="$FW_TESTS_DIR" python3 - "$PORT" "$path" "$SECONDS_EACH" <<'PY'
import socket, sys, time
from fwtools import get_keepalive
port, path, secs = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port), timeout=10)
req = ("GET %s HTTP/1.1\r\nHost: mote\r\n\r\n" % path).encode()
n, t0 = 0, time.monotonic()
while time.monotonic() - t0 < secs:
    get_keepalive(s, req)
    n += 1
print("GET %s keep-alive, one connection (python): %.0f requests/s"
      % (path, n / (time.monotonic() - t0)))
PY
    fi
done
stats=$(curl -sS --max-time 10 "$URL/api/stats")
echo "stack high-water mark after the load: $(echo "$stats" | sed -n 's/.*"stack_peak":\([0-9]*\).*/\1/p') B"
fw_stop_qemu

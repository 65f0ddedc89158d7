#!/usr/bin/env bash
# tap_tcp.sh [ELF] - TCP through the Stellaris MAC driver against the Linux
# kernel, with the host port's checks (tests/system/tcp_client.py): 1 MB
# to the firmware's discard service and 1 MB from its generator, both
# byte-exact; a run of short connections; every connection slot free at the
# end. Needs root (namespaces); skipped otherwise.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "$@"

FW_IP=${FW_IP:-10.0.2.15}
MB=1048576
SHORT=${SHORT:-200}
CLIENT=$FW_ROOT/tests/system/tcp_client.py
[ -f "$CLIENT" ] || fw_skip "no tests/system/tcp_client.py"

fw_netns "${FW_NET_HOST:-10.0.2.2/24}"
fw_start_qemu ip netns exec "$NS" -- \
    -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" \
    -net nic,netdev=n0,model=stellaris
fw_console 'expect:^mote-fw: up ip ' >/dev/null || fw_fail "no boot line"

# tshark judges the firmware's segments, captured on the kernel's side.
CAP_PID=
if command -v tshark >/dev/null; then
    ip netns exec "$NS" timeout -k 5 120 tshark -q -i "$TAP" -f tcp \
        -w "$FW_TMP/cap.pcapng" >"$FW_TMP/tshark.log" 2>&1 &
    CAP_PID=$!
    fw_on_exit "kill $CAP_PID"
    for _ in $(seq 50); do
        grep -q "Capturing on" "$FW_TMP/tshark.log" && break
        sleep 0.1
    done
fi

client() { NSX_TIMEOUT=150 nsx python3 "$CLIENT" "$@"; }
client send "$FW_IP" "$MB" || fw_fail "1 MB to the firmware"
client recv "$FW_IP" "$MB" || fw_fail "1 MB from the firmware"
sleep 0.5

if [ -n "$CAP_PID" ]; then
    kill -INT "$CAP_PID" 2>/dev/null || true
    wait "$CAP_PID" 2>/dev/null || true
    judge() { timeout 60 tshark -r "$FW_TMP/cap.pcapng" \
        -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE "$@" 2>/dev/null; }
    segs=$(judge -Y "ip.src == $FW_IP" | wc -l)
    bad=$(judge -Y "ip.src == $FW_IP && (_ws.malformed || _ws.expert.severity >= \"Error\" || tcp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\")" | head -5)
    [ -z "$bad" ] || { echo "$bad"; fw_fail "tshark: malformed segments or errors"; }
    rexmit=$(judge -Y "tcp.analysis.retransmission || tcp.analysis.fast_retransmission" | wc -l)
    flight=$(judge -T fields -e tcp.analysis.bytes_in_flight \
        -Y "ip.src == $FW_IP && tcp.analysis.bytes_in_flight" | sort -n | tail -1)
    echo "tshark: $segs segments from the firmware, none malformed, $rexmit retransmissions, up to ${flight:-?} bytes in flight"
    [ "$segs" -gt 700 ] || fw_fail "tshark saw only $segs segments from the firmware"
    [ "$rexmit" -eq 0 ] || fw_fail "tshark: $rexmit retransmissions on a clean link"
fi

fw_console 'send:stats' 'expect:^ok$' >/dev/null || fw_fail "stats"
grep -a -E '^(app |tcp active|TCP_|enet_)' "$FW_TMP/uart.log" | tr -d '\r'
grep -a -q "^app discard connections 1 bytes $MB mismatches 0" "$FW_TMP/uart.log" ||
    fw_fail "discard did not see 1 MB intact"
grep -a -q "^app generator connections 1 completed 1 " "$FW_TMP/uart.log" ||
    fw_fail "the generator did not complete"
grep -a -q "^tcp active 0" "$FW_TMP/uart.log" || fw_fail "a connection slot leaked"
grep -a -q "^enet_overruns 0" "$FW_TMP/uart.log" || fw_fail "MAC FIFO overruns"

# Short connections, the firmware closing first: every one completes and
# every slot comes back (TIME-WAIT is a record, not a slot).
if [ "$SHORT" -gt 0 ]; then
    NSX_TIMEOUT=150 nsx python3 - "$FW_IP" "$SHORT" "$MB" <<'PY' || fw_fail "short connections"
import socket, sys, time
host, count, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = time.monotonic()
for k in range(count):
    s = socket.create_connection((host, 19), timeout=10)
    s.settimeout(10)
    got = s.recv(1000)  # the start of the stream is enough
    if len(got) == 0 or got[0] != 3:
        raise SystemExit("connection %d: bad start %r" % (k, got[:4]))
    s.close()           # before the end: the firmware sees a reset
print("short: %d connections in %.2f s" % (count, time.monotonic() - t0))
PY
    sleep 1
    : > "$FW_TMP/uart.log"
    fw_console 'send:stats' 'expect:^ok$' >/dev/null || fw_fail "stats"
    grep -a -E '^(app generator|tcp active)' "$FW_TMP/uart.log" | tr -d '\r'
    grep -a -q "^app generator connections $((SHORT + 1)) " "$FW_TMP/uart.log" ||
        fw_fail "not every short connection was accepted"
    grep -a -q "^tcp active 0" "$FW_TMP/uart.log" ||
        fw_fail "a connection slot leaked after $SHORT short connections"
fi
echo "PASS"

#!/usr/bin/env bash
# usernet_boot.sh [ELF] - the firmware boots under QEMU's user network (the
# way 'make run-fw' runs it, with a host port forward) and prints its boot
# line; a TCP connection from the host through the forward reaches the
# firmware's generator (port 19) and reads its whole stream byte-exact.
# slirp accepts the host's connection by itself, so only the data proves
# the firmware answered. Reports the time from QEMU's start to the line.
# FW_EXPECT_DHCP=1: the image leases its address (FW_DHCP=1) and must say
# so before the forward is used.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "$@"

# A free port for the forward, chosen by the kernel.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
t0=$(date +%s%N)
fw_start_qemu -- -nic "user,model=stellaris,hostfwd=tcp:127.0.0.1:$PORT-10.0.2.15:19"
if [ "${FW_EXPECT_DHCP:-0}" = 1 ]; then
    steps=('expect:^mote-fw: up ip 0\.0\.0\.0 mac 52:54:00:12:34:56 '
           'expect:mote-fw: dhcp bound ip 10\.0\.2\.15 gw 10\.0\.2\.2 ')
else
    steps=('expect:^mote-fw: up ip 10\.0\.2\.15 mac 52:54:00:12:34:56 ')
fi
fw_console "${steps[@]}" \
    'send:stats' 'expect:^TX_FRAMES [1-9][0-9]*$' 'expect:^ok$' \
    >"$FW_TMP/steps.txt" || { cat "$FW_TMP/steps.txt"; fw_fail "boot"; }
t1=$(date +%s%N)
cat "$FW_TMP/steps.txt"
boot=$(grep -m1 'mote-fw: up' "$FW_TMP/steps.txt" | sed 's/^match +\([0-9.]*\)s.*/\1/')
echo "guest start to boot line: ${boot}s; QEMU launch to stats done: $(( (t1 - t0) / 1000000 )) ms"

# Length: the generator's default stream (MOTE_FW_GEN_BYTES); the pattern
# is the one tests/system/tcp_client.py checks.
timeout 60 python3 - "$PORT" "${FW_GEN_BYTES:-1048576}" <<'PY' || fw_fail "TCP through the forward"
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
t0 = time.monotonic()
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.settimeout(10)
chunks = []
while True:
    b = s.recv(65536)
    if not b:
        break
    chunks.append(b)
got = b"".join(chunks)
want = bytes(((i * 31 + (i >> 8) * 7 + 3) & 0xFF) for i in range(n))
if got != want:
    raise SystemExit("hostfwd: %d bytes, expected %d of the pattern" % (len(got), n))
print("hostfwd: %d bytes byte-exact from the firmware in %.3f s" % (n, time.monotonic() - t0))
PY
echo "PASS"

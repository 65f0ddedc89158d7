#!/usr/bin/env bash
# http_run.sh [ELF] - the system `make run` starts, checked end to end: the
# firmware built with FW_DHCP=1 FW_PCAP=1 boots under QEMU's user network
# with a port forward on a free host port, leases its address, and serves
# the HTTP demo to curl: the page, the REST API (and a deferred answer),
# the LED round trip (the GPIO read back and the UART log), a 256 KB stream
# byte-exact, a 1 MB upload with the right CRC-32, 200 requests on one
# keep-alive connection. The console then reports no frame left out of the
# capture, and tshark reads the capture (UART1): no malformed frame, no bad
# checksum, exactly the HTTP requests this test made, each answered. Prints
# the figures (boot to DHCP bound, requests per second, stack high-water
# mark).
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "${1:-$FW_ROOT/build/pcap/fw/mote-fw.elf}"
command -v curl >/dev/null || fw_skip "curl missing"
command -v tshark >/dev/null || fw_skip "tshark missing"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
UART=$FW_TMP/uart.log
PCAP=$FW_TMP/fw.pcap
: >"$UART"

# UART0 on the unix socket of common.sh, logged to $UART by a console
# client that stays connected in the background; UART1 to the capture.
t0=$(date +%s%N)
fw_start_qemu -- -serial "file:$PCAP" \
    -nic "user,model=stellaris,hostfwd=tcp:127.0.0.1:$PORT-:80"
timeout 150 python3 "$FW_TESTS_DIR/fwcon.py" "$FW_SOCK" "$UART" 'closed:140' \
    >/dev/null 2>&1 &
CON_PID=$!
fw_on_exit "kill $CON_PID"
fw_log "forward 127.0.0.1:$PORT -> :80, console client pid $CON_PID"

# uart_wait REGEX SECONDS: until the console log has a matching line.
uart_wait() {
    local n=0
    until tr -d '\r' <"$UART" | grep -Eq "$1"; do
        kill -0 "$QEMU_PID" || fw_fail "QEMU ended waiting for /$1/"
        n=$((n + 1))
        [ "$n" -le $(($2 * 20)) ] || fw_fail "no console line /$1/ in $2 s"
        sleep 0.05
    done
}
uart_wait 'dhcp bound ip 10\.0\.2\.15 ' 20
t1=$(date +%s%N)
fw_ms=$(tr -d '\r' <"$UART" | sed -n 's/.*dhcp bound ip .* t=\([0-9]*\)ms.*/\1/p' | head -n 1)
fw_log "DHCP bound: ${fw_ms} ms of firmware time after reset, $(((t1 - t0) / 1000000)) ms after QEMU started"

# Every request this test makes, in order, for the capture check.
REQS=$FW_TMP/requests.txt
: >"$REQS"
C() { curl -sS --max-time 20 "$@"; }

# The page: identity and gzip both give index.html's bytes.
C -o "$FW_TMP/index.html" "$URL/"
echo "GET /" >>"$REQS"
cmp -s "$FW_TMP/index.html" "$FW_ROOT/ports/common/www/index.html" || fw_fail "GET / differs"
C --compressed -o "$FW_TMP/index.gz.html" "$URL/"
echo "GET /" >>"$REQS"
cmp -s "$FW_TMP/index.gz.html" "$FW_ROOT/ports/common/www/index.html" || fw_fail "gzip GET / differs"
fw_log "GET /: index.html, identity and gzip"

# The REST API.
got=$(C "$URL/api/users/7")
echo "GET /api/users/7" >>"$REQS"
[ "$got" = '{"id":7,"name":"user7"}' ] || fw_fail "GET /api/users/7: $got"
got=$(C -w ' %{http_code}' -H 'Content-Type: application/json' -d '{"name":"ada"}' "$URL/api/users")
echo "POST /api/users" >>"$REQS"
[ "$got" = '{"name":"ada"} 201' ] || fw_fail "POST /api/users: $got"
got=$(C -w ' %{http_code}' "$URL/api/nothing")
echo "GET /api/nothing" >>"$REQS"
[ "${got##* }" = 404 ] || fw_fail "GET /api/nothing: $got"
got=$(C "$URL/api/slow")
echo "GET /api/slow" >>"$REQS"
[ "$got" = '{"slow":true}' ] || fw_fail "GET /api/slow (deferred): $got"
fw_log "REST: GET and POST JSON, 404, a deferred answer"

# The LED: the API switches PF0, reads it back, and UART0 logs each switch.
for v in on off on; do
    want=$([ "$v" = on ] && echo 1 || echo 0)
    got=$(C -d "{\"led\":\"$v\"}" "$URL/api/led")
    echo "POST /api/led" >>"$REQS"
    [ "$got" = "{\"led\":$want}" ] || fw_fail "POST /api/led $v: $got"
    got=$(C "$URL/api/led")
    echo "GET /api/led" >>"$REQS"
    [ "$got" = "{\"led\":$want}" ] || fw_fail "GET /api/led after $v: $got"
    uart_wait "mote-fw: led $v " 5
done
[ "$(tr -d '\r' <"$UART" | grep -c 'mote-fw: led o')" -eq 3 ] || fw_fail "UART LED log"
fw_log "LED: on/off/on through the GPIO, read back, logged on UART0"

# 256 KB from the chunked generator, byte-exact.
python3 -c '
import sys
n = 262144
sys.stdout.buffer.write(bytes(((i * 31 + (i >> 8) * 7 + 3) & 255) for i in range(n)))' >"$FW_TMP/want.bin"
C -o "$FW_TMP/stream.bin" "$URL/api/stream?n=262144"
echo "GET /api/stream?n=262144" >>"$REQS"
cmp "$FW_TMP/stream.bin" "$FW_TMP/want.bin" || fw_fail "stream differs"
fw_log "GET /api/stream?n=262144: byte-exact"

# 1 MB upload (curl sends Expect: 100-continue), CRC-32 as zlib computes it.
head -c 1048576 /dev/urandom >"$FW_TMP/up.bin"
want=$(python3 -c 'import sys, zlib; print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()))' "$FW_TMP/up.bin")
ts=$(date +%s%N)
got=$(C -T "$FW_TMP/up.bin" "$URL/api/upload")
te=$(date +%s%N)
echo "PUT /api/upload" >>"$REQS"
[ "$got" = "{\"length\":1048576,\"crc32\":\"$want\"}" ] || fw_fail "upload: $got, want crc $want"
fw_log "PUT /api/upload 1 MB: CRC-32 $want in $(((te - ts) / 1000000)) ms"

# 200 requests on one connection: curl reuses it for every URL.
args=()
for i in $(seq 1 200); do args+=("$URL/api/users/$i"); echo "GET /api/users/$i" >>"$REQS"; done
ts=$(date +%s%N)
C -o /dev/null -w '%{http_code} %{num_connects}\n' "${args[@]}" >"$FW_TMP/ka.txt"
te=$(date +%s%N)
ok=$(grep -c '^200 ' "$FW_TMP/ka.txt" || true)
conns=$(awk '{n += $2} END {print n}' "$FW_TMP/ka.txt")
[ "$ok" -eq 200 ] || fw_fail "keep-alive: $ok of 200 answered 200"
[ "$conns" -eq 1 ] || fw_fail "keep-alive: $conns connections for 200 requests"
rps=$((200 * 1000000000 / (te - ts)))
fw_log "200 keep-alive GETs on 1 connection: $(((te - ts) / 1000000)) ms, $rps requests/s"

stats=$(C "$URL/api/stats")
echo "GET /api/stats" >>"$REQS"
echo "stats: $stats"
peak=$(echo "$stats" | sed -n 's/.*"stack_peak":\([0-9]*\).*/\1/p')
[ -n "$peak" ] && [ "$peak" -gt 0 ] || fw_fail "no stack_peak in /api/stats"
# The console's view: no frame left out of the capture, no MAC overrun.
kill "$CON_PID" 2>/dev/null || true
wait "$CON_PID" 2>/dev/null || true
fw_console 'send:stats' 'expect:^enet_overruns 0$' 'expect:^stack_peak [0-9]+$' \
    'expect:^pcap_frames [1-9][0-9]*$' 'expect:^pcap_dropped 0$' 'expect:^ok$' \
    >"$FW_TMP/stats.txt" || { cat "$FW_TMP/stats.txt"; fw_fail "console stats"; }
pframes=$(sed -n 's/.*pcap_frames \([0-9]*\).*/\1/p' "$FW_TMP/stats.txt")
fw_stop_qemu
fw_log "QEMU stopped by PID"

# The firmware's capture, judged by tshark (its complaints go to a log
# shown on failure; a bad filter fails the step through pipefail).
tsh() { timeout 60 tshark -r "$PCAP" "$@" 2>>"$FW_TMP/tshark.log"; }
[ -s "$PCAP" ] || fw_fail "empty capture"
frames=$(tsh -T fields -e frame.number | wc -l)
# The records counted before the console asked, and no more than those.
[ "$frames" -ge "$pframes" ] && [ "$frames" -le $((pframes + 4)) ] ||
    fw_fail "capture has $frames frames, the firmware queued $pframes"
bad=$(tsh -o ip.check_checksum:TRUE \
    -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
    -Y '_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0' \
    -T fields -e frame.number | wc -l)
[ "$bad" -eq 0 ] || fw_fail "$bad malformed frames or bad checksums in the firmware's capture"
tsh -Y http.request -T fields \
    -e http.request.method -e http.request.uri | tr '\t' ' ' >"$FW_TMP/seen.txt"
if ! diff <(sort "$REQS") <(sort "$FW_TMP/seen.txt") >"$FW_TMP/diff.txt"; then
    head -20 "$FW_TMP/diff.txt"
    fw_fail "the capture's HTTP requests differ from the test's"
fi
answers=$(tsh -Y 'http.response && http.response.code != 100' \
    -T fields -e http.response.code | wc -l)
[ "$answers" -eq "$(wc -l <"$REQS")" ] || fw_fail "$answers responses for $(wc -l <"$REQS") requests in the capture"
dhcp=$(tsh -Y 'dhcp.option.dhcp == 5' -T fields -e frame.number | wc -l)
[ "$dhcp" -ge 1 ] || fw_fail "no DHCP ACK in the capture"
fw_log "capture: $frames frames, none malformed, $(wc -l <"$REQS") HTTP requests and answers as sent, DHCP ACK seen"

echo "figures: boot_to_dhcp_bound_ms=$fw_ms keepalive_rps=$rps stack_peak_bytes=$peak pcap_frames=$frames"
echo PASS

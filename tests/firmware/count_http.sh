#!/usr/bin/env bash
# count_http.sh [ELF] - measurement, not a pass/fail test: Cortex-M3
# instructions the firmware executes per keep-alive HTTP GET, counted under
# QEMU from an execution trace (-singlestep -d exec,nochain: one line per
# guest instruction), through QEMU's user network as `make run` runs it.
# A client opens one connection, warms it up, then sends N requests one at
# a time, waiting for each answer. Every instruction from an Ethernet
# interrupt's entry to the main loop's next idle call is work caused by a
# frame (the request, and the client's ACK of the answer); their sum over
# the N requests, divided by N, is the cost of one GET. Timer ticks that
# find nothing to do are not counted. PATHS selects the requests (default
# "/api/led /"), N their number (default 20); ELF defaults to build/dhcp.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "${1:-$FW_ROOT/build/dhcp/fw/mote-fw.elf}"
N=${N:-20}
PATHS=${PATHS:-/api/led /}

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout -k 5 "$QEMU_MAX_S" "$QEMU" -M lm3s6965evb -display none \
    -monitor none -serial "file:$FW_TMP/uart.log" \
    -semihosting-config enable=on,target=native \
    -singlestep -d exec,nochain -D "$FW_TMP/exec.trace" \
    -nic "user,model=stellaris,hostfwd=tcp:127.0.0.1:$PORT-:80" \
    -kernel "$FW_ELF" >"$FW_TMP/qemu.log" 2>&1 &
QEMU_PID=$!
for _ in $(seq 1 400); do
    grep -q 'dhcp bound' "$FW_TMP/uart.log" 2>/dev/null && break
    sleep 0.05
done
grep -q 'dhcp bound' "$FW_TMP/uart.log" || fw_fail "no DHCP lease"
arm-none-eabi-nm -n "$FW_ELF" >"$FW_TMP/syms.txt"

for path in $PATHS; do
    : >"$FW_TMP/exec.trace.mark"
    # The trace grows without end; remember where this path's window starts.
    timeout 120 python3 - "$PORT" "$path" "$N" "$FW_TMP/exec.trace" <<'PY' >"$FW_TMP/window.txt" || fw_fail "client"
import os, socket, sys, time
port, path, n, trace = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
s = socket.create_connection(("127.0.0.1", port), timeout=20)
req = ("GET %s HTTP/1.1\r\nHost: mote\r\n\r\n" % path).encode()
def one():
    s.sendall(req)
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, body = buf.split(b"\r\n\r\n", 1)
    length = int([l.split(b":")[1] for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length")][0])
    while len(body) < length:
        body += s.recv(65536)
    return head.split(b"\r\n")[0], length
for _ in range(3):
    one()
time.sleep(0.5)
start = os.path.getsize(trace)
for _ in range(n):
    status, length = one()
    time.sleep(0.05)  # the client's ACK comes and is handled
time.sleep(0.3)
print(start, os.path.getsize(trace), length, status.decode())
PY
    read -r start end blen status <"$FW_TMP/window.txt"
    python3 - "$FW_TMP/exec.trace" "$FW_TMP/syms.txt" "$start" "$end" "$N" "$path" "$blen" "${FW_ELF%.elf}.map" <<'PY'
import bisect, re, sys
trace, symfile, start, end, n, path, blen, mapfile = sys.argv[1:]
start, end, n = int(start), int(end), int(n)
syms = []
for line in open(symfile):
    p = line.split()
    if len(p) == 3 and p[1] in "tTwW":
        syms.append((int(p[0], 16), p[2]))
syms.sort()
addrs = [a for a, _ in syms]
byname = dict((nm, a) for a, nm in syms)
isr, idle = byname["mote_isr_enet"], byname["mote_board_idle"]
def fn(pc):
    i = bisect.bisect_right(addrs, pc & ~1) - 1
    return syms[i][1] if i >= 0 else "?"
# Which object each function came from: the link map's input sections
# (-ffunction-sections gives each function its own).
objs = []
pending = None
for line in open(mapfile):
    m = re.match(r"^ (\.text\S*)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
    if not m:
        m1 = re.match(r"^ (\.text\S*)$", line.rstrip("\n"))
        if m1:
            pending = m1.group(1)
            continue
        m2 = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
        if pending and m2:
            objs.append((int(m2.group(1), 16), int(m2.group(2), 16), m2.group(3)))
        pending = None
        continue
    objs.append((int(m.group(2), 16), int(m.group(3), 16), m.group(4)))
objs.sort()
oaddr = [a for a, _, _ in objs]
def group(pc):
    i = bisect.bisect_right(oaddr, pc & ~1) - 1
    if i < 0 or pc >= objs[i][0] + objs[i][1]:
        return "?"
    o = objs[i][2]
    b = o.rsplit("/", 1)[-1]
    if "/core/" in o:
        if b in ("http_parser.o", "route.o", "http_server.o"):
            return "HTTP: " + b[:-2]
        if b in ("sched.o", "ring.o"):
            return "scheduler"
        return "network core (eth/ip/tcp)"
    if "/port/" in o:
        return "MAC driver" if b == "enet.o" else "port: loop, ISRs (" + b[:-2] + ")" if b != "main.o" else "port: main loop"
    if "/common/" in o or "/gen/" in o:
        return "demo application"
    return "libc (memcpy, strlen...)"
groups = {}
rx = re.compile(rb"Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
busy, total, periods, hist = False, 0, 0, {}
with open(trace, "rb") as f:
    f.seek(start)
    data = f.read(end - start)
for m in rx.finditer(data):
    pc = int(m.group(1), 16)
    if pc == isr and not busy:
        busy = True
        periods += 1
    elif pc == idle:
        busy = False
    if busy:
        total += 1
        nm = fn(pc)
        hist[nm] = hist.get(nm, 0) + 1
        g = group(pc)
        groups[g] = groups.get(g, 0) + 1
print("GET %s (%s B body), %d keep-alive requests: %d instructions in %d "
      "frame-driven periods, %.0f per request" % (path, blen, n, total,
                                                  periods, total / n))
for g, c in sorted(groups.items(), key=lambda x: -x[1]):
    print("  %7.0f  %s" % (c / n, g))
print(" top functions:")
for name, c in sorted(hist.items(), key=lambda x: -x[1])[:12]:
    print("  %7.0f  %s" % (c / n, name))
PY
done
fw_stop_qemu

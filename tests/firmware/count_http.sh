#!/usr/bin/env bash
# count_http.sh [ELF] - measurement, not a pass/fail test: Cortex-M3
# instructions the firmware executes per keep-alive HTTP GET, counted under
# QEMU from an execution trace (-singlestep -d exec,nochain: one line per
# guest instruction), through QEMU's user network as `make run` runs it.
# A client opens one connection, warms it up, then sends N requests one at
# a time, waiting for each answer. Every instruction from an Ethernet
# interrupt's entry to the main loop's next sleep (WFI) is work caused by a
# frame (the request, and the client's ACK of the answer); their sum over
# the N requests, divided by N, is the cost of one GET. Timer ticks that
# find nothing to do are not counted, nor the SysTick handler inside a
# period (tracing slows QEMU to ~0.4 M instructions/s, so ~30 ticks land in
# a request that takes 0.25 ms at 50 MHz). DEBUG=1 lists the first periods. QEMU's trace is buffered, so the
# window is found in the whole trace after QEMU stopped: it starts with the
# frame-driven period that called the route's handler for the N-th last
# time. PATHS selects the requests as PATH:HANDLER (default "/api/led:get_led
# /:get_asset"), N their number (default 20); ELF defaults to build/dhcp.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "${1:-$FW_ROOT/build/dhcp/fw/mote-fw.elf}"
N=${N:-20}
PATHS=${PATHS:-/api/led:get_led /:get_asset}

arm-none-eabi-nm -n "$FW_ELF" >"$FW_TMP/syms.txt"
# The sleep itself: the WFI inside mote_board_idle() (an idle call that
# finds an event pending returns without it, and the work goes on).
wfi=$(arm-none-eabi-objdump -d "$FW_ELF" |
    awk '/<mote_board_idle>:/ {f = 1} f && /\twfi/ {sub(":", "", $1); print $1; f = 0}')
[ -n "$wfi" ] || fw_fail "no WFI in mote_board_idle"

for ph in $PATHS; do
path=${ph%%:*}
handler=${ph##*:}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -f "$FW_TMP/exec.trace" "$FW_TMP/uart.log"
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
timeout 120 env PYTHONPATH="$FW_TESTS_DIR" python3 - "$PORT" "$path" "$N" <<'PY' >"$FW_TMP/client.txt" || fw_fail "client"
import socket, sys, time
from fwtools import get_keepalive
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port), timeout=20)
req = ("GET %s HTTP/1.1\r\nHost: mote\r\n\r\n" % path).encode()
def one():
    return get_keepalive(s, req)
for _ in range(3):
    one()
time.sleep(0.3)
for _ in range(n):
    length = one()
    time.sleep(0.05)  # the client's ACK comes and is handled
time.sleep(0.3)
print(length)
PY
fw_stop_qemu
PYTHONPATH="$FW_TESTS_DIR" python3 - "$FW_TMP/exec.trace" "$FW_TMP/syms.txt" "$N" "$path" "$(cat "$FW_TMP/client.txt")" "${FW_ELF%.elf}.map" "$handler" "$wfi" <<'PY'
import bisect, re, sys
from fwtools import text_symbols
trace, symfile, n, path, blen, mapfile, handler, wfi = sys.argv[1:]
n = int(n)
syms = text_symbols(symfile)
addrs = [a for a, _ in syms]
byname = dict((nm, a) for a, nm in syms)
isr, idle, hpc = byname["mote_isr_enet"], int(wfi, 16), byname[handler]
tick_lo = byname["mote_isr_systick"]
tick_hi = min(a for a in addrs if a > tick_lo)
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
    b = o.rsplit("/", 1)[-1][:-2]
    if "/core/" in o:
        if b in ("http_parser", "route", "http_server"):
            return "HTTP " + b
        if b in ("sched", "ring"):
            return "scheduler"
        return "network core (eth/arp/ip/tcp, checksum)"
    if "/port/" in o:
        return "MAC driver" if b == "enet" else "port: " + b
    if "/common/" in o or "/gen/" in o:
        return "demo application"
    return "libc (memcpy, strlen...)"
# Frame-driven periods: [pcs], and whether the handler ran in it.
rx = re.compile(rb"Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
periods, cur, busy = [], None, False
with open(trace, "rb") as f:
    for line in f:
        m = rx.search(line)
        if not m:
            continue
        pc = int(m.group(1), 16)
        if pc == isr and not busy:
            busy = True
            cur = [[], False]
            periods.append(cur)
        elif pc == idle:
            busy = False
        if busy and not tick_lo <= pc < tick_hi:
            cur[0].append(pc)
            if pc == hpc:
                cur[1] = True
hits = [i for i, p in enumerate(periods) if p[1]]
if len(hits) < n:
    sys.exit("only %d requests reached %s in the trace" % (len(hits), handler))
window = periods[hits[-n]:]
hist, groups, total = {}, {}, 0
for pcs, _ in window:
    for pc in pcs:
        total += 1
        f_ = fn(pc)
        hist[f_] = hist.get(f_, 0) + 1
        g = group(pc)
        groups[g] = groups.get(g, 0) + 1
print("GET %s (%s B body), %d keep-alive requests: %d instructions in %d "
      "frame-driven periods, %.0f per request" % (path, blen, n, total,
                                                  len(window), total / n))
for g, c in sorted(groups.items(), key=lambda x: -x[1]):
    print("  %7.0f  %s" % (c / n, g))
if len(sys.argv) > 0 and __import__("os").environ.get("DEBUG"):
    polls = byname["mote_poll"]
    for pcs, hit in window[:8]:
        print("  period: %d instr, %d mote_poll%s" % (
            len(pcs), pcs.count(polls), " (handler)" if hit else ""))
print(" top functions:")
for name, c in sorted(hist.items(), key=lambda x: -x[1])[:12]:
    print("  %7.0f  %s" % (c / n, name))
PY
done

#!/usr/bin/env bash
# count_ping.sh [ELF] - measurement, not a pass/fail test: how many
# instructions the firmware executes to answer one ICMP echo request.
# QEMU runs single-stepped with an execution trace (one line per guest
# instruction); a first ping resolves ARP, a second one is measured from the
# Ethernet interrupt's entry to the next WFI, and every instruction of that
# window is attributed to its function. Needs root (namespace), like
# tap_ping.sh. SIZE selects the ping payload (default 56).
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "$@"
SIZE=${SIZE:-56}
fw_netns

fw_start_qemu ip netns exec "$NS" -- -singlestep -d exec,nochain \
    -D "$FW_TMP/exec.trace" \
    -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" \
    -net nic,netdev=n0,model=stellaris
fw_console 'expect:^mote-fw: up ip :20' >/dev/null || fw_fail "no boot line"
nsx ping -n -q -c 1 -W 5 10.0.2.15 >/dev/null || fw_fail "warm-up ping"
sleep 0.5
nsx ping -n -c 1 -W 5 -s "$SIZE" 10.0.2.15 | grep -E 'bytes from|rtt' ||
    fw_fail "measured ping"
sleep 0.3
fw_stop_qemu

arm-none-eabi-nm -n "$FW_ELF" > "$FW_TMP/syms.txt"
# Which functions belong to the network core (objects built from src/).
objdir=$(dirname "$FW_ELF")/core
: > "$FW_TMP/core.txt"
if [ -d "$objdir" ]; then
    arm-none-eabi-nm --defined-only "$objdir"/*.o 2>/dev/null |
        awk '$2 ~ /^[tT]$/ { print $3 }' > "$FW_TMP/core.txt"
fi
PYTHONPATH="$FW_TESTS_DIR" python3 - "$FW_TMP/exec.trace" "$FW_TMP/syms.txt" "$FW_TMP/core.txt" <<'PY'
import bisect, re, sys
from fwtools import text_symbols
trace, symfile, corefile = sys.argv[1:]
core = set(open(corefile).read().split()) - {"mote_sched_run",
    "mote_sched_init", "mote_sched_add", "mote_ring_read", "mote_ring_push",
    "mote_ring_pop", "mote_ring_count", "mote_ring_init"}
syms = text_symbols(symfile)
addrs = [a for a, _ in syms]
def fn(pc):
    i = bisect.bisect_right(addrs, pc & ~1) - 1
    return syms[i][1] if i >= 0 else "?"
isr = dict((n, a) for a, n in syms)["mote_isr_enet"]
pcs = []
rx = re.compile(r"Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
for line in open(trace):
    m = rx.search(line)
    if m:
        pcs.append(int(m.group(1), 16))
starts = [i for i, pc in enumerate(pcs) if pc == isr]
if not starts:
    sys.exit("no Ethernet interrupt in the trace")
# The last interrupt is the measured ping's: one frame in, one reply out.
s = starts[-1]
names = [fn(pc) for pc in pcs[s:]]
last_tx = max(i for i, n in enumerate(names) if n == "enet_tx")
# The window ends when the main loop next goes idle after the reply.
e = next((i for i in range(last_tx, len(names))
          if names[i] == "mote_board_idle"), len(names))
hist = {}
for n in names[:e]:
    hist[n] = hist.get(n, 0) + 1
def group(n):
    if n in core:
        return "network core (src/)"
    if n.startswith(("enet_", "mote_enet_", "mote_isr_enet", "put_word",
                     "mii_")):
        return "MAC driver"
    if n in ("memcpy", "memmove", "memset"):
        return "libc"
    return "main loop, scheduler, timers"
groups = {}
for n, c in hist.items():
    groups[group(n)] = groups.get(group(n), 0) + c
print("instructions from the Ethernet IRQ to idle, one echo request: %d" % e)
for g, c in sorted(groups.items(), key=lambda x: -x[1]):
    print("  %6d  %s" % (c, g))
print("per function:")
for name, c in sorted(hist.items(), key=lambda x: -x[1]):
    print("  %6d  %s" % (c, name))
PY

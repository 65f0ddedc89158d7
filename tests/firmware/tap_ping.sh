#!/usr/bin/env bash
# tap_ping.sh [ELF] - the firmware on a TAP device in a network namespace of
# its own, against the Linux kernel: every echo request of every size gets
# its reply through the Stellaris MAC driver, and the kernel's ARP table
# learns the firmware's MAC. Needs root (namespaces); skipped otherwise.
#
# FW_IP / FW_NET_HOST select the addresses when the ELF was built with a
# different FW_IP (defaults: firmware 10.0.2.15, kernel side 10.0.2.2/24;
# the namespace has its own routing, so they collide with nothing).
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "$@"

FW_IP=${FW_IP:-10.0.2.15}
FW_MAC=52:54:00:6d:6f:74
# Every remainder of the frame length mod 4 at both ends of the range, so
# the driver's partial last word is exercised in all four shapes.
SIZES="0 1 2 3 56 500 1000 1469 1470 1471 1472"
COUNT=5

fw_netns "${FW_NET_HOST:-10.0.2.2/24}"

fw_start_qemu ip netns exec "$NS" -- \
    -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" \
    -net "nic,netdev=n0,model=stellaris,macaddr=$FW_MAC"
fw_console 'expect:^mote-fw: up ip ' 'mark:booted' >"$FW_TMP/steps.txt" ||
    { cat "$FW_TMP/steps.txt"; fw_fail "no boot line"; }
cat "$FW_TMP/steps.txt"

for size in $SIZES; do
    out=$(nsx ping -n -q -c "$COUNT" -i 0.05 -W 2 -s "$size" "$FW_IP" 2>&1) || true
    echo "$out" | tail -n 2
    echo "$out" | grep -q "$COUNT packets transmitted, $COUNT received" ||
        fw_fail "ping -s $size: not every reply came back"
done

# RTT in steady state, with the neighbour entry already resolved.
out=$(nsx ping -n -q -c 50 -i 0.01 -W 2 -s 56 "$FW_IP" 2>&1) || true
echo "$out" | grep -q "50 packets transmitted, 50 received" ||
    fw_fail "50 x ping -s 56: replies missing"
echo "RTT (56 B, 50 pings): $(echo "$out" | grep -o 'rtt.*')"

# A flood with 16 requests in flight: the main loop must keep draining the
# MAC's FIFO frame by frame (QEMU queues up to 31 frames, the silicon's 2 KB
# fewer: the check is that nothing is lost and no overrun is counted).
out=$(nsx ping -n -q -f -l 16 -c 2000 -W 2 -s 56 "$FW_IP" 2>&1) || true
echo "$out" | tail -n 2
echo "$out" | grep -q "2000 packets transmitted, 2000 received" ||
    fw_fail "flood: replies missing"

neigh=$(nsx ip neigh show "$FW_IP" dev "$TAP")
echo "kernel neighbour entry: $neigh"
echo "$neigh" | grep -qi "lladdr $FW_MAC" ||
    fw_fail "the kernel did not learn $FW_MAC for $FW_IP"

# Frames too big to take: a 1642-byte frame (over the packet buffer) is
# drained by the driver and counted by the stack as ETH_OVERSIZE; a
# 2052-byte one (over the 2 KB FIFO) is refused by the MAC and counted as an
# overrun. Neither is answered, and the frames after them still are.
nsx ip link set "$TAP" mtu 2100
for size in 1600 2010; do
    out=$(nsx ping -n -q -c 1 -W 1 -M do -s "$size" "$FW_IP" 2>&1) || true
    echo "$out" | grep -q "1 packets transmitted, 0 received" ||
        fw_fail "ping -s $size: expected no reply: $out"
done
out=$(nsx ping -n -q -c 3 -i 0.05 -W 2 -s 56 "$FW_IP" 2>&1) || true
echo "$out" | grep -q "3 packets transmitted, 3 received" ||
    fw_fail "no replies after the oversized frames"

# The firmware counted what the kernel saw, and lost no other frame.
total=$(( $(echo $SIZES | wc -w) * COUNT + 50 + 2000 + 3 ))
fw_console 'send:stats' 'expect:^ETH_OVERSIZE 1$' \
    "expect:^ICMP_ECHO_REPLIES $total\$" \
    'expect:^enet_overruns 1$' 'expect:^enet_rx_errors 0$' \
    'expect:^enet_rx_bad 0$' 'expect:^enet_tx_errors 0$' \
    'expect:^enet_tx_refused 0$' 'expect:^ok$' >"$FW_TMP/steps.txt" ||
    { cat "$FW_TMP/steps.txt"; fw_fail "firmware counters"; }
cat "$FW_TMP/steps.txt"
echo "PASS"

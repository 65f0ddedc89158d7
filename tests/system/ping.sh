#!/bin/bash
# The host port against the Linux kernel over a TAP device: ARP, pings of
# every size class, pings through the fault injector, and tshark's verdict on
# the capture.
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

make_namespace
start_port "$bin" --pcap "$WORK/cap.pcap"

nsx timeout 30 ping -c 20 -s 1400 -i 0.05 -W 2 "$MOTE_IP" >"$WORK/ping.log" 2>&1
grep -q " 20 received" "$WORK/ping.log" || { cat "$WORK/ping.log"; fail "ping -s 1400 lost replies"; }
rtt=$(grep -E "^rtt|^round-trip" "$WORK/ping.log")
echo "ping -c 20 -s 1400: all replies; $rtt"

nsx ip neigh show "$MOTE_IP" dev "$TAP" | grep -qi "lladdr $MOTE_MAC" ||
    fail "the kernel's ARP table did not learn our MAC"
echo "kernel ARP table: $MOTE_IP is at $MOTE_MAC"

total=20
for size in 0 1 56 1000 1472; do
    nsx timeout 20 ping -c 3 -s "$size" -i 0.05 -W 2 "$MOTE_IP" >"$WORK/ping.log" 2>&1
    grep -q " 3 received" "$WORK/ping.log" || { cat "$WORK/ping.log"; fail "ping -s $size lost replies"; }
    total=$((total + 3))
done
echo "ping sizes 0, 1, 56, 1000, 1472: all replies"

# 1473 B of payload make a 1515 B frame: larger than the buffer, dropped.
nsx ip link set "$TAP" mtu 1600
nsx timeout 10 ping -c 1 -s 1473 -W 1 "$MOTE_IP" >/dev/null 2>&1 &&
    fail "an echo larger than the buffer was answered"
nsx ip link set "$TAP" mtu 1500

stop_port
[ "$(counter ICMP_ECHO_REPLIES)" = "$total" ] ||
    fail "ICMP_ECHO_REPLIES is $(counter ICMP_ECHO_REPLIES), expected $total"
[ "$(counter ETH_OVERSIZE)" -ge 1 ] || fail "oversize frame not counted"

# tshark, with IP checksum validation, must find nothing malformed and no
# expert error in both directions.
frames=$(tshark -r "$WORK/cap.pcap" 2>/dev/null | wc -l)
[ "$frames" -ge $((2 * total)) ] || fail "capture holds only $frames frames"
bad=$(tshark -r "$WORK/cap.pcap" -o ip.check_checksum:TRUE \
      -Y '_ws.malformed || _ws.expert.severity >= "Error" || ip.checksum.status == "Bad" || icmp.checksum.status == "Bad"' 2>/dev/null)
[ -z "$bad" ] || { echo "$bad"; fail "tshark reports malformed frames or errors"; }
replies=$(tshark -r "$WORK/cap.pcap" -Y 'icmp.type == 0 && eth.src == '"$MOTE_MAC" 2>/dev/null | wc -l)
[ "$replies" -eq "$total" ] || fail "capture holds $replies echo replies, expected $total"
echo "tshark: $frames frames, $replies echo replies, no malformed packet, no expert error"

# The fault injector on the real path: 20 % loss each way, seeded.
start_port "$bin" --loss 0.2 --seed 11 --arp-retry 100
nsx timeout 60 ping -c 50 -i 0.05 -W 1 "$MOTE_IP" >"$WORK/ping.log" 2>&1
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$WORK/ping.log")
stop_port
[ -n "$got" ] && [ "$got" -ge 10 ] && [ "$got" -le 48 ] ||
    fail "with 20% loss each way, $got of 50 replies (expected 10..48)"
grep -q "fault rx passed [0-9]* dropped [1-9]" "$WORK/port.log" || fail "no rx loss injected"
grep -q "fault tx passed [0-9]* dropped [1-9]" "$WORK/port.log" || fail "no tx loss injected"
echo "with 20% loss each way: $got of 50 replies"
echo "system_ping: passed"

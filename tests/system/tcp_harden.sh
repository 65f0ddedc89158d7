#!/bin/bash
# TCP hardening against the Linux kernel over a TAP device:
#  1. 1 MB from mote through the fault injector at 2% loss (both ways):
#     intact, with fast retransmissions that tshark recognizes as such, and
#     fewer retransmission timeouts than the same run (same seed) with fast
#     retransmit turned off;
#  2. 5,000 SYNs from spoofed addresses and ports, then a real tcp_client gets
#     a connection at once, and every slot comes back.
set -u
bin=$1
here=$(dirname "$0")
. "$here/lib.sh"

make_namespace

# ---- 2% loss, with and without fast retransmit ------------------------------
# The kernel's minimum RTO on this route is a LAN-like 10 ms (its ACKs are
# lost too; its own retransmissions are not what is measured here).
nsx ip route replace 10.77.0.0/24 dev "$TAP" rto_min 10ms
lossy() {
    start_port "$bin" --gen-bytes $MB --loss 0.02 --seed 11 "$@"
    TIMEOUT_S=120 tcp_client recv "$MOTE_IP" $MB | tee "$WORK/recv.log" ||
        fail "1 MB from mote at 2% loss $*"
    stop_port
    grep -q "tcp active 0" "$WORK/port.log" || fail "a slot leaked at 2% loss"
    grep -q "app generator connections 1 completed 1" "$WORK/port.log" ||
        fail "the generator did not complete"
}
lossy --no-fast-retransmit
rto_off=$(counter TCP_RETRANSMITS)
fast_off=$(counter TCP_FAST_REXMITS)
mbs_off=$(sed -n 's/.*s, \([0-9.]*\) MB\/s.*/\1/p' "$WORK/recv.log")
lossy --pcap "$WORK/loss.pcap"
rto_on=$(counter TCP_RETRANSMITS)
fast_on=$(counter TCP_FAST_REXMITS)
mbs_on=$(sed -n 's/.*s, \([0-9.]*\) MB\/s.*/\1/p' "$WORK/recv.log")
grep "fault tx" "$WORK/port.log"
[ "$fast_off" -eq 0 ] || fail "fast retransmits while turned off: $fast_off"
[ "$fast_on" -gt 0 ] || fail "no fast retransmit at 2% loss"
[ "$rto_on" -lt "$rto_off" ] ||
    fail "timeouts with fast retransmit $rto_on, without $rto_off"
fr=$(tshark -r "$WORK/loss.pcap" -Y "ip.src == $MOTE_IP && tcp.analysis.fast_retransmission" 2>/dev/null | wc -l)
[ "$fr" -gt 0 ] || fail "tshark saw no fast retransmission from mote"
bad=$(tshark -r "$WORK/loss.pcap" -o tcp.check_checksum:TRUE \
      -Y "ip.src == $MOTE_IP && (_ws.malformed || tcp.checksum.status == \"Bad\")" 2>/dev/null | head -5)
[ -z "$bad" ] || { echo "$bad"; fail "tshark: malformed segments from mote"; }
echo "2% loss: fast retransmit on: $fast_on fast retransmits ($fr seen by tshark), $rto_on timeouts, $mbs_on MB/s"
echo "2% loss: fast retransmit off: $rto_off timeouts, $mbs_off MB/s"

# ---- SYN flood --------------------------------------------------------------
start_port "$bin" --gen-bytes 1000
nsx python3 "$here/synflood.py" "$TAP" "$MOTE_MAC" "$MOTE_IP" 19 5000 \
    10.77.0 100 250 || fail "flood sender"
tcp_client connect "$MOTE_IP" 1000 500 || fail "no connection at once after the flood"
tcp_client connect "$MOTE_IP" 1000 500 || fail "no second connection after the flood"
sleep 1 # the flood's SYN-RECEIVED slots time out (their next hop never answers)
stop_port
grep -q "tcp active 0" "$WORK/port.log" || fail "a slot leaked after the flood"
grep -q "app generator connections 2 completed 2" "$WORK/port.log" ||
    { grep "^app" "$WORK/port.log"; fail "the real clients did not complete"; }
syns=$(( $(counter TCP_SYN_EVICTED) + $(counter TCP_GIVE_UPS) ))
echo "flood: $(counter RX_FRAMES) frames in, $(counter TCP_SYN_EVICTED) SYN-RECEIVED slots taken over, $(counter TCP_GIVE_UPS) given up, $(counter ARP_MISS) SYN-ACKs unroutable"
[ "$syns" -ge 4900 ] || fail "only $syns of 5,000 SYNs seen"
echo "system_tcp_harden: passed"

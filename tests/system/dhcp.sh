#!/bin/bash
# The DHCP client against a real server: dnsmasq on the kernel side of the
# TAP device, in the test's namespace. mote gets a lease, answers ping on
# it, renews it, and keeps it across a restart of dnsmasq. dnsmasq's
# shortest lease is 2 minutes, so the port's clock runs 10 times faster
# (--clock-scale 10): T1 comes after 6 s, T2 after 10.5 s, the end after
# 12 s of real time. tshark checks every DHCP packet in the capture.
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

SCALE=10
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
[ -x "$DNSMASQ" ] || fail "dnsmasq not found (Debian package dnsmasq-base)"
DNSMASQ_PID=

# start_dnsmasq: the DHCP server alone (--port=0: no DNS), leases kept in
# the test's directory so a restarted server remembers them. It stays root:
# its files are in that private (0700) directory.
start_dnsmasq() {
    : >"$WORK/dnsmasq.log"
    ip netns exec "$NS" "$DNSMASQ" --keep-in-foreground --conf-file=/dev/null --port=0 \
        --user=root --group=root \
        --interface="$TAP" --bind-interfaces --except-interface=lo \
        --dhcp-range=10.77.0.50,10.77.0.59,255.255.255.0,2m \
        --dhcp-option=option:router,"$HOST_IP" \
        --dhcp-leasefile="$WORK/leases" --pid-file="$WORK/dnsmasq.pid" \
        --log-dhcp --log-facility="$WORK/dnsmasq.log" \
        2>>"$WORK/dnsmasq.err" &
    DNSMASQ_PID=$!
    for _ in $(seq 50); do
        grep -q "DHCP, IP range" "$WORK/dnsmasq.log" 2>/dev/null && return 0
        kill -0 "$DNSMASQ_PID" 2>/dev/null ||
            { cat "$WORK/dnsmasq.err" "$WORK/dnsmasq.log" >&2; fail "dnsmasq exited"; }
        sleep 0.1
    done
    fail "dnsmasq did not start"
}

stop_dnsmasq() {
    kill -TERM "$DNSMASQ_PID" || fail "dnsmasq already gone"
    wait "$DNSMASQ_PID" 2>/dev/null
    kill -0 "$DNSMASQ_PID" 2>/dev/null && fail "dnsmasq still running"
    DNSMASQ_PID=
}

cleanup() {
    [ -n "$DNSMASQ_PID" ] && kill -KILL "$DNSMASQ_PID" 2>/dev/null
    teardown
}
trap cleanup EXIT

# start_dhcp_port: the host port asking DHCP for its address.
start_dhcp_port() { PORT_ADDR="--dhcp --clock-scale $SCALE" start_port "$bin" "$@"; }

# bound_lines: how many times the port reported a lease (new or renewed).
bound_lines() { grep -c "dhcp bound" "$WORK/port.log"; }

# wait_bound N SECONDS: until the port has reported N leases.
wait_bound() {
    for _ in $(seq $(($2 * 10))); do
        [ "$(bound_lines)" -ge "$1" ] && return 0
        kill -0 "$PORT_PID" 2>/dev/null || fail "port died"
        sleep 0.1
    done
    return 1
}

make_namespace
start_dnsmasq
t0=$(date +%s%N)
start_dhcp_port --pcap "$WORK/cap.pcap"

wait_bound 1 15 || fail "no lease within 15 s"
t1=$(date +%s%N)
lease_ip=$(sed -n 's/.*dhcp bound, \([0-9.]*\)\/\([0-9]*\) gw \([0-9.]*\).*/\1/p' "$WORK/port.log" | head -1)
line=$(grep -m1 "dhcp bound" "$WORK/port.log")
echo "lease in $(( (t1 - t0) / 1000000 )) ms: $line"
case "$lease_ip" in
10.77.0.5[0-9]) ;;
*) fail "leased address $lease_ip outside dnsmasq's range" ;;
esac
echo "$line" | grep -q "/24 gw $HOST_IP" || fail "mask or gateway not applied: $line"
grep -q "DHCPACK(.*$lease_ip $MOTE_MAC" "$WORK/dnsmasq.log" ||
    fail "dnsmasq's log shows no ACK of $lease_ip to $MOTE_MAC"

nsx timeout 10 ping -c 5 -i 0.1 -W 2 "$lease_ip" >"$WORK/ping.log" 2>&1 ||
    { cat "$WORK/ping.log"; fail "no answer to ping on the leased address"; }
echo "ping on $lease_ip: 5 of 5 answered"

# Two renewals at T1 (every 6 s of real time), each ACKed by dnsmasq.
wait_bound 3 16 || fail "the lease was not renewed twice"
grep -q "renewing" "$WORK/port.log" || fail "no renewal seen"
acks=$(grep -c "DHCPACK(.*$lease_ip $MOTE_MAC" "$WORK/dnsmasq.log")
[ "$acks" -ge 3 ] || fail "dnsmasq logged $acks ACKs, expected 3"
echo "renewed twice at T1: $acks ACKs in dnsmasq's log"

# dnsmasq restarted while mote renews: down across T1, so the unicast
# renewal goes unanswered; back before T2, it ACKs the rebinding broadcast
# (it kept the lease in its file). The address is never dropped.
stop_dnsmasq
down_from=$(bound_lines)
sleep 8
grep -q "dhcp renewing" "$WORK/port.log" || fail "no renewal attempt while dnsmasq was down"
[ "$(bound_lines)" -eq "$down_from" ] || fail "a lease came while dnsmasq was down"
start_dnsmasq
wait_bound $((down_from + 1)) 12 || fail "lease not renewed after dnsmasq restarted"
grep -q "dhcp rebinding" "$WORK/port.log" || fail "no rebinding seen"
sed -n '/dhcp bound/,$p' "$WORK/port.log" | grep -q "dhcp selecting\|dhcp init" &&
    fail "the address was given up during the restart"
[ "$(sed -n 's/.*dhcp bound, \([0-9.]*\)\/.*/\1/p' "$WORK/port.log" | sort -u)" = "$lease_ip" ] ||
    fail "the address changed"
grep -q "DHCPACK(.*$lease_ip $MOTE_MAC" "$WORK/dnsmasq.log" ||
    fail "the restarted dnsmasq did not ACK"
nsx timeout 10 ping -c 3 -i 0.1 -W 2 "$lease_ip" >"$WORK/ping.log" 2>&1 ||
    { cat "$WORK/ping.log"; fail "no ping answer after the restart"; }
echo "dnsmasq restarted: rebound to $lease_ip, ping answered"

# dnsmasq away for longer than the lease: at its end (12 s after the last
# ACK) mote drops the address and discovers again; a new server instance
# leases it again.
stop_dnsmasq
before=$(bound_lines)
for _ in $(seq 150); do
    tail -n1 "$WORK/port.log" | grep -q "dhcp selecting, 0.0.0.0" && break
    sleep 0.1
done
tail -n1 "$WORK/port.log" | grep -q "dhcp selecting, 0.0.0.0" ||
    fail "the address was not dropped at the end of the lease"
nsx timeout 5 ping -c 1 -W 1 "$lease_ip" >/dev/null 2>&1 &&
    fail "the expired address still answers ping"
start_dnsmasq
wait_bound $((before + 1)) 15 || fail "no new lease after the expiry"
new_ip=$(sed -n 's/.*dhcp bound, \([0-9.]*\)\/.*/\1/p' "$WORK/port.log" | tail -1)
nsx timeout 10 ping -c 3 -i 0.1 -W 2 "$new_ip" >"$WORK/ping.log" 2>&1 ||
    { cat "$WORK/ping.log"; fail "no ping answer on the new lease"; }
echo "lease expired with dnsmasq away: address dropped, leased again ($new_ip)"

stop_port
stop_dnsmasq
[ "$(counter DHCP_EXPIRED)" = 1 ] || fail "DHCP_EXPIRED is $(counter DHCP_EXPIRED)"
[ "$(counter DHCP_NAKS)" = 0 ] || fail "NAKs: $(counter DHCP_NAKS)"
leases=$(counter DHCP_LEASES)
[ "$leases" -ge 5 ] || fail "DHCP_LEASES is $leases"
for c in DHCP_MALFORMED DHCP_NOT_OURS DHCP_NO_SERVER_ID DHCP_BAD_LEASE \
         DHCP_BAD_MASK UDP_CHECKSUM UDP_LEN; do
    [ "$(counter $c)" = 0 ] || fail "counter $c is $(counter $c)"
done

# tshark: every DHCP packet well formed, checksums right both ways.
bad=$(tshark -r "$WORK/cap.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
      -Y '_ws.malformed || _ws.expert.severity >= "Error" || ip.checksum.status == "Bad" || udp.checksum.status == "Bad"' 2>/dev/null)
[ -z "$bad" ] || { echo "$bad"; fail "tshark reports malformed frames or errors"; }
ours=$(tshark -r "$WORK/cap.pcap" -Y "dhcp && eth.src == $MOTE_MAC" 2>/dev/null | wc -l)
theirs=$(tshark -r "$WORK/cap.pcap" -Y "dhcp && udp.srcport == 67" 2>/dev/null | wc -l)
disc=$(tshark -r "$WORK/cap.pcap" -Y "dhcp.option.dhcp == 1 && eth.src == $MOTE_MAC" 2>/dev/null | wc -l)
req=$(tshark -r "$WORK/cap.pcap" -Y "dhcp.option.dhcp == 3 && eth.src == $MOTE_MAC" 2>/dev/null | wc -l)
[ "$ours" -eq $((disc + req)) ] || fail "mote sent DHCP messages other than DISCOVER and REQUEST"
echo "tshark: mote sent $disc DISCOVERs and $req REQUESTs, dnsmasq $theirs replies; none malformed, checksums good"
echo "system_dhcp: passed"

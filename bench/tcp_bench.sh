#!/bin/bash
# Bulk TCP over the TAP: mote's generator to a kernel receiver and a kernel
# sender to mote's discard server, beside a kernel-to-kernel transfer over a
# veth pair, measured in the same run (medians of 3). mote runs from a
# non-sanitized -O2 build pinned to CPU 0, the kernel-side tools on CPU 1.
# Needs root; everything stays in private namespaces.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$1
here=$root/tests/system
. "$here/lib.sh"
py() { nsx timeout 120 taskset -c 1 python3 "$root/bench/tcp_bench.py" "$@"; }
N=$((64 * 1048576))
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mbs() { sed -n 's/.* \([0-9.]*\) MB\/s/\1/p'; }

make_namespace
PORT_WRAP="taskset -c 0" start_port "$bin" --gen-bytes $N
for i in 1 2 3; do py sink "$MOTE_IP" 19 | mbs; done | median > "$WORK/gen"
for i in 1 2 3; do py source "$MOTE_IP" 9 $N | mbs; done | median > "$WORK/disc"
stop_port

# The reference: two namespaces joined by a veth pair.
A=mote-bench-a-$$ B=mote-bench-b-$$
trap 'ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; teardown' EXIT
ip netns add $A && ip netns add $B
ip link add va netns $A type veth peer name vb netns $B
ip -n $A addr add 10.78.0.1/24 dev va && ip -n $A link set va up
ip -n $B addr add 10.78.0.2/24 dev vb && ip -n $B link set vb up
veth_run() {
    for i in 1 2 3; do
        ip netns exec $B timeout 60 taskset -c 0 python3 "$root/bench/tcp_bench.py" serve 10.78.0.2 5001 $N &
        sleep 0.3
        ip netns exec $A timeout 60 taskset -c 1 python3 "$root/bench/tcp_bench.py" sink 10.78.0.2 5001 | mbs
        wait
    done | median
}
veth_run > "$WORK/veth"
# The same pair cut to one frame per segment, as a TAP carries them: the
# kernel's own cost per 1,500-byte frame, without its 64 KB offloads.
ip netns exec $A ethtool -K va tso off gso off gro off >/dev/null
ip netns exec $B ethtool -K vb tso off gso off gro off >/dev/null
veth_run > "$WORK/veth1500"

gen=$(cat "$WORK/gen"); disc=$(cat "$WORK/disc"); veth=$(cat "$WORK/veth")
veth1500=$(cat "$WORK/veth1500")
echo "TCP bulk, 64 MiB, medians of 3 (MB/s):"
echo "  mote generator -> kernel (TAP):   $gen"
echo "  kernel -> mote discard (TAP):     $disc"
echo "  kernel -> kernel (veth):          $veth"
echo "  kernel -> kernel (veth, no TSO/GSO/GRO): $veth1500"
awk -v g="$gen" -v d="$disc" -v v="$veth" -v w="$veth1500" 'BEGIN {
    printf "  ratios to veth: %.2f (mote sending), %.2f (mote receiving)\n", g / v, d / v
    printf "  ratios to veth without offloads: %.2f, %.2f\n", g / w, d / w }'

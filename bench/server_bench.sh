#!/bin/bash
# server_bench.sh MOTE_POSIX EPOLL_SERVER - HTTP requests per second: mote
# over the TAP beside a small epoll server (bench/epoll_server.c) on the
# kernel's loopback, in the same namespace and the same run, on the five
# rows of the reference figures: wrk keep-alive with 1 and 4 connections for
# `/` (the demo's 662 B page) and a 4 KB constant body, and a connection per
# request (ab -n 2000 -c 1). Servers are pinned to CPU 0, wrk and ab to CPU
# 1. Each cell is the median of 3 runs of 3 s, mote and kernel interleaved.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$1
epoll=$2
here=$root/tests/system
. "$here/lib.sh"
NS=mote-bench-http-$$
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wrk_rps() { # CONNS URL
    nsx taskset -c 1 wrk -t 1 -c "$1" -d 3s "$2" 2>&1 |
        awk '/^Requests\/sec/ { print int($2) } /Socket errors|Non-2xx/ { print "ERR: " $0 > "/dev/stderr" }'
}
ab_rps() { # URL
    nsx taskset -c 1 ab -q -n 2000 -c 1 "$1" 2>&1 |
        awk '/^Requests per second/ { print int($4) } /^Failed requests: *[1-9]/ { print "ERR: " $0 > "/dev/stderr" }'
}

make_namespace
PORT_WRAP="taskset -c 0" start_port "$bin"
ip netns exec "$NS" taskset -c 0 "$epoll" 8080 /="$root/ports/common/www/index.html" \
    /bench/4k=@4096 &
EPID=$!
trap 'kill $EPID 2>/dev/null; teardown' EXIT
sleep 0.3
M=http://$MOTE_IP K=http://127.0.0.1:8080
rows=("keep-alive, 1 connection, /" "keep-alive, 4 connections, /"
      "keep-alive, 1 connection, 4 KB" "keep-alive, 4 connections, 4 KB"
      "new connection per request (ab -c 1), /")
run_row() { # ROW BASE
    case $1 in
    0) wrk_rps 1 "$2/" ;; 1) wrk_rps 4 "$2/" ;;
    2) wrk_rps 1 "$2/bench/4k" ;; 3) wrk_rps 4 "$2/bench/4k" ;;
    4) ab_rps "$2/" ;;
    esac
}
for r in 0 1 2 3 4; do
    for i in 1 2 3; do
        run_row $r "$M" >>"$WORK/m$r"
        run_row $r "$K" >>"$WORK/k$r"
    done
done
stop_port
lwip=(1.11 1.34 0.63 0.42 1.28)
echo "HTTP requests per second, medians of 3 x 3 s (mote over the TAP; kernel: epoll on loopback):"
printf '  %-42s %8s %8s %7s %7s %7s\n' row mote kernel ratio lwIP aim
for r in 0 1 2 3 4; do
    m=$(median <"$WORK/m$r"); k=$(median <"$WORK/k$r")
    aim=$(awk -v l="${lwip[$r]}" -v r="$r" 'BEGIN { printf "%.2f", l * (r == 2 || r == 3 ? 1.5 : 1.3) }')
    awk -v n="${rows[$r]}" -v m="$m" -v k="$k" -v l="${lwip[$r]}" -v a="$aim" \
        'BEGIN { printf "  %-42s %8d %8d %7.2f %7.2f %7.2f\n", n, m, k, m / k, l, a }'
done
echo "  (ratio: mote / kernel; lwIP: its ratio in the reference run; aim: 1.3x lwIP's, 1.5x on 4 KB rows)"

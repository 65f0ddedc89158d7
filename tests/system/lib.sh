# Shared helpers of the system tests: a private network namespace with a TAP
# device, the host port started in it, and a clean teardown on any exit.
# All traffic stays inside the namespace.

NS=mote-sys-$$
TAP=mtap0
HOST_IP=10.77.0.1
MOTE_IP=10.77.0.2
MOTE_MAC=02:6d:6f:74:65:02
WORK=$(mktemp -d)
PORT_PID=

fail() {
    echo "FAIL: $*" >&2
    [ -f "$WORK/port.log" ] && sed 's/^/  port: /' "$WORK/port.log" >&2
    exit 1
}

teardown() {
    if [ -n "$PORT_PID" ] && kill -0 "$PORT_PID" 2>/dev/null; then
        kill -KILL "$PORT_PID" 2>/dev/null
    fi
    ip netns del "$NS" 2>/dev/null
    rm -rf "$WORK"
}
trap teardown EXIT

nsx() { ip netns exec "$NS" "$@"; }
# The TCP test client (tcp_client.py) run inside the namespace, bounded.
tcp_client() {
    nsx timeout "${TIMEOUT_S:-60}" python3 "$(dirname "${BASH_SOURCE[0]}")/tcp_client.py" "$@"
}
MB=1048576

make_namespace() {
    [ "$(id -u)" -eq 0 ] || fail "system tests need root (network namespaces)"
    ip netns add "$NS" || fail "cannot create namespace"
    nsx ip link set lo up
    nsx ip tuntap add dev "$TAP" mode tap || fail "cannot create TAP"
    # No IPv6 on the link: router solicitations would disturb the counters.
    nsx sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1"
    nsx ip addr add "$HOST_IP/24" dev "$TAP"
    nsx ip link set "$TAP" up
}

# start_port BINARY [extra options...]: runs the host port in the namespace,
# with the address options in PORT_ADDR (default: the static MOTE_IP) and
# any wrapper command in PORT_WRAP (e.g. taskset).
start_port() {
    bin=$1
    shift
    : >"$WORK/port.log"
    ASAN_OPTIONS=abort_on_error=0:halt_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ip netns exec "$NS" ${PORT_WRAP:-} "$bin" --tap "$TAP" \
        ${PORT_ADDR:---ip $MOTE_IP/24} \
        --mac "$MOTE_MAC" --stats "$@" 2>"$WORK/port.log" &
    PORT_PID=$!
    for _ in $(seq 50); do
        grep -q "up on" "$WORK/port.log" && return 0
        kill -0 "$PORT_PID" 2>/dev/null || fail "port exited at start"
        sleep 0.1
    done
    fail "port did not come up"
}

# stop_port: SIGTERM, then a clean exit with no sanitizer report is required.
stop_port() {
    kill -TERM "$PORT_PID" || fail "port already gone"
    for _ in $(seq 50); do
        kill -0 "$PORT_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$PORT_PID" 2>/dev/null && fail "port ignored SIGTERM"
    wait "$PORT_PID"
    rc=$?
    PORT_PID=
    [ "$rc" -eq 0 ] || fail "port exited with status $rc"
    if grep -qE "AddressSanitizer|UndefinedBehaviorSanitizer|runtime error|LeakSanitizer" \
        "$WORK/port.log"; then
        fail "sanitizer report"
    fi
    grep -q "mote-posix: stopped" "$WORK/port.log" || fail "no clean stop"
}

# counter NAME: a counter printed by the port at exit.
counter() {
    awk -v n="$1" '$1 == "counter" && $2 == n { print $3 }' "$WORK/port.log"
}

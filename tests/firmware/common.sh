# common.sh - shared by the firmware tests: locating the ELF, starting QEMU
# in the background under a time limit, stopping it by PID, and cleaning up
# on every exit path. Source it; then call fw_setup "$@".
#
# Exit status 77 means "skipped" (ctest SKIP_RETURN_CODE).

FW_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FW_ROOT=$(cd "$FW_TESTS_DIR/../.." && pwd)
QEMU=${QEMU:-qemu-system-arm}
# Hard ceiling for one QEMU run; each step below has its own smaller bound.
QEMU_MAX_S=${QEMU_MAX_S:-120}
QEMU_PID=
FW_TMP=
FW_CLEANUPS=()

fw_log() { echo "[$(date +%H:%M:%S.%3N)] $*"; }
fw_fail() { echo "FAIL: $*" >&2; exit 1; }
fw_skip() { echo "SKIP: $*" >&2; exit 77; }

# Runs at exit, also after a failure or a signal.
fw_cleanup() {
    local rc=$?
    set +e
    fw_stop_qemu
    local i
    for ((i = ${#FW_CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${FW_CLEANUPS[i]}" >/dev/null 2>&1
    done
    if [ -n "$FW_TMP" ]; then
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
            for f in "$FW_TMP"/*.log; do
                [ -f "$f" ] || continue
                echo "---- $(basename "$f") (last 40 lines)"
                tail -n 40 "$f" | tr -d '\r'
            done
        fi
        rm -rf "$FW_TMP"
    fi
    exit "$rc"
}

# fw_on_exit CMD: registers CMD to run at cleanup (last registered first).
fw_on_exit() { FW_CLEANUPS+=("$1"); }

# fw_setup [ELF]: the ELF from the argument, or the default build output.
fw_setup() {
    FW_ELF=${1:-$FW_ROOT/build/fw/mote-fw.elf}
    [ -f "$FW_ELF" ] || fw_fail "no firmware at $FW_ELF (run 'make firmware')"
    command -v "$QEMU" >/dev/null || fw_skip "$QEMU not installed"
    FW_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mote-fw.XXXXXX")
    trap fw_cleanup EXIT
    trap 'exit 130' INT TERM
}

# fw_start_qemu [PREFIX...] -- QEMU_ARGS...: starts QEMU in the background
# (optionally behind a prefix such as "ip netns exec NS") with the console
# on a unix socket ($FW_TMP/uart.sock; QEMU waits for the client before the
# guest runs, so no output is lost) and semihosting on for clean exits.
fw_start_qemu() {
    local prefix=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do prefix+=("$1"); shift; done
    shift
    FW_SOCK=$FW_TMP/uart.sock
    "${prefix[@]}" timeout -k 5 "$QEMU_MAX_S" "$QEMU" -M lm3s6965evb \
        -display none -monitor none \
        -chardev "socket,id=con,path=$FW_SOCK,server=on,wait=on" \
        -serial chardev:con \
        -semihosting-config enable=on,target=native \
        "$@" -kernel "$FW_ELF" >"$FW_TMP/qemu.log" 2>&1 &
    QEMU_PID=$!
    fw_log "QEMU started, pid $QEMU_PID"
}

# fw_wait_qemu SECONDS: waits for QEMU to end by itself; prints its status.
fw_wait_qemu() {
    local n=0 limit=$(($1 * 10))
    while kill -0 "$QEMU_PID" 2>/dev/null; do
        n=$((n + 1))
        [ "$n" -le "$limit" ] || return 124
        sleep 0.1
    done
    local rc=0
    wait "$QEMU_PID" || rc=$?
    QEMU_PID=
    return "$rc"
}

# Stops QEMU by its PID: TERM, then KILL after 5 s.
fw_stop_qemu() {
    [ -n "$QEMU_PID" ] || return 0
    if kill -0 "$QEMU_PID" 2>/dev/null; then
        kill -TERM "$QEMU_PID" 2>/dev/null || true
        local n=0
        while kill -0 "$QEMU_PID" 2>/dev/null && [ "$n" -lt 50 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        kill -KILL "$QEMU_PID" 2>/dev/null || true
    fi
    wait "$QEMU_PID" 2>/dev/null || true
    QEMU_PID=
    return 0
}

# fw_netns [HOST_CIDR]: a network namespace of the test's own (NS) holding
# a TAP device (TAP) with HOST_CIDR (default 10.0.2.2/24) on the kernel side
# and IPv6 off, removed at exit. Skips the test without root.
fw_netns() {
    [ "$(id -u)" -eq 0 ] || fw_skip "needs root for network namespaces"
    command -v ip >/dev/null || fw_skip "iproute2 missing"
    NS=mote-fw-$$
    TAP=mtap0
    fw_log "namespace $NS"
    timeout 10 ip netns add "$NS"
    fw_on_exit "timeout 10 ip netns del $NS"
    nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    nsx sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    nsx ip link set lo up
    nsx ip tuntap add dev "$TAP" mode tap
    nsx sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1"
    nsx ip addr add "${1:-10.0.2.2/24}" dev "$TAP"
    nsx ip link set "$TAP" up
}

# nsx CMD...: runs CMD inside the namespace, bounded (NSX_TIMEOUT, 20 s).
nsx() { timeout "${NSX_TIMEOUT:-20}" ip netns exec "$NS" "$@"; }

# fw_console STEP...: runs fwcon.py against the console socket.
fw_console() {
    timeout 60 python3 "$FW_TESTS_DIR/fwcon.py" "$FW_SOCK" \
        "$FW_TMP/uart.log" "$@"
}

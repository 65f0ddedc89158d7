#!/usr/bin/env bash
# uart_console.sh [ELF] - the firmware's command task answers commands typed
# on UART0, a deliberate fault is reported with registers, and "exit N"
# ends QEMU with status N through semihosting.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fw_setup "$@"

fw_start_qemu -- -nic none
fw_console \
    'expect:^mote-fw: up ip ' \
    'send:help' 'expect:^commands: ' \
    'send:bogus' 'expect:^error: unknown command' \
    'send:stats' 'expect:^RX_FRAMES [0-9]+$' 'expect:^ICMP_ECHO_REPLIES [0-9]+$' \
    'expect:^enet_overruns 0$' 'expect:^ok$' \
    'send:uptime' 'expect:^uptime_ms [0-9]+$' \
    'sleep:1.2' 'send:led' 'expect:^led_toggles [0-9]+ level [01]$' \
    'send:exit 42' 'closed:10' >"$FW_TMP/steps.txt" || { cat "$FW_TMP/steps.txt"; fw_fail "console dialogue"; }
cat "$FW_TMP/steps.txt"
# The LED pin reads back what the blink task drove: on after odd toggles.
read -r toggles level < <(sed -n 's/.*led_toggles \([0-9]*\) level \([01]\).*/\1 \2/p' \
    "$FW_TMP/steps.txt") || true
[ -n "${toggles:-}" ] && [ "$toggles" -ge 2 ] && [ $((toggles % 2)) -eq "$level" ] ||
    fw_fail "LED: $toggles toggles but level $level"
rc=0
fw_wait_qemu 10 || rc=$?
[ "$rc" -eq 42 ] || fw_fail "QEMU exit status $rc, expected 42 from 'exit 42'"
fw_log "exit 42 -> QEMU status 42"

# The fault handler prints the stacked registers, then exits with 0x7f.
fw_start_qemu -- -nic none
fw_console 'expect:^mote-fw: up ip ' 'send:fault' 'expect:^HARDFAULT$' \
    'expect:^ pc   0x[0-9a-f]{8}$' 'expect:^ cfsr 0x00010000$' 'closed:10' \
    >"$FW_TMP/steps.txt" || { cat "$FW_TMP/steps.txt"; fw_fail "fault report"; }
cat "$FW_TMP/steps.txt"
rc=0
fw_wait_qemu 10 || rc=$?
[ "$rc" -eq 127 ] || fw_fail "QEMU exit status $rc after the fault, expected 127"
echo "PASS"

#!/usr/bin/env bash
# stall.t: a network stall injected by the simulator leaves the console
# responsive: while a load hangs, ? answers at once, Esc leaves help, and
# Esc on the loading screen cancels its requests.
. "$(dirname "$0")/lib.sh"

ctl() { curl -s --cacert "$BERTH_SIM_CA" "$@"; }

tui_start -x 80 -y 24
check "overview loads" "overall healthy"
ctl -X POST -H 'Content-Type: application/json' "$BERTH_SIM_CONTROL_URL/faults" \
    -d '{"path_regex":"^/api/v2.0/health","count":1,"action":"delay","delay_ms":8000}' >/dev/null
tm send-keys C-r
check "the reload is pending: spinner and hint" "loading.* \(Esc cancels\)" 3
t0=$(now_ms)
tm send-keys '?'
check "? answers during the stall" "Overview › Help" 3
t1=$(now_ms)
tap_ok "help came before the stall ended ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 4000
tm send-keys Escape
check "Esc leaves help (the load still runs)" "loading.* \(Esc cancels\)" 3
tm send-keys :
check ": prompt opens during the stall" "^:" 3
tm send-keys Escape
tm send-keys Escape
check "Esc cancels the pending load" "cancelled" 3
t2=$(now_ms)
tap_ok "cancelled before the stall ended ($((t2 - t0)) ms)" test $((t2 - t0)) -lt 7000
check_not "no spinner after cancelling" "Esc cancels"
keys C-r
check "the next reload works" "overall healthy"
ctl -X DELETE "$BERTH_SIM_CONTROL_URL/faults" >/dev/null
keys q
restored "quit after a stall"
tap_done

#!/usr/bin/env bash
# quit.t: quitting from any state leaves the terminal as it was: q and :q,
# SIGTERM, SIGHUP and SIGINT (Ctrl-C), from the overview, a prompt, a form,
# a dialog, help, and during a stalled load.
. "$(dirname "$0")/lib.sh"

ctl() { curl -s --cacert "$BERTH_SIM_CA" "$@"; }

sig() {	# sig SIGNAL: send it to berth
	local pid
	pid=$(tui_pid)
	if [ -z "$pid" ]; then tap_fail "berth pid found"; return; fi
	kill -s "$1" "$pid"
}

tui_start
check "start 1" "overall healthy"
sig TERM
restored "SIGTERM on the overview"

tui_start
check "start 2" "overall healthy"
keys : 'get regis'
check "prompt open" "^:get regis"
sig HUP
restored "SIGHUP with the prompt open"

tui_start
check "start 3" "overall healthy"
keys :widgets Enter n
check "form open" "New thing"
keys secretvalue
sig TERM
restored "SIGTERM with a form open"

tui_start
check "start 4" "overall healthy"
keys :widgets Enter d
check "type-the-name dialog open" "type \"row-000001\" to confirm"
keys C-c
restored "Ctrl-C (SIGINT) in a dialog"

tui_start
check "start 5" "overall healthy"
keys '?'
check "help open" "Help"
keys :q Enter
restored ":q from help"

tui_start
check "start 6" "overall healthy"
ctl -X POST -H 'Content-Type: application/json' "$BERTH_SIM_CONTROL_URL/faults" \
    -d '{"path_regex":"^/api/v2.0/systeminfo","count":2,"action":"delay","delay_ms":8000}' >/dev/null
tm send-keys C-r
check "stalled load" "Esc cancels" 3
t0=$(now_ms)
sig TERM
restored "SIGTERM during a stalled load"
t1=$(now_ms)
tap_ok "SIGTERM did not wait for the stall ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 6000
ctl -X DELETE "$BERTH_SIM_CONTROL_URL/faults" >/dev/null

tui_start
check "start 8" "overall healthy"
keys :widgets Enter n
check "form open before the crash" "New thing"
sig SEGV
if exited 10; then
	tap_like "SIGSEGV: berth dies of the signal" "$(grep -Eo 'berth-exited-[0-9]+' "$T/pane")" '^berth-exited-139$'
	check_not "SIGSEGV: the crash handler left the console's screen" "New thing|Overview"
	end=$(( $(now_ms) + 5000 ))
	while [ ! -s "$T/stty" ] && [ "$(now_ms)" -le "$end" ]; do tick; done
	tap_like "SIGSEGV: terminal sane" "$(tr '\n;' '  ' <"$T/stty")" ' icanon .* echo '
else
	tap_fail "SIGSEGV: berth exits" "$(cat "$T/pane")"
fi

tui_start
check "start 7" "overall healthy"
keys :widgets Enter q
check "q from a pushed screen goes back" "^ Overview *$"
keys q
restored "q twice"
tap_done

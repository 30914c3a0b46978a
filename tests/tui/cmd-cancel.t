#!/usr/bin/env bash
# cmd-cancel.t: a ':' command never freezes the console (issue 4: "a slow
# Harbor never freezes keys, and any running request shows a spinner and
# can be cancelled with Esc"). While :status waits on a stalled Harbor the
# spinner turns, a resize repaints, Esc cancels it within a bounded time
# (the status line says so), the console still works afterwards, and
# SIGTERM during a command exits cleanly without waiting for the stall.
. "$(dirname "$0")/lib.sh"

ctl() { curl -s --cacert "$BERTH_SIM_CA" "$@"; }
stall() {	# stall MS: delay the next systeminfo request (what :status reads)
	ctl -X POST -H 'Content-Type: application/json' \
	    "$BERTH_SIM_CONTROL_URL/faults" -d "{\"path_regex\":\"^/api/v2.0/systeminfo\",\"count\":1,\"action\":\"delay\",\"delay_ms\":$1}" >/dev/null
}
statusline() { pane | sed -n "$1p"; }
# line_width N: characters (not bytes) on line N of the pane
line_width() { pane | sed -n "$1p" | tr -d '\n' | LC_ALL=C.UTF-8 wc -m; }

tui_start -x 80 -y 24
check "overview loads" "overall healthy"

stall 8000
keys :
tm send-keys status Enter
t0=$(now_ms)
check "the command shows it runs, with the Esc hint" "running: status \(Esc cancels\)" 3

# The spinner turns while the command waits (the loop keeps turning).
first=$(statusline 23 | cut -c1-3)
end=$(( $(now_ms) + 3000 ))
turned=
while [ "$(now_ms)" -le "$end" ]; do
	cur=$(statusline 23 | cut -c1-3)
	if [ -n "$cur" ] && [ "$cur" != "$first" ] &&
	    statusline 23 | grep -q 'running: status'; then
		turned=1; break
	fi
	tick
done
tap_ok "the spinner turns during the command" test -n "$turned"

# SIGWINCH during the command: the screen is laid out again at once.
tm resize-window -x 100 -y 30
end=$(( $(now_ms) + 3000 ))
while [ "$(line_width 1)" != 100 ] && [ "$(now_ms)" -le "$end" ]; do tick; done
tap_is "a resize during the command repaints (header is 100 wide)" "$(line_width 1)" 100
check "still running after the resize" "running: status \(Esc cancels\)" 3

# Other keys do not act inside the command (? would open help); Esc drops
# them with the command.
tm send-keys '?'
tm send-keys Escape
check "Esc cancels the command: the status line says so" "status: cancelled" 3
t1=$(now_ms)
tap_ok "cancelled long before the stall ended ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
check_not "no running hint after cancelling" "running: status|Esc cancels"
check_not "the command's output is not shown" "context: +sim"
check_not "? typed during the command did not open help" "Help"

# The console still works: the same command runs to completion.
ctl -X DELETE "$BERTH_SIM_CONTROL_URL/faults" >/dev/null
keys :
tm send-keys status Enter
check ":status runs again and shows its output" "context: +sim"
keys Escape
check "back on the overview" "overall healthy"

# A command made of the harbor client's *_sync calls cancels the same way.
ctl -X POST -H 'Content-Type: application/json' \
    "$BERTH_SIM_CONTROL_URL/faults" -d '{"path_regex":"^/api/v2.0/registries","count":1,"action":"delay","delay_ms":8000}' >/dev/null
keys :
tm send-keys 'get registries' Enter
check ":get registries runs" "running: get registries \(Esc cancels\)" 3
t0=$(now_ms)
tm send-keys Escape
check "Esc cancels it" "get registries: cancelled" 3
t1=$(now_ms)
tap_ok "cancelled at once ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 3000
ctl -X DELETE "$BERTH_SIM_CONTROL_URL/faults" >/dev/null

# SIGTERM during a command: clean exit without waiting for the stall.
stall 8000
keys :
tm send-keys status Enter
check "a third stalled command runs" "running: status" 3
t0=$(now_ms)
pid=$(tui_pid)
if [ -n "$pid" ]; then kill -s TERM "$pid"; else tap_fail "berth pid found"; fi
restored "SIGTERM during a command"
t1=$(now_ms)
tap_ok "SIGTERM did not wait for the stall ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 6000
ctl -X DELETE "$BERTH_SIM_CONTROL_URL/faults" >/dev/null

# q after a cancelled command quits cleanly.
tui_start -x 80 -y 24
check "restart" "overall healthy"
stall 8000
keys :
tm send-keys status Enter
check "a fourth stalled command runs" "running: status" 3
tm send-keys Escape
check "cancelled again" "status: cancelled" 3
ctl -X DELETE "$BERTH_SIM_CONTROL_URL/faults" >/dev/null
keys q
restored "q after a cancelled command"
tap_done

#!/usr/bin/env bash
# display.t: too small and back, NO_COLOR, TERM=dumb, the INSECURE and
# READ-ONLY badges, and read-only refusals (keys and the : prompt).
. "$(dirname "$0")/lib.sh"

# colour escapes in a captured pane (tmux -e renders SGR)
has_colour() { grep -Eq $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5|48;5)[;m]' "$1"; }

tui_start -x 80 -y 24
check "overview loads" "overall healthy"
tm capture-pane -e -p >"$T/colour"
if has_colour "$T/colour"; then tap_pass "colours by default"; else tap_fail "colours by default" "$(cat -v "$T/colour" | head -5)"; fi
tm resize-window -x 60 -y 20
check "too small: one clear message" "terminal too small: 60x20, berth needs 80x24"
check_not "too small: no broken layout" "Overview|registries  p projects"
keys '?'
check_not "too small: keys do not open screens behind the message" "Help"
tm resize-window -x 40 -y 12
check "40x12: the size on its own line" "^ *terminal too small: 40x12 *$"
check "40x12: the size needed is whole" "^ *berth needs 80x24 *$"
check "40x12: how to go on" "enlarge it, or press q to quit"
tm resize-window -x 80 -y 24
check "back to 80x24: the layout returns" "overall healthy"
check "back to 80x24: footer" "q quit"
tm resize-window -x 132 -y 40
check "132x40 after a resize" "overall healthy"
keys q
restored "quit after resizes"

tui_start -x 80 -y 24 NO_COLOR=1
check "NO_COLOR: overview loads" "overall healthy"
keys '?'
check "NO_COLOR: help" "Overview › Help"
tm capture-pane -e -p >"$T/mono"
if has_colour "$T/mono"; then tap_fail "NO_COLOR: no colour escapes" "$(cat -v "$T/mono" | grep -m3 -E '\^\[\[')"; else tap_pass "NO_COLOR: no colour escapes"; fi
if grep -q $'\e\\[[0-9;]*7m' "$T/mono"; then tap_pass "NO_COLOR: the cursor row is reverse video"; else tap_fail "NO_COLOR: the cursor row is reverse video" "$(cat -v "$T/mono" | head -6)"; fi
keys q q
restored "NO_COLOR quit"

tui_start -x 80 -y 24 TERM=dumb
check "TERM=dumb: overview renders" "overall healthy"
tm capture-pane -e -p >"$T/dumb"
if has_colour "$T/dumb"; then tap_fail "TERM=dumb: monochrome"; else tap_pass "TERM=dumb: monochrome"; fi
keys q
check "TERM=dumb: exits 0" "berth-exited-0"

tui_start -x 80 -y 24 -- -c unsafe
check "insecure context: INSECURE badge" "INSECURE *$"
tm capture-pane -e -p | grep INSECURE >"$T/badge"
if grep -Eq $'\e\\[[0-9;]*41m[^\e]*INSECURE|41[;m][^I]*INSECURE' "$T/badge"; then tap_pass "INSECURE badge is red"
else tap_fail "INSECURE badge is red" "$(cat -v "$T/badge")"; fi
keys q
restored "insecure quit"

tui_start -x 80 -y 24 -- -c ro
check "read-only context: READ-ONLY badge" "READ-ONLY *$"
check_not "no INSECURE badge with a CA" "INSECURE"
keys :widgets Enter
check "widgets screen" "Widgets"
check_not "read-only: mutating keys are not hinted" "n new"
keys n
check "read-only: n refused and says so" "read-only: \"new\" is disabled \(context ro is read-only\)"
check_not "read-only: no form opened" "New thing"
keys d
check "read-only: d refused" "read-only: \"delete\" is disabled"
keys '?'
check "read-only: help marks the key disabled" "new +\(disabled: read-only\)"
keys Escape
keys : 'delete registry nosuch' Enter
check "read-only: a mutating : command is refused" "read-only: \"delete registry\" is disabled"
keys q q
restored "read-only quit"

tui_start -x 80 -y 24
check "sim context" "^ berth sim "
keys : ctx Enter
check ":ctx lists the contexts" "context sim; contexts: sim ro unsafe"
keys : 'ctx ro' Enter
check ":ctx switches: header" "^ berth ro .*READ-ONLY *$"
check ":ctx switches: says so" "switched to context ro"
check ":ctx switches: overview reloaded" "overall healthy"
keys : 'ctx nosuch' Enter
check ":ctx with an unknown name" "ctx: no context \"nosuch\""
keys q
restored ":ctx quit"

tui_start -x 80 -y 24 -- --read-only
check "--read-only: READ-ONLY badge" "READ-ONLY *$"
keys q
restored "--read-only quit"
tap_done

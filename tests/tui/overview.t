#!/usr/bin/env bash
# overview.t: the first screen against the simulator at 80x24 and 132x40,
# in C.UTF-8 and in the C locale (ASCII only), and quitting with q.
. "$(dirname "$0")/lib.sh"

tui_start -x 80 -y 24
check "80x24: overview loads" "Harbor +v2[^ ]* +overall healthy"
check "80x24: components" "core +healthy .*database +healthy"
check "80x24: counts" "r +Registries +[0-9]+"
check "80x24: header has context, URL, version, user" \
    "^ berth sim  https://127\.0\.0\.1:[0-9]+  Harbor v2[^ ]*  admin"
check "80x24: admin badge" "  admin ADMIN"
check "80x24: footer hints" "r registries  p projects  l replications  \? help  : prompt  q quit"
golden "80x24: overview screen" overview-80x24 1 12
keys q
restored "q from the overview"

tui_start -x 132 -y 40
check "132x40: overview loads" "overall healthy"
golden "132x40: overview screen" overview-132x40 1 12
keys :q Enter
restored ":q"

tui_start -x 80 -y 24 -l C
check "C locale: overview loads" "overall healthy"
keys '?'
check "C locale: help" "Overview > Help"
pane >"$T/c-pane"
if LC_ALL=C grep -q '[^ -~]' "$T/c-pane"; then
	tap_fail "C locale: only ASCII on screen" "$(LC_ALL=C grep -n '[^ -~]' "$T/c-pane")"
else
	tap_pass "C locale: only ASCII on screen"
fi
golden "C locale: help screen" help-c-80x24
keys Escape q
restored "C locale quit"
tap_done

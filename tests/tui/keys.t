#!/usr/bin/env bash
# keys.t: operator conventions: ? help generated from the key tables, Esc
# back, the : prompt with Tab completion (commands, contexts, object names
# for the commands that take one)
# running a shared command, / filter with ! to invert, sorting, marks,
# Ctrl-R reload, and the screen stack's breadcrumbs.
. "$(dirname "$0")/lib.sh"

tui_start -x 80 -y 24
check "overview loads" "overall healthy"

# ? help: the overview's own keys first, then the global ones
keys '?'
check "help: breadcrumbs" "Overview › Help"
check "help: overview keys" "r +registries +Registries \(endpoints\) +Overview"
check "help: global keys" "Ctrl-R +refresh +Reload this screen +global"
golden "help screen (80x24, UTF-8)" help-80x24
keys Escape
check "Esc goes back" "^ Overview *$"

# : prompt: completion of command names, then running one
keys :wid Tab
check "Tab completes a screen name" "^:widgets *$"
keys Enter
check ":widgets opens the widgets screen" "Overview › Widgets +1/40"
keys ':get regis' Tab
check "Tab completes a multi-word command" "^:get registries *$"
keys C-u 'ctx un' Tab
check "Tab completes a context name" "^:ctx unsafe *$"
keys C-u 'delete registry row-00000' Tab
check "Tab shows object names of the screen" "row-000001 .*row-000002"
keys Tab
check "second Tab cycles through them" "^:delete registry row-000001$"
keys C-u 'get registries row-00000' Tab
check "no object names for a command that takes none" "^:get registries row-00000$"
check_not "no candidates listed for it" "row-000001 .*row-000002"
keys C-u 'context use un' Tab
check "context use completes context names" "^:context use unsafe *$"
keys Escape
check "Esc closes the prompt" "^n new  d delete"

# / filter, ! inverts
keys / needle
check "filter as you type" "filter: needle +1/8 shown"
keys Enter
check "Enter keeps the filter" "row-000006 +delta .*needle 5"
check_not "filter hides other rows" "hay 1$"
keys / C-u '!needle' Enter
check "! inverts the filter" "filter: !needle +1/32 shown"
check_not "inverted filter hides matches" "needle [0-9]"
keys Escape
check "Esc clears the filter" " [0-9]+/40 *$"

# sort: > next column, I reverses
keys '>' '>' g
check "sorted by KIND ascending" "KIND▲"
tap_like "first row is alpha" "$(sed -n 4p "$T/pane")" "^  row-000001 +alpha"
keys I g
check "reversed: descending" "KIND▼"
tap_like "first row is delta" "$(sed -n 4p "$T/pane")" "^  row-0000[0-9]+ +delta"
keys '>' g
check "next column: SIZE descending" "SIZE▼"
tap_like "largest size first" "$(sed -n 4p "$T/pane")" "^  row-000026 +delta +975 "
keys '<' '<' '<' I
check "back to load order" "^  NAME +KIND +SIZE +NOTE"

# marks
keys g Space Space
check "Space marks rows" "2 marked"
check "a mark is shown" "^\* +row-000001"
keys '*'
check "* unmarks all" "3/40 *$"
keys '*'
check "* marks all shown" "40 marked"
keys '*'

# Enter opens the row; Esc closes the message
keys g Enter
check "Enter opens a message" "name row-000001"
keys Escape
check_not "message closed" "name row-000001"

# Ctrl-R reloads the overview (the requests reach the simulator again)
keys q
check "q goes back from a pushed screen" "^ Overview *$"
curl -s --cacert "$BERTH_SIM_CA" -X DELETE "$BERTH_SIM_CONTROL_URL/requests" >/dev/null
keys C-r
check "Ctrl-R reloads" "overall healthy"
n=$(curl -s --cacert "$BERTH_SIM_CA" "$BERTH_SIM_CONTROL_URL/requests" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"].get("GET /api/v2.0/health", 0))')
tap_is "Ctrl-R sent the health request again" "$n" 1

# : runs a shared command; its output shows in a dialog
keys : status Enter
check ":status runs the shared command" "context: +sim"
keys Enter
keys : nosuchthing Enter
check "unknown command is an error" "nosuchthing: unknown command"
keys :q Enter
restored ":q"
tap_done

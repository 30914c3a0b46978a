#!/usr/bin/env bash
# widgets.t: the shared widgets on the hidden :widgets screen: the form
# (every field kind, validation next to the field, secret masked, input
# kept when the submit fails, Esc asks before discarding), the confirm
# dialog (focus on Cancel), the type-the-name confirm, and a table of
# 100,000 rows that scrolls, sorts and filters at once.
. "$(dirname "$0")/lib.sh"

tui_start -x 80 -y 24
check "start" "overall healthy"
keys :widgets Enter
check "widgets screen" "Overview › Widgets +1/40"

# form
keys n
check "form opens" "New thing"
golden "empty form" form-empty 4 20
keys BTab
check "Shift-Tab moves back (wraps to the last field)" "│ +sec min hour day month weekday"
keys Tab
check "Tab moves on (wraps to the first field)" "│ +letters and digits"
keys Enter
check "required field: message next to it" "Name \*.*$" 1
check "required: message" "^ +│ +required"
keys 'bad name' Tab
keys hunter2-secret Tab
check "secret is masked" "Secret \* +\*{14} "
check_not "secret never shown" "hunter2"
keys Space Tab Right Tab C-u 7x Tab '0 0 3 * *' Enter
check "name check: message next to the field" "no spaces in a name"
check "number with a bad unit" "unknown unit"
check "cron needs 6 fields" "cron needs 6 fields"
check "toggle switched" "Verify cert +\[ \] no"
check "choice moved" "Provider +< Harbor >"
keys C-u taken Tab Tab Tab Tab C-u 2h Tab ' *' Enter
check "submit fails: the message shows" "name \"taken\" already exists"
check "input kept after the failure" "Name \* +taken"
check "secret kept (masked) after the failure" "Secret \* +\*{14} "
check "number kept" "Timeout +2h"
keys Escape
check "Esc with changes asks first" "Discard changes\?"
check "focus on Cancel" "\[ Cancel \]"
keys Enter
check "Cancel keeps the form" "Name \* +taken"
check_not "dialog closed" "Discard changes"
keys C-u ok-name Enter
check "submit succeeds: form closed, result shown" "saved ok-name: secret of 14 bytes, verify off, Harbor, timeout 7200s, cron"
check_not "form closed" "New thing"
check_not "secret not in the status line" "hunter2"
keys n
check "form reopens with the saved values" "Name \* +ok-name"
check "secret is never loaded back" "Secret \* *│"
keys Escape
check "unchanged form: Esc closes at once" "^n new"

# confirm: focus starts on Cancel
keys c
check "confirm dialog" "Run the thing now\?"
keys Enter
check "Enter on the initial focus cancels" "^cancelled"
keys c Tab Enter
check "Tab then Enter confirms" "^confirmed"

# type-the-name delete
keys g d
check "type-the-name dialog" "type \"row-000001\" to confirm"
keys row-00000 Enter
check "wrong name: refused" "the name does not match"
keys 1
check "right name: Enter confirms" "Enter confirms"
keys Enter
check "deleted" "^deleted row-000001"
keys d Escape
check "Esc cancels a delete" "^delete cancelled"
keys q q
restored "quit"

# 100,000 rows
tui_start -x 80 -y 24 BERTH_TEST_ROWS=100000
check "start (100k)" "overall healthy"
keys :widgets Enter
check "100k rows loaded" "1/100000"
t0=$(now_ms)
keys G
check "G: the last row" "row-100000"
keys '>' '>' '>' I g
check "sorted by size, descending" "SIZE▼"
keys / 'needle 9999'
check "filter over 100k rows" "filter: needle 9999 +1/2 shown"
keys Enter Escape
check "filter cleared" "/100000 *$"
t1=$(now_ms)
echo "# 100k rows: G, sort, filter and clear took $((t1 - t0)) ms (not a pass/fail figure)"
tap_ok "100k rows stay responsive (under 20 s for the sequence)" test $((t1 - t0)) -lt 20000
keys q q
restored "quit (100k)"
tap_done

#!/usr/bin/env bash
# registries-narrow.t: the Registries screen at 80x24 and in the dialogs an
# operator reads there. At 80 columns the table hides its least needed
# columns (description, created, authentication, verify cert) instead of
# cutting the name and the URL to a few characters; at 132 all are shown.
. "$(dirname "$0")/lib.sh"

api() { curl -s --cacert "$BERTH_SIM_CA" -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" -H 'Content-Type: application/json' "$@"; }
H=$BERTH_SIM_HARBOR_URL/api/v2.0
jget() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
N=narrow-$$
api -X POST "$H/registries" -d "{\"name\":\"$N\",\"type\":\"docker-registry\",\"url\":\"$BERTH_SIM_CGR_URL\",\"description\":\"desc-$$\",\"credential\":{\"type\":\"basic\",\"access_key\":\"$BERTH_SIM_CGR_USER\",\"access_secret\":\"$BERTH_SIM_CGR_PASSWORD\"}}" >/dev/null
rid=$(api "$H/registries?q=name%3D$N" | jget '[0]["id"]')
trap 'api -X DELETE "$H/registries/$rid" >/dev/null; tui_cleanup' EXIT
tap_like "setup: an endpoint exists" "$rid" '^[0-9]+$'
U=${BERTH_SIM_CGR_URL//./\\.}

tui_start -x 80 -y 24
check "overview loads" "overall healthy"
keys r / "$N" Enter
check "80x24: name and URL in full" "^  $N +healthy +$U +Docker Registry *$"
check "80x24: the header names the columns shown" "^  NAME +STATUS +ENDPOINT URL +PROVIDER *$"
keys '>' '>' '>' '>'
check "80x24: sort steps through the columns shown" "PROVIDER▲ *$"
keys '>' '>'
check "80x24: ... skips the hidden ones, back to the first" "^  NAME▲ +STATUS +ENDPOINT URL +PROVIDER *$"
keys '<' '<'
check "80x24: < from the first: load order, then the last shown" "PROVIDER▲ *$"
keys '<' '<' '<' '<'
check "80x24: back to load order" "^  NAME +STATUS +ENDPOINT URL +PROVIDER *$"
check "80x24: the footer names every row action, rotate too" "^n new  e edit  d delete  t test  R rotate  \\? help .* / filter *$"
# Dialogs wrap long lines at 80 columns instead of cutting them: the
# ladder's explanations (the TLS rung ends with the days left) and the
# delete question. (The endpoint has no CA: the TLS rung explains why.)
keys t
check "row test asks for the secret" "Harbor masks it"
keys Enter
check "80x24: the ladder's TLS rung is read to its end" "expires (in [0-9]+ days|.*\(in [0-9]+ days\)) *│" 20
check "80x24: wrapped under the rung's text" "^ *│ {27}[^ ]"
keys Escape d
check "80x24: the delete question is whole" "Type its name to confirm\."
keys Escape

# The form: a complaint next to a field goes once the field is edited; a
# cursor move is no change (Esc closes without asking).
keys Escape n
check "new endpoint form" "New registry endpoint"
keys Tab Tab Tab C-u "127.0.0.1:1" Enter
check "a URL without a scheme is refused next to the field" "needs https://"
keys C-u "https://127.0.0.1:1"
check "the field is fixed" "Endpoint URL \\* +https://127\\.0\\.0\\.1:1 "
check_not "its stale complaint is gone" "needs https://"
keys Tab Tab Tab Tab Tab
check "80x24: On OK's hint is whole" "Left/Right: save, or test both sides first +│"
keys Escape
check "Esc on a changed form asks" "Discard changes"
keys Right Enter
keys n
check "new endpoint form again" "New registry endpoint"
keys Tab Left Left Right Escape
check "cursor moves are no change: Esc closes the form" "^n new  e edit"
check_not "and does not ask" "Discard changes|New registry endpoint"
keys '?'
check "80x24: help of the registries screen" "Registries › Help"
check_not "80x24: no key's description is cut" "…"
keys G
check "80x24: help, last page" "KpEnter +open"
check_not "80x24: no key's description is cut (last page)" "…"
keys Escape
keys e
check "edit form" "Edit registry endpoint"
keys Tab Tab Tab Tab Tab Tab Tab
check "edit: an empty CA file keeps the saved one" "empty: keep the saved CA certificate"
keys Escape
# Esc stops a test whose Harbor ping hangs; t then starts a new one (it
# said "a test is already running" until the screen was left).
curl -s --cacert "$BERTH_SIM_CA" -X POST -H 'Content-Type: application/json' \
    "$BERTH_SIM_CONTROL_URL/faults" -d '{"path_regex":"^/api/v2.0/registries/ping","count":1,"action":"delay","delay_ms":20000}' >/dev/null
keys t
check "test asks for the secret" "Harbor masks it"
tm send-keys Enter	# not keys: berth is not idle while the ping hangs
check "Harbor's ping hangs: the test runs" "testing from Harbor and from this host"
keys Escape
check "Esc cancels the test" "^cancelled *$"
keys t
check "t starts a new test after the cancel" "Harbor masks it" 3
check_not "not refused as already running" "already running"
keys Escape
tm resize-window -x 132 -y 40
check "132x40: every column" "NAME +STATUS +ENDPOINT URL +PROVIDER +VERIFY CERT +AUTHENTICATION +CREATED +DESCRIPTION"
check "132x40: the row in full" "$N +healthy +$U +Docker Registry +yes +basic .* desc-$$"

tap_done

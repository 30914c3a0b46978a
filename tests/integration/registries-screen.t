#!/usr/bin/env bash
# registries-screen.t: the console's Registries screen driven in a private
# tmux server: table columns, new-endpoint form (test only, then save),
# test connection of a row (both ladders), rotate with a wrong secret
# (Harbor refuses; the ladder shows why), delete with type-the-name and a
# 412 naming the dependants. Waits poll the pane with a deadline.
# shellcheck disable=SC2154
. "$(dirname "$0")/registries-lib.sh"

command -v tmux >/dev/null || { echo "1..0 # SKIP tmux missing"; exit 0; }
SOCK=berth-reg-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; reg_cleanup' EXIT

# wait_for REGEX [SECONDS]: poll the pane until it matches; 0 if it did.
wait_for() {
	local end=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$end" ]; do
		tm capture-pane -p >"$T/pane" 2>/dev/null
		grep -Eq -- "$1" "$T/pane" && return 0
		# bounded poll of the pane (no fixed sleep as a wait)
		read -r -t 0.1 <> <(:) || true
	done
	return 1
}
check() {	# check TEXT REGEX [SECONDS]
	if wait_for "$2" "${3:-10}"; then tap_pass "$1"
	else tap_fail "$1" "pane:" "$(cat "$T/pane")" "want: /$2/"; fi
}
keys() { tm send-keys "$@"; }

N=scr-$SFX
PW=$BERTH_SIM_CGR_PASSWORD
bin "$PW" create registry --name "$N-a" --url "$CGR" --access-id "$BERTH_SIM_CGR_USER" --ca-file "$BERTH_SIM_CA" \
    --access-secret-stdin --description "screen test"
tap_is "setup: an endpoint exists" "$RC" 0

tm new-session -d -x 130 -y 36 "env HOME=$HOME BERTH_CONFIG=$BERTH_CONFIG \
    BERTH_SIM_HARBOR_PASSWORD=$BERTH_SIM_HARBOR_PASSWORD TZ=UTC LANG=C.UTF-8 \
    TERM=tmux-256color $BERTH; echo berth-exited-\$?; read x"
check "console starts" "Overview"
keys r
check "registries screen: header" "NAME +STATUS +ENDPOINT URL +PROVIDER +VERIFY CERT +AUTHENTICATION +CREATED +DESCRIPTION"
check "registries screen: the row, healthy, Docker Registry" "$N-a +healthy .*Docker Registry +yes"

# filter
keys / C-u "$N-a" Enter
check "filter keeps the row" "$N-a"
if grep -q "cgr-ui\|dbg1" "$T/pane"; then tap_fail "filter hides other rows"; else tap_pass "filter hides other rows"; fi
keys Escape

# new endpoint: a URL without a scheme is refused in the form
keys n
check "new form opens with Docker Registry" "Provider +< Docker Registry >"
keys Tab C-u "$N-b" Tab "from the form" Tab C-u "${CGR#https://}" Enter
check "form: URL without scheme refused" "needs https:// \(Harbor would silently use http\)"
keys C-u "$CGR" Tab "$BERTH_SIM_CGR_USER" Tab "$PW" Tab Tab "$BERTH_SIM_CA" Tab Right Enter
check "form test: Harbor's view ok" "Harbor's view \(POST /registries/ping\): ok" 20
check "form test: local ladder, tags rung" "ok +tags .*tags in" 20
check "form test: both pass" "Both sides pass"
if grep -qF -- "$PW" "$T/pane"; then tap_fail "secret never on screen"; else tap_pass "secret never on screen"; fi
keys Enter
check "form kept after the test" "connection test passed"
keys Left Enter
check "saved from the form" "registry \"$N-b\" created" 15
check "new row in the table" "$N-b +healthy"

# edit: only the description changes; the masked secret is not sent
keys / C-u "$N-b" Enter
keys e
check "edit form" "Edit registry endpoint"
keys Tab Tab C-u "edited in the console" Enter
check "edit saved" "registry \"$N-b\" updated" 15
check "edited description shown" "$N-b .*edited in the"
rid=$(harbor GET "/registries?q=name%3D$N-b" | json_get 'd[0]["id"]')
tap_is "secret kept after the edit (harbor ping still 200)" "$(hping "$rid")" 200

# row test without a secret: anonymous local rungs
keys g
keys / C-u "$N-b" Enter
keys t
check "row test asks for the secret" "Harbor masks it"
keys Enter
check "row test: anonymous ladder" "skip +token +no secret given" 20
check "row test: the verdict says the pull token was not tested" "Both sides pass; the pull token was not tested from this host"
keys Enter Escape

# rotate with a wrong secret: Harbor refuses, the ladder shows why
keys / C-u "$N-a" Enter
keys R
check "rotate form" "Rotate credentials"
keys Tab "not-the-token" Enter
check "rotate: harbor refuses" "unhealthy" 15
check "rotate: ladder explains: wrong pull token" "FAIL +token" 20; cp "$T/pane" /tmp/reg-dev/pane-rotate
keys Enter
keys Escape
wait_for "Discard" 3 && keys Right Enter

# delete with dependants: the dialog names them
rid=$(harbor GET "/registries?q=name%3D$N-a" | json_get 'd[0]["id"]')
harbor POST /replication/policies "{\"name\":\"scrpol-$SFX\",\"src_registry\":{\"id\":$rid},\"dest_namespace\":\"m\",\"trigger\":{\"type\":\"manual\"},\"enabled\":true}" >/dev/null
keys Escape / C-u "$N-a" Enter
keys d
check "delete asks for the name" "type \"$N-a\" to confirm"
keys "$N-a" Enter
check "delete refused: names the rule" "replication rule \"scrpol-$SFX\"" 15
keys Enter
pid=$(harbor GET "/replication/policies?q=name%3Dscrpol-$SFX" | json_get 'd[0]["id"]')
harbor DELETE "/replication/policies/$pid" >/dev/null
keys d "$N-a" Enter
check "delete after the rule is gone" "registry \"$N-a\" deleted" 15
keys Escape / C-u "$N-b" Enter d "$N-b" Enter
check "delete the form's endpoint" "registry \"$N-b\" deleted" 15

wait_gone() {	# wait_gone REGEX [SECONDS]: until the pane no longer matches
	local end=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$end" ]; do
		tm capture-pane -p >"$T/pane" 2>/dev/null
		grep -Eq -- "$1" "$T/pane" || return 0
		read -r -t 0.1 <> <(:) || true
	done
	return 1
}
if wait_gone "^  $N-[ab] " 10; then tap_pass "deleted rows leave the table"
else tap_fail "deleted rows leave the table" "$(cat "$T/pane")"; fi
keys Escape
wait_gone "filter: " 5
keys Escape
check "back on the overview" "r +Registries +[0-9]+"
keys q
check "console exits 0" "berth-exited-0" 10

tap_done

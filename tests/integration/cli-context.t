#!/usr/bin/env bash
# berth context add/use/list/remove: round trip, 0600 config, no password
# on argv, refused group-readable config, -c, unknown context.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
cli_stack
export BERTH_SIM_HARBOR_PASSWORD
pwfile=$T/pw
(umask 077 && printf '%s\n' "$BERTH_SIM_HARBOR_PASSWORD" >"$pwfile")

b context list
tap_rc "context list without a config: exit 0" 0
b context list -o json
tap_is "context list -o json without a config: []" "$(json 'len(d)')" "0"

b context add sim --url "$BERTH_SIM_HARBOR_URL" --user "$BERTH_SIM_HARBOR_USER" \
    --password-source "file:$pwfile" --ca-file "$BERTH_SIM_CA"
tap_rc "context add sim: exit 0" 0
tap_is "config file mode is 0600" "$(stat -c %a "$BERTH_CONFIG")" "600"
tap_like "first context becomes current" "$(grep '^current' "$BERTH_CONFIG")" 'current = sim'
if grep -q "$BERTH_SIM_HARBOR_PASSWORD" "$BERTH_CONFIG"; then
	tap_fail "config holds no password"
else
	tap_pass "config holds no password"
fi

b context add other --url https://127.0.0.1:1 --user nobody \
    --password-source env:NOPE --read-only
tap_rc "context add other: exit 0" 0

b context list -o json
tap_is "list: two contexts" "$(json 'len(d)')" "2"
tap_is "list: sim is current" "$(json '[c["name"] for c in d if c["current"]][0]')" "sim"
tap_is "list: other is read-only" "$(json '[c["read_only"] for c in d if c["name"] == "other"][0]')" "True"
tap_is "list: password_source kept" "$(json '[c["password_source"] for c in d if c["name"] == "sim"][0]')" "file:$pwfile"
b context list
tap_like "list (table): current marked" "$OUT" '\* +sim'

b status -o json
tap_rc "status with the current context: exit 0" 0
tap_is "status: context sim" "$(json 'd["context"]')" "sim"

b context use other
tap_rc "context use other: exit 0" 0
tap_like "config: current = other" "$(grep '^current' "$BERTH_CONFIG")" 'current = other'
b -c sim status -o json
tap_rc "-c sim overrides the current context" 0
tap_is "-c sim: context sim" "$(json 'd["context"]')" "sim"
b status -c sim -o json
tap_rc "-c after the command works too" 0
b context use nosuch
tap_rc "context use nosuch: exit 1" 1
tap_like "context use nosuch: names it" "$ERR" 'nosuch'
b -c nosuch status
tap_rc "-c nosuch: exit 1" 1

# A password on argv is refused, and never echoed.
b context add bad --url https://x.example --user u --password hunter2
tap_rc "context add --password: exit 2" 2
tap_like "context add --password: points to --password-source" "$ERR" 'password-source'
if grep -q hunter2 "$T/out" "$T/err" "$BERTH_CONFIG"; then
	tap_fail "refused password not echoed or saved"
else
	tap_pass "refused password not echoed or saved"
fi
b context add bad --url cgr.dev --user u
tap_rc "context add with a URL without scheme: exit 1" 1
b context add 'bad name' --url https://x.example
tap_rc "context add with an invalid name: exit 2" 2
b context add nourl --user u
tap_rc "context add without --url: exit 2" 2

b context remove other
tap_rc "context remove other: exit 0" 0
b context list -o json
tap_is "after remove: one context" "$(json '[c["name"] for c in d]')" "['sim']"
b context remove other
tap_rc "remove again: exit 1" 1

# A group-readable config is refused, like ssh does.
chmod 640 "$BERTH_CONFIG"
b context list
tap_rc "group-readable config: exit 1" 1
tap_like "group-readable config: says so" "$ERR" "$(basename "$BERTH_CONFIG")"
chmod 600 "$BERTH_CONFIG"
b context list
tap_rc "0600 again: exit 0" 0
tap_done

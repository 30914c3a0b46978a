#!/usr/bin/env bash
# berth status against the simulated Harbor: json fields, table, exit
# codes for a wrong password (3), TLS without the CA (3), --insecure
# (and its warning on stderr),
# a non-admin user, HARBOR_* environment overrides, bad -o (2).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
cli_stack
write_config sim

b status -o json
tap_rc "status -o json exits 0" 0
tap_is "json: harbor_version" "$(json 'd["harbor_version"]')" \
    "$(curl -sS --cacert "$BERTH_SIM_CA" -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" \
    "$BERTH_SIM_HARBOR_URL/api/v2.0/systeminfo" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["harbor_version"])')"
tap_is "json: user" "$(json 'd["user"]')" "$BERTH_SIM_HARBOR_USER"
tap_is "json: admin is true" "$(json 'd["admin"]')" "True"
tap_is "json: context" "$(json 'd["context"]')" "sim"
tap_is "json: url" "$(json 'd["url"]')" "$BERTH_SIM_HARBOR_URL"
tap_is "json: read_only false" "$(json 'd["read_only"]')" "False"
tap_like "json: health status" "$(json 'd["health"]["status"]')" '^(healthy|unhealthy)$'
tap_like "json: health components have name and status" \
    "$(json '",".join(sorted(c["name"] + "=" + c["status"] for c in d["health"]["components"]))')" \
    'core=(un)?healthy'
tap_is "json: keys are stable" "$(json '",".join(sorted(d.keys()))')" \
    "admin,auth_mode,context,harbor_read_only,harbor_version,health,read_only,url,user"

b status
tap_rc "status (table) exits 0" 0
tap_like "table: harbor version line" "$OUT" 'harbor: +v[0-9]'
tap_like "table: admin yes" "$OUT" 'admin: +yes'
tap_like "table: component header" "$OUT" 'COMPONENT +STATUS +ERROR'

# Wrong password on stdin: authentication failure, exit 3.
bin "not-the-password" status --password-stdin
tap_rc "wrong password: exit 3" 3
tap_like "wrong password: says 401" "$ERR" '401 unauthorized'
if grep -q "not-the-password" "$T/out" "$T/err"; then
	tap_fail "wrong password is not echoed"
else
	tap_pass "wrong password is not echoed"
fi

# Non-admin user.
bin "$BERTH_SIM_HARBOR_NONADMIN_PASSWORD" status -o json \
    --user "$BERTH_SIM_HARBOR_NONADMIN_USER" --password-stdin
tap_rc "non-admin status exits 0" 0
tap_is "non-admin: user" "$(json 'd["user"]')" "$BERTH_SIM_HARBOR_NONADMIN_USER"
tap_is "non-admin: admin is false" "$(json 'd["admin"]')" "False"

# No config at all: everything from HARBOR_* and options.
rm -f "$BERTH_CONFIG"
HARBOR_URL=$BERTH_SIM_HARBOR_URL HARBOR_USERNAME=$BERTH_SIM_HARBOR_USER \
    HARBOR_PASSWORD=$BERTH_SIM_HARBOR_PASSWORD b --ca-file "$BERTH_SIM_CA" status -o json
tap_rc "HARBOR_* env without a config: exit 0" 0
tap_is "HARBOR_* env: user" "$(json 'd["user"]')" "$BERTH_SIM_HARBOR_USER"
tap_is "HARBOR_* env: unnamed context" "$(json 'd["context"]')" "None"

# HARBOR_USERNAME/HARBOR_PASSWORD override the context's user.
write_config sim
HARBOR_USERNAME=$BERTH_SIM_HARBOR_NONADMIN_USER HARBOR_PASSWORD=$BERTH_SIM_HARBOR_NONADMIN_PASSWORD \
    b status -o json
tap_rc "HARBOR_USERNAME/PASSWORD override: exit 0" 0
tap_is "override: the env user is used" "$(json 'd["user"]')" "$BERTH_SIM_HARBOR_NONADMIN_USER"
HARBOR_PASSWORD=wrong b status
tap_rc "HARBOR_PASSWORD overrides the context's source (wrong: exit 3)" 3

# HARBOR_URL overrides the context's URL (a closed port: connection error).
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HARBOR_URL=https://127.0.0.1:$port b status
tap_rc "HARBOR_URL to a closed port: exit 3" 3
tap_like "closed port: a connection message" "$ERR" "127\.0\.0\.1"

# TLS: no CA -> certificate failure, exit 3; --insecure works.
write_config sim
sed -i '/^ca_file/d' "$BERTH_CONFIG"
b status
tap_rc "TLS without the CA: exit 3" 3
tap_like "TLS without the CA: certificate message" "$ERR" '[Cc]ertificate'
b status --insecure -o json
tap_rc "--insecure: exit 0" 0
tap_is "--insecure: user" "$(json 'd["user"]')" "$BERTH_SIM_HARBOR_USER"
tap_is "--insecure: one warning on stderr" "$ERR" \
    'berth: warning: TLS verification is off for context "sim" (insecure)'
write_config sim "insecure = true"
b get registries
tap_rc "insecure = true in the context: exit 0" 0
tap_is "insecure context: one warning on stderr" "$ERR" \
    'berth: warning: TLS verification is off for context "sim" (insecure)'
HARBOR_URL=$BERTH_SIM_HARBOR_URL HARBOR_USERNAME=$BERTH_SIM_HARBOR_USER \
    HARBOR_PASSWORD=$BERTH_SIM_HARBOR_PASSWORD BERTH_CONFIG=$T/none \
    b --insecure status
tap_rc "--insecure without a context: exit 0" 0
tap_is "--insecure without a context: the warning names the url" "$ERR" \
    "berth: warning: TLS verification is off for url $BERTH_SIM_HARBOR_URL (insecure)"
write_config sim
b status
tap_is "verified TLS: no warning" "$ERR" ""

b status -o yaml
tap_rc "-o yaml: usage error, exit 2" 2
tap_like "-o yaml: says why" "$ERR" 'table or json'

# Password never accepted on argv, before or after the command.
b --password hunter2 status
tap_rc "--password before the command: exit 2" 2
b status --password=hunter2
tap_rc "--password= after the command: exit 2" 2
tap_like "--password: points to --password-stdin" "$ERR" 'password-stdin'
if grep -q hunter2 "$T/out" "$T/err"; then
	tap_fail "--password value is not echoed"
else
	tap_pass "--password value is not echoed"
fi
tap_done

#!/usr/bin/env bash
# secrets.t: the Harbor password and the pull-token secret never reach
# the debug log (BERTH_LOG), berth's output, or chainctl's argv, across a
# CLI flow that uses both: status, create/update/rotate/test/delete a
# registry with the secret from stdin, a file and chainctl. The log is
# mode 0600 and the config file must be 0600 (refused otherwise).
# shellcheck disable=SC2154
. "$(dirname "$0")/registries-lib.sh"

HPW=$BERTH_SIM_HARBOR_PASSWORD
CPW=$BERTH_SIM_CGR_PASSWORD
N=secrets-$SFX
L=$T/berth.log
export BERTH_LOG=$L
: >"$T/all-out"

# keep every command's output, to look for the secrets at the end
run() { b "$@"; cat "$T/out" >>"$T/all-out"; }
runin() { bin "$@"; cat "$T/out" >>"$T/all-out"; }

run status
tap_is "status" "$RC" 0
runin "$HPW" --password-stdin status -o json
tap_is "status with --password-stdin" "$RC" 0
runin "$CPW" create registry --name "$N" --url "$CGR" \
    --access-id "$BERTH_SIM_CGR_USER" --access-secret-stdin
tap_is "create registry (secret on stdin)" "$RC" 0
printf '%s\n' "$CPW" >"$T/cpw"
run update registry "$N" --access-secret-file "$T/cpw"
tap_is "update registry (secret from a file)" "$RC" 0
runin "$CPW" test-connection "$N" --password-stdin --ca-file "$BERTH_SIM_CA"
tap_is "test-connection NAME (token, catalog, tags with the secret)" "$RC" 0
export CHAINCTL_ARGS_FILE=$T/chainctl-args
run rotate registry "$N" --from-chainctl "$ORG" --timeout 20 \
    --ca-file "$BERTH_SIM_CA"
tap_is "rotate registry from chainctl" "$RC" 0
runin "wrong-$CPW" test-connection --url "$CGR" --user "$BERTH_SIM_CGR_USER" \
    --password-stdin --ca-file "$BERTH_SIM_CA"
tap_is "test-connection with a wrong secret fails" "$RC" 1
run delete registry "$N"
tap_is "delete registry" "$RC" 0

# the log: written, private, and free of secrets in any form
if [ -s "$L" ]; then tap_pass "BERTH_LOG written"
else tap_fail "BERTH_LOG written" "empty or missing"; fi
tap_is "log mode 0600" "$(stat -c %a "$L")" 600
tap_like "log has the requests" "$(cat "$L")" "POST .*/api/v2.0/registries"
tap_like "log shows Authorization redacted" "$(cat "$L")" "Authorization: \[redacted\]"
hb64=$(printf '%s:%s' "$BERTH_SIM_HARBOR_USER" "$HPW" | base64 -w0)
cb64=$(printf '%s:%s' "$BERTH_SIM_CGR_USER" "$CPW" | base64 -w0)
for s in "$HPW" "$CPW" "$hb64" "$cb64"; do
	if grep -qF -- "$s" "$L"; then
		tap_fail "log: no secret (${#s} chars)" "found in $L" \
		    "$(grep -F -- "$s" "$L" | head -c 300)"
	else
		tap_pass "log: no secret (${#s} chars)"
	fi
done
# bearer tokens (JWTs) from the token service stay out too
if grep -qE 'eyJ[A-Za-z0-9_-]{10,}\.' "$L"; then
	tap_fail "log: no bearer token" "$(grep -oE 'eyJ[A-Za-z0-9_-]{10,}' "$L" | head -1)"
else
	tap_pass "log: no bearer token"
fi

# output and chainctl's argv
for s in "$HPW" "$CPW"; do
	if grep -qF -- "$s" "$T/all-out"; then
		tap_fail "output: no secret (${#s} chars)" "printed"
	else
		tap_pass "output: no secret (${#s} chars)"
	fi
done
tap_is "chainctl argv has no secret" "$(cat "$T/chainctl-args")" \
    "auth configure-docker --parent $ORG --pull-token"

# the config file: refused when group/other can read it; saved 0600
chmod 644 "$BERTH_CONFIG"
run status
tap_is "group-readable config refused" "$RC" 1
tap_like "refusal says why" "$OUT" "permissions 0644 for .*config.* too open"
chmod 600 "$BERTH_CONFIG"
run context add other --url "$BERTH_SIM_HARBOR_URL" --user x
tap_is "context add saves" "$RC" 0
tap_is "saved config is 0600" "$(stat -c %a "$BERTH_CONFIG")" 600
tap_done

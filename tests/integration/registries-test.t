#!/usr/bin/env bash
# registries-test.t: test-connection from both vantage points (Harbor's
# POST /registries/ping and the local probe ladder) for each failure kind:
# good token, wrong token, token for another org, catalog refused, TLS
# without the CA, unreachable port, no scheme, Harbor-side failure.
# shellcheck disable=SC2154
. "$(dirname "$0")/registries-lib.sh"

U=$BERTH_SIM_CGR_USER
PW=$BERTH_SIM_CGR_PASSWORD
CA=$BERTH_SIM_CA


# good token, by values
bin "$PW" test-connection --url "$CGR" --user "$U" --password-stdin \
    --ca-file "$CA" --org "$ORG"
tap_is "good token: exit 0" "$RC" 0
tap_like "good token: harbor's view ok" "$OUT" "harbor's view \(POST /registries/ping\): ok"
for r in url tcp v2 token catalog tags; do
	tap_like "good token: rung $r ok" "$OUT" "^  ok +$r "
done
# an address literal needs no lookup; the test CA's short-lived
# certificate may draw an expiry warning
tap_like "good token: rung dns skipped for 127.0.0.1" "$OUT" "^  skip +dns +address literal"
tap_like "good token: rung tls verified" "$OUT" "^  (ok|WARN) +tls .*certificate verified for 127.0.0.1"
tap_like "good token: catalog counts the org" "$OUT" "under $ORG"
tap_like "good token: tags of a repo under the org" "$OUT" "tags in $ORG/"
tap_like "good token: result" "$OUT" "result: ok, both sides pass"
no_secret "good token: secret not printed" "$PW"

# a repository that does not exist (404 on the tags list): a clean
# failure, not a crash (an error answer other than 401 once freed an
# uninitialised challenge list)
bin "$PW" test-connection --url "$CGR" --user "$U" --password-stdin \
    --ca-file "$CA" --repo "$ORG/no-such-repo"
tap_is "missing repository: exit 1 (no crash)" "$RC" 1
tap_like "missing repository: tags rung names it" "$OUT" \
    "^  FAIL +tags .*$ORG/no-such-repo not found"

# json output
bin "$PW" test-connection --url "$CGR" --user "$U" --password-stdin \
    --ca-file "$CA" --org "$ORG" -o json
tap_is "json: exit 0" "$RC" 0
tap_is "json: ok" "$(json_get 'd["ok"]' <"$T/out")" True
tap_is "json: harbor ok" "$(json_get 'd["harbor"]["ok"]' <"$T/out")" True
tap_is "json: eight rungs" "$(json_get 'len(d["local"]["rungs"])' <"$T/out")" 8
tap_is "json: rung names" "$(json_get '",".join(r["name"] for r in d["local"]["rungs"])' <"$T/out")" \
    "url,dns,tcp,tls,v2,token,catalog,tags"

# wrong token
bin "wrong-$PW" test-connection --url "$CGR" --user "$U" --password-stdin \
    --ca-file "$CA" --org "$ORG"
tap_is "wrong token: exit 1" "$RC" 1
tap_like "wrong token: harbor fails" "$OUT" "harbor's view \(POST /registries/ping\): FAIL"
tap_like "wrong token: token rung fails" "$OUT" "^  FAIL +token .*credentials refused \(HTTP 401\)"
tap_like "wrong token: hint names the cause" "$OUT" "hint: wrong pull token"
# the hint starts under the rung's text (column 26, after "  FAIL  token   NN ms  ")
dcol=$(grep -E '^  FAIL +token ' "$T/out" | grep -bo 'token service' | head -1 | cut -d: -f1)
hcol=$(grep -E '^ +hint: wrong pull token' "$T/out" | grep -bo 'hint:' | head -1 | cut -d: -f1)
tap_is "wrong token: the hint is aligned with the rung's text" "$hcol" "$dcol"
tap_like "wrong token: later rungs skipped" "$OUT" "^  skip +catalog "
no_secret "wrong token: secret not printed" "wrong-$PW"

# token for another org
bin "$BERTH_SIM_CGR_OTHER_PASSWORD" test-connection --url "$CGR" \
    --user "$BERTH_SIM_CGR_OTHER_USER" --password-stdin --ca-file "$CA" --org "$ORG"
tap_is "other org: exit 1" "$RC" 1
tap_like "other org: token itself is fine" "$OUT" "^  ok +token "
tap_like "other org: tags rung fails" "$OUT" "^  FAIL +tags .*token without access to $ORG/"
tap_like "other org: hint" "$OUT" "hint: the pull token does not cover this org"
tap_like "other org: the verdict blames the token, not this host" "$OUT" "^result: FAIL: Harbor's ping passes but the pull token cannot read the images"

# catalog refused: a warning (literal names), the ladder still passes
bin "$BERTH_SIM_CGR_NOCAT_PASSWORD" test-connection --url "$CGR" \
    --user "$BERTH_SIM_CGR_NOCAT_USER" --password-stdin --ca-file "$CA" \
    --org "$ORG" --repo "$ORG/nginx"
tap_is "no catalog: exit 0 (warning only)" "$RC" 0
tap_like "no catalog: catalog rung warns" "$OUT" "^  WARN +catalog "
tap_like "no catalog: hint: literal names" "$OUT" "use literal repository names"
tap_like "no catalog: the given repo is read" "$OUT" "^  ok +tags .*$ORG/nginx"

# TLS without the CA
bin "$PW" test-connection --url "$CGR" --user "$U" --password-stdin --org "$ORG"
tap_is "no CA: exit 1" "$RC" 1
tap_like "no CA: tls rung fails, unknown CA" "$OUT" "^  FAIL +tls .*unknown certificate authority"
tap_like "no CA: hint --ca-file" "$OUT" "hint: unknown CA: pass --ca-file"
tap_like "no CA: harbor fine, problem is local" "$OUT" "Harbor reaches the registry but this host cannot"

# unreachable port (a port nobody listens on)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
bin "$PW" test-connection --url "https://127.0.0.1:$port" --user "$U" \
    --password-stdin --ca-file "$CA" --timeout 10
tap_is "closed port: exit 1" "$RC" 1
tap_like "closed port: tcp rung fails, refused" "$OUT" "^  FAIL +tcp .*refused"
tap_like "closed port: harbor fails too" "$OUT" "harbor's view .*FAIL"
tap_like "closed port: both sides" "$OUT" "both sides fail"

# no scheme: refused before anything is sent
bin "$PW" test-connection --url "${CGR#https://}" --user "$U" --password-stdin
tap_is "no scheme: usage error" "$RC" 2
tap_like "no scheme: reason" "$OUT" "no scheme.*http://"

# Harbor says unhealthy, the local ladder passes: between Harbor and registry
sim_fault '{"path_regex":"/registries/ping","method":"POST","count":1,"action":"status","status":400,"message":"failed to ping endpoint"}'
bin "$PW" test-connection --url "$CGR" --user "$U" --password-stdin \
    --ca-file "$CA" --org "$ORG"
tap_is "harbor-side failure: exit 1" "$RC" 1
tap_like "harbor-side failure: harbor's message" "$OUT" "failed to ping endpoint"
tap_like "harbor-side failure: diagnosis" "$OUT" "between Harbor and the registry"

# Harbor's ping hangs: berth's own deadline
sim_fault '{"path_regex":"/registries/ping","method":"POST","count":1,"action":"delay","delay_ms":6000}'
start=$(date +%s)
bin "$PW" test-connection --url "$CGR" --user "$U" --password-stdin \
    --ca-file "$CA" --org "$ORG" --timeout 2
secs=$(( $(date +%s) - start ))
tap_is "slow harbor ping: exit 1" "$RC" 1
tap_like "slow harbor ping: timed out" "$OUT" "harbor's view .*FAIL.*(time|Time)"
tap_like "slow harbor ping: deadline kept (< 6 s)" "$secs" '^[0-5]$'

# saved endpoint: Harbor pings by id; the probe needs the secret again
N=cgr-t-$SFX
bin "$PW" create registry --name "$N" --url "$CGR" --access-id "$U" --access-secret-stdin
tap_is "create the saved endpoint" "$RC" 0
bin "$PW" test-connection "$N" --password-stdin --ca-file "$CA" --org "$ORG"
tap_is "saved endpoint with the secret: exit 0" "$RC" 0
tap_like "saved endpoint: names it" "$OUT" "registry \"$N\""
tap_like "saved endpoint: all rungs" "$OUT" "^  ok +tags "
b test-connection "$N" --ca-file "$CA"
tap_is "saved endpoint without a secret: exit 0 (anonymous rungs)" "$RC" 0
tap_like "without a secret: says anonymous" "$OUT" "anonymous: no secret given"
tap_like "without a secret: the result says the pull token was not tested" "$OUT" "^result: ok, both sides pass; the pull token was not tested from this host"
tap_like "without a secret: token rung skipped" "$OUT" "^  skip +token .*no secret given"
printf '%s\n' "$PW" >"$T/pw"; chmod 600 "$T/pw"
b test-connection "$N" --password-file "$T/pw" --ca-file "$CA" --org "$ORG"
tap_is "saved endpoint, secret from a file" "$RC" 0
b test-connection "no-such-$SFX"
tap_is "unknown endpoint: fails (exit 1)" "$RC" 1
b test-connection
tap_is "neither name nor url: usage" "$RC" 2
b delete registry "$N"

tap_done

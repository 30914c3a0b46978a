#!/usr/bin/env bash
# HTTP/2 when offered: the cgr.dev stand-in (docker-registry over TLS)
# speaks h2, and berth's requests to it use it; the Harbor simulator
# (Python, HTTP/1.1 only) is reached over HTTP/1.1 on the same run. The
# debug log shows the protocol of every exchange and never a secret.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/registries-lib.sh"

printf '%s\n' "$BERTH_SIM_CGR_PASSWORD" >"$T/pw"; chmod 600 "$T/pw"
HARBOR_PASSWORD=$BERTH_SIM_HARBOR_PASSWORD BERTH_LOG=$T/http.log "$BERTH" \
    --url "$BERTH_SIM_HARBOR_URL" --user "$BERTH_SIM_HARBOR_USER" \
    --ca-file "$BERTH_SIM_CA" test-connection --url "$BERTH_SIM_CGR_URL" \
    --user "$BERTH_SIM_CGR_USER" --password-file "$T/pw" \
    --ca-file "$BERTH_SIM_CA" >"$T/out" 2>&1 </dev/null
tap_is "test-connection passes" "$?" 0
log=$(cat "$T/http.log" 2>/dev/null)
tap_like "registry requests go over HTTP/2" "$log" '> GET /v2/ HTTP/2'
tap_like "registry answers over HTTP/2" "$log" '< HTTP/2 401'
tap_like "Harbor (HTTP/1.1 only) still answers" "$log" '< HTTP/1\.[01] 200'
tap_is "no pull-token secret in the log" "$(grep -cF -- "$BERTH_SIM_CGR_PASSWORD" "$T/http.log")" 0
tap_is "no Harbor password in the log" "$(grep -cF -- "$BERTH_SIM_HARBOR_PASSWORD" "$T/http.log")" 0
tap_like "Authorization headers are redacted" "$log" 'Authorization: \[redacted\]'
tap_done

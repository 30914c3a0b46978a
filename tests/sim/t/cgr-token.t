#!/bin/bash
# cgr.dev stand-in: the token service (tokensrv.py) on its own, with curl.
. "$(dirname "$0")/cgr-lib.sh"
cgr_stack

ORG=$BERTH_SIM_ORG

# Good credentials, one scope.
token main "repository:$ORG/nginx:pull"
tap_is "token: good credentials answer 200" "$CODE" 200
tap_like "token: JSON has token, access_token, expires_in, issued_at" \
	"$(json "$BODY" '[sorted(d), d["token"] == d["access_token"], d["expires_in"]]')" \
	'^\[\["access_token", "expires_in", "issued_at", "token"\], true, 300\]$'
tap_like "token: issued_at is RFC 3339 UTC" \
	"$(json "$BODY" 'd["issued_at"]')" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
tap_is "token: scope granted for the org" "$(access "$TOK")" \
	"repository:$ORG/nginx:pull"
hdr=$(jwt_part "$TOK" 0)
claims=$(jwt_part "$TOK" 1)
tap_is "jwt: alg RS256" "$(json "$hdr" 'd["alg"]')" RS256
tap_is "jwt: sub is the pull-token user (contains /)" \
	"$(json "$claims" 'd["sub"]')" "$BERTH_SIM_CGR_USER"
tap_like "jwt: user name has a /" "$BERTH_SIM_CGR_USER" '^[0-9a-f]+/[0-9a-f]+$'
tap_is "jwt: aud is the service" "$(json "$claims" 'd["aud"]')" "$SERVICE"
tap_is "jwt: expires 5 min after issue" "$(json "$claims" 'd["exp"] - d["iat"]')" 300

# kid = libtrust fingerprint of the key in docker-registry's rootcertbundle,
# computed here with openssl alone.
kid=$(openssl x509 -in "$BERTH_SIM_DIR/pki/token.crt" -noout -pubkey |
	openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary |
	head -c 30 | base32 | tr -d '=\n' | sed 's/\(....\)/\1:/g; s/:$//')
tap_is "jwt: kid is the libtrust fingerprint of the signing cert" \
	"$(json "$hdr" 'd["kid"]')" "$kid"

# The RS256 signature verifies with openssl against the cert's public key.
printf '%s' "${TOK%.*}" >"$T/signed"
$PY -c 'import base64, sys
p = sys.argv[1]
sys.stdout.buffer.write(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))' \
	"${TOK##*.}" >"$T/sig"
openssl x509 -in "$BERTH_SIM_DIR/pki/token.crt" -noout -pubkey >"$T/pub.pem"
tap_ok "jwt: signature verifies with openssl" \
	openssl dgst -sha256 -verify "$T/pub.pem" -signature "$T/sig" "$T/signed"

# Bad credentials.
token bad "repository:$ORG/nginx:pull"
tap_is "bad credentials: 401" "$CODE" 401
tap_is "bad credentials: errors[0].code UNAUTHORIZED" \
	"$(json "$BODY" 'd["errors"][0]["code"]')" UNAUTHORIZED
tap_is "bad credentials: no token" "$TOK" ""

# No scope with valid credentials: a token with empty access (Harbor's ping).
token main
tap_is "no scope: 200" "$CODE" 200
tap_is "no scope: empty access" "$(json "$(jwt_part "$TOK" 1)" 'd["access"]')" "[]"

# Per-org scope checks, several scopes in one request.
token main "repository:$ORG/nginx:pull" "repository:other-org/secret-app:pull" \
	"repository:chainguard/static:pull"
tap_is "main token: own org and public org granted, other-org refused" \
	"$(access "$TOK")" "$(printf '%s\n' "repository:$ORG/nginx:pull" \
	"repository:chainguard/static:pull" | sort)"
token other "repository:$ORG/nginx:pull repository:other-org/secret-app:pull"
tap_is "other token (space-separated scopes): only other-org granted" \
	"$(access "$TOK")" "repository:other-org/secret-app:pull"
token main "repository:$ORG/nginx:pull,push"
tap_is "pull token: push is never granted" "$(access "$TOK")" \
	"repository:$ORG/nginx:pull"
token anon "repository:chainguard/static:pull" "repository:$ORG/static:pull"
tap_is "anonymous: 200" "$CODE" 200
tap_is "anonymous: only the public org" "$(access "$TOK")" \
	"repository:chainguard/static:pull"
tap_is "anonymous: sub is empty" "$(json "$(jwt_part "$TOK" 1)" 'd["sub"]')" ""

# Catalog scope.
token main "registry:catalog:*"
tap_is "main token: catalog granted" "$(access "$TOK")" "registry:catalog:*"
token other "registry:catalog:*"
tap_is "other token: catalog granted" "$(access "$TOK")" "registry:catalog:*"
token nocat "registry:catalog:*" "repository:$ORG/nginx:pull"
tap_is "nocat token: catalog refused, repositories still granted" \
	"$(access "$TOK")" "repository:$ORG/nginx:pull"
token anon "registry:catalog:*"
tap_is "anonymous: catalog refused" "$(access "$TOK")" ""

# Wrong service.
req "" "$BERTH_SIM_CGR_TOKEN_URL/token" -G --data-urlencode "service=nope"
tap_is "unknown service: 400" "$CODE" 400

# OAuth2 password grant (POST), as some clients do.
printf 'grant_type=password&username=%s&password=%s&service=%s&scope=%s' \
	"$BERTH_SIM_CGR_USER" "$BERTH_SIM_CGR_PASSWORD" "$SERVICE" \
	"repository:$ORG/static:pull" >"$T/form"
req "" "$BERTH_SIM_CGR_TOKEN_URL/token" --data-binary "@$T/form"
tap_is "POST password grant: 200" "$CODE" 200
tap_is "POST password grant: scope granted" \
	"$(access "$(json "$BODY" 'd["access_token"]')")" "repository:$ORG/static:pull"

# Fault injection: the next N token requests fail with the given status.
req "" "$BERTH_SIM_CGR_TOKEN_URL/_control/fail" \
	-H 'Content-Type: application/json' --data '{"count":2,"status":503}'
tap_is "control fail: 200" "$CODE" 200
token main; c1=$CODE
token main; c2=$CODE
token main; c3=$CODE
tap_is "control fail: two 503s then 200" "$c1 $c2 $c3" "503 503 200"
req "" "$BERTH_SIM_CGR_TOKEN_URL/_control/fail" --data '{"count":'
tap_is "control: bad JSON is 400" "$CODE" 400

# Stats count token requests per user.
req "" "$BERTH_SIM_CGR_TOKEN_URL/_control/stats"
before=$(json "$BODY" 'd["token_requests"]')
token nocat
req "" "$BERTH_SIM_CGR_TOKEN_URL/_control/stats"
tap_is "stats: one more token request counted" \
	"$(json "$BODY" 'd["token_requests"]')" "$((before + 1))"

tap_done

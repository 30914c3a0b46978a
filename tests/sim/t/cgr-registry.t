#!/bin/bash
# cgr.dev stand-in: docker-registry behind the token service, with curl.
. "$(dirname "$0")/cgr-lib.sh"
cgr_stack

ORG=$BERTH_SIM_ORG
CGR=$BERTH_SIM_CGR_URL
REALM=$BERTH_SIM_CGR_TOKEN_URL/token
ACCEPT='Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json'

tap_like "cgr URL is https on 127.0.0.1" "$CGR" '^https://127\.0\.0\.1:[0-9]+$'

# Challenges.
req "" "$CGR/v2/"
tap_is "/v2/ without token: 401" "$CODE" 401
tap_is "/v2/ challenge: Bearer realm and service" "$(header WWW-Authenticate)" \
	"Bearer realm=\"$REALM\",service=\"$SERVICE\""
req "" "$CGR/v2/$ORG/nginx/tags/list"
tap_is "repository challenge names the pull scope" "$(header WWW-Authenticate)" \
	"Bearer realm=\"$REALM\",service=\"$SERVICE\",scope=\"repository:$ORG/nginx:pull\""
req "" "$CGR/v2/_catalog"
tap_like "catalog challenge names registry:catalog:*" \
	"$(header WWW-Authenticate)" 'scope="registry:catalog:\*"'

# Scope-less token (Harbor's health check) opens /v2/.
token main
req "$(bearer "$TOK")" "$CGR/v2/"
tap_is "/v2/ with a scope-less token: 200" "$CODE" 200
req 'header = "Authorization: Bearer not.a.token"' "$CGR/v2/"
tap_is "/v2/ with a garbage token: 401" "$CODE" 401
tap_like "garbage token: error=invalid_token" "$(header WWW-Authenticate)" \
	'error="invalid_token"'

# Pull with the main token.
token main "repository:$ORG/nginx:pull"
req "$(bearer "$TOK")" "$CGR/v2/$ORG/nginx/tags/list"
tap_is "tags/list with pull token: 200" "$CODE" 200
tap_is "nginx tags" "$(json "$BODY" 'sorted(d["tags"])')" '["1.25", "1.25.3", "latest"]'
req "$(bearer "$TOK")" "$CGR/v2/$ORG/nginx/manifests/latest" -H "$ACCEPT"
tap_is "nginx:latest manifest: 200" "$CODE" 200
tap_is "nginx:latest is an OCI index" "$(header Content-Type)" \
	application/vnd.oci.image.index.v1+json
tap_is "Docker-Content-Digest is the body's sha256" "$(header Docker-Content-Digest)" \
	"sha256:$(sha256sum <"$T/body" | cut -d' ' -f1)"
tap_is "index has amd64 and arm64" \
	"$(json "$BODY" '" ".join(m["platform"]["architecture"] for m in d["manifests"])')" \
	"amd64 arm64"
child=$(json "$BODY" 'd["manifests"][1]["digest"]')
req "$(bearer "$TOK")" "$CGR/v2/$ORG/nginx/manifests/$child" -H "$ACCEPT"
tap_is "child manifest by digest: 200" "$CODE" 200
layer=$(json "$BODY" 'd["layers"][0]["digest"]')
req "$(bearer "$TOK")" "$CGR/v2/$ORG/nginx/blobs/$layer"
tap_is "layer blob: 200" "$CODE" 200
tap_is "layer blob digest matches" "sha256:$(sha256sum <"$T/body" | cut -d' ' -f1)" "$layer"
tap_like "layer is a gzip'd tar naming the image" \
	"$(gzip -dc <"$T/body" | tar -xOf - etc/berth-sim/image)" "^$ORG/nginx 1\.25\.4 arm64$"

# Refusals: the token only carries what the service granted.
req "$(bearer "$TOK")" "$CGR/v2/$ORG/python/tags/list"
tap_is "token for nginx cannot read python: 401" "$CODE" 401
tap_like "insufficient_scope error" "$(header WWW-Authenticate)" \
	'error="insufficient_scope"'
token main "repository:other-org/secret-app:pull"
req "$(bearer "$TOK")" "$CGR/v2/other-org/secret-app/tags/list"
tap_is "main token cannot read other-org: 401" "$CODE" 401
token other "repository:$ORG/static:pull"
req "$(bearer "$TOK")" "$CGR/v2/$ORG/static/manifests/latest" -H "$ACCEPT"
tap_is "other-org token cannot read $ORG: 401" "$CODE" 401
token other "repository:other-org/secret-app:pull"
req "$(bearer "$TOK")" "$CGR/v2/other-org/secret-app/tags/list"
tap_is "other-org token reads other-org: 200" "$CODE" 200

# Anonymous pulls from the public org only.
token anon "repository:chainguard/static:pull"
req "$(bearer "$TOK")" "$CGR/v2/chainguard/static/manifests/latest" -H "$ACCEPT"
tap_is "anonymous pull of chainguard/static: 200" "$CODE" 200
token anon "repository:$ORG/static:pull"
req "$(bearer "$TOK")" "$CGR/v2/$ORG/static/manifests/latest" -H "$ACCEPT"
tap_is "anonymous pull of $ORG/static: 401" "$CODE" 401

# Nested repository name.
token main "repository:$ORG/tools/jq:pull"
req "$(bearer "$TOK")" "$CGR/v2/$ORG/tools/jq/tags/list"
tap_is "nested repository tools/jq readable" "$(json "$BODY" 'd["tags"]')" '["latest"]'

# Push is refused to pull tokens.
token main "repository:$ORG/nginx:pull,push"
req "$(bearer "$TOK")" "$CGR/v2/$ORG/nginx/blobs/uploads/" -X POST
tap_is "push with a pull token: 401" "$CODE" 401

# Catalog.
token main "registry:catalog:*"
req "$(bearer "$TOK")" "$CGR/v2/_catalog"
tap_is "catalog with main token: 200" "$CODE" 200
tap_is "catalog lists every seeded repository" \
	"$(json "$BODY" '" ".join(r for r in d["repositories"] if not r.startswith("'"$ORG"'/bulk-"))')" \
	"$ORG/nginx $ORG/python $ORG/static $ORG/tools/jq chainguard/static other-org/secret-app"
req "$(bearer "$TOK")" "$CGR/v2/_catalog?n=2"
tap_is "catalog n=2: two names" "$(json "$BODY" 'len(d["repositories"])')" 2
tap_like "catalog n=2: Link to the next page" "$(header Link)" \
	'^</v2/_catalog\?last=.*n=2.*>; rel="next"$'
token nocat "registry:catalog:*"
req "$(bearer "$TOK")" "$CGR/v2/_catalog"
tap_is "catalog with nocat token: 401" "$CODE" 401
token other "registry:catalog:*"
req "$(bearer "$TOK")" "$CGR/v2/_catalog"
tap_is "catalog with other-org token: 200" "$CODE" 200

# Expired tokens are refused (issued 61 s past the registry's leeway).
req "" "$BERTH_SIM_CGR_TOKEN_URL/_control/expired" --data '{"count":1}'
token main "repository:$ORG/static:pull"
req "$(bearer "$TOK")" "$CGR/v2/$ORG/static/tags/list"
tap_is "expired token: 401" "$CODE" 401
token main "repository:$ORG/static:pull"
req "$(bearer "$TOK")" "$CGR/v2/$ORG/static/tags/list"
tap_is "next token is fresh again: 200" "$CODE" 200

tap_done

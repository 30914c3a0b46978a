#!/bin/bash
# Harbor simulator proxy cache: a manifest GET in a proxy-cache project pulls
# through from the registry endpoint and caches; a HEAD asks the endpoint but
# caches nothing (as Harbor's repoproxy middleware); public project reads.
# shellcheck source=tests/sim/t/harbor-repl-common.sh
. "$(dirname "$0")/harbor-repl-common.sh"

ORG=$BERTH_SIM_ORG
PX=s2b-proxy-$RUN
REG=$(mk_registry "cgr-proxy-$RUN" BERTH_SIM_CGR_USER BERTH_SIM_CGR_PASSWORD)
mk_project "$PX" "$REG"
tap_is "proxy-cache project created" "$(hget "/projects/$PX" | jq -r .registry_id)" "$REG"

v2() {	# v2 METHOD PATH: status and headers of an admin /v2/ request
	local m=(-X "$1"); [ "$1" = HEAD ] && m=(-I)
	curl -sS -o /dev/null -D - -w 'HTTP %{http_code}\n' --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" \
		-H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' \
		"${m[@]}" "$H/v2/$2" | tr -d '\r'
}
up_nginx=$(cgr_inspect "$ORG/nginx:latest")

out=$(v2 HEAD "$PX/$ORG/nginx/manifests/latest")
tap_is "HEAD before any GET: answered from the endpoint" "$(echo "$out" | tail -1)" "HTTP 200"
tap_is "HEAD: upstream digest" "$(echo "$out" | sed -n 's/^Docker-Content-Digest: //ip')" "sha256:$up_nginx"
tap_is "HEAD caches nothing" "$(hget "/projects/$PX/repositories" | jq length)" 0
tap_is "HEAD of a tag missing upstream: 404" "$(v2 HEAD "$PX/$ORG/nginx/manifests/no-such-tag" | tail -1)" "HTTP 404"

tap_is "skopeo through the proxy: upstream's index digest" "$(harbor_inspect "$PX/$ORG/nginx:latest")" "$up_nginx"
repo=$(hc GET "/projects/$PX/repositories/$ORG%252Fnginx")
tap_is "GET cached the repository (double-encoded name)" "$(echo "$repo" | hbody | jq -r .name)" "$PX/$ORG/nginx"
arts=$(hget "/projects/$PX/repositories/$ORG%252Fnginx/artifacts")
tap_is "cached artifact carries the tag" "$(echo "$arts" | jq -r '[.[] | .tags[]?.name] | join(",")')" latest
tap_is "cached artifact digest" "$(echo "$arts" | jq -r '.[0].digest')" "sha256:$up_nginx"
tags=$(curl -sS --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" "$H/v2/$PX/$ORG/nginx/tags/list" | jq -c .tags)
tap_is "tags/list shows only what was pulled" "$tags" '["latest"]'
rm -rf "$RC_TMP/oci"
tap_ok "skopeo copy --all through the proxy (children and blobs cached)" \
	skopeo copy --all --src-cert-dir "$CERTS" --src-authfile "$RC_TMP/auth.json" \
	"docker://$HHOST/$PX/$ORG/nginx:latest" "oci:$RC_TMP/oci:x"
child=$(skopeo inspect --raw --cert-dir "$CERTS" --authfile "$RC_TMP/auth.json" "docker://$HHOST/$PX/$ORG/nginx:latest" | jq -r '.manifests[0].digest')
tap_is "child manifest by digest" "$(harbor_inspect "$PX/$ORG/nginx@$child")" "${child#sha256:}"
tap_is "nested upstream name" "$(harbor_inspect "$PX/$ORG/tools/jq:latest")" "$(cgr_inspect "$ORG/tools/jq:latest")"
tap_is "public upstream org" "$(harbor_inspect "$PX/chainguard/static:latest")" "$(cgr_inspect chainguard/static:latest)"
tap_is "repository the pull token may not read: 404" "$(v2 GET "$PX/other-org/secret-app/manifests/latest" | tail -1)" "HTTP 404"
tap_is "project repo_count after pulls" "$(hget "/projects/$PX" | jq -r .repo_count)" 3

# anonymous reads: private project refused, public project served
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" "$H/v2/$PX/$ORG/nginx/manifests/latest")
tap_is "private proxy project: anonymous 401" "$code" 401
tap_is "make the project public" "$(hc PUT "/projects/$PX" -H 'Content-Type: application/json' -d '{"metadata":{"public":"true"}}' | hstatus)" 200
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" \
	-H 'Accept: application/vnd.oci.image.index.v1+json' "$H/v2/$PX/$ORG/nginx/manifests/latest")
tap_is "public project: anonymous manifest GET 200" "$code" 200
tap_is "anonymous skopeo inspect of a public project" \
	"$(skopeo inspect --raw --cert-dir "$CERTS" --no-creds "docker://$HHOST/$PX/$ORG/nginx:latest" | sha256sum | cut -d' ' -f1)" "$up_nginx"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" "$H/v2/_catalog")
tap_is "anonymous catalog: 401" "$code" 401
cat=$(curl -sS --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" "$H/v2/_catalog?n=1000")
tap_like "admin catalog lists the cached repository" "$(echo "$cat" | jq -r '.repositories[]')" "^$PX/$ORG/nginx$"

tap_done

#!/bin/bash
# Harbor simulator: a full pull replication from the cgr stand-in, read back
# with skopeo (same digests as upstream, multi-arch index included); tasks,
# task log, executions listing; repositories and artifacts listing with the
# double-encoded repository name; disabled policy -> 412.
# shellcheck source=tests/sim/t/harbor-repl-common.sh
. "$(dirname "$0")/harbor-repl-common.sh"

ORG=$BERTH_SIM_ORG
MIRROR=s2b-mirror-$RUN

REG=$(mk_registry "cgr-pull-$RUN" BERTH_SIM_CGR_USER BERTH_SIM_CGR_PASSWORD)
tap_like "registry endpoint for the cgr stand-in created" "$REG" '^[0-9]+$'
mk_project "$MIRROR"
tap_is "project $MIRROR created" "$?" 0
POL=$(mk_policy "pull-$RUN" "$REG" "$MIRROR" -1 true true \
	"[{\"type\":\"name\",\"value\":\"$ORG/**\"}]")
tap_like "pull policy created" "$POL" '^[0-9]+$'

# disabled policy: 412 with Harbor's message
DPOL=$(mk_policy "disabled-$RUN" "$REG" "$MIRROR" -1 true false \
	"[{\"type\":\"name\",\"value\":\"$ORG/**\"}]")
out=$(hc POST /replication/executions -H 'Content-Type: application/json' -d "{\"policy_id\":$DPOL}")
tap_is "disabled policy: 412" "$(echo "$out" | hstatus)" 412
tap_is "disabled policy: Harbor's error body" "$(echo "$out" | hbody | jq -c .)" \
	"{\"errors\":[{\"code\":\"PRECONDITION\",\"message\":\"the policy $DPOL is disabled\"}]}"
out=$(hc POST /replication/executions -H 'Content-Type: application/json' -d '{"policy_id":999999}')
tap_is "unknown policy: 404" "$(echo "$out" | hstatus)" 404

# run it
hc POST /replication/executions -H 'Content-Type: application/json' \
	-d "{\"policy_id\":$POL}" -D "$RC_TMP/start.hdr" >"$RC_TMP/start.out"
tap_is "start: 201" "$(hstatus <"$RC_TMP/start.out")" 201
loc=$(sed -n 's/^Location: //ip' "$RC_TMP/start.hdr" | tr -d '\r')
tap_like "start: Location header" "$loc" '^/api/v2\.0/replication/executions/[0-9]+$'
EX=${loc##*/}

final=$(wait_exec "$EX" 60)
tap_is "execution succeeds" "$(echo "$final" | jq -r .status)" Succeed
tap_is "execution counts" "$(echo "$final" | jq -c '[.total,.succeed,.failed,.in_progress,.stopped]')" "[4,4,0,0,0]"
tap_is "execution trigger manual, policy id" "$(echo "$final" | jq -r '"\(.trigger) \(.policy_id)"')" "manual $POL"
tap_like "execution end_time set" "$(echo "$final" | jq -r .end_time)" '^20[0-9]{2}-.*Z$'

tasks=$(hget "/replication/executions/$EX/tasks?page_size=100")
tap_is "one task per repository" "$(echo "$tasks" | jq -r '[.[].src_resource] | sort | join(";")')" \
	"$ORG/nginx [3 item(s) in total];$ORG/python [2 item(s) in total];$ORG/static [1 item(s) in total];$ORG/tools/jq [1 item(s) in total]"
tap_is "destination names flattened (replace count -1)" \
	"$(echo "$tasks" | jq -r '[.[].dst_resource] | sort | join(";")')" \
	"$MIRROR/jq [1 item(s) in total];$MIRROR/nginx [3 item(s) in total];$MIRROR/python [2 item(s) in total];$MIRROR/static [1 item(s) in total]"
tap_is "tasks: copy/image/Succeed" "$(echo "$tasks" | jq -r '[.[] | "\(.operation)/\(.resource_type)/\(.status)"] | unique | join(",")')" \
	"copy/image/Succeed"
tap_is "tasks ordered by start_time desc (Harbor's default)" \
	"$(echo "$tasks" | jq -r '[.[].start_time] == ([.[].start_time] | sort | reverse)')" true
tap_is "tasks sort=id" "$(hget "/replication/executions/$EX/tasks?sort=id" | jq -r '[.[].id] == ([.[].id] | sort)')" true
out=$(hc GET "/replication/executions/$EX/tasks?status=Failed")
tap_is "tasks status filter" "$(echo "$out" | hbody | jq length)" 0
hc GET "/replication/executions/$EX/tasks?page_size=2" -D "$RC_TMP/t.hdr" >/dev/null
tap_is "tasks X-Total-Count" "$(sed -n 's/^X-Total-Count: //ip' "$RC_TMP/t.hdr" | tr -d '\r')" 4

NT=$(echo "$tasks" | jq -r ".[] | select(.src_resource | startswith(\"$ORG/nginx \")) | .id")
hc GET "/replication/executions/$EX/tasks/$NT/log" -D "$RC_TMP/log.hdr" | hbody >"$RC_TMP/log"
tap_like "task log is text/plain" "$(sed -n 's/^Content-Type: //ip' "$RC_TMP/log.hdr" | tr -d '\r')" '^text/plain'
tap_like "task log: Harbor's copy line" "$(cat "$RC_TMP/log")" \
	"^20[0-9-]+T[0-9:]+Z \[INFO\] \[/controller/replication/transfer/image/transfer.go:[0-9]+\]: copying $ORG/nginx:\[1\.25,1\.25\.3,latest\]\(source registry\) to $MIRROR/nginx:\[1\.25,1\.25\.3,latest\]\(destination registry\)\.\.\."
tap_like "task log: blobs copied" "$(cat "$RC_TMP/log")" 'copy the blob sha256:[0-9a-f]{64} completed'
tap_like "task log: completed" "$(tail -1 "$RC_TMP/log")" "copy $ORG/nginx:\[1\.25,1\.25\.3,latest\]\(source registry\) to $MIRROR/nginx:\[1\.25,1\.25\.3,latest\]\(destination registry\) completed"
out=$(hc GET "/replication/executions/$EX/tasks/999999/log")
tap_is "log of an unknown task: 404" "$(echo "$out" | hstatus)" 404

# executions listing
list=$(hget "/replication/executions?policy_id=$POL")
tap_is "executions filtered by policy" "$(echo "$list" | jq -r '[.[].id] | join(",")')" "$EX"
list=$(hget "/replication/executions?policy_id=$POL&status=Failed")
tap_is "executions filtered by status" "$(echo "$list" | jq length)" 0
EX2=$(start_exec "$POL")
wait_exec "$EX2" 60 >/dev/null
list=$(hget "/replication/executions?policy_id=$POL")
tap_is "executions newest first" "$(echo "$list" | jq -r '[.[].id] | join(",")')" "$EX2,$EX"
log2=$(hc GET "/replication/executions/$EX2/tasks/$(hget "/replication/executions/$EX2/tasks?page_size=100" | jq -r '.[0].id')/log" | hbody)
tap_like "second run: artifacts already exist, skipped" "$log2" 'already exists on the destination registry, skip'

# skopeo reads the copies back with upstream's digests
for ref in nginx:latest nginx:1.25.3 python:3.12 static:latest; do
	tap_is "skopeo: $MIRROR/$ref has upstream's manifest digest" \
		"$(harbor_inspect "$MIRROR/$ref")" "$(cgr_inspect "$ORG/$ref")"
done
tap_is "skopeo: nested repository flattened to $MIRROR/jq" \
	"$(harbor_inspect "$MIRROR/jq:latest")" "$(cgr_inspect "$ORG/tools/jq:latest")"
idx=$(skopeo inspect --raw --cert-dir "$CERTS" --authfile "$RC_TMP/auth.json" "docker://$HHOST/$MIRROR/nginx:latest")
tap_is "multi-arch index copied" "$(echo "$idx" | jq -r '[.manifests[].platform.architecture] | sort | join(",")')" "amd64,arm64"
for d in $(echo "$idx" | jq -r '.manifests[].digest'); do
	tap_is "index child $d readable by digest" "$(harbor_inspect "$MIRROR/nginx@$d")" "${d#sha256:}"
done
rm -rf "$RC_TMP/oci"
tap_ok "skopeo copy --all from the simulator (every blob present)" \
	skopeo copy --all --src-cert-dir "$CERTS" --src-authfile "$RC_TMP/auth.json" \
	"docker://$HHOST/$MIRROR/nginx:latest" "oci:$RC_TMP/oci:x"

# /v2/ itself
code=$(curl -s -o /dev/null -D "$RC_TMP/v2.hdr" -w '%{http_code}' --cacert "$BERTH_SIM_CA" "$H/v2/")
tap_is "/v2/ without credentials: 401" "$code" 401
tap_like "/v2/ challenge" "$(grep -i '^www-authenticate' "$RC_TMP/v2.hdr" | tr -d '\r')" 'Basic realm="harbor"'
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" "$H/v2/")
tap_is "/v2/ with basic auth: 200" "$code" 200
tags=$(curl -sS --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" "$H/v2/$MIRROR/nginx/tags/list")
tap_is "tags/list" "$(echo "$tags" | jq -c .tags)" '["1.25","1.25.3","latest"]'
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" "$H/v2/$MIRROR/nginx/manifests/latest")
tap_is "private project: anonymous manifest GET 401" "$code" 401
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" "$H/v2/$MIRROR/nginx/manifests/nope")
tap_is "unknown tag: 404" "$code" 404

# repositories and artifacts API
repos=$(hget "/projects/$MIRROR/repositories?page_size=100")
tap_is "repositories listed" "$(echo "$repos" | jq -r '[.[].name] | sort | join(",")')" \
	"$MIRROR/jq,$MIRROR/nginx,$MIRROR/python,$MIRROR/static"
tap_is "repository fields" "$(echo "$repos" | jq -r ".[] | select(.name==\"$MIRROR/nginx\") | [has(\"id\"), has(\"project_id\"), .artifact_count, has(\"pull_count\"), has(\"creation_time\"), has(\"update_time\")] | map(tostring) | join(\",\")")" \
	"true,true,2,true,true,true"
hc GET "/projects/$MIRROR/repositories?page_size=1&page=2" -D "$RC_TMP/r.hdr" >/dev/null
tap_like "repositories paging Link" "$(sed -n 's/^Link: //ip' "$RC_TMP/r.hdr" | tr -d '\r')" \
	'rel="prev" , <.*page=3&page_size=1>; rel="next"'
repos=$(hget "/projects/$MIRROR/repositories?q=name%3D~pyth")
tap_is "repositories q=name=~" "$(echo "$repos" | jq -r '[.[].name] | join(",")')" "$MIRROR/python"

# a nested repository name through the API: replicate tools/jq without flattening
NEST=s2b-nest-$RUN
mk_project "$NEST"
NPOL=$(mk_policy "nest-$RUN" "$REG" "$NEST" 1 true true "[{\"type\":\"name\",\"value\":\"$ORG/tools/jq\"}]")
NEX=$(start_exec "$NPOL")
tap_is "replace count 1 keeps inner path" "$(wait_exec "$NEX" 60 | jq -r .status)/$(hget "/replication/executions/$NEX/tasks" | jq -r '.[0].dst_resource')" \
	"Succeed/$NEST/tools/jq [1 item(s) in total]"
out=$(hc GET "/projects/$NEST/repositories/tools%252Fjq")
tap_is "double-encoded repository name: 200" "$(echo "$out" | hstatus)" 200
tap_is "double-encoded repository name: name" "$(echo "$out" | hbody | jq -r .name)" "$NEST/tools/jq"
out=$(hc GET "/projects/$NEST/repositories/tools%2Fjq")
tap_is "single-encoded repository name: 404 as in Harbor" "$(echo "$out" | hstatus)" 404
arts=$(hget "/projects/$NEST/repositories/tools%252Fjq/artifacts?with_tag=true")
tap_is "artifacts of the nested repository" "$(echo "$arts" | jq -r '[.[] | .tags[].name] | join(",")')" latest
tap_is "artifact digest matches upstream" "$(echo "$arts" | jq -r '.[0].digest')" "sha256:$(cgr_inspect "$ORG/tools/jq:latest")"

arts=$(hget "/projects/$MIRROR/repositories/nginx/artifacts?page_size=100")
tap_is "nginx: index artifacts only (children hidden)" "$(echo "$arts" | jq -r '[.[].manifest_media_type] | unique | join(",")')" \
	"application/vnd.oci.image.index.v1+json"
tap_is "nginx: all tags on artifacts" "$(echo "$arts" | jq -r '[.[] | .tags[].name] | sort | join(",")')" "1.25,1.25.3,latest"
latest=$(hget "/projects/$MIRROR/repositories/nginx/artifacts/latest")
tap_is "artifact by tag: digest" "$(echo "$latest" | jq -r .digest)" "sha256:$(cgr_inspect "$ORG/nginx:latest")"
tap_is "artifact by tag: references to children" "$(echo "$latest" | jq -r '[.references[].platform.architecture] | sort | join(",")')" "amd64,arm64"
tap_is "artifact: type/repository_name" "$(echo "$latest" | jq -r '"\(.type) \(.repository_name)"')" "IMAGE $MIRROR/nginx"
child=$(echo "$latest" | jq -r '.references[0].child_digest')
out=$(hc GET "/projects/$MIRROR/repositories/nginx/artifacts/$child")
tap_is "child artifact by digest: 200" "$(echo "$out" | hstatus)" 200
tap_like "child artifact: image config media type" "$(echo "$out" | hbody | jq -r .media_type)" 'image\.config|container\.image'
tags=$(hget "/projects/$MIRROR/repositories/nginx/artifacts/latest/tags")
tap_is "tags of an artifact" "$(echo "$tags" | jq -r '[.[].name] | sort | join(",")')" "1.25,latest"
arts=$(hget "/projects/$MIRROR/repositories/nginx/artifacts?q=tags%3D1.25.3")
tap_is "artifacts q=tags=" "$(echo "$arts" | jq -r '[.[] | .tags[].name] | join(",")')" "1.25.3"
out=$(hc GET "/projects/$MIRROR/repositories/nginx/artifacts/nope")
tap_is "unknown artifact: 404 message" "$(echo "$out" | hbody | jq -r '.errors[0].message')" "artifact $MIRROR/nginx:nope not found"
out=$(hc GET "/projects/$MIRROR/repositories/nope")
tap_is "unknown repository: 404" "$(echo "$out" | hstatus)" 404
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" "$H/api/v2.0/projects/$MIRROR/repositories")
tap_is "private project repositories: anonymous 401" "$code" 401

pj=$(hget "/projects/$MIRROR")
tap_is "project repo_count" "$(echo "$pj" | jq -r .repo_count)" 4
out=$(hc DELETE "/projects/$NEST/repositories/tools%252Fjq")
tap_is "delete repository: 200" "$(echo "$out" | hstatus)" 200
out=$(hc GET "/projects/$NEST/repositories/tools%252Fjq")
tap_is "deleted repository: 404" "$(echo "$out" | hstatus)" 404

tap_done

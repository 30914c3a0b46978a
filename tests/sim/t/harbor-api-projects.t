#!/bin/bash
# Harbor simulator: projects CRUD, HEAD, name rules, proxy cache projects,
# 412 with repositories, _deletable, summary/quota, metadatas, visibility.
. "$(dirname "$0")/harbor-api-lib.sh"

p1="proj-$HA_SFX"

# --- default project
req anon GET "/projects?name=library"
tap_is "library is listed for anonymous (public)" "$(jq_body '[.[] | select(.name == "library")] | length')" 1
req admin GET /projects/library
tap_is "library by name" "$STATUS" 200
tap_is "library metadata.public is the string true" "$(jq_body .metadata.public)" true
req admin GET "/projects/$(jq_body .project_id)"
tap_is "library by id" "$(jq_body .name)" library

# --- create
json_req admin POST /projects "{\"project_name\":\"$p1\",\"metadata\":{\"public\":\"false\"}}"
tap_is "create project 201" "$STATUS" 201
tap_like "Location /api/v2.0/projects/ID" "$(hdr Location)" '^/api/v2\.0/projects/[0-9]+$'
pid=$(id_from_location)
req admin GET "/projects/$pid"
tap_is "new project by id" "$(jq_body .name)" "$p1"
tap_is "owner_name admin" "$(jq_body .owner_name)" admin
tap_is "repo_count 0 is present" "$(jq_body .repo_count)" 0
tap_is "private project" "$(jq_body .metadata.public)" false
json_req admin POST /projects "{\"project_name\":\"$p1\"}"
tap_is "duplicate project 409" "$STATUS" 409
tap_is "409 message" "$(jq_body '.errors[0].message')" "The project named $p1 already exists"
json_req admin POST /projects '{"project_name":"x"}' -H 'X-Resource-Name-In-Location: true'
tap_is "one-letter name is fine" "$STATUS" 201
tap_is "Location by name when asked" "$(hdr Location)" /api/v2.0/projects/x
req admin DELETE /projects/x -H 'X-Is-Resource-Name: true'

for bad in "Upper$HA_SFX" "a..b" "-lead" "trail-" "sp ace" "a/b"; do
	json_req admin POST /projects "$(jq -cn --arg n "$bad" '{project_name:$n}')"
	tap_is "invalid name '$bad' is 400" "$STATUS" 400
done
tap_is "name message as Harbor" "$(jq_body '.errors[0].message')" \
	"project name is not in lower case or contains illegal characters"
json_req admin POST /projects '{"project_name":""}'
tap_is "empty name is 400" "$STATUS" 400
tap_is "empty name message" "$(jq_body '.errors[0].message')" \
	"Project name  is illegal in length. (greater than 255 or less than 1)"
json_req admin POST /projects "{\"project_name\":\"$(printf 'a%.0s' $(seq 256))\"}"
tap_is "name over 255 chars is refused (422)" "$STATUS" 422
json_req admin POST /projects "{\"project_name\":\"pub-$HA_SFX\",\"metadata\":{\"public\":\"yes\"}}"
tap_is "metadata.public must be true/false" "$STATUS" 400
json_req admin POST /projects "{\"project_name\":\"pub-$HA_SFX\",\"public\":true}"
tap_is "legacy public:true accepted" "$STATUS" 201
req admin GET "/projects/pub-$HA_SFX" -H 'X-Is-Resource-Name: true'
tap_is "legacy public becomes metadata.public" "$(jq_body .metadata.public)" true

# --- HEAD
req admin HEAD "/projects?project_name=$p1"
tap_is "HEAD existing project 200" "$STATUS" 200
req admin HEAD "/projects?project_name=nope-$HA_SFX"
tap_is "HEAD missing project 404" "$STATUS" 404
if grep -q '"errors"' "$HA_TMP/body"; then tap_fail "HEAD response has no body"; else tap_pass "HEAD response has no body"; fi

# --- visibility
req anon GET "/projects?name=$HA_SFX"
tap_is "anonymous sees only the public one" "$(jq_body '[.[].name] | join(",")')" "pub-$HA_SFX"
req dev GET "/projects?name=$HA_SFX"
tap_is "developer sees public + own only" "$(jq_body '[.[].name] | join(",")')" "pub-$HA_SFX"
req dev GET "/projects/$p1" -H 'X-Is-Resource-Name: true'
tap_is "developer GET private project 403" "$STATUS" 403
req anon GET "/projects/$p1" -H 'X-Is-Resource-Name: true'
tap_is "anonymous GET private project 401" "$STATUS" 401
req admin GET "/projects?name=$HA_SFX&public=false"
tap_is "public=false filter" "$(jq_body '[.[].name] | join(",")')" "$p1"
req admin GET "/projects?q=name%3D$p1"
tap_is "q exact name" "$(jq_body '[.[].name] | join(",")')" "$p1"
json_req dev POST /projects "{\"project_name\":\"dev-$HA_SFX\"}"
tap_is "developer may create a project" "$STATUS" 201
req dev GET "/projects?name=dev-$HA_SFX"
tap_is "developer is its project admin" "$(jq_body '.[0].current_user_role_id')" 1
req admin GET "/projects?name=$HA_SFX&owner=developer"
tap_is "owner filter" "$(jq_body '[.[].name] | join(",")')" "dev-$HA_SFX"
req dev DELETE "/projects/$p1" -H 'X-Is-Resource-Name: true'
tap_is "developer cannot delete admin's private project" "$STATUS" 403
req dev DELETE "/projects/dev-$HA_SFX" -H 'X-Is-Resource-Name: true'
tap_is "developer deletes its own project" "$STATUS" 200

# --- update and metadatas
json_req admin PUT "/projects/$p1" '{"metadata":{"public":"true","auto_scan":"true"}}' -H 'X-Is-Resource-Name: true'
tap_is "PUT project 200" "$STATUS" 200
req admin GET "/projects/$pid"
tap_is "public updated" "$(jq_body .metadata.public)" true
tap_is "auto_scan added" "$(jq_body .metadata.auto_scan)" true
req admin GET "/projects/$pid/metadatas"
tap_is "metadatas map" "$(jq_body .public)" true
req admin GET "/projects/$pid/metadatas/auto_scan"
tap_is "single metadata" "$(jq_body .auto_scan)" true
json_req admin PUT "/projects/$pid/metadatas/auto_scan" '{"auto_scan":"false"}'
tap_is "PUT metadata" "$STATUS" 200
req admin DELETE "/projects/$pid/metadatas/auto_scan"
req admin GET "/projects/$pid/metadatas/auto_scan"
tap_is "deleted metadata is 404" "$STATUS" 404
json_req admin PUT "/projects/$pid" '{"metadata":{"proxy_speed_kb":"100"}}'
req admin GET "/projects/$pid"
tap_is "proxy_speed_kb ignored on a normal project" "$(jq_body '.metadata | has("proxy_speed_kb")')" false

# --- summary / quota
req admin GET "/projects/$pid/summary"
tap_is "summary 200" "$STATUS" 200
tap_is "summary repo_count" "$(jq_body .repo_count)" 0
tap_is "default quota unlimited" "$(jq_body .quota.hard.storage)" -1
json_req admin POST /projects "{\"project_name\":\"quota-$HA_SFX\",\"storage_limit\":1048576}"
req admin GET "/projects/quota-$HA_SFX/summary" -H 'X-Is-Resource-Name: true'
tap_is "storage_limit becomes quota.hard.storage" "$(jq_body .quota.hard.storage)" 1048576
req admin DELETE "/projects/quota-$HA_SFX" -H 'X-Is-Resource-Name: true'

# --- repositories make a project undeletable
req anon POST /_sim/images -H 'Content-Type: application/json' -d "{\"repository\":\"$p1/app\",\"tag\":\"v1\"}"
tap_is "seed an image into the project" "$STATUS" 201
req admin GET "/projects/$pid"
tap_is "repo_count counts it" "$(jq_body .repo_count)" 1
req admin GET "/projects/$pid/summary"
used=$(jq_body .quota.used.storage)
[ "${used:-0}" -gt 0 ] 2>/dev/null && tap_pass "quota.used.storage counts the image ($used bytes)" || tap_fail "quota.used.storage counts the image" "used=$used"
req admin GET "/projects/$pid/_deletable"
tap_is "_deletable false" "$(jq_body .deletable)" false
tap_is "_deletable message" "$(jq_body .message)" "the project contains repositories, can not be deleted"
req admin DELETE "/projects/$pid"
tap_is "delete project with repositories is 412" "$STATUS" 412
tap_is "412 code" "$(jq_body '.errors[0].code')" PRECONDITION
tap_like "412 message" "$(jq_body '.errors[0].message')" "contains repositories"
req admin DELETE "/projects/$p1/repositories/app"
tap_is "delete the repository" "$STATUS" 200
req admin GET "/projects/$pid/_deletable"
tap_is "_deletable true again" "$(jq_body .deletable)" true
req admin DELETE "/projects/$pid"
tap_is "delete empty project 200" "$STATUS" 200
req admin GET "/projects/$pid"
tap_is "deleted project 404" "$STATUS" 404
tap_is "404 message" "$(jq_body '.errors[0].message')" "project $pid not found"

# --- proxy cache project
json_req admin POST /registries "$(reg_json "px-$HA_SFX" "$HA_REG_URL")"
rid=$(id_from_location)
json_req admin POST /projects "{\"project_name\":\"cache-$HA_SFX\",\"registry_id\":$rid,\"metadata\":{\"public\":\"true\",\"proxy_speed_kb\":\"512\"}}"
tap_is "proxy cache project 201" "$STATUS" 201
req admin GET "/projects/cache-$HA_SFX" -H 'X-Is-Resource-Name: true'
tap_is "registry_id set" "$(jq_body .registry_id)" "$rid"
tap_is "proxy_speed_kb kept" "$(jq_body .metadata.proxy_speed_kb)" 512
tap_like "retention policy attached" "$(jq_body .metadata.retention_id)" '^[0-9]+$'
req admin GET "/projects/cache-$HA_SFX/summary" -H 'X-Is-Resource-Name: true'
tap_is "summary shows the registry" "$(jq_body .registry.id)" "$rid"
tap_is "summary registry secret masked" "$(jq_body .registry.credential.access_secret)" '*****'
json_req admin POST /projects "{\"project_name\":\"cache2-$HA_SFX\",\"registry_id\":$rid,\"metadata\":{\"proxy_speed_kb\":\"fast\"}}"
tap_is "non-integer proxy_speed_kb is 400" "$STATUS" 400
json_req admin POST /projects "{\"project_name\":\"cache2-$HA_SFX\",\"registry_id\":0}"
tap_is "registry_id 0 is 400" "$STATUS" 400
json_req dev POST /projects "{\"project_name\":\"cache2-$HA_SFX\",\"registry_id\":$rid}"
tap_is "non-admin cannot create a proxy project" "$STATUS" 403
req admin DELETE "/projects/cache-$HA_SFX" -H 'X-Is-Resource-Name: true'
tap_is "delete proxy project" "$STATUS" 200
req admin DELETE "/registries/$rid"
tap_is "then its registry" "$STATUS" 200
req admin DELETE "/projects/pub-$HA_SFX" -H 'X-Is-Resource-Name: true'

tap_done

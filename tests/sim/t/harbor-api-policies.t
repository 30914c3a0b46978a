#!/bin/bash
# Harbor simulator: replication policies CRUD and Harbor's validation
# (modes, registries, filters, namespace, trigger/cron, enabled default,
# PUT replaces, speed), listing/paging, DELETE refused while running.
. "$(dirname "$0")/harbor-api-lib.sh"

json_req admin POST /registries "$(reg_json "polreg-$HA_SFX" "$HA_REG_URL")"
tap_is "source registry created" "$STATUS" 201
rid=$(id_from_location)

# pol NAME EXTRA_JSON: create body for a pull policy from $rid
pol() {
	jq -cn --arg n "$1" --argjson r "$rid" --argjson x "${2:-{\}}" \
		'{name:$n, src_registry:{id:$r}, dest_namespace:"mirror",
		  trigger:{type:"manual"}, filters:[{type:"name", value:"berth-test.dev/**"}]} + $x'
}

# --- create and read back
json_req admin POST /replication/policies "$(pol "p1-$HA_SFX")"
tap_is "create pull policy 201" "$STATUS" 201
tap_like "Location" "$(hdr Location)" '^/api/v2\.0/replication/policies/[0-9]+$'
p1=$(id_from_location)
req admin GET "/replication/policies/$p1"
tap_is "GET policy 200" "$STATUS" 200
tap_is "enabled defaults to false (omitted as Go's omitempty)" "$(jq_body '.enabled // false')" false
tap_is "src_registry is the full registry" "$(jq_body .src_registry.name)" "polreg-$HA_SFX"
tap_is "src_registry secret masked" "$(jq_body .src_registry.credential.access_secret)" '*****'
tap_is "dest_registry is the local Harbor (id 0)" "$(jq_body .dest_registry.id)" 0
tap_is "dest_namespace_replace_count defaults to -1" "$(jq_body .dest_namespace_replace_count)" -1
tap_is "speed defaults to 0" "$(jq_body .speed)" 0
tap_is "trigger type" "$(jq_body .trigger.type)" manual
tap_is "filter kept" "$(jq_body '.filters[0].value')" "berth-test.dev/**"

json_req admin POST /replication/policies "$(pol "p1-$HA_SFX")"
tap_is "duplicate name 409" "$STATUS" 409

# --- validation
json_req admin POST /replication/policies "$(pol "")"
tap_is "empty name 400" "$STATUS" 400
tap_is "empty name message" "$(jq_body '.errors[0].message')" "empty name"
json_req admin POST /replication/policies "$(pol "both-$HA_SFX" "{\"dest_registry\":{\"id\":$rid}}")"
tap_is "src and dest both remote is 400" "$STATUS" 400
tap_is "mode message" "$(jq_body '.errors[0].message')" \
	"either src_registry or dest_registry should be empty and the other one shouldn't be empty"
json_req admin POST /replication/policies "{\"name\":\"none-$HA_SFX\"}"
tap_is "neither registry is 400" "$STATUS" 400
json_req admin POST /replication/policies "$(pol "miss-$HA_SFX" '{"src_registry":{"id":999999}}')"
tap_is "missing registry is 404 (Harbor's registry lookup)" "$STATUS" 404
tap_is "missing registry message" "$(jq_body '.errors[0].message')" "registry 999999 not found"
json_req admin POST /replication/policies "$(pol "ns-$HA_SFX" '{"dest_namespace":"Bad NS"}')"
tap_is "invalid dest_namespace 400" "$STATUS" 400
json_req admin POST /replication/policies "$(pol "f-$HA_SFX" '{"filters":[{"type":"color","value":"x"}]}')"
tap_is "unknown filter type 400" "$STATUS" 400
json_req admin POST /replication/policies "$(pol "f-$HA_SFX" '{"filters":[{"type":"tag","value":"v*","decoration":"sometimes"}]}')"
tap_is "bad decoration 400" "$STATUS" 400
json_req admin POST /replication/policies "$(pol "f-$HA_SFX" '{"filters":[{"type":"label","value":"x"}]}')"
tap_is "label filter must be an array" "$STATUS" 400
json_req admin POST /replication/policies "$(pol "f-$HA_SFX" '{"filters":[{"type":"tag","value":"v*","decoration":"excludes"},{"type":"resource","value":"image"}]}')"
tap_is "tag excludes + resource filter accepted" "$STATUS" 201
req admin DELETE "/replication/policies/$(id_from_location)"
json_req admin POST /replication/policies "$(pol "t-$HA_SFX" '{"trigger":{"type":"sometimes"}}')"
tap_is "unknown trigger type 400" "$STATUS" 400
tap_is "trigger message" "$(jq_body '.errors[0].message')" "invalid trigger type"
json_req admin POST /replication/policies "$(pol "t-$HA_SFX" '{"trigger":{"type":"scheduled"}}')"
tap_is "scheduled without cron 400" "$STATUS" 400
tap_is "empty cron message" "$(jq_body '.errors[0].message')" "the cron string cannot be empty when the trigger type is scheduled"
for cron in "0 0 * * *" "0 0 0 * * * *" "61 0 0 * * *" "0 0 25 * * *" "0 0 0 32 * *" "0 0 0 * 13 *" "0 0 0 * * 7" "a b c d e f" "0 0 0 */0 * *"; do
	json_req admin POST /replication/policies "$(pol "t-$HA_SFX" "{\"trigger\":{\"type\":\"scheduled\",\"trigger_settings\":{\"cron\":\"$cron\"}}}")"
	tap_is "cron '$cron' refused" "$STATUS" 400
done
tap_is "cron message" "$(jq_body '.errors[0].message')" "invalid cron string for scheduled trigger: 0 0 0 */0 * *"
n=0
for cron in "0 0 0 * * *" "0 */15 * * * *" "0 30 2 1-15 JAN-JUN MON,FRI" "@daily" "0 0 0 ? * 0"; do
	n=$((n + 1))
	json_req admin POST /replication/policies "$(pol "c$n-$HA_SFX" "{\"trigger\":{\"type\":\"scheduled\",\"trigger_settings\":{\"cron\":\"$cron\"}}}")"
	tap_is "cron '$cron' accepted" "$STATUS" 201
	req admin DELETE "/replication/policies/$(id_from_location)"
done

# --- speed, enabled, replace count
json_req admin POST /replication/policies "$(pol "s-$HA_SFX" '{"speed":-5,"enabled":true,"dest_namespace_replace_count":1,"override":true}')"
tap_is "policy with speed -5 201" "$STATUS" 201
ps=$(id_from_location)
req admin GET "/replication/policies/$ps"
tap_is "speed < 0 stored as 0" "$(jq_body .speed)" 0
tap_is "enabled true kept" "$(jq_body .enabled)" true
tap_is "replace count kept" "$(jq_body .dest_namespace_replace_count)" 1
tap_is "override kept" "$(jq_body .override)" true
ctime=$(jq_body .creation_time)

# --- PUT replaces the whole object
json_req admin PUT "/replication/policies/$ps" "$(pol "s2-$HA_SFX" '{"speed":100}')"
tap_is "PUT 200" "$STATUS" 200
req admin GET "/replication/policies/$ps"
tap_is "PUT renamed" "$(jq_body .name)" "s2-$HA_SFX"
tap_is "PUT without enabled disables" "$(jq_body '.enabled // false')" false
tap_is "PUT without override resets it" "$(jq_body '.override // false')" false
tap_is "PUT without replace count gives -1" "$(jq_body .dest_namespace_replace_count)" -1
tap_is "PUT speed" "$(jq_body .speed)" 100
tap_is "PUT keeps creation_time" "$(jq_body .creation_time)" "$ctime"
json_req admin PUT "/replication/policies/$ps" "$(pol "p1-$HA_SFX")"
tap_is "PUT onto another policy's name is 409" "$STATUS" 409
json_req admin PUT "/replication/policies/$ps" "$(pol "s2-$HA_SFX" '{"trigger":{"type":"scheduled","trigger_settings":{"cron":"* *"}}}')"
tap_is "PUT validates too" "$STATUS" 400
json_req admin PUT /replication/policies/999999 "$(pol "zz-$HA_SFX")"
tap_is "PUT unknown policy 404" "$STATUS" 404

# --- push mode (src local, dest remote)
json_req admin POST /replication/policies "{\"name\":\"push-$HA_SFX\",\"dest_registry\":{\"id\":$rid},\"trigger\":{\"type\":\"event_based\"}}"
tap_is "push policy with event_based trigger 201" "$STATUS" 201
pp=$(id_from_location)
req admin GET "/replication/policies/$pp"
tap_is "push policy src is local" "$(jq_body .src_registry.name)" Local

# --- list, filter, paging
req admin GET "/replication/policies?name=$HA_SFX"
tap_is "name filter finds 3" "$(jq_body length)" 3
tap_is "X-Total-Count 3" "$(hdr X-Total-Count)" 3
tap_is "newest first" "$(jq_body '.[0].id')" "$pp"
req admin GET "/replication/policies?name=$HA_SFX&page=2&page_size=2"
tap_is "page 2 has 1" "$(jq_body length)" 1
tap_is "page 2 Link" "$(hdr Link)" "</api/v2.0/replication/policies?name=$HA_SFX&page=1&page_size=2>; rel=\"prev\""
req dev GET /replication/policies
tap_is "developer gets 403" "$STATUS" 403

# --- DELETE refused while an execution runs
# A registry on the simulator itself, an image to pull, slow blob copies.
printf '{"name":"self-%s","url":"%s","type":"docker-registry","credential":{"type":"basic","access_key":"admin","access_secret":"Harbor12345"}}' \
	"$HA_SFX" "$HA_URL" >"$HA_TMP/self.json"
json_req admin POST /registries "$(cat "$HA_TMP/self.json")"
tap_is "self registry 201" "$STATUS" 201
self=$(id_from_location)
json_req admin POST /projects "{\"project_name\":\"src-$HA_SFX\"}"
json_req admin POST /projects "{\"project_name\":\"dst-$HA_SFX\"}"
req anon POST /_sim/images -H 'Content-Type: application/json' -d "{\"repository\":\"src-$HA_SFX/app\",\"tag\":\"v1\"}"
tap_is "image seeded" "$STATUS" 201
json_req admin POST /replication/policies "{\"name\":\"run-$HA_SFX\",\"enabled\":true,\"src_registry\":{\"id\":$self},\"dest_namespace\":\"dst-$HA_SFX\",\"dest_namespace_replace_count\":1,\"trigger\":{\"type\":\"manual\"},\"filters\":[{\"type\":\"name\",\"value\":\"src-$HA_SFX/app\"}]}"
tap_is "running policy 201" "$STATUS" 201
pr=$(id_from_location)
req anon POST /_sim/replication -H 'Content-Type: application/json' -d '{"blob_delay_ms": 3000}'
json_req admin POST /replication/executions "{\"policy_id\":$pr}"
tap_is "execution started" "$STATUS" 201
ex=$(id_from_location)
req admin DELETE "/replication/policies/$pr"
tap_is "DELETE policy with a running execution is 412" "$STATUS" 412
tap_is "412 message" "$(jq_body '.errors[0].message')" \
	"the execution $ex has tasks that aren't in final status, stop the tasks first"
req anon POST /_sim/replication -H 'Content-Type: application/json' -d '{"blob_delay_ms": 0}'
req admin PUT "/replication/executions/$ex"
st=
for _ in $(seq 150); do
	req admin GET "/replication/executions/$ex"
	st=$(jq_body .status)
	[ "$st" != InProgress ] && break
	sleep 0.1
done
tap_like "execution left InProgress after stop" "$st" '^(Stopped|Succeed|Failed)$'
req admin DELETE "/replication/policies/$pr"
tap_is "DELETE once finished is 200" "$STATUS" 200
req admin GET "/replication/executions/$ex"
tap_is "its executions are gone" "$STATUS" 404

# --- delete and cleanup
for p in "$p1" "$ps" "$pp"; do
	req admin DELETE "/replication/policies/$p"
	tap_is "delete policy $p" "$STATUS" 200
done
req admin GET "/replication/policies/$p1"
tap_is "deleted policy 404" "$STATUS" 404
req admin DELETE "/registries/$rid"
tap_is "registry deletable after its policies" "$STATUS" 200
req admin DELETE "/registries/$self"
req admin DELETE "/projects/src-$HA_SFX/repositories/app"
req admin DELETE "/projects/src-$HA_SFX" -H 'X-Is-Resource-Name: true'

tap_done

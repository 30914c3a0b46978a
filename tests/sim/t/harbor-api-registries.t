#!/bin/bash
# Harbor simulator: registries CRUD, health check on create/update, 409,
# 412, secret masking, URL normalisation, /registries/ping, info, adapters.
. "$(dirname "$0")/harbor-api-lib.sh"

n1="reg-a-$HA_SFX"
n2="reg-b-$HA_SFX"

# --- create
json_req admin POST /registries "$(reg_json "$n1" "$HA_REG_URL/")"
tap_is "create registry is 201" "$STATUS" 201
tap_like "Location header points at the new registry" "$(hdr Location)" '^/api/v2\.0/registries/[0-9]+$'
r1=$(id_from_location)
req admin GET "/registries/$r1"
tap_is "GET registry by id 200" "$STATUS" 200
tap_is "trailing slash stripped from url" "$(jq_body .url)" "$HA_REG_URL"
tap_is "access_secret is masked" "$(jq_body .credential.access_secret)" '*****'
tap_is "access_key is shown" "$(jq_body .credential.access_key)" "$HA_REG_USER"
tap_is "status is healthy after create" "$(jq_body .status)" healthy
tap_is "type kept" "$(jq_body .type)" docker-registry
tap_like "creation_time is a Harbor date-time" "$(jq_body .creation_time)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$'
if printf '%s' "$BODY" | grep -qF -- "$HA_REG_PASS"; then tap_fail "secret never appears in GET body"; else tap_pass "secret never appears in GET body"; fi

json_req admin POST /registries "$(reg_json "$n1" "$HA_REG_URL")"
tap_is "duplicate name is 409" "$STATUS" 409
tap_is "409 message as Harbor" "$(jq_body '.errors[0].message')" "registry $n1 already exists"
json_req admin POST /registries "$(reg_json "" "$HA_REG_URL")"
tap_is "empty name is 400" "$STATUS" 400
tap_is "empty name message" "$(jq_body '.errors[0].message')" "name cannot be empty"
json_req admin POST /registries "$(reg_json "$(printf 'x%.0s' $(seq 65))" "$HA_REG_URL")"
tap_is "name over 64 chars is 400" "$STATUS" 400
json_req admin POST /registries "$(reg_json "dead-$HA_SFX" "$HA_DEAD_URL")"
tap_is "unreachable endpoint is 400 on create" "$STATUS" 400
tap_is "unhealthy message" "$(jq_body '.errors[0].message')" "the registry is unhealthy"
json_req admin POST /registries "{\"name\":\"ftp-$HA_SFX\",\"url\":\"ftp://x\",\"type\":\"docker-registry\"}"
tap_is "non-http scheme is 400" "$STATUS" 400
tap_is "scheme message" "$(jq_body '.errors[0].message')" "invalid HTTP scheme: ftp"
json_req admin POST /registries "{\"name\":\"x-$HA_SFX\",\"url\":\"$HA_REG_URL\",\"type\":\"no-such-adapter\"}"
tap_is "unknown adapter type is refused" "$STATUS" 500
tap_is "5xx message hidden as Harbor does" "$(jq_body '.errors[0].message')" "internal server error"
json_req dev POST /registries "$(reg_json "dev-$HA_SFX" "$HA_REG_URL")"
tap_is "developer cannot create registries" "$STATUS" 403

# scheme-less URL becomes http:// (and http to a TLS port is unhealthy)
hostport=${HA_REG_URL#https://}
json_req admin POST /registries/ping "{\"type\":\"docker-registry\",\"url\":\"$hostport\"}"
tap_is "scheme-less url pinged over http (TLS port) is unhealthy" "$STATUS" 400

# A plain-HTTP registry stand-in (401 on /v2/ like a registry that wants
# auth: healthy for an anonymous Harbor ping) to see the stored URL.
cat >"$HA_TMP/plain.py" <<'PY'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="plain"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
/usr/bin/python3 "$HA_TMP/plain.py" "$HA_TMP/plain.port" &
plain_pid=$!
for _ in $(seq 50); do [ -s "$HA_TMP/plain.port" ] && break; sleep 0.1; done
plain=127.0.0.1:$(cat "$HA_TMP/plain.port")
json_req admin POST /registries "{\"name\":\"plain-$HA_SFX\",\"url\":\"  $plain?x=1\",\"type\":\"docker-registry\"}"
tap_is "scheme-less registry created" "$STATUS" 201
rp=$(id_from_location)
req admin GET "/registries/$rp"
tap_is "no scheme becomes http://, spaces and the query go" "$(jq_body .url)" "http://$plain"
tap_is "no credential: type basic, no key/secret" "$(jq_body -c .credential)" '{"type":"basic"}'
req admin DELETE "/registries/$rp"
kill "$plain_pid"

# --- list, filters, paging
json_req admin POST /registries "$(reg_json "$n2" "$HA_REG_URL")"
tap_is "second registry 201" "$STATUS" 201
r2=$(id_from_location)
req admin GET "/registries?name=$HA_SFX"
tap_is "name filter (fuzzy) finds both" "$(jq_body length)" 2
tap_is "list X-Total-Count" "$(hdr X-Total-Count)" 2
tap_is "list in id order (Harbor has no default sort)" "$(jq_body '[.[].id] | map(tostring) | join(",")')" "$r1,$r2"
tap_is "list masks secrets" "$(jq_body '[.[].credential.access_secret] | unique | join(",")')" '*****'
req admin GET "/registries?q=name%3D$n2"
tap_is "q exact name filter" "$(jq_body '.[0].id')" "$r2"
tap_is "q exact name filter count" "$(jq_body length)" 1
req admin GET "/registries?q=name%3D~reg-a-$HA_SFX"
tap_is "q fuzzy filter" "$(jq_body '.[0].name')" "$n1"
req admin GET "/registries?name=$HA_SFX&page_size=1"
tap_is "registries paginate" "$(jq_body length)" 1
tap_is "registries Link" "$(hdr Link)" "</api/v2.0/registries?name=$HA_SFX&page=2&page_size=1>; rel=\"next\""

# --- update
json_req admin PUT "/registries/$r2" '{"description":"changed"}'
tap_is "partial update 200" "$STATUS" 200
req admin GET "/registries/$r2"
tap_is "description changed" "$(jq_body .description)" changed
tap_is "credential kept on partial update" "$(jq_body .credential.access_key)" "$HA_REG_USER"
json_req admin PUT "/registries/$r2" "{\"name\":\"$n1\"}"
tap_is "rename onto an existing name is 409" "$STATUS" 409
json_req admin PUT "/registries/$r2" "{\"url\":\"$HA_DEAD_URL\"}"
tap_is "update to an unreachable url is 400" "$STATUS" 400
req admin GET "/registries/$r2"
tap_is "failed update left the url" "$(jq_body .url)" "$HA_REG_URL"
json_req admin PUT "/registries/$r2" '{"access_secret":"wrong-secret"}'
tap_is "update with a wrong secret is unhealthy (400)" "$STATUS" 400
json_req admin PUT /registries/999999 '{"description":"x"}'
tap_is "update unknown id is 404" "$STATUS" 404

# --- ping
json_req admin POST /registries/ping "{\"id\":$r1}"
tap_is "ping by id is 200" "$STATUS" 200
json_req admin POST /registries/ping "{\"id\":$r1,\"url\":\"$HA_DEAD_URL\"}"
tap_is "ping by id with url override uses the override (400)" "$STATUS" 400
HA_K=$HA_REG_USER HA_S=$HA_REG_PASS jq -cn --arg u "$HA_REG_URL" \
	'{type:"docker-registry",url:$u,credential_type:"basic",access_key:env.HA_K,access_secret:env.HA_S}' >"$HA_TMP/ping.json"
json_req admin POST /registries/ping "$(cat "$HA_TMP/ping.json")"
tap_is "ping by url and credentials is 200" "$STATUS" 200
json_req admin POST /registries/ping "{\"type\":\"docker-registry\",\"url\":\"$HA_DEAD_URL\"}"
tap_is "ping of a dead endpoint is 400" "$STATUS" 400
tap_is "ping unhealthy message" "$(jq_body '.errors[0].message')" "the registry is unhealthy"
json_req admin POST /registries/ping '{"type":"docker-registry"}'
tap_is "ping without url is 400" "$STATUS" 400
tap_is "ping empty message" "$(jq_body '.errors[0].message')" "type or url cannot be empty"
json_req admin POST /registries/ping '{"type":"docker-registry","url":"  /"}'
tap_is "ping with a blank url is 400 (Harbor's URL check)" "$(jq_body '.errors[0].message')" "empty string"
json_req admin POST /registries/ping '{"id":999999}'
tap_is "ping unknown id is 404" "$STATUS" 404

# --- info and adapters
req admin GET "/registries/$r1/info"
tap_is "info 200" "$STATUS" 200
tap_is "info type" "$(jq_body .type)" docker-registry
tap_is "info filters" "$(jq_body '[.supported_resource_filters[].type] | join(",")')" "name,tag,resource"
tap_is "info triggers" "$(jq_body '.supported_triggers | join(",")')" "manual,scheduled"
req admin GET /replication/adapters
tap_is "adapters include docker-registry" "$(jq_body 'index("docker-registry") != null')" true
tap_is "adapters include harbor" "$(jq_body 'index("harbor") != null')" true
req admin GET /replication/adapterinfos
tap_is "adapterinfos is an object keyed by type" "$(jq_body 'has("docker-hub")')" true

# --- delete with references (412)
json_req admin POST /replication/policies "{\"name\":\"pol-$HA_SFX\",\"src_registry\":{\"id\":$r1},\"dest_namespace\":\"mirror\",\"trigger\":{\"type\":\"manual\"}}"
tap_is "policy on registry 1 created" "$STATUS" 201
pol=$(id_from_location)
req admin DELETE "/registries/$r1"
tap_is "delete registry used by a policy is 412" "$STATUS" 412
tap_is "412 message names the registry" "$(jq_body '.errors[0].message')" \
	"the registry $r1 is referenced by replication policies, cannot delete it"
json_req admin POST /projects "{\"project_name\":\"proxy-$HA_SFX\",\"registry_id\":$r2,\"metadata\":{\"public\":\"true\"}}"
tap_is "proxy project on registry 2 created" "$STATUS" 201
req admin DELETE "/registries/$r2"
tap_is "delete registry used by a proxy project is 412" "$STATUS" 412
tap_is "412 proxy message" "$(jq_body '.errors[0].message')" \
	"the registry $r2 is referenced by proxy cache project, cannot delete it"
req admin DELETE "/replication/policies/$pol"
tap_is "delete the policy" "$STATUS" 200
req admin DELETE "/registries/$r1"
tap_is "delete registry once unreferenced is 200" "$STATUS" 200
req admin GET "/registries/$r1"
tap_is "deleted registry is 404" "$STATUS" 404
tap_is "404 message" "$(jq_body '.errors[0].message')" "registry $r1 not found"
req admin DELETE "/projects/proxy-$HA_SFX" -H 'X-Is-Resource-Name: true'
tap_is "delete proxy project" "$STATUS" 200
req admin DELETE "/registries/$r2"
tap_is "delete second registry" "$STATUS" 200

# --- status refresh (Harbor's periodic health check): a registry on the
# simulator's own /v2/, made unhealthy with a fault on /v2/.
printf '{"name":"flip-%s","url":"%s","type":"docker-registry","credential":{"type":"basic","access_key":"admin","access_secret":"Harbor12345"}}' \
	"$HA_SFX" "$HA_URL" >"$HA_TMP/flip.json"
json_req admin POST /registries "$(cat "$HA_TMP/flip.json")"
tap_is "registry on the simulator itself 201" "$STATUS" 201
r3=$(id_from_location)
req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/v2/", "count": 1000, "action": "status", "status": 503}'
req anon POST /_sim/registry-health
req admin GET "/registries/$r3"
tap_is "status turns unhealthy when /v2/ fails" "$(jq_body .status)" unhealthy
req anon DELETE /_sim/faults
req anon POST /_sim/registry-health
req admin GET "/registries/$r3"
tap_is "status back to healthy" "$(jq_body .status)" healthy
# the periodic check (period shortened through /_sim/config)
req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/v2/", "count": 1000, "action": "status", "status": 503}'
req anon POST /_sim/config -H 'Content-Type: application/json' -d '{"registry_health_interval_s": 1}'
st=
for _ in $(seq 50); do
	req admin GET "/registries/$r3"
	st=$(jq_body .status)
	[ "$st" = unhealthy ] && break
	sleep 0.1
done
tap_is "periodic health check marks it unhealthy" "$st" unhealthy
req anon POST /_sim/config -H 'Content-Type: application/json' -d '{"registry_health_interval_s": 300}'
req anon DELETE /_sim/faults
req admin DELETE "/registries/$r3"
tap_is "delete it" "$STATUS" 200

tap_done

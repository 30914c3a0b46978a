#!/bin/bash
# Harbor simulator: ping/health/systeminfo/users, auth, CSRF cookie, error
# bodies, pagination headers, fault injection and request counts.
# Private simulator: this test flips global knobs (faults, latency, counts).
HA_OWN=1
. "$(dirname "$0")/harbor-api-lib.sh"

# --- ping / health
req anon GET /ping
tap_is "GET /ping anonymous is 200" "$STATUS" 200
tap_is "GET /ping body is Pong" "$BODY" Pong
tap_like "API response sets sid cookie" "$(hdr Set-Cookie)" '^sid=[0-9a-f]+; Path=/; HttpOnly$'
tap_like "API response has X-Request-Id" "$(hdr X-Request-Id)" '^[0-9a-f-]{16,}$'
req anon GET /ping -H 'X-Request-Id: my-req-42'
tap_is "X-Request-Id from the client is echoed" "$(hdr X-Request-Id)" my-req-42

req anon GET /health
tap_is "GET /health is 200" "$STATUS" 200
tap_is "health status healthy" "$(jq_body .status)" healthy
tap_is "health lists core, registry, jobservice" \
	"$(jq_body '[.components[].name] | map(select(. == "core" or . == "registry" or . == "jobservice")) | sort | join(",")')" \
	"core,jobservice,registry"

# --- systeminfo anonymous vs authenticated
req anon GET /systeminfo
tap_is "anonymous systeminfo is 200" "$STATUS" 200
tap_is "anonymous systeminfo has auth_mode" "$(jq_body .auth_mode)" db_auth
tap_is "anonymous systeminfo hides harbor_version" "$(jq_body 'has("harbor_version")')" false
req admin GET /systeminfo
tap_like "authenticated systeminfo has harbor_version" "$(jq_body .harbor_version)" '^v2\.[0-9]+\.[0-9]+-sim$'
tap_like "authenticated systeminfo has external_url" "$(jq_body .external_url)" '^https://127\.0\.0\.1:[0-9]+$'

# --- users/current and auth
req admin GET /users/current
tap_is "admin /users/current 200" "$STATUS" 200
tap_is "admin username" "$(jq_body .username)" admin
tap_is "admin sysadmin_flag true" "$(jq_body .sysadmin_flag)" true
req dev GET /users/current
tap_is "developer sysadmin_flag false" "$(jq_body .sysadmin_flag)" false
req anon GET /users/current
tap_is "anonymous /users/current is 401" "$STATUS" 401
tap_is "401 error code" "$(jq_body '.errors[0].code')" UNAUTHORIZED
req bad GET /users/current
tap_is "wrong password is 401" "$STATUS" 401
req bad GET /projects
tap_is "wrong password on optional-auth list is 401" "$STATUS" 401
tap_is "401 body is Harbor's error array" "$(jq_body '.errors[0].message')" unauthorized
req dev GET /registries
tap_is "developer on /registries is 403" "$STATUS" 403
tap_is "403 code FORBIDDEN" "$(jq_body '.errors[0].code')" FORBIDDEN
req dev GET /replication/policies
tap_is "developer on /replication/policies is 403" "$STATUS" 403

# --- CSRF: sending the sid cookie back on an unsafe method
json_req admin POST /projects "{\"project_name\":\"csrf-$HA_SFX\"}" -H 'Cookie: sid=abc123'
tap_is "POST with sid cookie and no CSRF token is 403" "$STATUS" 403
tap_is "CSRF error message" "$(jq_body '.errors[0].message')" "CSRF token invalid"
req admin HEAD "/projects?project_name=csrf-$HA_SFX"
tap_is "CSRF-refused project was not created" "$STATUS" 404
json_req admin POST /projects "{\"project_name\":\"csrf-$HA_SFX\"}" -H 'Cookie: sid=abc123' -H 'X-Harbor-Csrf-Token: forged.token'
tap_is "POST with a forged CSRF token is 403" "$STATUS" 403
req admin GET /ping
tok=$(hdr X-Harbor-Csrf-Token)
json_req admin POST /projects "{\"project_name\":\"csrf-$HA_SFX\"}" -H 'Cookie: sid=abc123' -H "X-Harbor-Csrf-Token: $tok"
tap_is "POST with sid cookie and a valid CSRF token is 201" "$STATUS" 201
req admin DELETE "/projects/csrf-$HA_SFX" -H 'X-Is-Resource-Name: true'
tap_is "DELETE without a cookie needs no token" "$STATUS" 200

# --- error shapes
req admin GET /no-such-thing
tap_is "unknown path is 404" "$STATUS" 404
tap_is "unknown path has JSON error body" "$(jq_body '.errors[0].code')" NOT_FOUND
req admin PATCH /projects
tap_is "wrong method is 405" "$STATUS" 405
tap_like "405 has Allow header" "$(hdr Allow)" 'GET'
json_req admin POST /projects '{"project_name": '
tap_is "bad JSON is 400" "$STATUS" 400
tap_is "bad JSON code" "$(jq_body '.errors[0].code')" BAD_REQUEST
tap_like "error Content-Type" "$(hdr Content-Type)" '^application/json'

# --- pagination headers (projects; seed a few so there are pages)
req anon POST /_sim/seed -H 'Content-Type: application/json' -d '{"projects": 25}'
tap_is "seed 25 projects is 201" "$STATUS" 201
req admin GET "/projects?page_size=10"
total=$(hdr X-Total-Count)
tap_like "X-Total-Count is a number >= 26" "$total" '^[0-9]+$'
[ "${total:-0}" -ge 26 ] && tap_pass "total counts seeded projects" || tap_fail "total counts seeded projects" "total=$total"
tap_is "first page has 10 items" "$(jq_body length)" 10
tap_is "page 1 Link has only next" "$(hdr Link)" '</api/v2.0/projects?page=2&page_size=10>; rel="next"'
req admin GET "/projects?page=2&page_size=10&name=seed"
tap_is "page 2 Link has prev and next with the query kept" "$(hdr Link)" \
	'</api/v2.0/projects?name=seed&page=1&page_size=10>; rel="prev" , </api/v2.0/projects?name=seed&page=3&page_size=10>; rel="next"'
last=$(( (total + 9) / 10 ))
req admin GET "/projects?page=$last&page_size=10"
tap_like "last page Link has no next" "$(hdr Link)" '^<[^>]*>; rel="prev"$'
req admin GET "/projects?page_size=101"
tap_is "page_size over 100 is 422" "$STATUS" 422
req admin GET "/projects?page_size=100"
tap_is "page_size 100 is fine" "$STATUS" 200

# --- fault injection
req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/api/v2.0/systeminfo", "method": "GET", "count": 2, "action": "status", "status": 503, "retry_after": 1}'
tap_is "add fault is 201" "$STATUS" 201
req admin GET /systeminfo
tap_is "faulted request 1 gets 503" "$STATUS" 503
tap_is "faulted request carries Retry-After" "$(hdr Retry-After)" 1
req admin GET /systeminfo
tap_is "faulted request 2 gets 503" "$STATUS" 503
req admin GET /systeminfo
tap_is "third request is normal again" "$STATUS" 200

req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/api/v2.0/health", "count": 1, "action": "invalid_json"}'
req admin GET /health
tap_is "invalid_json fault keeps status" "$STATUS" 200
if printf '%s' "$BODY" | jq . >/dev/null 2>&1; then tap_fail "invalid_json body does not parse"; else tap_pass "invalid_json body does not parse"; fi

req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/api/v2.0/health", "count": 1, "action": "reset"}'
curl -s --cacert "$HA_CA" -o /dev/null "$HA_API/health"
rc=$?
[ "$rc" -ne 0 ] && tap_pass "reset fault breaks the connection (curl rc $rc)" || tap_fail "reset fault breaks the connection"

req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/api/v2.0/projects$", "count": 1, "action": "truncate"}'
curl -s --cacert "$HA_CA" -K "$HA_TMP/admin.cfg" -o /dev/null "$HA_API/projects"
rc=$?
[ "$rc" -ne 0 ] && tap_pass "truncate fault gives a short body (curl rc $rc)" || tap_fail "truncate fault gives a short body"

req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/api/v2.0/ping", "count": 1, "action": "delay", "delay_ms": 400}'
t0=$(date +%s%N)
req anon GET /ping
t1=$(date +%s%N)
tap_is "delayed request still answers" "$STATUS" 200
[ $(( (t1 - t0) / 1000000 )) -ge 400 ] && tap_pass "delay fault delays >= 400 ms" || tap_fail "delay fault delays >= 400 ms" "took $(( (t1 - t0) / 1000000 )) ms"

req anon POST /_sim/faults -H 'Content-Type: application/json' \
	-d '{"path_regex": "^/api/v2.0/ping", "count": 5, "action": "status", "status": 500}'
req anon DELETE /_sim/faults
req anon GET /ping
tap_is "DELETE /_sim/faults clears pending faults" "$STATUS" 200

# --- request counts
req anon DELETE /_sim/requests
tap_is "reset counts" "$STATUS" 200
req admin GET "/projects?page=1"
req admin GET "/projects?page=2"
req admin GET /systeminfo
req anon GET /_sim/requests
tap_is "counts keyed by method and path without query" \
	"$(jq_body '.counts["GET /api/v2.0/projects"]')" 2
tap_is "systeminfo counted once" "$(jq_body '.counts["GET /api/v2.0/systeminfo"]')" 1
tap_is "control requests are not counted" "$(jq_body '[.counts | keys[] | select(startswith("GET /_sim") or startswith("DELETE /_sim"))] | length')" 0

# --- latency config
req anon POST /_sim/config -H 'Content-Type: application/json' -d '{"latency_ms": 300}'
t0=$(date +%s%N)
req anon GET /ping
t1=$(date +%s%N)
req anon POST /_sim/config -H 'Content-Type: application/json' -d '{"latency_ms": 0}'
[ $(( (t1 - t0) / 1000000 )) -ge 300 ] && tap_pass "latency_ms delays API requests" || tap_fail "latency_ms delays API requests" "took $(( (t1 - t0) / 1000000 )) ms"

tap_done

#!/usr/bin/env bash
# overview-counts.t: the overview counts projects and replication rules
# without listing them: with 5,000 projects it shows the count after one
# projects request (page_size=1, X-Total-Count), not 50 pages. A running
# execution still shows its rule's name (fetched by id). Uses a private
# stack (it seeds thousands of projects).
BERTH_SIM_DIR=
. "$(dirname "$0")/lib.sh"

ctl() { curl -s --cacert "$BERTH_SIM_CA" "$@"; }
api() { curl -s --cacert "$BERTH_SIM_CA" -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" -H 'Content-Type: application/json' "$@"; }
H=$BERTH_SIM_HARBOR_URL/api/v2.0
jget() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
# requests METHOD PATH: how many the simulator saw since the last reset
requests() {
	ctl "$BERTH_SIM_CONTROL_URL/requests" |
	    /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['counts'].get('$1 $2', 0))"
}

ctl -X POST -H 'Content-Type: application/json' "$BERTH_SIM_CONTROL_URL/seed" \
    -d '{"projects":5000}' >/dev/null
total=$(api -o /dev/null -D - "$H/projects?page=1&page_size=1" |
    tr -d '\r' | sed -n 's/^[Xx]-[Tt]otal-[Cc]ount: *//p')
tap_is "setup: the simulator has 5,001 projects (library + 5,000)" "$total" 5001

ctl -X DELETE "$BERTH_SIM_CONTROL_URL/requests" >/dev/null
tui_start -x 100 -y 30
check "the overview shows the project count" "p +Projects +5001( |$)"
check "and the rule count" "l +Replication rules +0( |$)"
tap_is "one projects request, not 50 pages" "$(requests GET /api/v2.0/projects)" 1
tap_is "one policies request" "$(requests GET /api/v2.0/replication/policies)" 1

# Ctrl-R: one more of each, still not a list.
keys C-r
check "reloaded" "p +Projects +5001( |$)"
tap_is "a reload is one more projects request" "$(requests GET /api/v2.0/projects)" 2

# A running execution still shows its rule's name, fetched by id.
api -X POST "$H/registries" -d "{\"name\":\"cgr-counts\",\"type\":\"docker-registry\",\"url\":\"$BERTH_SIM_CGR_URL\",\"credential\":{\"type\":\"basic\",\"access_key\":\"$BERTH_SIM_CGR_USER\",\"access_secret\":\"$BERTH_SIM_CGR_PASSWORD\"}}" >/dev/null
rid=$(api "$H/registries?q=name%3Dcgr-counts" | jget '[0]["id"]')
api -X POST "$H/replication/policies" -d "{\"name\":\"counts-pol\",\"src_registry\":{\"id\":$rid},\"dest_registry\":{\"id\":0},\"dest_namespace\":\"mirror\",\"trigger\":{\"type\":\"manual\"},\"filters\":[{\"type\":\"name\",\"value\":\"$BERTH_SIM_ORG/**\"}],\"enabled\":true,\"override\":true}" >/dev/null
pid=$(api "$H/replication/policies?q=name%3Dcounts-pol" | jget '[0]["id"]')
ctl -X POST -H 'Content-Type: application/json' "$BERTH_SIM_CONTROL_URL/replication" -d '{"blob_delay_ms": 700}' >/dev/null
api -X POST "$H/replication/executions" -d "{\"policy_id\":$pid}" >/dev/null
ctl -X DELETE "$BERTH_SIM_CONTROL_URL/requests" >/dev/null
keys C-r
check "one rule now" "l +Replication rules +1( |$)"
check "the running execution shows its rule's name" "#[0-9]+ +counts-pol +[#.]+ +[0-9]+/[0-9]+ done"
check "live: the execution finishes" "Running now +0" 60
n=$(requests GET "/api/v2.0/replication/policies/$pid")
tap_ok "the rule's name was fetched once, not on every poll ($n)" test "$n" = 1
tap_is "policies requests: one count per load (as many as projects), no list for the name" \
    "$(requests GET /api/v2.0/replication/policies)" "$(requests GET /api/v2.0/projects)"
keys q
restored "quit"
tap_done

#!/usr/bin/env bash
# live.t: the overview is live while executions run: it shows each running
# execution with its progress, polls until none is left, then stops (no
# wake-ups while idle). Uses a private stack: it creates a registry, a
# rule and a slowed-down execution.
BERTH_SIM_DIR=
. "$(dirname "$0")/lib.sh"

api() { curl -s --cacert "$BERTH_SIM_CA" -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" -H 'Content-Type: application/json' "$@"; }
H=$BERTH_SIM_HARBOR_URL/api/v2.0
jget() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

api -X POST "$H/registries" -d "{\"name\":\"cgr-live\",\"type\":\"docker-registry\",\"url\":\"$BERTH_SIM_CGR_URL\",\"credential\":{\"type\":\"basic\",\"access_key\":\"$BERTH_SIM_CGR_USER\",\"access_secret\":\"$BERTH_SIM_CGR_PASSWORD\"}}" >/dev/null
rid=$(api "$H/registries?q=name%3Dcgr-live" | jget '[0]["id"]')
api -X POST "$H/replication/policies" -d "{\"name\":\"live-pol\",\"src_registry\":{\"id\":$rid},\"dest_registry\":{\"id\":0},\"dest_namespace\":\"mirror\",\"trigger\":{\"type\":\"manual\"},\"filters\":[{\"type\":\"name\",\"value\":\"$BERTH_SIM_ORG/**\"}],\"enabled\":true,\"override\":true}" >/dev/null
pid=$(api "$H/replication/policies?q=name%3Dlive-pol" | jget '[0]["id"]')
curl -s --cacert "$BERTH_SIM_CA" -X POST -H 'Content-Type: application/json' "$BERTH_SIM_CONTROL_URL/replication" -d '{"blob_delay_ms": 700}' >/dev/null
api -X POST "$H/replication/executions" -d "{\"policy_id\":$pid}" >/dev/null
st=$(api "$H/replication/executions?policy_id=$pid" | jget '[0]["status"]')
tap_is "setup: an execution runs" "$st" InProgress

tui_start -x 100 -y 30
check "overview: one rule" "l +Replication rules +1"
check "overview: running now" "Running now +1"
check "the execution with its rule and progress" "#[0-9]+ +live-pol +[#.]+ +[0-9]+/[0-9]+ done, 0 failed"
first=$(grep -Eo '[0-9]+/[0-9]+ done' "$T/pane")
check "the progress moves without a key (live)" "live-pol +[#.]+ +[1-9][0-9]*/[0-9]+ done" 30
check "finished: nothing runs any more" "Running now +0" 60
check_not "finished: no execution listed" "live-pol"
echo "# progress went from $first"
# Let the last refresh settle (its requests may land after the count is
# drawn): wait until the idle counter holds for 1.5 s, at most 8 s. A timer
# still armed would fire within the window below and fail the check.
n=$(idle_count); still=$(now_ms); limit=$(( still + 8000 ))
while [ "$(now_ms)" -lt "$limit" ] && [ $(( $(now_ms) - still )) -lt 1500 ]; do
	tick 0.2
	m=$(idle_count)
	if [ "$m" != "$n" ]; then n=$m; still=$(now_ms); fi
done
end=$(( $(now_ms) + 4000 ))
while [ "$(now_ms)" -lt "$end" ]; do tick 0.2; done	# observation window
tap_is "no wake-ups once nothing runs" "$(idle_count)" "$n"
keys q
restored "quit"
tap_done

#!/bin/bash
# Harbor simulator replication cases: tag and name filters, override off
# skips existing tags, proxy-cache destination skipped, nothing to replicate,
# enumeration failures, flattening error, stop, status lag.
# shellcheck source=tests/sim/t/harbor-repl-common.sh
. "$(dirname "$0")/harbor-repl-common.sh"

ORG=$BERTH_SIM_ORG
DST=s2b-cases-$RUN
restore() {
	sim_ctl /replication '{"blob_delay_ms":0}' >/dev/null 2>&1
	[ -n "${LAG0:-}" ] && sim_ctl /config "{\"status_lag_s\":$LAG0}" >/dev/null 2>&1
	rc_cleanup
}
trap restore EXIT

REG=$(mk_registry "cgr-cases-$RUN" BERTH_SIM_CGR_USER BERTH_SIM_CGR_PASSWORD)
mk_project "$DST"
tap_like "registry and project" "$REG" '^[0-9]+$'

# run_policy NAME NAMESPACE COUNT OVERRIDE FILTERS [REGISTRY]: prints final execution JSON
run_policy() {
	local pid ex
	pid=$(mk_policy "$1-$RUN" "${6:-$REG}" "$2" "$3" "$4" true "$5") || return 1
	ex=$(start_exec "$pid") || return 1
	wait_exec "$ex" 60
}
tasks_of() { hget "/replication/executions/$(echo "$1" | jq -r .id)/tasks?page_size=100"; }

# --- filters
ex=$(run_policy tagf "$DST" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/nginx\"},{\"type\":\"tag\",\"value\":\"1.*\",\"decoration\":\"matches\"}]")
tap_is "tag filter matches: 2 of 3 tags" "$(tasks_of "$ex" | jq -r '.[].src_resource')" "$ORG/nginx [2 item(s) in total]"
tap_is "tag filter matches: only those tags copied" \
	"$(curl -sS --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" "$H/v2/$DST/nginx/tags/list" | jq -c .tags)" '["1.25","1.25.3"]'
ex=$(run_policy tagx "$DST-x" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/*\"},{\"type\":\"tag\",\"value\":\"latest\",\"decoration\":\"excludes\"}]")
tap_is "tag filter excludes; single * stays in one path component" \
	"$(tasks_of "$ex" | jq -r '[.[].src_resource] | sort | join(";")')" \
	"$ORG/nginx [2 item(s) in total];$ORG/python [1 item(s) in total]"
tap_is "missing destination project created" "$(hc GET "/projects/$DST-x" | hstatus)" 200
ex=$(run_policy brace "$DST" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/{static,python}\"}]")
tap_is "{a,b} name filter" "$(tasks_of "$ex" | jq -r '[.[].src_resource] | sort | join(";")')" \
	"$ORG/python [2 item(s) in total];$ORG/static [1 item(s) in total]"
ex=$(run_policy none "$DST" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/no-such-*\"}]")
tap_is "nothing matches: Succeed, total 0" "$(echo "$ex" | jq -c '[.status,.total]')" '["Succeed",0]'
tap_is "nothing matches: status_text" "$(echo "$ex" | jq -r .status_text)" "no resources need to be replicated"

# --- flattening level beyond the source path
ex=$(run_policy flat "$DST" 2 true "[{\"type\":\"name\",\"value\":\"$ORG/static\"}]")
tap_is "replace count too large: Failed" "$(echo "$ex" | jq -r .status)" Failed
tap_like "replace count too large: Harbor's message" "$(echo "$ex" | jq -r .status_text)" \
	"contains only 1 path components \[$ORG\] excepting the last one, but the destination namespace flattening level is 2"

# --- proxy-cache destination
PROXY=s2b-proxydst-$RUN
mk_project "$PROXY" "$REG"
ex=$(run_policy toproxy "$PROXY" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/**\"}]")
tap_is "proxy-cache destination: Succeed, total 0" "$(echo "$ex" | jq -c '[.status,.total]')" '["Succeed",0]'
tap_is "proxy-cache destination: status_text" "$(echo "$ex" | jq -r .status_text)" "no resources need to be replicated"
tap_is "proxy-cache destination: nothing stored" "$(hget "/projects/$PROXY/repositories" | jq length)" 0

# --- enumeration failures
NOCAT=$(mk_registry "cgr-nocat-$RUN" BERTH_SIM_CGR_NOCAT_USER BERTH_SIM_CGR_NOCAT_PASSWORD)
ex=$(run_policy nocat "$DST-n" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/**\"}]" "$NOCAT")
tap_is "catalog refused: Failed" "$(echo "$ex" | jq -r .status)" Failed
tap_like "catalog refused: failed to fetch artifacts" "$(echo "$ex" | jq -r .status_text)" '^failed to fetch artifacts: .+'
tap_is "catalog refused: no tasks" "$(echo "$ex" | jq -r .total)" 0
ex=$(run_policy nocatlit "$DST-n" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/static\"}]" "$NOCAT")
tap_is "literal name needs no catalog: Succeed" "$(echo "$ex" | jq -c '[.status,.succeed]')" '["Succeed",1]'
OTHER=$(mk_registry "cgr-other-$RUN" BERTH_SIM_CGR_OTHER_USER BERTH_SIM_CGR_OTHER_PASSWORD)
ex=$(run_policy other "$DST-o" -1 true "[{\"type\":\"name\",\"value\":\"$ORG/nginx\"}]" "$OTHER")
tap_is "token without the org: Failed" "$(echo "$ex" | jq -r .status)" Failed
tap_like "token without the org: Harbor's wrapped message" "$(echo "$ex" | jq -r .status_text)" \
	"^failed to fetch artifacts: failed to fetch artifacts: failed to list artifacts of repository $ORG/nginx: "

# --- override off skips tags that exist with another digest.  Two sources
# that flatten onto one destination name (ORG/static and the public
# chainguard/static), so the shared upstream is never modified.
first=$(cgr_inspect "$ORG/static:latest")
other=$(cgr_inspect chainguard/static:latest)
tap_ok "the two sources differ" test "$first" != "$other"
ex=$(run_policy ovr1 "$DST-ovr" -1 false "[{\"type\":\"name\",\"value\":\"$ORG/static\"}]")
tap_is "first copy" "$(echo "$ex" | jq -r .status)/$(harbor_inspect "$DST-ovr/static:latest")" "Succeed/$first"
ex=$(run_policy ovr2 "$DST-ovr" -1 false '[{"type":"name","value":"chainguard/static"}]')
tap_is "override off: task succeeds" "$(echo "$ex" | jq -c '[.status,.succeed]')" '["Succeed",1]'
tap_is "override off: destination keeps its digest" "$(harbor_inspect "$DST-ovr/static:latest")" "$first"
tid=$(tasks_of "$ex" | jq -r '.[0].id')
tap_like "override off: log warns and skips" "$(hget "/replication/executions/$(echo "$ex" | jq -r .id)/tasks/$tid/log")" \
	"\[WARNING\] .*the same name artifact $DST-ovr/static:latest exists on the destination registry, but the \"override\" is set to false, skip"
ex=$(run_policy ovr3 "$DST-ovr" -1 true '[{"type":"name","value":"chainguard/static"}]')
tap_is "override on: destination replaced" "$(echo "$ex" | jq -r .status)/$(harbor_inspect "$DST-ovr/static:latest")" "Succeed/$other"
tid=$(tasks_of "$ex" | jq -r '.[0].id')
tap_like "override on: log says so" "$(hget "/replication/executions/$(echo "$ex" | jq -r .id)/tasks/$tid/log")" \
	"exists on the destination registry and the \"override\" is set to true, continue\.\.\."

# --- stop
sim_ctl /replication '{"blob_delay_ms":400}' >/dev/null
SPOL=$(mk_policy "stop-$RUN" "$REG" "$DST-stop" -1 true true "[{\"type\":\"name\",\"value\":\"$ORG/**\"}]")
SEX=$(start_exec "$SPOL")
end=$(($(date +%s) + 20)); seen=
while [ "$(date +%s)" -lt "$end" ]; do
	j=$(hget "/replication/executions/$SEX")
	if [ "$(echo "$j" | jq -r .in_progress)" -gt 0 ]; then seen=$j; break; fi
	sleep 0.05	# poll interval, bounded by the deadline
done
tap_like "stop: tasks in progress before the stop" "$(echo "$seen" | jq -r '"\(.status) \(.in_progress)"')" '^InProgress [1-9]'
tap_is "running execution listed as InProgress" "$(hget "/replication/executions?policy_id=$SPOL&status=InProgress" | jq -r '.[0].id')" "$SEX"
tap_is "stop: PUT 200" "$(hc PUT "/replication/executions/$SEX" | hstatus)" 200
ex=$(wait_exec "$SEX" 30)
sim_ctl /replication '{"blob_delay_ms":0}' >/dev/null
tap_is "stopped execution" "$(echo "$ex" | jq -r .status)" Stopped
tap_like "stopped tasks counted, none left running" "$(echo "$ex" | jq -r '"\(.stopped) \(.in_progress) \(.total)"')" '^[1-9][0-9]* 0 4$'
st=$(hget "/replication/executions/$SEX/tasks?status=Stopped&page_size=100")
tid=$(echo "$st" | jq -r '[.[] | select(.start_time != "0001-01-01T00:00:00.000Z")][0].id')
tap_like "stopped task log ends with 'the job is stopped'" \
	"$(hget "/replication/executions/$SEX/tasks/$tid/log" | tail -1)" '\[INFO\] .*: the job is stopped$'
tap_is "stop of an unknown execution: 404" "$(hc PUT /replication/executions/999999 | hstatus)" 404

# --- status lags the counts
LAG0=$(sim_ctl /config '{}' | jq -r .status_lag_s)
sim_ctl /config '{"status_lag_s":1.5}' >/dev/null
LPOL=$(mk_policy "lag-$RUN" "$REG" "$DST-lag" -1 true true "[{\"type\":\"name\",\"value\":\"$ORG/static\"}]")
LEX=$(start_exec "$LPOL")
end=$(($(date +%s) + 20)); lagged=
while [ "$(date +%s)" -lt "$end" ]; do
	j=$(hget "/replication/executions/$LEX")
	case $(echo "$j" | jq -r '"\(.status) \(.succeed) \(.total)"') in
	"InProgress 1 1") lagged=yes; break ;;
	Succeed*) break ;;
	esac
	sleep 0.05	# poll interval, bounded by the deadline
done
tap_is "status still InProgress while counts are final" "$lagged" yes
tap_is "status catches up" "$(wait_exec "$LEX" 10 | jq -r .status)" Succeed
sim_ctl /config "{\"status_lag_s\":$LAG0}" >/dev/null

tap_done

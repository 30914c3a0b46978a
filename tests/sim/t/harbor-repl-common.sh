# tests/sim/t/harbor-repl-common.sh: shared set-up for the harbor-repl-*.t
# tests (Harbor simulator: images, proxy cache and replication).  Source it.
#
# Reuses the stack in $BERTH_SIM_DIR when its env file exists; otherwise
# starts a private stack and stops it on exit.  Secrets stay out of argv:
# curl reads credentials from a config file, skopeo from an auth file.
# shellcheck shell=bash

RC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$RC_ROOT/tests/lib/tap.sh"

RC_TMP=$(mktemp -d "${TMPDIR:-/tmp}/harbor-repl.XXXXXX")
RC_OWN_STACK=
rc_cleanup() {
	if [ -n "$RC_OWN_STACK" ]; then
		"$RC_ROOT/tests/sim/stack" down --dir "$RC_OWN_STACK" >/dev/null 2>&1
		rm -rf "$RC_OWN_STACK"
	fi
	rm -rf "$RC_TMP"
}
trap rc_cleanup EXIT

if [ -n "${BERTH_SIM_DIR:-}" ] && [ -f "$BERTH_SIM_DIR/env" ]; then
	# shellcheck disable=SC1091
	. "$BERTH_SIM_DIR/env"
else
	RC_OWN_STACK=$(mktemp -d "${TMPDIR:-/tmp}/harbor-repl-stack.XXXXXX")
	if ! "$RC_ROOT/tests/sim/stack" up --dir "$RC_OWN_STACK" >"$RC_TMP/stack-up.log" 2>&1; then
		tap_fail "stack up" "$(tail -5 "$RC_TMP/stack-up.log")"
		tap_done
		exit 1
	fi
	# shellcheck disable=SC1091
	. "$RC_OWN_STACK/env"
fi

H=$BERTH_SIM_HARBOR_URL
HHOST=${H#https://}
CGRHOST=${BERTH_SIM_CGR_URL#https://}
CERTS=$BERTH_SIM_DIR/certs.d
# shellcheck disable=SC2034  # used by the sourcing tests
RUN=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')	# names unique per run

umask 077
printf 'user = "%s:%s"\n' "$BERTH_SIM_HARBOR_USER" "$BERTH_SIM_HARBOR_PASSWORD" >"$RC_TMP/admin.cfg"
# skopeo auth file with the Harbor admin and the cgr pull token
/usr/bin/python3 - "$RC_TMP/auth.json" "$HHOST" "$CGRHOST" <<'EOF'
import base64, json, os, sys
def b(u, p):
    return base64.b64encode(("%s:%s" % (u, p)).encode()).decode()
e = os.environ
json.dump({"auths": {
    sys.argv[2]: {"auth": b(e["BERTH_SIM_HARBOR_USER"], e["BERTH_SIM_HARBOR_PASSWORD"])},
    sys.argv[3]: {"auth": b(e["BERTH_SIM_CGR_USER"], e["BERTH_SIM_CGR_PASSWORD"])},
}}, open(sys.argv[1], "w"))
EOF
umask 022

# hc METHOD PATH [CURL_ARGS...]: admin request to the Harbor API; prints the
# body, then a last line "HTTP <status>".
hc() {
	local m=$1 p=$2; shift 2
	curl -sS --cacert "$BERTH_SIM_CA" -K "$RC_TMP/admin.cfg" -X "$m" \
		-w '\nHTTP %{http_code}\n' "$@" "$H/api/v2.0$p"
}
# hbody / hstatus: split hc's output.
hbody() { sed '$d' | sed '${/^$/d}'; }
hstatus() { tail -1 | sed 's/^HTTP //'; }
# hjson METHOD PATH JSONFILE: POST/PUT a JSON body from a file.
hjson() { hc "$1" "$2" -H "Content-Type: application/json" --data-binary "@$3" "${@:4}"; }
# hget PATH: body of an admin GET.
hget() { hc GET "$1" | hbody; }

# sim_ctl PATH JSON: POST to the control endpoint.
sim_ctl() {
	curl -sS --cacert "$BERTH_SIM_CA" -X POST -H 'Content-Type: application/json' \
		-d "$2" "$BERTH_SIM_CONTROL_URL$1"
}

# mk_registry NAME USERVAR PASSVAR: registry endpoint for the cgr stand-in
# with the credentials in the named variables; prints its id.
mk_registry() {
	local name=$1 f=$RC_TMP/reg-$1.json out
	umask 077
	jq -n --arg n "$name" --arg u "$BERTH_SIM_CGR_URL" --arg k "${!2}" --arg s "${!3}" \
		'{name:$n, type:"docker-registry", url:$u, insecure:false,
		  credential:{type:"basic", access_key:$k, access_secret:$s}}' >"$f"
	umask 022
	out=$(hjson POST /registries "$f" -D "$RC_TMP/hdr")
	rm -f "$f"
	[ "$(echo "$out" | hstatus)" = 201 ] || { echo "registry create: $out" >&2; return 1; }
	sed -n 's|^Location: .*/registries/\([0-9]*\).*|\1|ip' "$RC_TMP/hdr" | tr -d '\r'
}

# mk_project NAME [REGISTRY_ID]: private project (proxy cache with an id).
mk_project() {
	local f=$RC_TMP/proj.json out
	if [ -n "${2:-}" ]; then
		jq -n --arg n "$1" --argjson r "$2" '{project_name:$n, registry_id:$r, metadata:{public:"false"}}' >"$f"
	else
		jq -n --arg n "$1" '{project_name:$n, metadata:{public:"false"}}' >"$f"
	fi
	out=$(hjson POST /projects "$f")
	[ "$(echo "$out" | hstatus)" = 201 ] || { echo "project create: $out" >&2; return 1; }
}

# mk_policy NAME REGISTRY_ID NAMESPACE REPLACE_COUNT OVERRIDE ENABLED FILTERS_JSON
# prints the policy id.
mk_policy() {
	local f=$RC_TMP/pol.json out
	jq -n --arg n "$1" --argjson r "$2" --arg ns "$3" --argjson c "$4" \
		--argjson o "$5" --argjson e "$6" --argjson fl "$7" \
		'{name:$n, src_registry:{id:$r}, dest_namespace:$ns,
		  dest_namespace_replace_count:$c, override:$o, enabled:$e,
		  trigger:{type:"manual"}, filters:$fl, deletion:false}' >"$f"
	out=$(hjson POST /replication/policies "$f" -D "$RC_TMP/hdr")
	[ "$(echo "$out" | hstatus)" = 201 ] || { echo "policy create: $out" >&2; return 1; }
	sed -n 's|^Location: .*/policies/\([0-9]*\).*|\1|ip' "$RC_TMP/hdr" | tr -d '\r'
}

# start_exec POLICY_ID: starts an execution; prints its id (from Location).
start_exec() {
	local out
	out=$(hc POST /replication/executions -H 'Content-Type: application/json' \
		-d "{\"policy_id\":$1}" -D "$RC_TMP/hdr")
	[ "$(echo "$out" | hstatus)" = 201 ] || { echo "start: $out" >&2; return 1; }
	sed -n 's|^Location: /api/v2.0/replication/executions/\([0-9]*\).*|\1|ip' "$RC_TMP/hdr" | tr -d '\r'
}

# wait_exec ID [SECONDS]: poll until the execution leaves InProgress;
# prints its final JSON. Fails on timeout.
wait_exec() {
	local id=$1 secs=${2:-30} end j
	end=$(($(date +%s) + secs))
	while :; do
		j=$(hget "/replication/executions/$id")
		case $(echo "$j" | jq -r .status) in
		InProgress|"") ;;
		*) echo "$j"; return 0 ;;
		esac
		if [ "$(date +%s)" -ge "$end" ]; then echo "$j"; return 1; fi
		sleep 0.1	# poll interval, bounded by the deadline
	done
}

# cgr_inspect REF / harbor_inspect REF: sha256 of the raw manifest.
cgr_inspect() {
	skopeo inspect --raw --cert-dir "$CERTS" --authfile "$RC_TMP/auth.json" \
		"docker://$CGRHOST/$1" | sha256sum | cut -d' ' -f1
}
harbor_inspect() {
	skopeo inspect --raw --cert-dir "$CERTS" --authfile "$RC_TMP/auth.json" \
		"docker://$HHOST/$1" | sha256sum | cut -d' ' -f1
}

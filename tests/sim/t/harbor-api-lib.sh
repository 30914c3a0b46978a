# tests/sim/t/harbor-api-lib.sh: shared setup for the harbor-api-*.t tests.
# Source it after setting nothing; it sources tests/lib/tap.sh and provides
# a Harbor simulator: the stack in $BERTH_SIM_DIR when $BERTH_SIM_DIR/env
# exists, else one started here (own cert, own data dir, killed on exit).
# shellcheck shell=bash

HA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=../../lib/tap.sh
. "$HA_ROOT/tests/lib/tap.sh"

HA_TMP=$(mktemp -d /tmp/harbor-api-t.XXXXXX)
HA_PID=
ha_cleanup() {
	if [ -n "$HA_PID" ]; then
		kill "$HA_PID" 2>/dev/null
		local i
		for i in $(seq 50); do kill -0 "$HA_PID" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -rf "$HA_TMP"
}
trap ha_cleanup EXIT

# Unique suffix so tests can share one stack.
HA_SFX="$$-$(date +%s%N | tail -c 6)"

# HA_OWN=1 (set before sourcing) always starts a private simulator, for
# tests that would disturb a shared stack (bulk seeding).
if [ -z "${HA_OWN:-}" ] && [ -n "${BERTH_SIM_DIR:-}" ] && [ -f "$BERTH_SIM_DIR/env" ]; then
	# shellcheck disable=SC1091
	. "$BERTH_SIM_DIR/env"
	HA_URL=$BERTH_SIM_HARBOR_URL
	HA_CTRL=$BERTH_SIM_CONTROL_URL
	HA_CA=$BERTH_SIM_CA
	HA_SHARED=1
else
	HA_SHARED=0
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		-keyout "$HA_TMP/key.pem" -out "$HA_TMP/cert.pem" \
		-subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1" \
		>/dev/null 2>&1 || { echo "Bail out! openssl failed"; exit 1; }
	(cd "$HA_ROOT/tests/sim" && PYTHONPATH=. exec /usr/bin/python3 -m harborsim \
		--host 127.0.0.1 --port 0 --port-file "$HA_TMP/port" \
		--cert "$HA_TMP/cert.pem" --key "$HA_TMP/key.pem" \
		--data-dir "$HA_TMP/data" --ca-file "$HA_TMP/cert.pem" \
		${HA_SIM_ARGS:-} >"$HA_TMP/sim.log" 2>&1) &
	HA_PID=$!
	for _ in $(seq 100); do
		[ -s "$HA_TMP/port" ] && break
		kill -0 "$HA_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -s "$HA_TMP/port" ] || { echo "Bail out! harborsim did not start"; cat "$HA_TMP/sim.log" >&2; exit 1; }
	HA_URL="https://127.0.0.1:$(cat "$HA_TMP/port")"
	HA_CTRL="$HA_URL/_sim"
	HA_CA="$HA_TMP/cert.pem"
fi
HA_API="$HA_URL/api/v2.0"

# Credentials go through a curl config file, never argv.
printf 'user = "admin:Harbor12345"\n' >"$HA_TMP/admin.cfg"
printf 'user = "developer:Developer12345"\n' >"$HA_TMP/dev.cfg"
printf 'user = "admin:wrong-password"\n' >"$HA_TMP/bad.cfg"
: >"$HA_TMP/anon.cfg"

# req AS METHOD PATH [curl args...]: AS is admin|dev|bad|anon.  PATH is
# relative to /api/v2.0 unless it starts with http or /_sim.  Sets STATUS,
# BODY and HDRS (headers, CR stripped).
req() {
	local as=$1 method=$2 path=$3; shift 3
	local url
	case $path in
	http*) url=$path ;;
	/_sim*) url="$HA_URL$path" ;;
	*) url="$HA_API$path" ;;
	esac
	local -a m=(-X "$method")
	[ "$method" = HEAD ] && m=(-I)
	STATUS=$(curl -s --cacert "$HA_CA" -K "$HA_TMP/$as.cfg" "${m[@]}" \
		-o "$HA_TMP/body" -D "$HA_TMP/hdrs" -w '%{http_code}' "$@" "$url")
	BODY=$(cat "$HA_TMP/body" 2>/dev/null)
	HDRS=$(tr -d '\r' <"$HA_TMP/hdrs" 2>/dev/null)
}

# json_req AS METHOD PATH JSON [curl args...]: request with a JSON body.
json_req() {
	local as=$1 method=$2 path=$3 data=$4; shift 4
	# body via stdin: it may carry a (test) secret
	printf '%s' "$data" >"$HA_TMP/req.json"
	req "$as" "$method" "$path" -H 'Content-Type: application/json' \
		--data-binary "@$HA_TMP/req.json" "$@"
}

# hdr NAME: value of a response header of the last req (first match).
hdr() {
	printf '%s\n' "$HDRS" | awk -v n="$(printf '%s' "$1" | tr 'A-Z' 'a-z')" '
		{ k = tolower(substr($0, 1, index($0, ":") - 1)) }
		k == n { sub(/^[^:]*:[ \t]*/, ""); print; exit }'
}

# jq_body FILTER: run jq on the last body.
jq_body() { printf '%s' "$BODY" | jq -r "$@" 2>/dev/null; }

# id_from_location: trailing number of the Location header.
id_from_location() { hdr Location | sed -n 's|.*/\([0-9][0-9]*\)$|\1|p'; }

# A healthy registry endpoint for create/ping: the cgr stand-in when the
# stack runs, else the simulator's own /v2/ (Harbor's basic auth).
if [ "$HA_SHARED" = 1 ]; then
	HA_REG_URL=$BERTH_SIM_CGR_URL
	HA_REG_USER=$BERTH_SIM_CGR_USER
	HA_REG_PASS=$BERTH_SIM_CGR_PASSWORD
else
	HA_REG_URL=$HA_URL
	HA_REG_USER=admin
	HA_REG_PASS=Harbor12345
fi
HA_DEAD_URL="https://127.0.0.1:1"

# reg_json NAME URL: registry create body with the healthy credentials.
reg_json() {
	HA_K=$HA_REG_USER HA_S=$HA_REG_PASS jq -cn --arg n "$1" --arg u "$2" \
		'{name:$n,url:$u,type:"docker-registry",insecure:false,
		  credential:{type:"basic",access_key:env.HA_K,access_secret:env.HA_S}}'
}

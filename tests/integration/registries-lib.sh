# tests/integration/registries-lib.sh: setup shared by registries-*.t.
# Uses the running stack ($BERTH_SIM_DIR/env) or starts one in a temp dir,
# writes a private berth config for the simulated Harbor, and puts the
# chainctl stand-in on PATH.
# shellcheck shell=bash
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top=$(cd "$top" && pwd)
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"

BERTH=${BERTH:-$top/build/werror/berth}
if [ ! -x "$BERTH" ]; then
	echo "1..0 # SKIP no berth binary (set BERTH)"
	exit 0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/berth-reg.XXXXXX")
own_stack=
reg_cleanup() {
	[ -n "$own_stack" ] && "$top/tests/sim/stack" down --dir "$T/stack" >/dev/null 2>&1
	rm -rf "$T"
}
trap reg_cleanup EXIT

if [ -n "${BERTH_SIM_DIR:-}" ] && [ -f "$BERTH_SIM_DIR/env" ]; then
	# shellcheck disable=SC1091
	. "$BERTH_SIM_DIR/env"
else
	"$top/tests/sim/stack" up --dir "$T/stack" >"$T/stack-up.log" 2>&1 ||
		{ echo "Bail out! stack up failed"; cat "$T/stack-up.log"; exit 1; }
	own_stack=1
	# shellcheck disable=SC1091
	. "$T/stack/env"
fi

export HOME=$T/home
mkdir -p "$HOME"
export BERTH_CONFIG=$T/config
umask 077
cat >"$BERTH_CONFIG" <<CONF
current = sim

[context sim]
url = $BERTH_SIM_HARBOR_URL
user = $BERTH_SIM_HARBOR_USER
password_source = env:BERTH_SIM_HARBOR_PASSWORD
ca_file = $BERTH_SIM_CA
CONF
chmod 600 "$BERTH_CONFIG"
unset HARBOR_URL HARBOR_USERNAME HARBOR_PASSWORD
export PATH=$top/tests/integration/bin:$PATH
# Unique names: the stack may be shared with other tests.
SFX=$$
CGR=$BERTH_SIM_CGR_URL
ORG=$BERTH_SIM_ORG

# run OUTVAR CMD...: run berth, stdout+stderr in $T/out, exit code in RC.
b() {
	"$BERTH" "$@" >"$T/out" 2>&1 </dev/null
	RC=$?
	OUT=$(cat "$T/out")
}
# bin SECRET CMD...: same with SECRET on stdin.
bin() {
	local s=$1; shift
	printf '%s\n' "$s" | "$BERTH" "$@" >"$T/out" 2>&1
	RC=$?
	OUT=$(cat "$T/out")
}

# A secret must never show up in what berth printed.
no_secret() {	# no_secret TEXT SECRET
	if grep -qF -- "$2" "$T/out"; then tap_fail "$1" "the secret was printed"
	else tap_pass "$1"; fi
}

# Harbor API call with curl (setup the tests need: policies, projects).
harbor() {	# harbor METHOD PATH [JSON]
	curl -sS --cacert "$BERTH_SIM_CA" -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" \
	    -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} \
	    "$BERTH_SIM_HARBOR_URL/api/v2.0$2"
}
sim_fault() {	# sim_fault JSON
	curl -sS --cacert "$BERTH_SIM_CA" -X POST -H 'Content-Type: application/json' \
	    --data "$1" "$BERTH_SIM_CONTROL_URL/faults" >/dev/null
}
json_get() {	# json_get EXPR < json   (python expression on `d`)
	/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
hping() {	# hping ID: Harbor's POST /registries/ping status for a saved id
	curl -sS -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" \
	    -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" -X POST \
	    -H 'Content-Type: application/json' --data "{\"id\":$1}" \
	    "$BERTH_SIM_HARBOR_URL/api/v2.0/registries/ping"
}
tap_nonzero() {	# tap_nonzero TEXT RC
	if [ "$2" -ne 0 ]; then tap_pass "$1"; else tap_fail "$1" "exit status 0" "$(head -c 400 "$T/out")"; fi
}

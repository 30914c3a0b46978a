# tests/sim/t/cgr-lib.sh: shared setup for the cgr.dev stand-in's tests.
# Source it from a tests/sim/t/cgr-*.t script. It sources tests/lib/tap.sh,
# then uses the running stack named by BERTH_SIM_DIR (when DIR/env exists)
# or starts its own (cgr stand-in only, BERTH_SIM_NO_HARBOR=1) in a temp
# dir and stops it on exit. Credentials go to curl through a config on
# stdin and to skopeo through auth files, never through argv.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
SIM=$ROOT/tests/sim
PY=/usr/bin/python3
SERVICE=cgr-sim
# shellcheck source=../../lib/tap.sh
. "$ROOT/tests/lib/tap.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/cgr-test.XXXXXX")
OWN_STACK=

cgr_cleanup() {
	if [ -n "$OWN_STACK" ]; then
		"$SIM/stack" down --dir "$OWN_STACK" >/dev/null 2>&1 || true
	fi
	rm -rf "$T"
}
trap cgr_cleanup EXIT
trap 'exit 1' INT TERM

# cgr_stack: load (or start) the stack's env; bail out when impossible.
cgr_stack() {
	if [ -n "${BERTH_SIM_DIR:-}" ] && [ -f "$BERTH_SIM_DIR/env" ]; then
		# shellcheck disable=SC1091
		. "$BERTH_SIM_DIR/env"
		return 0
	fi
	OWN_STACK=$T/stack
	if ! BERTH_SIM_NO_HARBOR=1 "$SIM/stack" up --dir "$OWN_STACK" \
	    >"$T/up.out" 2>"$T/up.err"; then
		tap_fail "stack up" "$(tail -n 5 "$T/up.err")"
		tap_done
		exit 1
	fi
	# shellcheck disable=SC1091
	. "$OWN_STACK/env"
}

# creds WHO: curl config line with the Basic credentials of WHO
# (main, other, nocat, bad, anon).
creds() {
	case $1 in
	main) printf 'user = "%s:%s"' "$BERTH_SIM_CGR_USER" "$BERTH_SIM_CGR_PASSWORD" ;;
	other) printf 'user = "%s:%s"' "$BERTH_SIM_CGR_OTHER_USER" "$BERTH_SIM_CGR_OTHER_PASSWORD" ;;
	nocat) printf 'user = "%s:%s"' "$BERTH_SIM_CGR_NOCAT_USER" "$BERTH_SIM_CGR_NOCAT_PASSWORD" ;;
	bad) printf 'user = "%s:%s"' "$BERTH_SIM_CGR_USER" "not-the-password" ;;
	anon) ;;
	esac
}

# bearer TOKEN: curl config line sending TOKEN.
bearer() { printf 'header = "Authorization: Bearer %s"' "$1"; }

# req AUTHLINE URL [CURL ARGS...]: request URL over TLS (test CA).
# Sets CODE (HTTP status), BODY and HDR (headers, CR stripped).
req() {
	local auth=$1 url=$2
	shift 2
	: >"$T/body"
	: >"$T/hdr"
	CODE=$(printf '%s\n' "$auth" | curl -s -K - --cacert "$BERTH_SIM_CA" \
		--max-time 10 -D "$T/hdr" -o "$T/body" -w '%{http_code}' \
		"$@" "$url") || true
	BODY=$(tr -d '\000' <"$T/body")
	HDR=$(tr -d '\r' <"$T/hdr")
}

# header NAME: value of response header NAME from the last req.
header() {
	printf '%s\n' "$HDR" | grep -i "^$1:" | tail -n 1 | sed 's/^[^:]*: *//'
}

# token WHO [SCOPE...]: ask the token service; sets CODE, BODY and TOK.
token() {
	local who=$1 s args=(-G --data-urlencode "service=$SERVICE")
	shift
	for s in "$@"; do args+=(--data-urlencode "scope=$s"); done
	req "$(creds "$who")" "$BERTH_SIM_CGR_TOKEN_URL/token" "${args[@]}"
	TOK=$(json "$BODY" 'd.get("token", "")' 2>/dev/null) || TOK=
}

# json TEXT EXPR: evaluate the Python expression EXPR with d = the JSON.
json() {
	$PY -c 'import json, sys
d = json.loads(sys.argv[1])
r = eval(sys.argv[2])
print(json.dumps(r, sort_keys=True) if isinstance(r, (dict, list)) else r)' "$1" "$2"
}

# jwt_part TOKEN N: JSON of part N (0 header, 1 claims) of a JWT.
jwt_part() {
	$PY -c 'import base64, sys
p = sys.argv[1].split(".")[int(sys.argv[2])]
print(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode())' "$1" "$2"
}

# access TOKEN: the JWT's access claim as "type:name:actions" lines, sorted.
access() {
	json "$(jwt_part "$1" 1)" '"\n".join(sorted("%s:%s:%s" % (a["type"], a["name"], ",".join(a["actions"])) for a in d["access"]))'
}

# authfile WHO FILE: a containers auth file for skopeo (mode 0600).
authfile() {
	local user pass host=${BERTH_SIM_CGR_URL#https://}
	case $1 in
	main) user=$BERTH_SIM_CGR_USER pass=$BERTH_SIM_CGR_PASSWORD ;;
	other) user=$BERTH_SIM_CGR_OTHER_USER pass=$BERTH_SIM_CGR_OTHER_PASSWORD ;;
	nocat) user=$BERTH_SIM_CGR_NOCAT_USER pass=$BERTH_SIM_CGR_NOCAT_PASSWORD ;;
	esac
	(umask 077 && printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$host" \
		"$(printf '%s:%s' "$user" "$pass" | base64 -w0)" >"$2")
}

# certdir: a --cert-dir for skopeo trusting the test CA.
certdir() {
	mkdir -p "$T/certs.d"
	cp "$BERTH_SIM_CA" "$T/certs.d/ca.crt"
	echo "$T/certs.d"
}

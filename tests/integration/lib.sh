# tests/integration/lib.sh: helpers for the CLI tests (cli-*.t).
#
# Source it from a test. It sets:
#   top     the source tree
#   BERTH   the binary: $BERTH, else $top/build/werror/berth, else ./berth
#           (the build directory the test runs from); SKIP when none
#   T       a private temp directory, removed at exit
#   HOME, BERTH_CONFIG  private (nothing of the user's is read or written)
# and unsets HARBOR_URL, HARBOR_USERNAME, HARBOR_PASSWORD.
#
# cli_stack: the simulator stack: reuse $BERTH_SIM_DIR/env when set (as
# scripts/check does), else start one in $T/stack (stopped at exit). Then
# the BERTH_SIM_* variables are set.
#
# b ARGS...      run berth: stdout in $OUT, stderr in $ERR, status in $RC
# bin TEXT ARGS  the same with TEXT (one line) on stdin
# json EXPR      evaluate a python expression on d = json of $OUT
# tap_rc TEXT WANT   ok when $RC is WANT (prints stderr when not)
# shellcheck shell=bash
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top=$(cd "$top" && pwd)
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"

if [ -z "${BERTH:-}" ]; then
	if [ -x "$top/build/werror/berth" ]; then BERTH=$top/build/werror/berth
	elif [ -x ./berth ]; then BERTH=$(pwd)/berth
	fi
fi
if [ -z "${BERTH:-}" ] || [ ! -x "$BERTH" ]; then
	echo "1..0 # SKIP no berth binary (set BERTH)"
	exit 0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/berth-cli.XXXXXX")
cli_own_stack=
cli_cleanup() {
	if [ -n "$cli_own_stack" ]; then
		"$top/tests/sim/stack" down --dir "$T/stack" >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap cli_cleanup EXIT

export HOME=$T/home
mkdir -p "$HOME"
export BERTH_CONFIG=$T/config
unset HARBOR_URL HARBOR_USERNAME HARBOR_PASSWORD XDG_CONFIG_HOME
export LANG=C.UTF-8

cli_stack() {
	if [ -n "${BERTH_SIM_DIR:-}" ] && [ -f "$BERTH_SIM_DIR/env" ]; then
		# shellcheck disable=SC1091
		. "$BERTH_SIM_DIR/env"
		return 0
	fi
	if ! "$top/tests/sim/stack" up --dir "$T/stack" >"$T/stack-up.log" 2>&1; then
		echo "Bail out! stack up failed"
		cat "$T/stack-up.log"
		exit 1
	fi
	cli_own_stack=1
	# shellcheck disable=SC1091
	. "$T/stack/env"
}

b() {
	"$BERTH" "$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

bin() {
	local text=$1
	shift
	printf '%s\n' "$text" | "$BERTH" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

json() {
	printf '%s' "$OUT" | /usr/bin/python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError as e:
    print("INVALID JSON: %s" % e)
    sys.exit(0)
print(eval(sys.argv[1]))' "$1"
}

tap_rc() {
	if [ "$RC" = "$2" ]; then tap_pass "$1"
	else tap_fail "$1" "exit status $RC, want $2" "stderr: $(printf '%s' "$ERR" | head -c 400)"; fi
}

# A config file for the simulator, mode 0600: write_config NAME [EXTRA LINES]
write_config() {
	local name=$1
	shift
	(umask 077 && {
		echo "current = $name"
		echo
		echo "[context $name]"
		echo "url = $BERTH_SIM_HARBOR_URL"
		echo "user = $BERTH_SIM_HARBOR_USER"
		echo "password_source = env:BERTH_SIM_HARBOR_PASSWORD"
		echo "ca_file = $BERTH_SIM_CA"
		for l in "$@"; do echo "$l"; done
	} >"$BERTH_CONFIG")
	export BERTH_SIM_HARBOR_PASSWORD
}

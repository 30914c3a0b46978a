# tests/lib/tap.sh: TAP helpers for shell tests. Source it; every check
# prints one "ok N - text" or "not ok N - text" line, and tap_done prints
# the plan and exits non-zero when anything failed.
# shellcheck shell=bash

TAP_N=0
TAP_FAIL=0

# tap_ok TEXT CMD...: run CMD; ok when it exits 0.
tap_ok() {
	local text=$1; shift
	if "$@" >"${TAP_LOG:-/dev/null}" 2>&1; then tap_pass "$text"; else tap_fail "$text"; fi
}

# tap_pass TEXT / tap_fail TEXT [DETAIL...]: record a result.
tap_pass() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
tap_fail() {
	TAP_N=$((TAP_N + 1)); TAP_FAIL=$((TAP_FAIL + 1))
	echo "not ok $TAP_N - $1"; shift
	local l; for l in "$@"; do printf '#   %s\n' "$l"; done
}

# tap_is TEXT GOT WANT: ok when the strings are equal.
tap_is() {
	if [ "$2" = "$3" ]; then tap_pass "$1"
	else tap_fail "$1" "got:  $2" "want: $3"; fi
}

# tap_like TEXT GOT REGEX: ok when GOT matches the extended regex.
tap_like() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then tap_pass "$1"
	else tap_fail "$1" "got:  $(printf '%s' "$2" | head -c 600)" "want: /$3/"; fi
}

# tap_done: print the plan; exit 1 if any test failed.
tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAIL" -eq 0 ]
}

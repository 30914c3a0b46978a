#!/usr/bin/env bash
# The probe ladder's TLS rung: a certificate far from expiry is plain "ok",
# one that expires within 14 days is a warning with a hint, and the result
# still passes (a warning is not a failure). Starts its own stack with
# short-lived certificates (BERTH_SIM_CERT_DAYS).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tap.sh"
BERTH=${BERTH:-$top/build/werror/berth}
T=$(mktemp -d "${TMPDIR:-/tmp}/berth-exp.XXXXXX")
trap '"$top/tests/sim/stack" down --dir "$T/s" >/dev/null 2>&1; rm -rf "$T"' EXIT
export HOME=$T BERTH_CONFIG=$T/config

# ladder DAYS: start a stack whose server certificates last DAYS days and
# print the ladder of test-connection against its cgr.dev stand-in.
ladder() {
	"$top/tests/sim/stack" down --dir "$T/s" >/dev/null 2>&1
	rm -rf "$T/s"
	BERTH_SIM_CERT_DAYS=$1 "$top/tests/sim/stack" up --dir "$T/s" >/dev/null 2>&1 ||
		{ echo "Bail out! stack up failed"; exit 1; }
	( . "$T/s/env"
	  printf '%s\n' "$BERTH_SIM_CGR_PASSWORD" >"$T/pw"; chmod 600 "$T/pw"
	  HARBOR_PASSWORD=$BERTH_SIM_HARBOR_PASSWORD "$BERTH" \
	      --url "$BERTH_SIM_HARBOR_URL" --user "$BERTH_SIM_HARBOR_USER" \
	      --ca-file "$BERTH_SIM_CA" test-connection --url "$BERTH_SIM_CGR_URL" \
	      --user "$BERTH_SIM_CGR_USER" --password-file "$T/pw" \
	      --ca-file "$BERTH_SIM_CA" --org "$BERTH_SIM_ORG" </dev/null
	  echo "exit=$?" )
}

out=$(ladder 90)
tap_like "90-day certificate: tls rung ok with its expiry" "$out" '(^|\n) *ok +tls .*expires .*\(in (89|90) days\)'
tap_like "90-day certificate: no renewal hint" "$(printf '%s' "$out" | grep -c 'renew')" '^0$'
tap_like "90-day certificate: exit 0" "$out" 'exit=0'

out=$(ladder 5)
tap_like "5-day certificate: tls rung warns" "$out" 'WARN +tls .*expires .*\(in [45] days\)'
tap_like "5-day certificate: hint to renew" "$out" 'hint: renew'
tap_like "5-day certificate: a warning still passes (exit 0)" "$out" 'exit=0'
tap_done

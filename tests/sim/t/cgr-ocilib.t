#!/bin/bash
# ocilib.py (the Harbor simulator's OCI client) against the cgr.dev stand-in:
# cgr-ocilib-check.py does the checks, this turns its lines into TAP.
. "$(dirname "$0")/cgr-lib.sh"
cgr_stack
export BERTH_SIM_CGR_URL BERTH_SIM_CGR_TOKEN_URL BERTH_SIM_CA BERTH_SIM_ORG \
	BERTH_SIM_DIR BERTH_SIM_CGR_USER BERTH_SIM_CGR_PASSWORD \
	BERTH_SIM_CGR_OTHER_USER BERTH_SIM_CGR_OTHER_PASSWORD \
	BERTH_SIM_CGR_NOCAT_USER BERTH_SIM_CGR_NOCAT_PASSWORD

done=
while IFS=$'\t' read -r res name detail; do
	case $res in
	PASS) tap_pass "$name" ;;
	FAIL) tap_fail "$name" "$detail" ;;
	DONE) done=1 ;;
	*) tap_fail "unexpected output" "$res $name $detail" ;;
	esac
done < <($PY "$(dirname "$0")/cgr-ocilib-check.py" 2>"$T/py.err")
if [ -n "$done" ]; then tap_pass "ocilib checks ran to the end"
else tap_fail "ocilib checks ran to the end" "$(tail -n 5 "$T/py.err")"; fi
tap_done

#!/usr/bin/env bash
# The Harbor client library against the simulator: runs the cmocka program
# tests/unit/test-harbor-sim from the build directory of $BERTH (make
# check builds it): registry endpoint, proxy project, pull policy, a real
# replication run, tasks and a task log, all through harbor.h.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
prog=${BERTH_HARBOR_SIM_TEST:-$(dirname "$BERTH")/tests/unit/test-harbor-sim}
if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP $prog not built (make check builds it)"
	exit 0
fi
cli_stack
export BERTH_SIM_HARBOR_URL BERTH_SIM_HARBOR_USER BERTH_SIM_HARBOR_PASSWORD \
    BERTH_SIM_CA BERTH_SIM_CGR_URL BERTH_SIM_CGR_USER BERTH_SIM_CGR_PASSWORD \
    BERTH_SIM_ORG BERTH_SIM_CONTROL_URL
# cmocka prints its own TAP plan and results; pass them through.
CMOCKA_MESSAGE_OUTPUT=TAP "$prog" 2>&1

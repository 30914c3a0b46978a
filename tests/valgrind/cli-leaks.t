#!/usr/bin/env bash
# CLI paths under valgrind: no leaks (definite/indirect), no memory errors.
# Needs the test stack ($BERTH_SIM_DIR/env) for the paths that talk to it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
: "${BERTH:?BERTH must name the berth binary}"
if ! command -v valgrind >/dev/null; then
	echo "1..0 # SKIP valgrind not installed"; exit 0
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
if [ -n "${BERTH_SIM_DIR:-}" ] && [ -f "$BERTH_SIM_DIR/env" ]; then
	. "$BERTH_SIM_DIR/env"
fi
export BERTH_CONFIG=$T/config HOME=$T

# vg TEXT EXPECTED_EXIT ARGS...: run berth under valgrind.
vg() {
	local text=$1 want=$2; shift 2
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --log-file="$T/vg.log" "$BERTH" "$@" >"$T/out" 2>"$T/err" <"${VG_STDIN:-/dev/null}"
	local rc=$?
	if [ "$rc" -eq "$want" ] && ! [ -s "$T/vg.log" ]; then
		tap_pass "valgrind clean: $text"
	else
		tap_fail "valgrind clean: $text" "exit $rc (want $want)" \
		    "$(head -c 2000 "$T/vg.log")" "$(head -c 400 "$T/err")"
	fi
}

vg "--help" 0 --help
vg "--version" 0 --version
vg "unknown command" 2 no-such-command
vg "context list (empty)" 0 context list
if [ -n "${BERTH_SIM_HARBOR_URL:-}" ]; then
	printf '%s\n' "$BERTH_SIM_HARBOR_PASSWORD" >"$T/pw"; chmod 600 "$T/pw"
	vg "context add" 0 context add sim --url "$BERTH_SIM_HARBOR_URL" \
	    --user "$BERTH_SIM_HARBOR_USER" --password-source "file:$T/pw" \
	    --ca-file "$BERTH_SIM_CA"
	vg "context use" 0 context use sim
	vg "status -o json" 0 status -o json
	vg "status (table)" 0 status
	vg "get registries" 0 get registries
	vg "get registries -o json" 0 get registries -o json
	printf 'wrong\n' >"$T/badpw"; chmod 600 "$T/badpw"
	VG_STDIN=$T/badpw vg "status with a wrong password" 3 status --password-stdin
	printf '%s\n' "$BERTH_SIM_CGR_PASSWORD" >"$T/cgrpw"; chmod 600 "$T/cgrpw"
	vg "test-connection --url (good token)" 0 test-connection \
	    --url "$BERTH_SIM_CGR_URL" --user "$BERTH_SIM_CGR_USER" \
	    --password-file "$T/cgrpw" --ca-file "$BERTH_SIM_CA"
	# registries: create, update, test by name, the error paths, delete
	rn="vg-$$-$RANDOM"
	VG_STDIN=$T/cgrpw vg "create registry" 0 create registry --name "$rn" \
	    --url "$BERTH_SIM_CGR_URL" --access-id "$BERTH_SIM_CGR_USER" \
	    --access-secret-stdin --description "valgrind"
	VG_STDIN=$T/cgrpw vg "create registry (duplicate name)" 1 \
	    create registry --name "$rn" --url "$BERTH_SIM_CGR_URL" \
	    --access-id "$BERTH_SIM_CGR_USER" --access-secret-stdin
	vg "create registry (no scheme: usage)" 2 create registry \
	    --name "$rn-x" --url "${BERTH_SIM_CGR_URL#https://}"
	vg "update registry (description)" 0 update registry "$rn" \
	    --description "valgrind 2"
	vg "update registry (secret from a file)" 0 update registry "$rn" \
	    --access-secret-file "$T/cgrpw"
	vg "update registry (unknown name)" 1 update registry "no-such-$rn" \
	    --description x
	vg "test-connection NAME (with the secret)" 0 test-connection "$rn" \
	    --password-file "$T/cgrpw" --ca-file "$BERTH_SIM_CA"
	vg "test-connection NAME -o json" 0 -o json test-connection "$rn" \
	    --password-file "$T/cgrpw" --ca-file "$BERTH_SIM_CA"
	vg "test-connection (wrong token)" 1 test-connection \
	    --url "$BERTH_SIM_CGR_URL" --user "$BERTH_SIM_CGR_USER" \
	    --password-file "$T/badpw" --ca-file "$BERTH_SIM_CA"
	vg "test-connection (repository not found)" 1 test-connection \
	    --url "$BERTH_SIM_CGR_URL" --user "$BERTH_SIM_CGR_USER" \
	    --password-file "$T/cgrpw" --ca-file "$BERTH_SIM_CA" \
	    --repo "$BERTH_SIM_ORG/no-such-repo"
	vg "delete registry" 0 delete registry "$rn"
	vg "delete registry (gone)" 1 delete registry "$rn"
fi
tap_done

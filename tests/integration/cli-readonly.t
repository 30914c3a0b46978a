#!/usr/bin/env bash
# Read-only mode (--read-only or the context's read_only): commands that
# change Harbor are refused before any request; reading still works.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
cli_stack
write_config sim

count_registries() {
	curl -sS --cacert "$BERTH_SIM_CA" -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" \
	    "$BERTH_SIM_HARBOR_URL/api/v2.0/registries?page_size=100" |
	    /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
name=ro-$$
before=$(count_registries)

b --read-only create registry --name "$name" --type docker-registry \
    --url https://127.0.0.1:1
tap_rc "--read-only create registry: refused (exit 1)" 1
tap_like "refusal says read-only" "$ERR" 'read-only'
tap_is "nothing was created" "$(count_registries)" "$before"

b create registry --name "$name" --type docker-registry --url https://127.0.0.1:1 --read-only
tap_rc "--read-only after the command: refused too" 1

b --read-only delete registry "$name"
tap_rc "--read-only delete registry: refused" 1
tap_like "delete refusal says read-only" "$ERR" 'read-only'

b --read-only status -o json
tap_rc "--read-only status still works" 0
tap_is "status shows read_only true" "$(json 'd["read_only"]')" "True"
b --read-only get registries -o json
tap_rc "--read-only get registries still works" 0

# The same from the context.
write_config sim "read_only = true"
b create registry --name "$name" --type docker-registry --url https://127.0.0.1:1
tap_rc "context read_only: create refused" 1
tap_like "context read_only: says read-only" "$ERR" 'read-only'
tap_is "still nothing created" "$(count_registries)" "$before"
b help create registry
tap_like "help says the command changes Harbor" "$OUT" 'read-only'
tap_done

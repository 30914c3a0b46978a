#!/usr/bin/env bash
# registries-crud.t: create, list, update, rotate and delete registry
# endpoints against the simulated Harbor; secrets from stdin, a file,
# chainctl (stand-in) and docker's config.json; delete with dependants.
# shellcheck disable=SC2154
. "$(dirname "$0")/registries-lib.sh"

N=cgr-$SFX
PW=$BERTH_SIM_CGR_PASSWORD

# create: refused without a scheme, with the reason
bin "$PW" create registry --name "$N" --url "${CGR#https://}" \
    --access-id "$BERTH_SIM_CGR_USER" --access-secret-stdin
tap_is "create without a scheme: usage error" "$RC" 2
tap_like "create without a scheme: says why" "$OUT" "no scheme.*http"

b create registry --name "$N" --url "$CGR" --access-id u --access-secret "$PW"
tap_is "a secret on the command line is refused" "$RC" 2
tap_like "refusal names the safe options" "$OUT" "access-secret-stdin"
no_secret "refusal does not echo the secret" "$PW"

b create registry --name "$N" --url "$CGR" --access-id u
tap_is "access id without a secret: usage error" "$RC" 2

bin "$PW" create registry --name "$N" --url "$CGR" --description "first" \
    --access-id "$BERTH_SIM_CGR_USER" --access-secret-stdin
tap_is "create registry (secret on stdin)" "$RC" 0
tap_like "create says created" "$OUT" "registry \"$N\" created \(id [0-9]+\)"
no_secret "create does not print the secret" "$PW"

# the secret reached Harbor: Harbor's own health check passes
rid=$(harbor GET "/registries?q=name%3D$N" | json_get 'd[0]["id"]')
tap_like "registry has an id" "$rid" '^[0-9]+$'
tap_is "harbor pings the new endpoint with the stored secret" "$(hping "$rid")" 200

bin "$PW" create registry --name "$N" --url "$CGR" \
    --access-id "$BERTH_SIM_CGR_USER" --access-secret-stdin
tap_nonzero "duplicate name refused" "$RC"
tap_like "duplicate: harbor's conflict message" "$OUT" "409|already"

# get registries: table with the portal's columns and provider names
b get registries
tap_is "get registries" "$RC" 0
tap_like "table header" "$OUT" "NAME +STATUS +ENDPOINT URL +PROVIDER +VERIFY REMOTE CERT +AUTHENTICATION +CREATED +DESCRIPTION"
row=$(printf '%s\n' "$OUT" | grep "^$N ")
tap_like "row: provider display name" "$row" "Docker Registry"
tap_like "row: verify remote cert yes" "$row" " yes "
tap_like "row: basic auth with the access id" "$row" "basic \($BERTH_SIM_CGR_USER\)"
tap_like "row: description" "$row" "first$"
no_secret "get does not print the secret" "$PW"

b get registries -o json
tap_is "get registries -o json" "$RC" 0
got=$(json_get "[r['provider'] for r in d if r['name']=='$N'][0]" <"$T/out")
tap_is "json: provider" "$got" "Docker Registry"
got=$(json_get "[r['url'] for r in d if r['name']=='$N'][0]" <"$T/out")
tap_is "json: url" "$got" "$CGR"

# update: only what changed; never the masked secret
b update registry "$N" --description "second"
tap_is "update description" "$RC" 0
tap_like "update: one field" "$OUT" "updated \(1 field\)"
got=$(harbor GET "/registries/$rid" | json_get 'd["description"]')
tap_is "description changed in harbor" "$got" "second"
tap_is "secret kept after update (harbor ping still 200)" "$(hping "$rid")" 200

b update registry "$N" --description "second"
tap_is "update with no change" "$RC" 0
tap_like "no change: says so" "$OUT" "nothing to change"

b update registry "$N" --url "${CGR#https://}"
tap_is "update to a url without scheme: refused" "$RC" 2

b update registry "no-such-$SFX" --description x
tap_is "update of a missing registry fails (exit 1, not usage)" "$RC" 1
tap_like "missing registry named" "$OUT" "no-such-$SFX\" not found"

# a wrong secret from a file: Harbor checks the endpoint and refuses it
printf 'wrong-secret\n' >"$T/pw"
chmod 600 "$T/pw"
b update registry "$N" --access-secret-file "$T/pw"
tap_nonzero "update to a wrong secret is refused by harbor" "$RC"
tap_like "refusal: unhealthy, and how to see why" "$OUT" "unhealthy.*test-connection"
no_secret "refusal does not print the secret" "wrong-secret"
tap_is "old secret kept (harbor ping still 200)" "$(hping "$rid")" 200

# rotate with chainctl (stand-in prints the documented output)
export CHAINCTL_ARGS_FILE=$T/chainctl-args
b rotate registry "$N" --from-chainctl "$ORG" --timeout 20 --ca-file "$BERTH_SIM_CA"
tap_is "rotate from chainctl: updated and both sides pass" "$RC" 0
tap_like "rotate: updated" "$OUT" "updated"
tap_like "rotate: re-tested" "$OUT" "result: ok, both sides pass"
tap_is "chainctl ran with the documented arguments" "$(cat "$T/chainctl-args")" \
    "auth configure-docker --parent $ORG --pull-token"
no_secret "rotate does not print the secret" "$PW"

CHAINCTL_FORMAT=json b create registry --name "$N-json" --url "$CGR" \
    --from-chainctl "$ORG"
tap_is "create from chainctl json output" "$RC" 0
got=$(harbor GET "/registries?q=name%3D$N-json" | json_get 'd[0]["credential"]["access_key"]')
tap_is "access id taken from chainctl" "$got" "$BERTH_SIM_CGR_USER"

CHAINCTL_FAIL=1 b create registry --name "$N-x" --url "$CGR" --from-chainctl "$ORG"
tap_nonzero "chainctl failing: create fails" "$RC"
tap_like "chainctl failure explained" "$OUT" "chainctl auth configure-docker --parent $ORG --pull-token failed"

# docker config.json
host=${CGR#https://}
mkdir -p "$HOME/.docker"
auth=$(printf '%s:%s' "$BERTH_SIM_CGR_USER" "$PW" | base64 -w0)
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$host" "$auth" >"$HOME/.docker/config.json"
b create registry --name "$N-dc" --url "$CGR" --from-docker-config
tap_is "create from docker config.json" "$RC" 0
no_secret "docker config: secret not printed" "$PW"

# delete: without dependants
b delete registry "$N-json"
tap_is "delete registry" "$RC" 0
tap_like "delete says deleted" "$OUT" "deleted"
got=$(harbor GET "/registries?q=name%3D$N-json" | json_get 'len(d)')
tap_is "gone from harbor" "$got" 0

# delete with dependants: a replication policy and a proxy cache project
did=$(harbor GET "/registries?q=name%3D$N-dc" | json_get 'd[0]["id"]')
harbor POST /replication/policies "{\"name\":\"pol-$SFX\",\"src_registry\":{\"id\":$did},\"dest_namespace\":\"m-$SFX\",\"trigger\":{\"type\":\"manual\"},\"enabled\":true,\"override\":true}" >/dev/null
harbor POST /projects "{\"project_name\":\"proxy-$SFX\",\"registry_id\":$did,\"metadata\":{\"public\":\"true\"}}" >/dev/null
b delete registry "$N-dc"
tap_nonzero "delete of a used endpoint fails" "$RC"
tap_like "412 names the policy" "$OUT" "pol-$SFX"
tap_like "412 names the proxy project" "$OUT" "proxy-$SFX"
got=$(harbor GET "/registries?q=name%3D$N-dc" | json_get 'len(d)')
tap_is "still there" "$got" 1

# read-only context refuses mutating commands
b --read-only delete registry "$N"
tap_nonzero "read-only: delete refused" "$RC"
tap_like "read-only: says so" "$OUT" "read-only"

b delete registry "$N"
tap_is "delete the first registry" "$RC" 0

# clean up the dependants, then the endpoint goes
pid=$(harbor GET "/replication/policies?q=name%3Dpol-$SFX" | json_get 'd[0]["id"]')
harbor DELETE "/replication/policies/$pid" >/dev/null
harbor DELETE "/projects/proxy-$SFX" >/dev/null
b delete registry "$N-dc"
tap_is "delete once the dependants are gone" "$RC" 0
b delete registry "$N"
tap_nonzero "delete again: not found" "$RC"

tap_done

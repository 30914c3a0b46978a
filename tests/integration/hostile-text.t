#!/usr/bin/env bash
# hostile-text.t: text from the network cannot drive the terminal. Table
# output and stderr carry no raw ESC, C1 control, bidi override or invalid
# UTF-8; json output stays valid JSON with those escaped.
#  - the simulator: a registry description with ESC [2J, U+009B, U+202E
#    and BEL (made with curl), and an injected error body (fault endpoint)
#  - tests/integration/hostilesrv.py: raw invalid UTF-8 and controls in a
#    list, an error text body, a token service's error, a 500 on /v2/
# shellcheck disable=SC2154
. "$(dirname "$0")/registries-lib.sh"

export LANG=C.UTF-8
N=hostile-$SFX

# clean FILE: no byte a terminal acts on and only valid UTF-8
clean() {
	/usr/bin/python3 - "$1" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
try:
    s = b.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("invalid UTF-8 at byte %d" % e.start)
for i, c in enumerate(s):
    o = ord(c)
    if (o < 0x20 and c not in "\n\t") or 0x7f <= o <= 0x9f or \
       0x200b <= o <= 0x200f or 0x202a <= o <= 0x202e or \
       0x2060 <= o <= 0x2069 or o == 0xfeff:
        sys.exit("raw U+%04X at character %d" % (o, i))
PY
}
# tap_clean TEXT: $T/out (stdout and stderr) is clean
tap_clean() {
	local why
	if why=$(clean "$T/out" 2>&1); then tap_pass "$1"
	else tap_fail "$1" "$why" "$(head -c 400 "$T/out" | od -c | head -5)"; fi
}
# tap_json TEXT: $T/out is one valid JSON document, and clean
tap_json() {
	if /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
	    "$T/out" 2>/dev/null; then tap_pass "$1: valid json"
	else tap_fail "$1: valid json" "$(head -c 300 "$T/out")"; fi
	tap_clean "$1: escaped"
}

# --- the simulator: a hostile description -------------------------------
desc='A\u001b[2JB\u009b31mC\u202eD\u0007E\u200bF'
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$BERTH_SIM_CA" \
    -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" \
    -H 'Content-Type: application/json' --data \
    "{\"name\":\"$N\",\"type\":\"docker-registry\",\"url\":\"$CGR\",\"description\":\"$desc\"}" \
    "$BERTH_SIM_HARBOR_URL/api/v2.0/registries")
tap_is "setup: registry with a hostile description" "$code" 201

b get registries
tap_is "get registries" "$RC" 0
tap_like "table: the row is there" "$OUT" "^$N "
tap_clean "table: no raw controls, C1, bidi"
tap_like "table: ESC and CSI shown escaped" "$OUT" 'A\\033\[2JB\\302\\23331mC\\342\\200\\256D\\007E'

b get registries -o json
tap_is "get registries -o json" "$RC" 0
tap_json "json"
got=$(json_get "[r['description'] for r in d if r['name']=='$N'][0] == \
    'A\x1b[2JB\x9b31mC\u202eD\x07E\u200bF'" <"$T/out")
tap_is "json: the description decodes to the original" "$got" True

b test-connection "$N" --ca-file "$BERTH_SIM_CA" --timeout 20
tap_clean "test-connection NAME: clean"

# --- the simulator: a hostile error body -------------------------------
sim_fault '{"action":"status","status":400,"method":"GET","count":1,
    "path_regex":"/api/v2.0/registries","message":"no\u001b[2J\u009b31m\u202eway\u0007"}'
b get registries
tap_is "injected 400: exit 1" "$RC" 1
tap_like "injected 400: harbor's message shown" "$OUT" 'no\\033\[2J\\302\\23331m\\342\\200\\256way\\007'
tap_clean "injected 400: stderr clean"
sim_fault '{"action":"status","status":400,"method":"GET","count":1,
    "path_regex":"/api/v2.0/registries","message":"no\u001b[2J\u009b31m\u202eway\u0007"}'
b get registries -o json
tap_is "injected 400 (-o json): exit 1" "$RC" 1
tap_clean "injected 400 (-o json): stderr clean"

b delete registry "$N"
tap_is "cleanup: delete registry" "$RC" 0

# --- a hostile server: raw bytes the simulator cannot send ---------------
coproc HS { exec /usr/bin/python3 "$top/tests/integration/hostilesrv.py"; }
hpid=$HS_PID
trap 'kill "$hpid" 2>/dev/null; reg_cleanup' EXIT
P=
read -r -t 20 P <&"${HS[0]}"	# the port, within 20 s
tap_like "hostile server up" "$P" '^[0-9]+$'
H=http://127.0.0.1:$P
printf 'p\n' >"$T/pw"

b --url "$H" --user admin get registries
tap_is "hostile list: exit 0" "$RC" 0
tap_like "hostile list: invalid UTF-8 shown as octal" "$OUT" 'A\\377\\376B\\342\\200C\\302\\2332JD'
tap_clean "hostile list: clean"
b --url "$H" --user admin -o json get registries
tap_is "hostile list -o json: exit 0" "$RC" 0
tap_json "hostile list"
tap_like "hostile list -o json: invalid UTF-8 as U+FFFD" "$OUT" 'A\\ufffd\\ufffdB'

b --url "$H" --user admin status
tap_is "hostile error text body: exit 1" "$RC" 1
tap_like "hostile error text body: 502 shown" "$OUT" "502"
tap_clean "hostile error text body: clean"

b --url "$H" --user admin delete registry evil
tap_nonzero "hostile harbor error json: fails" "$RC"
tap_clean "hostile harbor error json: clean"

b test-connection --url "$H" --user u --password-file "$T/pw"
tap_is "hostile token service: exit 1" "$RC" 1
tap_like "hostile token service: the token rung fails" "$OUT" "FAIL +token"
tap_clean "hostile token service: clean"
b -o json test-connection --url "$H" --user u --password-file "$T/pw"
tap_json "hostile token service"

# Host: localhost makes /v2/ a 500 with a hostile message
b test-connection --url "http://localhost:$P" --user u --password-file "$T/pw"
tap_is "hostile 500 on /v2/: exit 1" "$RC" 1
tap_clean "hostile 500 on /v2/: clean"
tap_done

#!/usr/bin/env bash
# hostile.t: server text is untrusted. A registry whose name carries
# escape sequences (clear screen, set title, bell) and invalid UTF-8 is
# made unhealthy so the overview lists it: it must show escaped, and the
# terminal must not act on it.
. "$(dirname "$0")/lib.sh"

api() { curl -s --cacert "$BERTH_SIM_CA" -u "$BERTH_SIM_HARBOR_USER:$BERTH_SIM_HARBOR_PASSWORD" "$@"; }

# An endpoint that answers 401 to everything: healthy for an anonymous
# registry while it runs, unhealthy once it is gone.
/usr/bin/python3 - "$T/port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="x"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1] + ".tmp", "w").write(str(s.server_port))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PY
srv=$!
end=$(( $(now_ms) + 10000 ))
while [ ! -s "$T/port" ] && [ "$(now_ms)" -lt "$end" ]; do tick; done
port=$(cat "$T/port")

name="evil-$$"$'\e[2J\e]0;pwned\a\e[31m'
body=$(/usr/bin/python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "type": "docker-registry", "url": "http://127.0.0.1:" + sys.argv[2], "description": "x\u001b[5m"}))' "$name" "$port")
api -X POST -H 'Content-Type: application/json' -d "$body" "$BERTH_SIM_HARBOR_URL/api/v2.0/registries" -o "$T/create" -w '%{http_code}' >"$T/code"
tap_is "setup: hostile registry created" "$(cat "$T/code")" 201
id=$(api "$BERTH_SIM_HARBOR_URL/api/v2.0/registries?q=name%3D~evil-$$" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' 2>/dev/null)
# a name of double-width characters, longer than its column
wide="wide-$$-$(printf '日本語のレジストリ%.0s' 1 2 3 4)"
body=$(/usr/bin/python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "type": "docker-registry", "url": "http://127.0.0.1:" + sys.argv[2]}))' "$wide" "$port")
api -X POST -H 'Content-Type: application/json' -d "$body" "$BERTH_SIM_HARBOR_URL/api/v2.0/registries" -o /dev/null -w '%{http_code}' >"$T/code"
tap_is "setup: wide-named registry created" "$(cat "$T/code")" 201
id2=$(api "$BERTH_SIM_HARBOR_URL/api/v2.0/registries?q=name%3D~wide-$$" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' 2>/dev/null)
trap 'api -X DELETE "$BERTH_SIM_HARBOR_URL/api/v2.0/registries/$id" >/dev/null; api -X DELETE "$BERTH_SIM_HARBOR_URL/api/v2.0/registries/$id2" >/dev/null; tui_cleanup' EXIT
kill "$srv"; wait "$srv" 2>/dev/null
curl -s --cacert "$BERTH_SIM_CA" -X POST "$BERTH_SIM_CONTROL_URL/registry-health" >/dev/null
st=$(api "$BERTH_SIM_HARBOR_URL/api/v2.0/registries/$id" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
tap_is "setup: it is unhealthy now" "$st" unhealthy

tui_start -x 132 -y 40
check "overview lists unhealthy registries" "Unhealthy registries"
check "the name shows escaped" 'evil-[0-9]+\\033\[2J\\033\]0;pwned\\007\\033\[31m'
check "the header survived (no clear screen)" "^ berth sim "
title=$(tm display -p '#{pane_title}')
if [ "$title" = pwned ]; then tap_fail "the title was not set" "$title"; else tap_pass "the title was not set"; fi
tm capture-pane -e -p >"$T/colour"
if grep -q $'\e\\[5m' "$T/colour"; then tap_fail "no blink from the server"; else tap_pass "no blink from the server"; fi
check "a wide name is cut with an ellipsis" "wide-[0-9]+-日本語.*…"
# display columns of "unhealthy" on the two rows must be equal
cols=$(grep -E 'evil-|wide-' "$T/pane" | /usr/bin/python3 -c '
import sys, unicodedata
for line in sys.stdin:
    line = line.rstrip("\n")
    i = line.index(" unhealthy")
    print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))' | sort -u | wc -l)
tap_is "columns stay aligned after wide characters" "$cols" 1
check "the count says unhealthy" "Registries +[0-9]+ \([0-9]+ unhealthy\)"
keys q
restored "quit"
tap_done

#!/bin/bash
# tests/sim/stack itself: up (timing, exports, certs, processes, addresses,
# secrets kept out of argv), refusing a second up, down, up again with the
# same digests, --scale large, and cleaning up after a failed up.
# Always starts its own stacks in a temp dir (whatever BERTH_SIM_DIR says).
. "$(dirname "$0")/cgr-lib.sh"

S=$T/s
STACKS=()
stack_cleanup() {
	local d
	for d in "${STACKS[@]}"; do "$SIM/stack" down --dir "$d" >/dev/null 2>&1; done
	cgr_cleanup
}
trap stack_cleanup EXIT

HARBOR=
[ -f "$SIM/harborsim/__main__.py" ] && HARBOR=1

# proc_gone PID: no such process, or a zombie waiting for init.
proc_gone() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	st=${st##*) }
	[ "${st%% *}" = Z ]
}

# listeners PID...: "addr:port" of every TCP socket those pids listen on.
listeners() {
	local re
	re=$(printf '%s|' "$@")
	ss -Hltnp | grep -E "pid=(${re%|})," | awk '{print $4}'
}

# --- up ----------------------------------------------------------------
STACKS+=("$S")
t0=$(date +%s%3N)
"$SIM/stack" up --dir "$S" >"$T/up.out" 2>"$T/up.err"
rc=$?
ms=$(($(date +%s%3N) - t0))
tap_is "stack up exits 0" "$rc" 0
[ "$rc" -eq 0 ] || { sed 's/^/# /' "$T/up.err"; tap_done; exit 1; }
echo "# stack up took $ms ms${HARBOR:+ (with the Harbor simulator)}"
tap_ok "stack up takes under 10 s ($ms ms)" test "$ms" -lt 10000

tap_is "stdout is only export lines" \
	"$(grep -cv "^export BERTH_SIM_[A-Z_]*='[^']*'$" "$T/up.out")" 0
want="CA CGR_NOCAT_PASSWORD CGR_NOCAT_USER CGR_OTHER_PASSWORD CGR_OTHER_USER CGR_PASSWORD CGR_URL CGR_USER DIR ORG"
[ -n "$HARBOR" ] && want="$want CONTROL_URL HARBOR_NONADMIN_PASSWORD HARBOR_NONADMIN_USER HARBOR_PASSWORD HARBOR_URL HARBOR_USER"
missing=
for v in $want; do grep -q "^export BERTH_SIM_$v=" "$T/up.out" || missing="$missing $v"; done
tap_is "every interface variable is exported" "$missing" ""
tap_ok "DIR/env holds the same lines" cmp "$T/up.out" "$S/env"
tap_is "DIR/env is private (0600)" "$(stat -c %a "$S/env")" 600
# shellcheck disable=SC1091
. "$S/env"
tap_is "BERTH_SIM_DIR is the directory" "$BERTH_SIM_DIR" "$(cd "$S" && pwd -P)"
tap_is "BERTH_SIM_ORG" "$BERTH_SIM_ORG" berth-test.dev
tap_like "pull-token users contain /" \
	"$BERTH_SIM_CGR_USER $BERTH_SIM_CGR_OTHER_USER $BERTH_SIM_CGR_NOCAT_USER" \
	'^[^ /]+/[^ /]+ [^ /]+/[^ /]+ [^ /]+/[^ /]+$'
tap_ok "the three pull tokens differ" test \
	"$(printf '%s\n' "$BERTH_SIM_CGR_PASSWORD" "$BERTH_SIM_CGR_OTHER_PASSWORD" \
	"$BERTH_SIM_CGR_NOCAT_PASSWORD" | sort -u | wc -l)" = 3

# Certificates.
tap_ok "certs.d/ca.crt is the CA" cmp "$BERTH_SIM_CA" "$S/certs.d/ca.crt"
tap_ok "server cert verifies against the CA" \
	openssl verify -CAfile "$BERTH_SIM_CA" "$S/pki/server.crt"
tap_like "server cert names IP:127.0.0.1 and DNS:localhost" \
	"$(openssl x509 -in "$S/pki/server.crt" -noout -ext subjectAltName)" \
	'IP Address:127\.0\.0\.1, DNS:localhost'
tap_is "keys are private" "$(stat -c %a "$S/pki/ca.key" "$S/pki/server.key" "$S/pki/token.key" | sort -u)" 600

# Processes and addresses.
names="registry tokensrv"
[ -n "$HARBOR" ] && names="harborsim $names"
tap_is "one pid file per server" "$(cd "$S/pids" && ls | sed 's/\.pid$//' | sort | tr '\n' ' ')" "$names "
pids=$(cat "$S"/pids/*.pid)
alive=0
for p in $pids; do proc_gone "$p" || alive=$((alive + 1)); done
tap_is "every recorded process runs" "$alive" "$(echo "$pids" | wc -l)"
# shellcheck disable=SC2086
l=$(listeners $pids)
tap_is "every listener is on 127.0.0.1" "$(echo "$l" | grep -vc '^127\.0\.0\.1:')" 0
tap_ok "no listener on port 5000" sh -c '! echo "$1" | grep -q ":5000$"' _ "$l"
tap_ok "at least one listener per server" test "$(echo "$l" | wc -l)" -ge "$(echo "$pids" | wc -l)"
leak=0
for p in $pids; do
	for s in "$BERTH_SIM_CGR_PASSWORD" "$BERTH_SIM_CGR_OTHER_PASSWORD" \
	    "$BERTH_SIM_CGR_NOCAT_PASSWORD" "${BERTH_SIM_HARBOR_PASSWORD:-}"; do
		[ -n "$s" ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF -- "$s" && leak=$((leak + 1))
	done
done
tap_is "no secret in any server's argv" "$leak" 0
if grep -rqF -- "$BERTH_SIM_CGR_PASSWORD" "$S/log"; then
	tap_fail "no pull-token secret in the logs"
else tap_pass "no pull-token secret in the logs"; fi

req "" "$BERTH_SIM_CGR_URL/v2/"
tap_is "cgr stand-in answers (401 challenge)" "$CODE" 401
if [ -n "$HARBOR" ]; then
	req "" "$BERTH_SIM_HARBOR_URL/api/v2.0/ping"
	tap_is "Harbor simulator answers /api/v2.0/ping" "$CODE" 200
	tap_like "Harbor control URL is under /_sim" "$BERTH_SIM_CONTROL_URL" \
		'^https://127\.0\.0\.1:[0-9]+/_sim$'
fi
d1=$(json "$(cat "$S/images.json")" '[(e["repo"], e["tag"], e["digest"]) for e in d]')
authfile main "$T/main.json"
CERTS=$(certdir)
n1=$(skopeo inspect --raw --cert-dir "$CERTS" --authfile "$T/main.json" \
	"docker://${BERTH_SIM_CGR_URL#https://}/berth-test.dev/nginx:latest" | sha256sum)

# --- a second up on a running DIR is refused, the stack keeps running -----
"$SIM/stack" up --dir "$S" >"$T/up2.out" 2>"$T/up2.err"
tap_ok "second up on a running DIR fails" test $? -ne 0
tap_like "and says why" "$(cat "$T/up2.err")" 'already runs'
tap_is "and prints no exports" "$(cat "$T/up2.out")" ""
alive=0
for p in $pids; do proc_gone "$p" || alive=$((alive + 1)); done
tap_is "the running stack is untouched" "$alive" "$(echo "$pids" | wc -l)"

# --- down ----------------------------------------------------------------
"$SIM/stack" down --dir "$S"
tap_is "down exits 0" "$?" 0
gone=0
for p in $pids; do proc_gone "$p" && gone=$((gone + 1)); done
tap_is "every process is gone" "$gone" "$(echo "$pids" | wc -l)"
tap_is "no pid file left" "$(ls "$S/pids" | wc -l)" 0
req "" "$BERTH_SIM_CGR_URL/v2/"
tap_is "cgr port closed" "$CODE" 000
"$SIM/stack" down --dir "$S"
tap_is "down again is a no-op (exit 0)" "$?" 0
"$SIM/stack" down --dir "$T/never-made"
tap_is "down of a missing DIR: exit 0" "$?" 0
tap_ok "and does not create it" test ! -e "$T/never-made"

# --- up again: same images, same digests --------------------------------
if BERTH_SIM_NO_HARBOR=1 "$SIM/stack" up --dir "$S" >"$T/up3.out" 2>"$T/up3.err"; then
	tap_pass "up again in the same DIR"
	# shellcheck disable=SC1091
	. "$S/env"
	tap_is "images.json digests are the same as the first run's" \
		"$(json "$(cat "$S/images.json")" '[(e["repo"], e["tag"], e["digest"]) for e in d]')" "$d1"
	authfile main "$T/main.json"
	CERTS=$(certdir)	# a new CA each up
	tap_is "registry serves nginx:latest with the same digest again" \
		"$(skopeo inspect --raw --cert-dir "$CERTS" --authfile "$T/main.json" \
		"docker://${BERTH_SIM_CGR_URL#https://}/berth-test.dev/nginx:latest" | sha256sum)" "$n1"
	"$SIM/stack" down --dir "$S" >/dev/null 2>&1
else
	tap_fail "up again in the same DIR" "$(tail -n 3 "$T/up3.err")"
fi

# --- --scale large (cgr stand-in only) ----------------------------------
L=$T/large
STACKS+=("$L")
t0=$(date +%s%3N)
if BERTH_SIM_NO_HARBOR=1 "$SIM/stack" up --dir "$L" --scale large >"$T/upl.out" 2>"$T/upl.err"; then
	ms=$(($(date +%s%3N) - t0))
	echo "# stack up --scale large (cgr stand-in only) took $ms ms"
	tap_ok "--scale large: up under 10 s ($ms ms)" test "$ms" -lt 10000
	# shellcheck disable=SC1091
	. "$L/env"
	token main "registry:catalog:*"
	req "$(bearer "$TOK")" "$BERTH_SIM_CGR_URL/v2/_catalog?n=1000"
	tap_is "--scale large: catalog has 6 + 40 repositories" \
		"$(json "$BODY" 'len(d["repositories"])')" 46
	token main "repository:berth-test.dev/bulk-40:pull"
	req "$(bearer "$TOK")" "$BERTH_SIM_CGR_URL/v2/berth-test.dev/bulk-40/tags/list"
	tap_is "--scale large: bulk-40 has 3 tags" "$(json "$BODY" 'sorted(d["tags"])')" \
		'["1.0", "1.1", "latest"]'
	authfile main "$T/main.json"
	CERTS=$(certdir)
	want=$(json "$(cat "$L/images.json")" '[e["digest"] for e in d if e["repo"].endswith("/bulk-07") and e["tag"] == "1.1"][0]')
	got=$(skopeo inspect --raw --cert-dir "$CERTS" --authfile "$T/main.json" \
		"docker://${BERTH_SIM_CGR_URL#https://}/berth-test.dev/bulk-07:1.1" | sha256sum | cut -d' ' -f1)
	tap_is "--scale large: skopeo reads bulk-07:1.1 with its digest" "sha256:$got" "$want"
	"$SIM/stack" down --dir "$L" >/dev/null 2>&1
else
	tap_fail "--scale large: up" "$(tail -n 3 "$T/upl.err")"
fi

# --- a failed up stops what it started ----------------------------------
F=$T/fail
STACKS+=("$F")
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "fake docker-registry: refusing to start" >&2\nexit 1\n' >"$T/bin/docker-registry"
chmod +x "$T/bin/docker-registry"
PATH=$T/bin:$PATH BERTH_SIM_NO_HARBOR=1 "$SIM/stack" up --dir "$F" >"$T/upf.out" 2>"$T/upf.err"
tap_ok "up fails when docker-registry cannot start" test $? -ne 0
tap_like "and says so" "$(cat "$T/upf.err")" 'docker-registry'
tap_is "and leaves no pid file" "$(ls "$F/pids" 2>/dev/null | wc -l)" 0
tap_is "and no process of its own" "$(pgrep -f -- "$F/" | wc -l)" 0
tap_ok "and writes no env" test ! -e "$F/env"

# --- usage ----------------------------------------------------------------
"$SIM/stack" >/dev/null 2>&1
tap_is "no command: usage, exit 2" "$?" 2
"$SIM/stack" up >/dev/null 2>&1
tap_is "up without --dir: exit 2" "$?" 2
"$SIM/stack" up --dir "$T/x" --scale huge >/dev/null 2>&1
tap_is "bad --scale: exit 2" "$?" 2

tap_done

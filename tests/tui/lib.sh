# tests/tui/lib.sh: helpers for the console's screen tests (tests/tui/*.t).
#
# Source it from a test. It sets:
#   top     the source tree
#   BERTH   the binary ($BERTH, else $top/build/werror/berth, else ./berth);
#           the test SKIPs when there is none or tmux is missing
#   T       a private temp directory (removed at exit), HOME and
#           BERTH_CONFIG inside it, with three contexts:
#             sim   the simulated Harbor, CA trusted (the current one)
#             ro    the same, read_only = true
#             unsafe the same, insecure = true (no CA): the INSECURE badge
# and uses the simulator stack of $BERTH_SIM_DIR/env, or starts one.
#
# tui_start [-x COLS] [-y LINES] [-l LANG] [ENV=VALUE...] [-- ARGS...]
#     run berth in a private tmux server at a fixed size; when berth
#     exits the pane prints "berth-exited-RC" and saves `stty -a`.
# keys KEYS...      send keys (tmux names: Enter, Escape, C-r ...) and wait
#                   until berth was idle again (BERTH_TEST_IDLE advanced)
# wait_for REGEX [S]    poll the pane until it matches (deadline S, 10 s)
# check TEXT REGEX [S]  tap result of wait_for (prints the pane on failure)
# check_not TEXT REGEX  ok when the pane does not match now
# golden TEXT NAME [FIRST LAST]  compare the masked pane (lines FIRST..LAST)
#                   with golden/NAME.screen, polling until equal or the
#                   deadline; GENERATE=1 rewrites the file
# tui_stop          kill the tmux server
# No fixed sleeps: every wait polls a condition with a deadline.
# shellcheck shell=bash
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top=$(cd "$top" && pwd)
# shellcheck source=../lib/tap.sh
. "$top/tests/lib/tap.sh"
GOLDEN=$top/tests/tui/golden

if [ -z "${BERTH:-}" ]; then
	if [ -x "$top/build/werror/berth" ]; then BERTH=$top/build/werror/berth
	elif [ -x ./berth ]; then BERTH=$(pwd)/berth
	fi
fi
if [ -z "${BERTH:-}" ] || [ ! -x "$BERTH" ]; then
	echo "1..0 # SKIP no berth binary (set BERTH)"
	exit 0
fi
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux missing"; exit 0; }

T=$(mktemp -d "${TMPDIR:-/tmp}/berth-tui.XXXXXX")
SOCK=berth-$$-0
TUI_N=0
tui_own_stack=
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
# tui_kill: stop the tmux server and wait (bounded) until berth is gone:
# it may still write its idle file while it exits.
tui_kill() {
	local pid end
	pid=$(tui_pid)
	tm kill-server 2>/dev/null
	end=$(( $(date +%s) + 5 ))
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
	    [ "$(date +%s)" -le "$end" ]; do
		read -r -t 0.05 <> <(:) || true
	done
}
tui_cleanup() {
	tui_kill
	if [ -n "$tui_own_stack" ]; then
		"$top/tests/sim/stack" down --dir "$T/stack" >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap tui_cleanup EXIT

if [ -n "${BERTH_SIM_DIR:-}" ] && [ -f "$BERTH_SIM_DIR/env" ]; then
	# shellcheck disable=SC1091
	. "$BERTH_SIM_DIR/env"
else
	"$top/tests/sim/stack" up --dir "$T/stack" >"$T/stack-up.log" 2>&1 ||
		{ echo "Bail out! stack up failed"; cat "$T/stack-up.log"; exit 1; }
	tui_own_stack=1
	# shellcheck disable=SC1091
	. "$T/stack/env"
fi

export HOME=$T/home
mkdir -p "$HOME"
export BERTH_CONFIG=$T/config
unset HARBOR_URL HARBOR_USERNAME HARBOR_PASSWORD XDG_CONFIG_HOME NO_COLOR
(
	umask 077
	cat >"$BERTH_CONFIG" <<CONF
current = sim

[context sim]
url = $BERTH_SIM_HARBOR_URL
user = $BERTH_SIM_HARBOR_USER
password_source = env:BERTH_SIM_HARBOR_PASSWORD
ca_file = $BERTH_SIM_CA

[context ro]
url = $BERTH_SIM_HARBOR_URL
user = $BERTH_SIM_HARBOR_USER
password_source = env:BERTH_SIM_HARBOR_PASSWORD
ca_file = $BERTH_SIM_CA
read_only = true

[context unsafe]
url = $BERTH_SIM_HARBOR_URL
user = $BERTH_SIM_HARBOR_USER
password_source = env:BERTH_SIM_HARBOR_PASSWORD
insecure = true
CONF
)

# tick: a short bounded pause between polls (no fixed wait for an event).
tick() { read -r -t "${1:-0.05}" <> <(:) || true; }
now_ms() { date +%s%3N; }

idle_count() { cat "$T/idle" 2>/dev/null || echo 0; }

# idle_after N [S]: wait until the idle counter is above N.
idle_after() {
	local n=$1 end=$(( $(now_ms) + ${2:-10} * 1000 ))
	while [ "$(idle_count)" -le "$n" ]; do
		[ "$(now_ms)" -gt "$end" ] && return 1
		tick
	done
	return 0
}

tui_start() {
	local x=80 y=24 lang=C.UTF-8 envs=() args=()
	while [ $# -gt 0 ]; do
		case $1 in
		-x) x=$2; shift 2 ;;
		-y) y=$2; shift 2 ;;
		-l) lang=$2; shift 2 ;;
		--) shift; args=("$@"); break ;;
		*) envs+=("$1"); shift ;;
		esac
	done
	tui_kill
	# a fresh server each time: a dying one may still hold the old socket
	TUI_N=$((TUI_N + 1))
	SOCK=berth-$$-$TUI_N
	rm -f "$T/idle" "$T/stty" "$T/stderr"
	tm new-session -d -x "$x" -y "$y" "ulimit -c 0; env HOME=$HOME \
	    BERTH_CONFIG=$BERTH_CONFIG TZ=UTC LANG=$lang LC_ALL= \
	    TERM=tmux-256color BERTH_TEST_IDLE=$T/idle \
	    BERTH_SIM_HARBOR_PASSWORD=$BERTH_SIM_HARBOR_PASSWORD \
	    ${envs[*]:-} $BERTH ${args[*]:-} 2>$T/stderr; \
	    echo berth-exited-\$?; stty -a >$T/stty; exec cat"
	tm set-option -g status off >/dev/null 2>&1
	idle_after 0 15
}

# tui_pid: the pid of berth (the child of the pane's shell).
tui_pid() { local p; p=$(tm display -p '#{pane_pid}' 2>/dev/null) && pgrep -P "$p" 2>/dev/null | head -1; }

tui_stop() { tui_kill; }

keys() {
	local n
	n=$(idle_count)
	tm send-keys "$@"
	idle_after "$n" 10 || true
}

pane() { tm capture-pane -p 2>/dev/null; }

wait_for() {
	local end=$(( $(now_ms) + ${2:-10} * 1000 ))
	while :; do
		pane >"$T/pane"
		grep -Eq -- "$1" "$T/pane" && return 0
		[ "$(now_ms)" -gt "$end" ] && return 1
		tick
	done
}

check() {
	if wait_for "$2" "${3:-10}"; then tap_pass "$1"
	else tap_fail "$1" "pane:" "$(cat "$T/pane")" "want: /$2/"; fi
}

check_not() {
	pane >"$T/pane"
	if grep -Eq -- "$2" "$T/pane"; then
		tap_fail "$1" "pane:" "$(cat "$T/pane")" "unwanted: /$2/"
	else tap_pass "$1"; fi
}

# mask: volatile parts of a screen (ports, versions, counts, times).
mask() {
	sed -E -e 's#https://127\.0\.0\.1:[0-9]+#https://HARBOR#g' \
	    -e 's/v[0-9]+\.[0-9]+\.[0-9]+-sim/VERSION/g' \
	    -e 's/((Registries|Projects|Replication rules|Running now) +)[0-9]+( \([0-9]+ unhealthy\))?/\1N/' \
	    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z/TIME/g' \
	    -e 's/ +$//'
}

golden() {
	local text=$1 name=$2 first=${3:-1} last=${4:-999} file end
	file=$GOLDEN/$name.screen
	end=$(( $(now_ms) + 10000 ))
	while :; do
		pane | sed -n "${first},${last}p" | mask >"$T/got"
		if [ -n "${GENERATE:-}" ]; then
			cp "$T/got" "$file"
			tap_pass "$text (generated $name)"
			return
		fi
		if [ -f "$file" ] && cmp -s "$T/got" "$file"; then
			tap_pass "$text"
			return
		fi
		if [ "$(now_ms)" -gt "$end" ]; then
			local IFS=$'\n' d
			d=$(diff -u "$file" "$T/got" 2>&1)
			# shellcheck disable=SC2086
			tap_fail "$text" $d
			return
		fi
		tick
	done
}

# exited: berth has exited (the pane printed its status).
exited() { wait_for "berth-exited-[0-9]+" "${1:-10}"; }

# restored TEXT: after an exit: status 0, the console's alternate screen is
# gone, and the terminal is back in canonical mode with echo.
restored() {
	local text=$1
	if ! exited 10; then
		tap_fail "$text: berth exits" "$(cat "$T/pane")"
		return
	fi
	tap_like "$text: exit status 0" "$(grep -Eo 'berth-exited-[0-9]+' "$T/pane")" '^berth-exited-0$'
	if grep -Eq 'Overview|Harbor  |q quit' "$T/pane"; then
		tap_fail "$text: the console's screen is gone" "$(cat "$T/pane")"
	else
		tap_pass "$text: the console's screen is gone"
	fi
	local end=$(( $(now_ms) + 5000 ))
	while [ ! -s "$T/stty" ] && [ "$(now_ms)" -le "$end" ]; do tick; done
	tap_like "$text: terminal sane (icanon, echo)" \
	    "$(tr '\n;' '  ' <"$T/stty" 2>/dev/null)" ' icanon .* echo '
	if [ -s "$T/stderr" ]; then
		tap_fail "$text: nothing on stderr" "$(head -20 "$T/stderr")"
	else
		tap_pass "$text: nothing on stderr"
	fi
	if grep -Eq '(^| )-icanon( |$)|(^| )-echo( |$)' "$T/stty" 2>/dev/null; then
		tap_fail "$text: no raw mode left" "$(cat "$T/stty")"
	else
		tap_pass "$text: no raw mode left"
	fi
}

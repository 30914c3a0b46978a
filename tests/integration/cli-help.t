#!/usr/bin/env bash
# --help, --version, help COMMAND, unknown commands and options, and the
# man page listing every command --help lists. No stack needed.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

b --help
tap_rc "--help: exit 0" 0
tap_like "--help: usage line" "$OUT" '^usage: berth'
tap_like "--help: global options" "$OUT" '--read-only'
tap_like "--help: exit status documented" "$OUT" 'Exit status: 0 ok, 1 failure, 2 usage'
cmds=$(printf '%s\n' "$OUT" | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z -]*[a-z]\)  .*/\1/p')
n=$(printf '%s\n' "$cmds" | grep -c .)
if [ "$n" -ge 6 ]; then tap_pass "--help lists commands ($n)"; else tap_fail "--help lists commands" "$cmds"; fi
for c in status "context add" "context list" "context use" "context remove" help; do
	tap_like "--help lists $c" "$cmds" "^$c\$"
done

b -V
tap_rc "-V: exit 0" 0
tap_like "-V: version" "$OUT" '^berth [0-9]+\.[0-9]+'
b --version
tap_is "--version same as -V" "$OUT" "$("$BERTH" -V)"

b help status
tap_rc "help status: exit 0" 0
tap_like "help status: usage" "$OUT" '^usage: berth status'
b status --help
tap_like "status --help: same usage" "$OUT" '^usage: berth status'
b help context add
tap_like "help context add: mentions password-source" "$OUT" 'password-source'
b help nosuch
tap_rc "help nosuch: exit 2" 2

b nosuch
tap_rc "unknown command: exit 2" 2
tap_like "unknown command: names it" "$ERR" 'unknown command "nosuch"'
b stat
tap_like "prefix: suggests status" "$ERR" 'did you mean "status"'
b --nosuch status
tap_rc "unknown global option: exit 2" 2
b status --nosuch
tap_rc "unknown option after the command: exit 2" 2
tap_like "unknown option: usage line" "$ERR" 'usage: berth status'
b context use
tap_rc "missing argument: exit 2" 2
b -c
tap_rc "option without its value: exit 2" 2

# The man page documents every command --help lists, and the sections.
man=$top/berth.1
while read -r c; do
	[ -n "$c" ] || continue
	if grep -qF -- "$c" "$man"; then tap_pass "berth.1 documents $c"
	else tap_fail "berth.1 documents $c"; fi
done <<EOF
$cmds
EOF
for s in "EXIT STATUS" ENVIRONMENT FILES; do
	if grep -q "^\.Sh $s" "$man"; then tap_pass "berth.1 has $s"
	else tap_fail "berth.1 has $s"; fi
done
for o in context url user ca-file insecure read-only output password-stdin; do
	if grep -qE "^\.Fl .*${o}|Fl -?${o}" "$man"; then tap_pass "berth.1 documents --$o"
	else tap_fail "berth.1 documents --$o"; fi
done
if command -v mandoc >/dev/null; then
	if mandoc -T lint -W warning "$man" >"$T/lint" 2>&1; then tap_pass "mandoc -T lint"
	else tap_fail "mandoc -T lint" "$(head -5 "$T/lint")"; fi
fi
tap_done

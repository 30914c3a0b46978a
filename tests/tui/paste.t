#!/usr/bin/env bash
# paste.t: bracketed paste. Pasted text reaches only a focused text input
# (the ':' prompt, the '/' filter, a form field, type-the-name); with no
# text input focused it is dropped ("paste ignored") and never runs
# actions: a pasted secret with a 'd' on the Registries screen opens no
# delete dialog and shows nowhere. Quitting turns bracketed paste off.
. "$(dirname "$0")/lib.sh"

N=paste-$$
SECRET="d-secret-Xyz$$"
printf '%s\n' "$BERTH_SIM_CGR_PASSWORD" | "$BERTH" create registry \
    --name "$N" --url "$BERTH_SIM_CGR_URL" --access-id "$BERTH_SIM_CGR_USER" \
    --ca-file "$BERTH_SIM_CA" --access-secret-stdin >"$T/create" 2>&1
tap_is "setup: a registry exists" "$?" 0
trap '"$BERTH" delete registry "$N" >/dev/null 2>&1 </dev/null; tui_cleanup' EXIT

# paste TEXT: paste it bracketed (tmux brackets it when berth asked for it)
# and wait until berth was idle again.
paste() {
	local n
	n=$(idle_count)
	tm set-buffer -b berth-paste -- "$1"
	tm paste-buffer -p -d -b berth-paste
	idle_after "$n" 10 || true
}

tui_start -x 130 -y 36
check "console starts" "overall healthy"
keys r
check "registries screen shows the row" "$N +"

paste "$SECRET"
check "status: paste ignored" "paste ignored: no text field has focus"
check_not "no delete dialog opened" "Type its name|to confirm"
check_not "the pasted secret is nowhere on screen" "secret-Xyz|Xyz$$"
check_not "no other action ran (no form, no test)" "registry endpoint|Harbor's view"
keys j
check_not "next key clears the status" "paste ignored"

# the '/' filter takes pasted text
keys /
check "filter prompt open" "^filter:"
paste "$N"
check "pasted text arrived in the filter" "^filter: $N"
check "filter applied" "$N +"
keys Escape

# the ':' prompt takes it too; a pasted newline does not submit it
keys :
paste "get regis"$'\n'
check "pasted text arrived in the : prompt" "^:get regis"
check_not "paste did not run the command" "paste ignored"
keys C-u Escape

# a form's secret field takes it, masked; a non-text field drops it
keys n
check "new form open" "Provider +< Docker Registry >"
paste "$SECRET"
check "paste on the provider choice ignored" "paste ignored"
keys Tab Tab Tab Tab Tab
paste "$SECRET"
check_not "pasted secret masked in the form" "secret-Xyz|Xyz$$"
check_not "paste into the secret field not ignored" "paste ignored"
keys Escape
check "discard dialog open" "Discard changes\?"
paste "nhl"
check "paste in a confirm dialog ignored" "paste ignored"
check "confirm dialog still open (pasted n/h/l ran nothing)" "Discard changes\?"
keys Tab Enter
check_not "form closed" "Provider +<|Discard changes"

# type-the-name: the name may be pasted; the dialog stays until Enter
keys / C-u "$N" Enter
keys d
check "delete dialog open by its key" "Type its name"
paste "$N"
check "pasted name in the dialog field (it matches)" "Enter confirms"
check "dialog still open after the paste" "Type its name"
keys Escape
check_not "dialog closed by Esc" "Type its name"

# bp_off TEXT: after berth exited, the pane runs cat on a cooked tty that
# echoes; tmux brackets a paste only while the mode is still on, and the
# echo would then show the markers (^[[200~).
bp_off() {
	tm set-buffer -b berth-paste -- "after-exit-$1"
	tm paste-buffer -p -d -b berth-paste
	if wait_for "after-exit-$1" 10 && ! grep -q '200~' "$T/pane"; then
		tap_pass "$1: bracketed paste off after exit"
	else
		tap_fail "$1: bracketed paste off after exit" "$(cat "$T/pane")"
	fi
}

keys q q
restored "quit after pastes"
bp_off quit

# signals and the crash handler turn it off as well
for s in TERM SEGV; do
	tui_start
	check "start ($s)" "overall healthy"
	kill -s "$s" "$(tui_pid)"
	exited 10 || tap_fail "berth exits on $s"
	bp_off "$s"
done
tap_done

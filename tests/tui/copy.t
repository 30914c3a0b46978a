#!/usr/bin/env bash
# copy.t: y copies a value with OSC 52 and shows it. Inside tmux with
# set-clipboard on, the sequence lands in tmux's paste buffer.
. "$(dirname "$0")/lib.sh"

tui_start -x 80 -y 24
tm set-option -s set-clipboard on
check "start" "overall healthy"
tm delete-buffer 2>/dev/null
keys y
check "the value is shown" "^copied: https://127\.0\.0\.1:[0-9]+"
end=$(( $(now_ms) + 5000 ))
while ! tm show-buffer >/dev/null 2>&1 && [ "$(now_ms)" -lt "$end" ]; do tick; done
tap_is "OSC 52 reached the clipboard (tmux buffer)" "$(tm show-buffer 2>/dev/null)" "$BERTH_SIM_HARBOR_URL"
keys :widgets Enter j j y
check "a row's name is shown" "^copied: row-000003"
end=$(( $(now_ms) + 5000 ))
while [ "$(tm show-buffer 2>/dev/null)" != row-000003 ] && [ "$(now_ms)" -lt "$end" ]; do tick; done
tap_is "the row's name is in the clipboard" "$(tm show-buffer 2>/dev/null)" row-000003
check "screen intact after the escape" "Overview › Widgets"
keys q q
restored "quit"
tap_done

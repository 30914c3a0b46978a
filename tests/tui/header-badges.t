#!/usr/bin/env bash
# header-badges.t: at 80 columns the header's badges (INSECURE, READ-ONLY)
# never cut the user and the ADMIN badge: the URL and Harbor's version give
# way first.
. "$(dirname "$0")/lib.sh"

tui_start -x 80 -y 24 -- --read-only
check "read-only: user, ADMIN and READ-ONLY all whole" "^ berth sim .* admin ADMIN READ-ONLY *$"
tui_start -x 80 -y 24 -- -c unsafe --read-only
check "insecure and read-only: user, ADMIN and both badges whole" "^ berth unsafe .* admin ADMIN INSECURE READ-ONLY *$"
check "the Harbor URL is still shown" "^ berth unsafe  https://127\.0\.0\.1:[0-9]+ "
tui_start -x 132 -y 40 -- -c unsafe --read-only
check "132 columns: the version in full" "Harbor v[0-9.]+-sim  admin ADMIN .*INSECURE READ-ONLY *$"
tap_done

#!/usr/bin/env bash
# STYLE.md's banned calls and layering, checked on the sources:
# - no sprintf/strcpy/strcat/atoi/gets, no sleep()/usleep() and no blocking
#   curl_easy_perform() (one loop, one wait), no system();
# - core/ never includes ncurses; tui/ never includes curl or cJSON;
# - every public header compiles on its own;
# - the man page formats without warnings.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tap.sh"
cd "$top" || exit 1

strip() {	# print code lines of C files with comments and strings removed
	/usr/bin/python3 - "$@" <<'PY'
import re, sys
for path in sys.argv[1:]:
    src = open(path, encoding="utf-8", errors="replace").read()
    src = re.sub(r'/\*.*?\*/', lambda m: "\n" * m.group(0).count("\n"), src, flags=re.S)
    src = re.sub(r'//[^\n]*', '', src)
    src = re.sub(r'"(\\.|[^"\\\n])*"', '""', src)
    for i, line in enumerate(src.split("\n"), 1):
        print(f"{path}:{i}:{line}")
PY
}

code=$(strip core/*.c tui/*.c)
for fn in sprintf strcpy strcat atoi atol gets sleep usleep curl_easy_perform system; do
	hits=$(printf '%s\n' "$code" | grep -E "(^|[^A-Za-z0-9_])$fn[[:space:]]*\(" | grep -vE "(sn|vsn|vas|as)printf|strl(cpy|cat)")
	tap_is "no $fn() in core/ or tui/" "$hits" ""
done
tap_is "core/ does not include ncurses" "$(grep -lE '#include[[:space:]]*[<"](n?curses|ncursesw/)' core/*.c core/*.h include/berth/*.h 2>/dev/null)" ""
tap_is "tui/ does not include curl or cJSON" "$(grep -lE '#include[[:space:]]*[<"](curl/|cjson/|cJSON)' tui/*.c tui/*.h 2>/dev/null)" ""

cflags=$(pkg-config --cflags libbsd-overlay libcurl libcjson 2>/dev/null)
for h in include/berth/*.h; do
	printf '#include "config.h"\n#include "%s"\n' "${h#include/}" >"${TMPDIR:-/tmp}/hdr$$.c"
	printf '#define _GNU_SOURCE 1\n' >"${TMPDIR:-/tmp}/config.h"
	if out=$(cc -std=c11 -Wall -Wextra -Werror -DLIBBSD_NETBSD_VIS $cflags \
	    -I"${TMPDIR:-/tmp}" -Iinclude -fsyntax-only "${TMPDIR:-/tmp}/hdr$$.c" 2>&1); then
		tap_pass "$h compiles on its own"
	else
		tap_fail "$h compiles on its own" "$out"
	fi
done
rm -f "${TMPDIR:-/tmp}/hdr$$.c"

if command -v groff >/dev/null; then
	tap_is "berth.1: groff -mdoc -ww finds nothing" "$(groff -mdoc -ww -z berth.1 2>&1)" ""
fi
tap_done

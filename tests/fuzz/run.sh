#!/bin/sh
# Run each libFuzzer harness for SECONDS (default 60) from its seed corpus.
# Usage (from a build configured with CC=clang --enable-fuzzers):
#   sh $(top_srcdir)/tests/fuzz/run.sh [SECONDS]
# New inputs go to a scratch directory; crashes are left in the current
# directory as crash-* files (turn each into a unit test).
set -eu
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for name in sanitize json settings harbor-map oci; do
	bin=tests/fuzz/fuzz-$name
	if [ ! -x "$bin" ]; then
		echo "fuzz-$name: not built (configure CC=clang --enable-fuzzers)" >&2
		status=1
		continue
	fi
	mkdir -p "$work/$name"
	echo "fuzz-$name: ${secs}s"
	if ! "$bin" -max_total_time="$secs" -print_final_stats=1 \
	    "$work/$name" "$here/corpus/$name" 2>"$work/$name.log"; then
		tail -n 40 "$work/$name.log" >&2
		status=1
	else
		grep -E 'stat::number_of_executed_units|Done' "$work/$name.log" || true
	fi
done
exit $status

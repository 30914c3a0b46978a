#!/bin/bash
# scripts/install-deps: a no-op when every package is present; installs the
# missing ones as root (apt-get faked here); a clear error otherwise.
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
. "$ROOT/tests/lib/tap.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/cgr-deps.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
DEPS=$ROOT/scripts/install-deps

out=$("$DEPS" 2>&1)
tap_is "all present: exit 0" "$?" 0
tap_like "all present: says so" "$out" '^install-deps: all [0-9]+ packages present$'

# Fakes: dpkg-query says valgrind is missing until apt-get "installed" it;
# apt-get only records its arguments.
mkdir -p "$T/bin"
cat >"$T/bin/dpkg-query" <<EOF
#!/bin/sh
case "\$*" in
*valgrind*) [ -e "$T/installed" ] && echo installed || echo not-installed ;;
*) echo installed ;;
esac
EOF
cat >"$T/bin/apt-get" <<EOF
#!/bin/sh
echo "\$*" >>"$T/apt.log"
case "\$*" in install*) : >"$T/installed" ;; esac
EOF
chmod 755 "$T/bin" "$T/bin/dpkg-query" "$T/bin/apt-get"

if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		env PATH="$T/bin:$PATH" bash "$DEPS" >"$T/out" 2>&1
	rc=$?
	out=$(tr '\n' ' ' <"$T/out")
	tap_is "non-root, missing package: exit 1" "$rc" 1
	tap_like "non-root: names the package and the command" "$out" \
		'missing packages: valgrind.*apt-get install -y valgrind'
	tap_ok "non-root: apt-get not run" test ! -e "$T/apt.log"

	out=$(PATH="$T/bin:$PATH" "$DEPS" 2>&1)
	tap_is "root, missing package: exit 0" "$?" 0
	tap_is "root: apt-get update, then install of only the missing one" \
		"$(cat "$T/apt.log" 2>/dev/null)" "$(printf 'update -q\ninstall -y -q valgrind')"
	tap_like "root: reports done" "$out" 'install-deps: done$'
	tap_ok "no packaged docker-registry left running" \
		sh -c '! pgrep -f "[/]etc/docker/registry/config" >/dev/null'
else
	PATH="$T/bin:$PATH" "$DEPS" >"$T/out" 2>&1
	tap_is "non-root, missing package: exit 1" "$?" 1
	out=$(tr '\n' ' ' <"$T/out")
	tap_like "non-root: names the package and the command" "$out" \
		'missing packages: valgrind.*apt-get install -y valgrind'
	tap_ok "non-root: apt-get not run" test ! -e "$T/apt.log"
fi
tap_done

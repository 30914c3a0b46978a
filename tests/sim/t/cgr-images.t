#!/bin/bash
# cgr.dev stand-in: the seeded images, read back with skopeo; their digests
# are the same when the images are built again (reproducible builds).
. "$(dirname "$0")/cgr-lib.sh"
cgr_stack

ORG=$BERTH_SIM_ORG
HOST=${BERTH_SIM_CGR_URL#https://}
CERTS=$(certdir)
MANIFEST=$BERTH_SIM_DIR/images.json
authfile main "$T/main.json"
authfile other "$T/other.json"

tap_ok "images.json describes the seed" test -s "$MANIFEST"

# inspect WHO REF [ARGS...]: skopeo inspect as WHO (main, other, anon).
inspect() {
	local who=$1 ref=$2 auth=(--no-creds)
	shift 2
	case $who in
	main | other) auth=(--authfile "$T/$who.json") ;;
	esac
	skopeo inspect --cert-dir "$CERTS" "${auth[@]}" "$@" "docker://$HOST/$ref"
}

# who_reads REPO: the account that may read REPO.
who_reads() {
	case $1 in
	"$ORG"/*) echo main ;;
	other-org/*) echo other ;;
	*) echo anon ;;
	esac
}

# Every seeded tag (the first few bulk ones at --scale large): the raw
# manifest skopeo reads has the recorded digest; index children too.
$PY -c 'import json, sys
n = 0
for e in json.load(open(sys.argv[1])):
    if e["seeded_by"] == "storage":
        n += 1
        if n > 3:
            continue
    print(e["repo"], e["tag"], e["digest"], len(e["children"]))' \
	"$MANIFEST" >"$T/tags"
tap_is "seed has the interface's tags" \
	"$(grep -v /bulk- "$T/tags" | cut -d' ' -f1,2 | sort | tr '\n' ' ')" \
	"$ORG/nginx 1.25 $ORG/nginx 1.25.3 $ORG/nginx latest $ORG/python 3.12 $ORG/python latest $ORG/static latest $ORG/tools/jq latest chainguard/static latest other-org/secret-app latest "
while read -r repo tag digest nkids; do
	who=$(who_reads "$repo")
	if inspect "$who" "$repo:$tag" --raw >"$T/raw" 2>"$T/err"; then
		tap_is "skopeo ($who) $repo:$tag digest" \
			"sha256:$(sha256sum <"$T/raw" | cut -d' ' -f1)" "$digest"
	else
		tap_fail "skopeo ($who) $repo:$tag" "$(tail -n 2 "$T/err")"
		continue
	fi
	if [ "$nkids" -gt 0 ]; then
		tap_is "$repo:$tag is an index of 2 (amd64, arm64)" \
			"$(json "$(cat "$T/raw")" '[m["platform"]["architecture"] for m in d["manifests"]]')" \
			'["amd64", "arm64"]'
		for kid in $(json "$(cat "$T/raw")" '" ".join(m["digest"] for m in d["manifests"])'); do
			inspect "$who" "$repo@$kid" --raw >"$T/kid" 2>"$T/err" || true
			tap_is "$repo:$tag child $kid" \
				"sha256:$(sha256sum <"$T/kid" | cut -d' ' -f1)" "$kid"
		done
	fi
done <"$T/tags"

# Tags that point at one artifact share its digest; others differ.
d_latest=$(awk -v r="$ORG/nginx" '$1 == r && $2 == "latest" {print $3}' "$T/tags")
d_125=$(awk -v r="$ORG/nginx" '$1 == r && $2 == "1.25" {print $3}' "$T/tags")
d_1253=$(awk -v r="$ORG/nginx" '$1 == r && $2 == "1.25.3" {print $3}' "$T/tags")
tap_is "nginx latest and 1.25 are one artifact" "$d_latest" "$d_125"
tap_ok "nginx 1.25.3 is another artifact" test "$d_latest" != "$d_1253"

# Config as skopeo reports it.
out=$(inspect main "$ORG/python:3.12" 2>&1) || true
tap_is "python:3.12 is linux/amd64" \
	"$(json "$out" 'd["Os"] + "/" + d["Architecture"]')" linux/amd64
tap_is "python:3.12 lists its tags" "$(json "$out" 'sorted(d["RepoTags"])')" \
	'["3.12", "latest"]'

# Reproducible: a second build makes the very same digests.
$PY "$SIM/mkimages.py" --out "$T/again" --manifest "$T/again.json"
tap_is "a second build has the same digests as the registry's" \
	"$(json "$(cat "$T/again.json")" '[(e["repo"], e["tag"], e["digest"], [k["digest"] for k in e["children"]]) for e in d]')" \
	"$(json "$(cat "$MANIFEST")" '[(e["repo"], e["tag"], e["digest"], [k["digest"] for k in e["children"]]) for e in d if e["seeded_by"] == "skopeo"]')"

# A full copy out of the stand-in keeps the digests.
if skopeo copy --all --quiet --insecure-policy --src-cert-dir "$CERTS" \
    --src-authfile "$T/main.json" "docker://$HOST/$ORG/nginx:latest" \
    "oci:$T/copy:latest" >"$T/err" 2>&1; then
	tap_is "skopeo copy --all keeps the index digest" \
		"$(json "$(cat "$T/copy/index.json")" 'd["manifests"][0]["digest"]')" "$d_latest"
	tap_is "copied layout has index, 2 manifests, 2 configs, 2 layers" \
		"$(find "$T/copy/blobs/sha256" -type f | wc -l)" 7
else
	tap_fail "skopeo copy --all $ORG/nginx:latest" "$(tail -n 2 "$T/err")"
fi

# Who may read what.
tap_ok "main token cannot read other-org/secret-app" \
	sh -c '! "$@"' _ skopeo inspect --cert-dir "$CERTS" --authfile "$T/main.json" \
	--raw "docker://$HOST/other-org/secret-app:latest"
tap_ok "other-org token cannot read $ORG/nginx" \
	sh -c '! "$@"' _ skopeo inspect --cert-dir "$CERTS" --authfile "$T/other.json" \
	--raw "docker://$HOST/$ORG/nginx:latest"
tap_ok "anonymous cannot read $ORG/static" \
	sh -c '! "$@"' _ skopeo inspect --cert-dir "$CERTS" --no-creds \
	--raw "docker://$HOST/$ORG/static:latest"
tap_ok "main token reads the public chainguard/static" \
	skopeo inspect --cert-dir "$CERTS" --authfile "$T/main.json" \
	--raw "docker://$HOST/chainguard/static:latest"
tap_ok "skopeo without the test CA fails (TLS is verified)" \
	sh -c '! "$@"' _ skopeo inspect --no-creds \
	--raw "docker://$HOST/chainguard/static:latest"

tap_done

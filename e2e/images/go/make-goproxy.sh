#!/bin/sh
# make-goproxy.sh PROXY MODULE VERSION: serves Debian's copy of MODULE (/usr/share/gocode/src/MODULE)
# as MODULE@VERSION in a file-system module proxy. Its go.mod is reduced to the module line
# (the packaged copy's requirements are generator tools that are not packaged).
set -eu
proxy=$1; module=$2; version=$3
src=/usr/share/gocode/src/$module
work=$(mktemp -d)
mkdir -p "$work/$module@$version" "$proxy/$module/@v"
cp -rL "$src/." "$work/$module@$version/"
find "$work/$module@$version" -name vendor -prune -exec rm -rf {} +
printf 'module %s\n\ngo 1.17\n' "$module" >"$work/$module@$version/go.mod"
(cd "$work" && zip -qr "$proxy/$module/@v/$version.zip" "$module@$version")
cp "$work/$module@$version/go.mod" "$proxy/$module/@v/$version.mod"
printf '{"Version":"%s","Time":"2023-01-01T00:00:00Z"}\n' "$version" >"$proxy/$module/@v/$version.info"
printf '%s\n' "$version" >"$proxy/$module/@v/list"
rm -rf "$work"

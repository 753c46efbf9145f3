#!/usr/bin/env bash
# Fetches buildx and Compose (Debian sid's docker-buildx and docker-compose
# packages, from the machine's configured Debian mirror) and unpacks them under
# $STATE/sid without installing them, for test/builds/docker-compare.test.ts
# (it runs `docker-buildx bake --print` and `docker-compose config`, which need
# no engine). The same folder e2e/provision.sh uses for its bake engine.
# Idempotent: nothing is fetched when the binaries are there. About 10 s with a
# warm mirror (two packages, ~30 MB).
set -euo pipefail

STATE=${MOUNTLINT_E2E_STATE:-/var/lib/mountlint-e2e}
SID=$STATE/sid
PLUGINS=$SID/usr/libexec/docker/cli-plugins
if [ -x "$PLUGINS/docker-buildx" ] && [ -x "$PLUGINS/docker-compose" ]; then
  echo "$PLUGINS"
  exit 0
fi

mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | head -1 | awk '{print $2}')
  [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | head -1 | awk '{print $2}')
  [ -n "$uri" ] || { echo "fetch-cli-plugins: no Debian mirror found in /etc/apt" >&2; exit 1; }
  printf '%s' "$uri"
}

# An apt state of its own: the system's sources and package lists stay as they are.
aptdir=$STATE/apt-sid
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/debs"
printf 'deb %s sid main\n' "$(mirror)" >"$aptdir/sources.list"
aptopts=(-o Dir::Etc::SourceList="$aptdir/sources.list" -o Dir::Etc::SourceParts=/dev/null
         -o Dir::State::Lists="$aptdir/lists" -o Dir::Cache="$aptdir/cache" -o APT::Sandbox::User=root)
apt-get "${aptopts[@]}" update -qq
rm -f "$aptdir"/debs/docker-buildx_*.deb "$aptdir"/debs/docker-compose_*.deb
(cd "$aptdir/debs" && apt-get "${aptopts[@]}" download docker-buildx docker-compose >/dev/null)
mkdir -p "$SID"
for deb in "$aptdir"/debs/docker-buildx_*.deb "$aptdir"/debs/docker-compose_*.deb; do dpkg -x "$deb" "$SID"; done
"$PLUGINS/docker-buildx" version >&2
"$PLUGINS/docker-compose" version >&2
echo "$PLUGINS"

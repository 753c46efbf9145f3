#!/usr/bin/env bash
# The action's first step: build this checkout of mountlint, pack it as npm
# would publish it, and install the package into the runner's temporary
# folder. The next step runs that installed CLI on the runner's own Node.
set -euo pipefail
src="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
dest="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mountlint-action"
rm -rf "$dest" && mkdir -p "$dest/pack"
cd "$src"
npm ci --ignore-scripts --no-audit --no-fund >&2
npm run build >&2
tarball="$(npm pack --ignore-scripts --pack-destination "$dest/pack" --silent | tail -n 1)"
npm install --prefix "$dest" --ignore-scripts --no-audit --no-fund --omit=dev "$dest/pack/$tarball" >&2
echo "mountlint $("$dest/node_modules/.bin/mountlint" --version) installed in $dest" >&2

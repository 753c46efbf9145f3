#!/usr/bin/env bash
# The action's first step: fetch the single executable of this action's
# release (mountlint-linux-x64 or -arm64, with Node inside: nothing is built
# or installed with npm), check it against the release's SHA256SUMS, keep it
# in the runner's tool cache (a second job on the runner reuses it) and hand
# its path to the next step through GITHUB_ENV.
# MOUNTLINT_RELEASE_URL: where the release's files are (default: the GitHub
# release v<version of this action's package.json>).
set -euo pipefail
src="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
version=$(sed -n 's/^  "version": "\([^"]*\)",$/\1/p' "$src/package.json")
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  *) echo "::error title=mountlint::the mountlint action runs on Linux runners (x64 or arm64), not $(uname -s) $(uname -m)"; exit 2 ;;
esac
base="${MOUNTLINT_RELEASE_URL:-https://github.com/mountlint/mountlint/releases/download/v$version}"
dir="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}}/mountlint/$version/$platform"
if [ ! -x "$dir/mountlint" ]; then
  tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mountlint-download.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  for file in "mountlint-$platform" SHA256SUMS; do
    curl -fsSL --retry 3 -o "$tmp/$file" "$base/$file" || { echo "::error title=mountlint::cannot download $base/$file"; exit 2; }
  done
  if ! (cd "$tmp" && grep -E "^[0-9a-f]{64}  mountlint-$platform\$" SHA256SUMS | sha256sum --quiet -c - >/dev/null 2>&1); then
    echo "::error title=mountlint::mountlint-$platform does not match the release's SHA256SUMS: not installed"
    exit 1
  fi
  chmod +x "$tmp/mountlint-$platform"
  mkdir -p "$dir"
  mv "$tmp/mountlint-$platform" "$dir/mountlint"
fi
echo "MOUNTLINT_BIN=$dir/mountlint" >> "${GITHUB_ENV:-/dev/null}"
echo "mountlint $("$dir/mountlint" --version | head -n 1) in $dir" >&2

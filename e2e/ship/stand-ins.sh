#!/usr/bin/env bash
# Local stand-ins for the images the repository's Dockerfile pulls by default,
# since no registry is reachable here: a Node image (the debootstrapped Debian
# bookworm that provision.sh imports, plus this machine's Node and npm, where
# the official images keep them) and a Docker CLI image (the e2e engine's own
# CLI and buildx, where docker:cli keeps them). Idempotent: an existing tag is
# kept unless its inputs changed (the tag carries their hash).
# Usage: DOCKER_HOST=… DOCKER_CONFIG=… stand-ins.sh DOCKER_BIN
# (The engines run without a bridge network: builds use --network=host.)
# Prints NODE_IMAGE=… and DOCKER_CLI_IMAGE=… for `docker build --build-arg`.
set -euo pipefail
docker=${1:?usage: stand-ins.sh DOCKER_BIN}
base=debian:bookworm-20230919
node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
cli_dir=$(dirname "$(dirname "$(readlink -f "$docker")")")
buildx=$cli_dir/libexec/docker/cli-plugins/docker-buildx
"$docker" image inspect "$base" >/dev/null 2>&1 || { echo "stand-ins.sh: $base is not on this engine (run e2e/provision.sh)" >&2; exit 2; }

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT

version=$("$node_bin" --version)
tag=mountlint-standin/node:${version#v}-$(cat "$node_bin" "$npm_dir/package.json" /etc/ssl/certs/ca-certificates.crt | sha256sum | cut -c1-12)
if ! "$docker" image inspect "$tag" >/dev/null 2>&1; then
  mkdir "$ctx/node"
  cp "$node_bin" "$ctx/node/node"
  cp -r "$npm_dir" "$ctx/node/npm"
  # The host's certificate authorities (a TLS-inspecting proxy in front of the
  # npm registry, say), which a company's own Node base image would carry too.
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/node/host-cas.crt"
  cat > "$ctx/node/Dockerfile" <<DOCKERFILE
FROM $base
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY host-cas.crt /usr/local/share/host-cas.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-cas.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
DOCKERFILE
  "$docker" build -q --network=host -t "$tag" "$ctx/node" >&2
fi
echo "NODE_IMAGE=$tag"

tag=mountlint-standin/docker-cli:$(cat "$docker" "$buildx" | sha256sum | cut -c1-12)
if ! "$docker" image inspect "$tag" >/dev/null 2>&1; then
  mkdir "$ctx/cli"
  cp "$docker" "$ctx/cli/docker"
  cp "$buildx" "$ctx/cli/docker-buildx"
  printf 'FROM scratch\nCOPY docker /usr/local/bin/docker\nCOPY docker-buildx /usr/local/libexec/docker/cli-plugins/docker-buildx\n' > "$ctx/cli/Dockerfile"
  "$docker" build -q -t "$tag" "$ctx/cli" >&2
fi
echo "DOCKER_CLI_IMAGE=$tag"

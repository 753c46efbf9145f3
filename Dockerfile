# The mountlint image: `docker run --rm -i mountlint - < Dockerfile`.
# Written the way mountlint asks Dockerfiles to be written, and checked by it
# (test/ship/dockerfile.test.ts): npm's and apt's caches are cache mounts with
# the sharing each tool needs, nothing of them is left in a layer, the last
# stage holds only what a run needs, and it runs as a user without privileges.
#
# NODE_IMAGE: any Debian-based official Node image (the build stage runs npm,
# apt-get and strip in it; the runtime stage takes its node binary and the
# libraries that binary loads). DOCKER_CLI_IMAGE: where the `verify` target
# takes the Docker CLI and buildx from.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG DOCKER_CLI_IMAGE=docker:26.1-cli

FROM ${NODE_IMAGE} AS build
# apt-get keeps what it downloads in the cache mounts only with docker-clean gone;
# both caches are locked: apt takes a lock in each, and two builds share them.
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends binutils
# Built where the runtime stage keeps it: the V8 code cache names the bundle's path (and its
# modification time, which cp -p and COPY keep).
WORKDIR /opt/mountlint
COPY package.json package-lock.json .npmrc ./
# npm's cache is safe to share between builds running at once (it writes by
# content hash, through temporary files and renames).
RUN --mount=type=cache,target=/root/.npm,sharing=shared \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY bin bin
COPY scripts scripts
COPY schema schema
COPY src src
COPY examples/seed examples/seed
RUN npm run build
# The runtime: node without its symbols (86 MB instead of 99), the shared
# libraries it loads, an empty /tmp, and only the bundle's files of dist.
RUN set -e; mkdir -p /runtime/usr/local/bin /runtime/tmp /runtime/work /runtime/opt/mountlint/dist; \
    chmod 1777 /runtime/tmp; \
    strip --strip-all -o /runtime/usr/local/bin/node "$(command -v node)"; \
    for lib in $(ldd "$(command -v node)" | grep -o '/[^ ]*'); do cp --parents -L "$lib" /runtime/; done; \
    cp -r bin package.json /runtime/opt/mountlint/; \
    cp -p dist/mountlint.cjs dist/mountlint.cjs.cache dist/mountlint.cjs.worker-cache dist/mountlint-lsp.cjs dist/*.wasm /runtime/opt/mountlint/dist/; \
    printf 'mountlint:x:65532:65532::/tmp:/sbin/nologin\n' > /runtime/etc-passwd; \
    printf 'mountlint:x:65532:\n' > /runtime/etc-group

FROM scratch AS runtime
COPY --from=build /runtime/ /
COPY --from=build /runtime/etc-passwd /etc/passwd
COPY --from=build /runtime/etc-group /etc/group
ENV HOME=/tmp NODE_ENV=production
USER 65532:65532
WORKDIR /work
# No arguments: the CLI lints its working folder, /work, where `-v "$PWD":/work` mounts yours.
ENTRYPOINT ["/usr/local/bin/node", "/opt/mountlint/bin/mountlint.cjs"]

# `docker build --target verify`: the same, with the Docker CLI and buildx, for
# `mountlint verify` against the host's engine through its mounted socket.
FROM ${DOCKER_CLI_IMAGE} AS docker-cli

FROM runtime AS verify
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=docker-cli /usr/local/libexec/docker/cli-plugins/docker-buildx /usr/local/libexec/docker/cli-plugins/docker-buildx
ENV PATH=/usr/local/bin DOCKER_CONFIG=/tmp/.docker

# The default target, last: the small image.
FROM runtime

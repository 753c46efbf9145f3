# As npm-node-modules-platforms, with arm64's npm ci starting 3 s after amd64's, as when one
# platform's earlier steps are slower (emulation, a cold layer): `npm ci` empties node_modules
# before it installs, and here it empties the one the other platform is installing into.
FROM --platform=$BUILDPLATFORM mountlint-e2e/node AS deps
ARG TARGETARCH
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/app/node_modules if [ "$TARGETARCH" = arm64 ]; then sleep 3; fi && npm ci --ignore-scripts --no-audit --no-fund && cp -a node_modules /deps

FROM scratch
COPY --from=deps /app/package.json /

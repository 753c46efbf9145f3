# As npm-node-modules-platforms, with the arm64 step starting 4 s after the amd64 one, as when
# one platform's earlier steps are slower (emulation, a cold layer), and each step reading its
# node_modules for 5 s after installing, as a build does: `npm ci` empties node_modules before
# it installs, so one platform's npm ci empties the node_modules the other is installing into
# or reading.
FROM --platform=$BUILDPLATFORM mountlint-e2e/node AS deps
ARG TARGETARCH
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/app/node_modules if [ "$TARGETARCH" = arm64 ]; then sleep 4; fi && npm ci --ignore-scripts --no-audit --no-fund && for i in $(seq 25); do cat node_modules/express/package.json >/dev/null && sleep 0.2 || exit 1; done

FROM scratch
COPY --from=deps /app/package.json /

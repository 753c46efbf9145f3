# node_modules itself as the cache, shared by the two platforms of one build (FROM
# --platform=$BUILDPLATFORM, no emulator; TARGETARCH keeps BuildKit from merging the steps):
# `npm ci` empties node_modules before it installs, so while one platform installs there,
# the other empties it. The shape of "ENOTEMPTY" reports of a shared node_modules mount.
FROM --platform=$BUILDPLATFORM mountlint-e2e/node AS deps
ARG TARGETARCH
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/app/node_modules npm ci --ignore-scripts --no-audit --no-fund && echo $TARGETARCH && cp -a node_modules /deps

FROM scratch
COPY --from=deps /app/package.json /

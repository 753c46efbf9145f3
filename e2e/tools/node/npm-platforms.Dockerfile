# One stage built for two platforms at once (--platform linux/amd64,linux/arm64) runs on the
# build platform (no emulator), so npm ci runs twice at the same time on one npm cache, as in
# the amd64+arm64 builds where `EEXIST … rename … _cacache` was reported. TARGETARCH makes the
# two steps differ, as a cross-compiling step does, so BuildKit does not merge them.
FROM --platform=$BUILDPLATFORM mountlint-e2e/node AS deps
ARG TARGETARCH
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund && echo $TARGETARCH

FROM scratch
COPY --from=deps /app/package.json /

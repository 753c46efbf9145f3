# One stage runs npm ci while another installs and then empties the same npm cache with
# `npm cache clean --force` (the Dockerfile of awkoy/notion-mcp-server before its PR #9 had such a
# clean in a second stage beside its amd64 and arm64 installs), default sharing.
FROM mountlint-e2e/node AS a
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund && echo a

FROM mountlint-e2e/node AS b
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm install --ignore-scripts --no-audit --no-fund --omit=dev lodash@4.17.21 && npm cache clean --force && echo b

FROM mountlint-e2e/node
COPY --from=a /app/package.json /a.json
COPY --from=b /app/package.json /b.json

# Two stages run npm ci (106 packages) at once on one npm cache (/root/.npm), default sharing.
FROM mountlint-e2e/node AS a
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund && echo a

FROM mountlint-e2e/node AS b
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund && echo b

FROM mountlint-e2e/node
COPY --from=a /app/package.json /a.json
COPY --from=b /app/package.json /b.json

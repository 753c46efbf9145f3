# Two stages run Yarn 1 (106 packages) at once on one Yarn cache (as root: /usr/local/share/.cache/yarn), default sharing.
FROM mountlint-e2e/node AS a
WORKDIR /app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile --ignore-scripts && echo a

FROM mountlint-e2e/node AS b
WORKDIR /app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile --ignore-scripts && echo b

FROM mountlint-e2e/node
COPY --from=a /app/package.json /a.json
COPY --from=b /app/package.json /b.json

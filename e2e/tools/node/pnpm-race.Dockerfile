# Two stages run pnpm install (106 packages) at once on one pnpm store (pnpm's Docker recipe: PNPM_HOME=/pnpm), default sharing.
FROM mountlint-e2e/node AS a
WORKDIR /app
ENV PNPM_HOME=/pnpm
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=cache,target=/pnpm/store pnpm install --frozen-lockfile --ignore-scripts && echo a

FROM mountlint-e2e/node AS b
WORKDIR /app
ENV PNPM_HOME=/pnpm
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=cache,target=/pnpm/store pnpm install --frozen-lockfile --ignore-scripts && echo b

FROM mountlint-e2e/node
COPY --from=a /app/package.json /a.json
COPY --from=b /app/package.json /b.json

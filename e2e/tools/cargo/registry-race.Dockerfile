# Two stages fetch the same crates at once into cargo's registry and git caches (the layout of
# Docker's documentation), default sharing. Cargo's package-cache lock lives in $CARGO_HOME,
# outside these mounts, so nothing keeps the two apart.
FROM mountlint-e2e/rust AS a
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.cargo/registry --mount=type=cache,target=/root/.cargo/git cargo fetch && echo a

FROM mountlint-e2e/rust AS b
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.cargo/registry --mount=type=cache,target=/root/.cargo/git cargo fetch && echo b

FROM mountlint-e2e/rust
COPY --from=a /etc/hostname /a
COPY --from=b /etc/hostname /b

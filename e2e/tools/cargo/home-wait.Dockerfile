# Two stages fetch the same crates at once with one cache on all of CARGO_HOME: cargo's
# package-cache lock is in the cache too, so the second cargo waits for the first.
FROM mountlint-e2e/rust AS a
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.cargo cargo fetch && echo a

FROM mountlint-e2e/rust AS b
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/root/.cargo cargo fetch && echo b

FROM mountlint-e2e/rust
COPY --from=a /etc/hostname /a
COPY --from=b /etc/hostname /b

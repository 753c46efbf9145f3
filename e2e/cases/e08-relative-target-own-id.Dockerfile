FROM debian:bookworm-20230919 AS a
WORKDIR /var/lib/apt
RUN --mount=type=cache,target=lists apt-get update && echo a
FROM debian:bookworm-20230919 AS b
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && echo b
FROM debian:bookworm-20230919
COPY --from=a /etc/hostname /a
COPY --from=b /etc/hostname /b

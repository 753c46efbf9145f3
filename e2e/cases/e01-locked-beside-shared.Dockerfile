FROM debian:bookworm-20230919 AS a
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo a
FROM debian:bookworm-20230919 AS b
RUN --mount=type=cache,target=/var/lib/apt apt-get update && echo b
FROM debian:bookworm-20230919
COPY --from=a /etc/hostname /a
COPY --from=b /etc/hostname /b

FROM debian:bookworm-20230919 AS a
RUN --mount=type=cache,target=/var/lib/apt apt-get update && echo a
FROM debian:bookworm-20230919 AS b
COPY --from=a /etc/hostname /a
RUN --mount=type=cache,target=/var/lib/apt apt-get update && echo b

# Two stages compile the same 23 C files at once through ccache, on one ccache directory
# (/root/.cache/ccache), default sharing.
FROM mountlint-e2e/ccache AS a
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/ccache for f in unit[0-2]*.c; do ccache gcc -O2 -c "$f"; done && echo a

FROM mountlint-e2e/ccache AS b
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/ccache for f in unit[0-2]*.c; do ccache gcc -O2 -c "$f"; done && echo b

FROM mountlint-e2e/ccache
COPY --from=a /etc/hostname /a
COPY --from=b /etc/hostname /b

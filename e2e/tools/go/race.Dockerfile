# Two stages download golang.org/x/text from a module proxy on disk and compile it at once, on
# one module cache and one build cache (Debian's Go: GOPATH=/root/go), default sharing.
FROM mountlint-e2e/go AS a
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/a ./cmd/a

FROM mountlint-e2e/go AS b
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/b ./cmd/b

FROM mountlint-e2e/go
COPY --from=a /out/a /a
COPY --from=b /out/b /b

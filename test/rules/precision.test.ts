/**
 * The false alarms and misses of issue 8, class by class, as table cases
 * shaped like the real Dockerfiles they were found in. The rule tester also
 * checks, for every case, that --fix (each strategy, unsafe fixes included)
 * converges and creates no finding of any rule.
 */
import { cacheHidesOutputRule } from '../../src/rules/cache-hides-output.js';
import { cacheIneffectiveRule } from '../../src/rules/cache-ineffective.js';
import { cachePermissionRule } from '../../src/rules/cache-permission.js';
import { cacheRaceRule } from '../../src/rules/cache-race/index.js';
import { cacheSplitRule } from '../../src/rules/cache-split.js';
import { missingCacheMountRule } from '../../src/rules/missing-cache-mount.js';
import { syntaxRule } from '../../src/rules/syntax.js';
import { df, ruleTester } from '../helpers/rule-tester.js';

const PIP = '--mount=type=cache,target=/root/.cache/pip';
const APT = '--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked';
const UNSAFE = { unsafeFixes: true };

// 1. cache-permission follows what the tool does with a cache it cannot write.
ruleTester(cachePermissionRule, {
  valid: [
    { name: 'pip run through sudo runs as root', code: df('FROM python:3.12-slim', 'RUN useradd -m -u 1000 app', 'USER app', 'RUN --mount=type=cache,target=/root/.cache/pip sudo pip install -r requirements.txt') },
    { name: "the mount belongs to the user (uid and gid of the user useradd made)", code: df('FROM python:3.12-slim', 'RUN groupadd -g 1001 app && useradd -m -u 1001 -g app app', 'USER app', 'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001,gid=1001 pip install -r requirements.txt') },
    { name: 'a world-writable cache', code: df('FROM node:20-bookworm', 'USER node', 'RUN --mount=type=cache,target=/home/node/.npm,mode=0777 npm ci') },
    { name: "an unknown image's user: HOME cannot be known, nothing is judged", code: df('FROM ghcr.io/acme/python-base:3', 'USER app', 'RUN --mount=type=cache,target=/home/app/.cache/pip pip install -r requirements.txt') },
  ],
  invalid: [
    {
      name: 'pip carries on without the cache: a warning, and the fix gives the mount to the user useradd made',
      code: df('FROM python:3.12-slim', 'RUN useradd -m -u 1000 app', 'USER 1000', 'WORKDIR /home/app', 'RUN --mount=type=cache,target=/home/app/.cache/pip pip install -r requirements.txt'),
      errors: [{ messageId: 'cachesNothing', line: 5, severity: 'warning', message: ['USER 1000 cannot write', 'it caches nothing', 'The cache has been disabled'] }],
      output: df('FROM python:3.12-slim', 'RUN useradd -m -u 1000 app', 'USER 1000', 'WORKDIR /home/app', 'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000,gid=1000 pip install -r requirements.txt'),
    },
    {
      name: 'npm fails as USER node on node images (uid 1000 known from the image)',
      code: df('FROM node:20-bookworm-slim', 'USER node', 'WORKDIR /home/node/app', 'RUN --mount=type=cache,target=/home/node/.npm npm ci --omit=dev'),
      errors: [{ messageId: 'fails', line: 4, severity: 'error', message: ['USER node', 'npm fails', 'EACCES'] }],
      output: df('FROM node:20-bookworm-slim', 'USER node', 'WORKDIR /home/node/app', 'RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci --omit=dev'),
    },
    {
      name: 'Yarn 1 switches to another folder: a warning',
      code: df('FROM node:20', 'USER node', 'RUN --mount=type=cache,target=/home/node/.cache/yarn yarn install --frozen-lockfile'),
      errors: [{ messageId: 'cachesNothing', line: 3, severity: 'warning', message: ['Skipping preferred cache folder'] }],
      output: df('FROM node:20', 'USER node', 'RUN --mount=type=cache,target=/home/node/.cache/yarn,uid=1000,gid=1000 yarn install --frozen-lockfile'),
    },
    {
      name: "cargo fails as an adduser'd user; uid set but for another user",
      code: df('FROM rust:1.80-slim', 'RUN adduser --disabled-password --uid 1001 builder', 'USER builder', 'ENV CARGO_HOME=/home/builder/.cargo', 'RUN --mount=type=cache,target=/home/builder/.cargo/registry,uid=1000 cargo build --release'),
      errors: [{ messageId: 'fails', line: 5, severity: 'error', message: ['cargo fails', 'uid=1000,gid=0,mode=755'] }],
      output: df('FROM rust:1.80-slim', 'RUN adduser --disabled-password --uid 1001 builder', 'USER builder', 'ENV CARGO_HOME=/home/builder/.cargo', 'RUN --mount=type=cache,target=/home/builder/.cargo/registry,uid=1001,gid=1001 cargo build --release'),
    },
  ],
});

// 2, 3. Directory caches and virtual environments, resolved for the step.
ruleTester(cacheHidesOutputRule, {
  valid: [
    { name: 'WORKDIR /app/svc: cargo writes /app/svc/target, so a mount on /app/target hides nothing', code: df('FROM rust:1.80', 'WORKDIR /app/svc', 'COPY . .', 'RUN --mount=type=cache,target=/app/target cargo build --release') },
    { name: 'cd into the crate before building', code: df('FROM rust:1.80', 'WORKDIR /app', 'COPY . .', 'RUN --mount=type=cache,target=/app/target cd svc && cargo build --release') },
    { name: '--target-dir elsewhere, copied out', code: df('FROM rust:1.80', 'WORKDIR /app', 'RUN --mount=type=cache,target=/build cargo build --release --target-dir /build && cp /build/release/app /usr/local/bin/') },
    { name: 'Poetry into an activated virtualenv (VIRTUAL_ENV)', code: df('FROM python:3.12', 'ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH', 'RUN python -m venv $VIRTUAL_ENV', 'RUN --mount=type=cache,target=/root/.cache/pypoetry,sharing=locked poetry install --no-root') },
    { name: 'POETRY_VIRTUALENVS_CREATE=false', code: df('FROM python:3.12', 'ENV POETRY_VIRTUALENVS_CREATE=false', 'RUN --mount=type=cache,target=/root/.cache/pypoetry,sharing=locked poetry install') },
    { name: 'poetry config virtualenvs.create false, in an earlier RUN', code: df('FROM python:3.12', 'RUN pip install poetry && poetry config virtualenvs.create false', 'RUN --mount=type=cache,target=/root/.cache/pypoetry,sharing=locked poetry install') },
    { name: 'poetry config virtualenvs.in-project true in the same RUN', code: df('FROM python:3.12', 'WORKDIR /app', 'RUN --mount=type=cache,target=/root/.cache/pypoetry,sharing=locked poetry config virtualenvs.in-project true && poetry install') },
    { name: 'npm install -g installs nothing into the project', code: df('FROM node:20', 'WORKDIR /app', 'RUN --mount=type=cache,target=/app/node_modules npm install -g pnpm') },
    {
      name: "all of /var/lib/apt, as Docker's reference does: nothing reads the auto-installed marks",
      code: df(
        'FROM ruby:3.3-slim AS base',
        'RUN --mount=type=cache,id=dev-apt-cache,sharing=locked,target=/var/cache/apt \\',
        '    --mount=type=cache,id=dev-apt-lib,sharing=locked,target=/var/lib/apt \\',
        '    apt-get update -qq && \\',
        '    apt-get install --no-install-recommends -y curl libjemalloc2',
        'FROM base AS build',
        'RUN --mount=type=cache,id=dev-apt-cache,sharing=locked,target=/var/cache/apt \\',
        '    --mount=type=cache,id=dev-apt-lib,sharing=locked,target=/var/lib/apt \\',
        '    apt-get update -qq && apt-get install --no-install-recommends -y build-essential git',
      ),
    },
    {
      name: 'autoremove in another image (a stage not built FROM the mounted one)',
      code: df('FROM debian:bookworm AS deps', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y gcc', 'FROM debian:bookworm', 'RUN apt-get update && apt-get purge -y --auto-remove curl', 'COPY --from=deps /usr/bin/gcc /usr/bin/'),
    },
  ],
  invalid: [
    { name: 'CARGO_TARGET_DIR is mounted and nothing is copied out', code: df('FROM rust:1.80', 'ENV CARGO_TARGET_DIR=/build/target', 'WORKDIR /app', 'RUN --mount=type=cache,target=/build/target cargo build --release'), errors: [{ messageId: 'hidesUncopied', line: 4, message: ["Cargo's build output"] }] },
    { name: '--manifest-path names the crate', code: df('FROM rust:1.80', 'WORKDIR /src', 'RUN --mount=type=cache,target=/src/crates/api/target cargo build --manifest-path crates/api/Cargo.toml'), errors: [{ messageId: 'hidesUncopied', line: 3, message: ["Cargo's build output"] }] },
    { name: 'POETRY_VIRTUALENVS_IN_PROJECT puts the venv in the project, which is mounted', code: df('FROM python:3.12', 'ENV POETRY_VIRTUALENVS_IN_PROJECT=true', 'WORKDIR /app', 'RUN --mount=type=cache,target=/app/.venv poetry install'), errors: [{ messageId: 'hides', line: 4, message: ['virtual environment'] }] },
    { name: "uv sync's .venv mounted", code: df('FROM python:3.12', 'WORKDIR /app', 'RUN --mount=type=cache,target=/app/.venv uv sync --frozen'), errors: [{ messageId: 'hides', line: 3, message: ["project's virtual environment"] }] },
    { name: 'node_modules under the WORKDIR', code: df('FROM node:20', 'WORKDIR /srv/web', 'RUN --mount=type=cache,target=/srv/web/node_modules npm ci'), errors: [{ messageId: 'hides', line: 3, message: ['node_modules'] }] },
    {
      name: 'all of /var/lib/apt, then a later RUN purges with --auto-remove: the image has no marks for what the mounted RUN installed',
      code: df(
        'FROM debian:bookworm-slim',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
        '    apt-get update && apt-get install -y --no-install-recommends build-essential',
        'RUN make -C /src install && apt-get purge -y --auto-remove build-essential',
      ),
      errors: [{ messageId: 'readLaterNarrower', line: 2, severity: 'info', message: ['extended_states', '`apt-get purge -y --auto-remove build-essential` on line 4 relies on it', 'installed by hand', 'Mount /var/lib/apt/lists instead'], related: ['apt-get writes there', 'apt-get reads'] }],
    },
    {
      name: 'autoremove under the mount reads the marks every build using the cache writes',
      code: df('FROM debian:bookworm', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y gcc && apt-get autoremove -y'),
      errors: [{ messageId: 'readLaterNarrower', line: 2, severity: 'info', message: ['`apt-get autoremove -y` here relies on it', 'every build mounting this cache writes'] }],
    },
    {
      name: 'apt-mark showmanual in a stage built FROM the mounted one',
      code: df('FROM debian:bookworm AS base', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y gcc', 'FROM base', 'RUN apt-mark showmanual > /manual.txt'),
      errors: [{ messageId: 'readLaterNarrower', line: 2, severity: 'info', message: ['`apt-mark showmanual` on line 4'] }],
    },
  ],
});

ruleTester(cacheIneffectiveRule, {
  valid: [
    { name: "rust images keep Cargo in /usr/local/cargo: ${CARGO_HOME} in the mount is that", code: df('FROM rust:1.80-slim', 'WORKDIR /app', 'RUN --mount=type=cache,target=${CARGO_HOME}/registry,sharing=locked --mount=type=cache,target=${CARGO_HOME}/git,sharing=locked cargo fetch') },
    { name: 'composer in a php image: ~/.composer/cache', code: df('FROM php:8.3-cli', 'COPY --from=composer:2 /usr/bin/composer /usr/bin/composer', 'WORKDIR /app', 'RUN --mount=type=cache,target=/root/.composer/cache,sharing=locked composer install --no-dev') },
    { name: 'composer with COMPOSER_HOME set', code: df('FROM php:8.3-cli', 'ENV COMPOSER_HOME=/composer', 'RUN --mount=type=cache,target=/composer/cache,sharing=locked composer install') },
    { name: 'Yarn 2+ cache for a plain `yarn install` (it may be Yarn 2+)', code: df('FROM node:20', 'RUN corepack enable', 'RUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install') },
    { name: 'Yarn 2+ told apart by `workspaces focus`', code: df('FROM node:22-alpine', 'RUN --mount=type=cache,sharing=locked,target=/root/.yarn/berry/cache yarn workspaces focus @app/web') },
    { name: 'dnf with keepcache', code: df('FROM fedora:40', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y --setopt=keepcache=1 gcc') },
  ],
  invalid: [
    { name: 'WORKDIR /app/svc: cargo writes /app/svc/target, so /app/target caches nothing', code: df('FROM rust:1.80', 'WORKDIR /app/svc', 'COPY . .', 'RUN --mount=type=cache,target=/app/target cargo build --release && cp target/release/svc /usr/local/bin/'), errors: [{ messageId: 'outputElsewhere', line: 4, message: ['/app/svc/target', 'not to /app/target'] }] },
    { name: 'node_modules of another directory', code: df('FROM node:20', 'WORKDIR /app/web', 'RUN --mount=type=cache,target=/app/node_modules npm ci'), errors: [{ messageId: 'outputElsewhere', line: 3, message: ['/app/web/node_modules'] }] },
    { name: 'Yarn 1 as root does not use /root/.cache/yarn (and no missing-cache-mount besides)', code: df('FROM node:20', 'WORKDIR /app', 'RUN --mount=type=cache,target=/root/.cache/yarn yarn install --frozen-lockfile'), errors: [{ messageId: 'wrongPlace', line: 3, message: ['/usr/local/share/.cache/yarn', 'not under /root/.cache/yarn'] }] },
    { name: 'composer in a php image does not use /tmp/cache', code: df('FROM php:8.3-cli', 'RUN --mount=type=cache,target=/tmp/cache,sharing=locked composer install'), errors: [{ messageId: 'wrongPlace', line: 2, message: ['/root/.composer/cache'] }] },
    { name: 'zypper caches in /var/cache/zypp, not /var/cache/zypper', code: df('FROM opensuse/leap:15.6', 'RUN --mount=type=cache,target=/var/cache/zypper,sharing=locked zypper --non-interactive install gcc'), errors: [{ messageId: 'wrongPlace', line: 2, message: ['/var/cache/zypp here'] }] },
    { name: 'dnf without keepcache caches metadata only', code: df('FROM fedora:40', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y gcc'), errors: [{ messageId: 'metadataOnly', line: 2, message: ['caches metadata only, not packages', 'keepcache'] }] },
    { name: 'PIP_NO_CACHE_DIR=0 switches the cache off too', code: df('FROM python:3.12', 'ENV PIP_NO_CACHE_DIR=0', `RUN ${PIP} pip install -r requirements.txt`), errors: [{ messageId: 'switchedOffByVariable', line: 3, message: ['PIP_NO_CACHE_DIR=0', 'even 0, false or off'] }] },
    {
      name: 'identical steps merged by BuildKit: one finding that says so; the fix edits both',
      code: df('FROM debian:bookworm AS a', `RUN ${APT} apt-get update && apt-get install -y curl`, 'FROM debian:bookworm AS b', `RUN ${APT} apt-get update && apt-get install -y curl`, 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: ['docker-clean', 'BuildKit merges it with the identical step on line 4'], related: ['the identical step BuildKit merges with line 2'] }],
      output: df('FROM debian:bookworm AS a', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN ${APT} apt-get update && apt-get install -y curl`, 'FROM debian:bookworm AS b', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN ${APT} apt-get update && apt-get install -y curl`, 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b'),
    },
  ],
});

// 4, 5, 6, 11: where a mount would help, with the right path, and a fix that keeps the cache working.
ruleTester(missingCacheMountRule, {
  valid: [
    { name: "${CARGO_HOME} in the mounts is the rust image's CARGO_HOME", code: df('FROM rust:1.80', 'RUN --mount=type=cache,target=${CARGO_HOME}/registry,sharing=locked --mount=type=cache,target=${CARGO_HOME}/git,sharing=locked cargo build --release') },
    { name: "an unknown image may set CARGO_HOME: no path is computed, nothing suggested", code: df('FROM ghcr.io/acme/rust-builder:1.80', 'RUN --mount=type=cache,target=${CARGO_HOME}/registry cargo build --release') },
    { name: 'a relative target under the golang image WORKDIR /go', code: df('FROM golang:1.23', 'RUN --mount=type=cache,target=pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./...') },
    { name: 'removing packages downloads none', code: df('FROM debian:bookworm', 'RUN apt-get purge -y --auto-remove curl && apt-get autoremove -y') },
    { name: 'apk del', code: df('FROM alpine:3.20', 'RUN apk del .build-deps') },
    { name: 'a stage the target does not build', code: df('FROM debian:bookworm AS unused', 'RUN apt-get update && apt-get install -y curl', 'FROM debian:bookworm', 'RUN echo done') },
    { name: 'an unknown user on an unknown image: HOME cannot be known', code: df('FROM ghcr.io/acme/node:20', 'USER app', 'RUN npm ci') },
    { name: 'Yarn 1 at the wrong path is cache-ineffective, not this', code: df('FROM node:20', 'RUN --mount=type=cache,target=/root/.cache/yarn yarn install') },
    {
      name: 'bundler installs into a cache-mounted path (`bundle config set path`): its downloads are in that cache',
      code: df(
        'FROM ruby:3.3-slim',
        'ENV BUNDLE_DEPLOYMENT="1" BUNDLE_PATH="/usr/local/bundle"',
        'WORKDIR /rails',
        'RUN --mount=type=cache,id=bld-gem-cache,sharing=locked,target=/srv/vendor \\',
        '    bundle config set app_config .bundle && \\',
        '    bundle config set path /srv/vendor && \\',
        '    bundle install && \\',
        '    bundle clean && \\',
        '    mkdir -p vendor && \\',
        '    bundle config set path vendor && \\',
        '    cp -ar /srv/vendor .',
      ),
    },
    { name: "BUNDLE_PATH: the download cache's folder depends on the Ruby version; none is guessed", code: df('FROM ruby:3.3-slim', 'ENV BUNDLE_PATH=/usr/local/bundle', 'RUN bundle install') },
  ],
  invalid: [
    {
      name: "useradd -m -u 1000 app, then USER 1000: HOME is /home/app, and the mount gets the user's ids",
      code: df('FROM python:3.12-slim', 'RUN useradd -m -u 1000 app', 'USER 1000', 'RUN pip install -r requirements.txt'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', line: 4, severity: 'info', message: ['--mount=type=cache,target=/home/app/.cache/pip,sharing=locked,uid=1000,gid=1000'] }],
      output: df('FROM python:3.12-slim', 'RUN useradd -m -u 1000 app', 'USER 1000', 'RUN --mount=type=cache,target=/home/app/.cache/pip,sharing=locked,uid=1000,gid=1000 pip install -r requirements.txt'),
    },
    {
      name: 'USER node on node images: /home/node/.npm',
      code: df('FROM node:20', 'USER node', 'WORKDIR /home/node/app', 'RUN npm ci'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', line: 4, severity: 'info', message: ['target=/home/node/.npm,uid=1000,gid=1000'] }],
      output: df('FROM node:20', 'USER node', 'WORKDIR /home/node/app', 'RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci'),
    },
    { name: 'a uid without a passwd entry has HOME=/ (never "//")', code: df('FROM python:3.12', 'USER 1000', 'RUN pip install x'), errors: [{ messageId: 'noCacheMount', line: 3, severity: 'info', message: ['target=/.cache/pip,'] }] },
    { name: "pnpm's store without PNPM_HOME is ~/.local/share/pnpm/store, never /", code: df('FROM node:20', 'RUN corepack enable && pnpm install --frozen-lockfile'), errors: [{ messageId: 'noCacheMount', line: 2, severity: 'info', message: ['target=/root/.local/share/pnpm/store'] }] },
    {
      name: 'the cleanup of the same RUN goes with the fix (it would empty the cache)',
      code: df('FROM debian:bookworm-slim', 'RUN apt-get update \\', '  && apt-get install -y --no-install-recommends curl \\', '  # clean up', '  && apt-get clean \\', '  && rm -rf /var/lib/apt/lists/*'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', line: 3, severity: 'info', message: ['drop `apt-get clean`', 'drop `rm -rf /var/lib/apt/lists/*`'] }],
      output: df('FROM debian:bookworm-slim', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN ${APT} apt-get update \\`, '  && apt-get install -y --no-install-recommends curl'),
    },
    {
      name: '`apt` deletes what it downloads: the fix keeps the packages',
      code: df('FROM ubuntu:24.04', 'RUN apt update && apt install -y git'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', line: 2, severity: 'info', message: ['Keep-Downloaded-Packages'] }],
      output: df('FROM ubuntu:24.04', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`, `RUN ${APT} apt update && apt install -y git`),
    },
    {
      name: 'dnf: the fix passes --setopt=keepcache=1',
      code: df('FROM fedora:40', 'RUN dnf install -y gcc make'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', line: 2, severity: 'info', message: ['--setopt=keepcache=1'] }],
      output: df('FROM fedora:40', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf --setopt=keepcache=1 install -y gcc make'),
    },
    {
      name: 'apk: the mount goes on /etc/apk/cache, where apk keeps packages',
      code: df('FROM alpine:3.20', 'RUN apk add git bash'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', data: { tools: "apk", mounts: "--mount=type=cache,target=/etc/apk/cache,sharing=locked" }, line: 2, severity: 'info' }],
      output: df('FROM alpine:3.20', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add git bash'),
    },
    {
      name: 'another stage already shares the cache: the fix keeps its sharing (no split, no race)',
      code: df('FROM golang:1.23 AS a', 'RUN --mount=type=cache,target=/go/pkg/mod go mod download', 'FROM golang:1.23 AS b', 'RUN go mod download', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', data: { tools: "go", mounts: "--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build" }, line: 4, severity: 'info' }],
      output: df('FROM golang:1.23 AS a', 'RUN --mount=type=cache,target=/go/pkg/mod go mod download', 'FROM golang:1.23 AS b', 'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go mod download', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b'),
    },
    {
      name: "an install without `apt-get update` reads the lists an earlier RUN left in the image: only /var/cache/apt (an empty lists mount would fail it)",
      code: df(
        'FROM debian:bookworm',
        'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '  apt-get update && \\',
        '  apt-get install -y fonts-dejavu-core rsync git jq',
        'RUN apt-get -y install libgoogle-perftools-dev && apt-get clean',
      ),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', line: 6, severity: 'info', message: ['Add --mount=type=cache,target=/var/cache/apt,sharing=locked, and drop `apt-get clean`', 'Not /var/lib/apt/lists'] }],
      output: df(
        'FROM debian:bookworm',
        'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '  apt-get update && \\',
        '  apt-get install -y fonts-dejavu-core rsync git jq',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get -y install libgoogle-perftools-dev',
      ),
    },
    {
      name: 'gem install is not bundler: BUNDLE_PATH does not move its cache',
      code: df('FROM ruby:3.3-slim', 'ENV BUNDLE_PATH=/usr/local/bundle', 'RUN gem install -N bundler'),
      errors: [{ messageId: 'noCacheMount', line: 3, severity: 'info', message: ['target=/usr/local/bundle/cache,sharing=locked'] }],
    },
    {
      name: 'a cache another stage shares with a tool that cannot share it: no fix (it would race)',
      code: df('FROM node:20 AS a', 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install', 'FROM node:20 AS b', 'RUN yarn install', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b'),
      options: UNSAFE,
      errors: [{ messageId: 'noCacheMount', data: { tools: "yarn", mounts: "--mount=type=cache,target=/usr/local/share/.cache/yarn,sharing=locked", changes: ", and give the other mounts of /usr/local/share/.cache/yarn sharing=locked too (no fix: that changes other steps)" }, line: 4, severity: 'info' }],
      output: null,
    },
  ],
});

// 8. Cache ids as written.
ruleTester(cacheSplitRule, {
  valid: [],
  invalid: [{ name: 'the id as written, no leading slash', code: df('FROM debian:bookworm', 'RUN --mount=type=cache,id=apt,target=/var/cache/apt true', 'RUN --mount=type=cache,id=apt,target=/var/cache/apt,uid=1000 true'), errors: [{ messageId: 'split', line: 3, message: ['Cache id "apt" is split'] }] }],
});

// 12. Heredoc scripts given to a shell, and unknown image variables in race detection.
const pair = (a: string, b: string) => df('FROM debian:bookworm AS a', a, 'FROM debian:bookworm AS b', b, 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b');
ruleTester(cacheRaceRule, {
  valid: [
    { name: 'a heredoc given to python is not a shell script', code: pair('RUN --mount=type=cache,target=/var/cache/apt python3 <<EOT\nprint("apt-get install")\nEOT', 'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y y') },
    { name: 'cat <<EOT writes data', code: pair('RUN --mount=type=cache,target=/var/cache/apt cat <<EOT > /x\napt-get install -y x\nEOT', 'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y y') },
  ],
  invalid: [
    { name: 'RUN --mount=… <<EOT bash', code: pair('RUN --mount=type=cache,target=/var/cache/apt <<EOT bash\nset -e\napt-get install -y x\nEOT', 'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y y'), errors: [{ messageId: 'withOne', line: 2, message: ['archives/lock'] }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked <<EOT bash', 'set -e', 'apt-get install -y x', 'EOT', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y y', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b') },
    { name: 'RUN --mount=… <<EOT sh -e', code: pair('RUN --mount=type=cache,target=/var/cache/apt <<EOT sh -e\napt-get install -y x\nEOT', 'RUN --mount=type=cache,target=/var/cache/apt <<EOT sh -ex\napt-get install -y y\nEOT'), errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 6)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked <<EOT sh -e', 'apt-get install -y x', 'EOT', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked <<EOT sh -ex', 'apt-get install -y y', 'EOT', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b') },
    { name: 'RUN --mount=… bash -eux <<EOT', code: pair('RUN --mount=type=cache,target=/var/cache/apt bash -eux <<EOT\napt-get install -y x\nEOT', 'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y y'), errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 6)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked bash -eux <<EOT', 'apt-get install -y x', 'EOT', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y y', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b') },
    { name: 'a #!/usr/bin/env bash heredoc', code: pair('RUN --mount=type=cache,target=/var/cache/apt <<EOT\n#!/usr/bin/env bash\napt-get install -y x\nEOT', 'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y y'), errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 7)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked <<EOT', '#!/usr/bin/env bash', 'apt-get install -y x', 'EOT', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y y', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b') },
    {
      name: 'two stages of one unknown image mounting ${CARGO_HOME}/registry: one cache whatever its path',
      code: df('FROM ghcr.io/acme/rust:1 AS a', 'RUN --mount=type=cache,target=${CARGO_HOME}/registry cargo build --bin a', 'FROM ghcr.io/acme/rust:1 AS b', 'RUN --mount=type=cache,target=${CARGO_HOME}/registry cargo build --bin b', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b'),
      errors: [{ messageId: 'withOne', line: 2, message: ['cache "${CARGO_HOME}/registry"'] }],
      output: df('FROM ghcr.io/acme/rust:1 AS a', 'RUN --mount=type=cache,target=${CARGO_HOME}/registry,sharing=locked cargo build --bin a', 'FROM ghcr.io/acme/rust:1 AS b', 'RUN --mount=type=cache,target=${CARGO_HOME}/registry,sharing=locked cargo build --bin b', 'FROM scratch', 'COPY --from=a / /a', 'COPY --from=b / /b'),
    },
  ],
});

// 12. What BuildKit rejects, as it says it, consistently.
ruleTester(syntaxRule, {
  valid: [
    { name: '# syntax=docker/dockerfile:1.4 has heredocs', code: '# syntax=docker/dockerfile:1.4\n' + df('FROM debian:bookworm', 'RUN <<EOT', 'apt-get update', 'EOT') },
    { name: 'a build arg gives the FROM its value', code: df('ARG BASE', 'FROM ${BASE}'), options: { buildArgs: { BASE: 'debian:bookworm' } } },
    { name: 'ARG NAME=value', code: df('ARG VERSION=1.2', 'FROM node:${VERSION}') },
  ],
  invalid: [
    { name: '# syntax=docker/dockerfile:1.2 has no heredocs', code: '# syntax=docker/dockerfile:1.2\n' + df('FROM debian:bookworm', 'RUN <<EOT', 'apt-get update', 'EOT'), errors: [{ messageId: 'buildkit', line: 4, message: ['unknown instruction'] }, { messageId: 'buildkit', line: 5, message: ['unknown instruction'] }] },
    { name: 'FROM base-$X with an ARG that has no default', code: df('ARG X', 'FROM debian:bookworm AS base-amd64', 'FROM base-$X'), errors: [{ messageId: 'buildkit', line: 3, severity: 'warning', message: ['failed to parse stage name "base-"', 'invalid reference format', 'X a value'] }] },
    { name: 'FROM rust:${V}-slim', code: df('ARG V', 'FROM rust:${V}-slim'), errors: [{ messageId: 'buildkit', line: 2, severity: 'warning', message: ['"rust:-slim"', 'V a value'] }] },
    { name: 'FROM $BASE blank', code: df('ARG BASE', 'FROM $BASE'), errors: [{ messageId: 'buildkit', line: 2, severity: 'warning', message: ['base name ($BASE) should not be blank', 'BASE a value'] }] },
    { name: 'an ARG after the first FROM is not visible to FROM', code: df('FROM debian:bookworm', 'ARG GO_VERSION=1.23', 'FROM golang:${GO_VERSION}-bookworm'), errors: [{ messageId: 'buildkit', line: 3, severity: 'warning', message: ['"golang:-bookworm"', 'comes after the first FROM'] }] },
    { name: 'ARG NAME value declares two ARGs', code: df('ARG VERSION 1.2', 'FROM node:20', 'ARG VERSION', 'RUN echo $VERSION'), errors: [{ messageId: 'buildkit', line: 1, severity: 'warning', message: ['declares two build arguments', 'ARG VERSION=1.2'] }] },
    { name: 'an upper-case repository name', code: df('FROM Ubuntu:22.04'), errors: [{ messageId: 'buildkit', line: 1, severity: 'error', message: ['must be lowercase'] }] },
  ],
});

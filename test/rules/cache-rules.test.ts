/** Table tests for the rules about cache mounts that do nothing, break the image, or hang. */
import { cacheDeadlockRule } from '../../src/rules/cache-deadlock.js';
import { cacheHidesOutputRule } from '../../src/rules/cache-hides-output.js';
import { cacheIneffectiveRule } from '../../src/rules/cache-ineffective.js';
import { cachePermissionRule } from '../../src/rules/cache-permission.js';
import { cacheSplitRule } from '../../src/rules/cache-split.js';
import { cacheWipedRule } from '../../src/rules/cache-wiped.js';
import { missingCacheMountRule } from '../../src/rules/missing-cache-mount.js';
import { df, ruleTester } from '../helpers/rule-tester.js';

const LISTS = '--mount=type=cache,target=/var/lib/apt/lists,sharing=locked';
const ARCH = '--mount=type=cache,target=/var/cache/apt,sharing=locked';

ruleTester(cacheWipedRule, {
  valid: [
    { name: 'cleanup without a cache mount', code: df('FROM debian:bookworm', 'RUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*') },
    { name: 'cache without cleanup', code: df('FROM debian:bookworm', `RUN ${LISTS} apt-get update && apt-get install -y x`) },
    { name: 'rm of something else', code: df('FROM debian:bookworm', `RUN ${LISTS} apt-get update && rm -rf /tmp/*`) },
  ],
  invalid: [
    { name: 'rm -rf the mounted lists', code: df('FROM debian:bookworm', `RUN ${LISTS} apt-get update && rm -rf /var/lib/apt/lists/*`), errors: [{ messageId: 'rmWipes', line: 2, message: ['/var/lib/apt/lists'] }] },
    { name: 'apt-get clean with the archives mounted', code: df('FROM debian:bookworm', `RUN ${ARCH} apt-get install -y x && apt-get clean`), errors: [{ messageId: 'toolWipes', line: 2, message: ['apt-get clean'] }] },
    { name: 'npm cache clean --force', code: df('FROM node:20', 'RUN --mount=type=cache,target=/root/.npm npm ci && npm cache clean --force'), errors: [{ messageId: 'toolWipes', data: { command: "npm cache clean --force", target: "/root/.npm" }, line: 2 }] },
    { name: 'pip cache purge', code: df('FROM python:3.12', 'RUN --mount=type=cache,target=/root/.cache/pip pip install x && pip cache purge'), errors: [{ messageId: 'toolWipes', data: { command: "pip cache purge", target: "/root/.cache/pip" }, line: 2 }] },
    { name: 'go clean -modcache', code: df('FROM golang:1.23', 'RUN --mount=type=cache,target=/go/pkg/mod go build ./... && go clean -modcache'), errors: [{ messageId: 'toolWipes', data: { command: "go clean -modcache", target: "/go/pkg/mod" }, line: 2 }] },
    { name: 'dnf clean all', code: df('FROM fedora:40', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y --setopt=keepcache=1 x && dnf clean all'), errors: [{ messageId: 'toolWipes', data: { command: "dnf clean all", target: "/var/cache/dnf" }, line: 2 }] },
  ],
});

ruleTester(cacheSplitRule, {
  valid: [
    { name: 'same id, same owner, same sharing', code: df('FROM debian:bookworm', `RUN ${ARCH} apt-get install -y a`, `RUN ${ARCH} apt-get install -y b`) },
    { name: 'different ids on purpose', code: df('FROM debian:bookworm', 'RUN --mount=type=cache,id=a,target=/c,uid=1 true', 'RUN --mount=type=cache,id=b,target=/c true') },
  ],
  invalid: [
    { name: 'uid on one mount only', code: df('FROM debian:bookworm', 'RUN --mount=type=cache,target=/c true', 'RUN --mount=type=cache,target=/c,uid=1000 true'), errors: [{ messageId: 'split', line: 3, message: ['split', 'uid=1000'] }] },
    { name: 'locked beside shared', code: df('FROM debian:bookworm', `RUN ${ARCH} apt-get install -y a`, 'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y b'), errors: [{ messageId: 'mixedSharing', line: 3, message: ['sharing=locked', 'sharing=shared', 'fragments'] }] },
  ],
});

const DEAD_A = 'RUN --mount=type=cache,id=A,target=/a,sharing=locked --mount=type=cache,id=B,target=/b,sharing=locked echo a';
const DEAD_B = 'RUN --mount=type=cache,id=B,target=/a,sharing=locked --mount=type=cache,id=A,target=/b,sharing=locked echo b';
const twoStages = (a: string, b: string) => df('FROM debian:bookworm AS a', a, 'FROM debian:bookworm AS b', b, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b');
ruleTester(cacheDeadlockRule, {
  valid: [
    { name: 'same order', code: twoStages(DEAD_A, DEAD_A.replace('echo a', 'echo b')) },
    { name: 'swapped, but one waits for the other', code: df('FROM debian:bookworm AS a', DEAD_A, 'FROM a', DEAD_B) },
    { name: 'swapped, but not locked', code: twoStages(DEAD_A.replace(/,sharing=locked/g, ''), DEAD_B.replace(/,sharing=locked/g, '')) },
  ],
  invalid: [{ name: 'swapped targets for two locked caches (observed to hang)', code: twoStages(DEAD_A, DEAD_B), errors: [{ messageId: 'deadlock', line: 4, message: ['deadlock', 'caches "A", "B"'] }] }],
});

ruleTester(cachePermissionRule, {
  valid: [
    { name: 'root', code: df('FROM python:3.12', 'RUN --mount=type=cache,target=/root/.cache/pip pip install x') },
    { name: 'uid and gid given', code: df('FROM python:3.12', 'USER 1000:1000', 'RUN --mount=type=cache,target=/c,uid=1000,gid=1000 pip install --cache-dir /c x') },
    { name: 'world-writable mode', code: df('FROM python:3.12', 'USER 1000', 'RUN --mount=type=cache,target=/c,mode=0777 pip install --cache-dir /c x') },
  ],
  invalid: [
    {
      name: 'numeric USER: the fix adds uid and gid',
      code: df('FROM python:3.12', 'USER 1000:1000', 'RUN --mount=type=cache,target=/c pip install --cache-dir /c x'),
      errors: [{ messageId: 'cachesNothing', line: 3, severity: 'warning', message: ['USER 1000:1000 cannot write to the cache at /c', 'it caches nothing', 'The cache has been disabled'] }],
      output: df('FROM python:3.12', 'USER 1000:1000', 'RUN --mount=type=cache,target=/c,uid=1000,gid=1000 pip install --cache-dir /c x'),
    },
    { name: 'named USER: no fix (its uid is unknown)', code: df('FROM node:20', 'USER node', 'RUN --mount=type=cache,target=/home/node/.npm npm ci'), errors: [{ messageId: 'fails', line: 3, message: ['USER node'] }], output: df('FROM node:20', 'USER node', 'RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci') },
    {
      // Found by the fuzzing: the fix gave only the first of two mounts of one cache its owner, which split the cache (cache-split).
      name: 'two mounts of one cache in one RUN: both get the owner',
      code: df('FROM python:3.12', 'USER 1000:1000', 'RUN --mount=type=cache,target=/c --mount=type=cache,target=/c pip install --cache-dir /c x'),
      errors: [{ messageId: 'cachesNothing', line: 3, severity: 'warning', message: ['USER 1000:1000 cannot write to the cache at /c'] }],
      output: df('FROM python:3.12', 'USER 1000:1000', 'RUN --mount=type=cache,target=/c,uid=1000,gid=1000 --mount=type=cache,target=/c,uid=1000,gid=1000 pip install --cache-dir /c x'),
    },
  ],
});

ruleTester(cacheIneffectiveRule, {
  valid: [
    { name: 'docker-clean removed earlier', code: df('FROM debian:bookworm', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN ${ARCH} apt-get install -y x`) },
    { name: 'docker-clean removed in the base stage', code: df('FROM debian:bookworm AS base', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', 'FROM base', `RUN ${ARCH} apt-get install -y x`) },
    { name: 'lists only (docker-clean does not touch them)', code: df('FROM debian:bookworm', `RUN ${LISTS} apt-get update`) },
    { name: 'dnf with keepcache', code: df('FROM fedora:40', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y --setopt=keepcache=1 gcc') },
    { name: 'apk with /etc/apk/cache linked', code: df('FROM alpine:3.20', 'RUN ln -s /var/cache/apk /etc/apk/cache', 'RUN --mount=type=cache,target=/var/cache/apk apk add curl') },
    { name: 'yarn 1 at its real root path', code: df('FROM node:20', 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install') },
    { name: 'an unknown image may set the path: no verdict', code: df('FROM example.com/go-builder:1', 'RUN --mount=type=cache,target=/go/pkg/mod go build ./...') },
    { name: 'non-root user with an unknown HOME: no verdict', code: df('FROM python:3.12', 'USER app', 'RUN --mount=type=cache,target=/srv/.cache/pip,uid=1000 pip install x') },
  ],
  invalid: [
    {
      name: 'docker-clean still active; the fix removes it first',
      code: df('FROM ubuntu:22.04', `RUN ${ARCH} apt-get update && apt-get install -y x`),
      options: { unsafeFixes: true },
      errors: [{ messageId: 'discarded', line: 2, message: ['docker-clean'] }],
      output: df('FROM ubuntu:22.04', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN ${ARCH} apt-get update && apt-get install -y x`),
    },
    { name: 'a pip cache on a RUN that never runs pip', code: df('FROM python:3.12', 'RUN --mount=type=cache,target=/root/.cache/pip echo hello'), errors: [{ messageId: 'neverRuns', line: 2, message: ['never runs pip'] }] },
    { name: '`apt` without Keep-Downloaded-Packages', code: df('FROM debian:bookworm', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN ${ARCH} apt install -y x`), errors: [{ messageId: 'discarded', line: 3, message: ['Keep-Downloaded-Packages'] }] },
    { name: 'pip --no-cache-dir', code: df('FROM python:3.12', 'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir x'), errors: [{ messageId: 'switchedOff', line: 2, message: ['--no-cache-dir'] }] },
    { name: 'PIP_NO_CACHE_DIR=off still disables it', code: df('FROM python:3.12', 'ENV PIP_NO_CACHE_DIR=off', 'RUN --mount=type=cache,target=/root/.cache/pip pip install x'), errors: [{ messageId: 'switchedOffByVariable', line: 3, message: ['PIP_NO_CACHE_DIR'] }] },
    { name: 'apk add --no-cache', code: df('FROM alpine:3.20', 'RUN --mount=type=cache,target=/var/cache/apk apk add --no-cache curl'), errors: [{ messageId: 'switchedOff', line: 2, message: ['--no-cache'] }] },
    { name: 'apk without /etc/apk/cache', code: df('FROM alpine:3.20', 'RUN --mount=type=cache,target=/var/cache/apk apk add curl'), errors: [{ messageId: 'metadataOnly', line: 2, message: ['/etc/apk/cache'] }] },
    { name: 'dnf without keepcache', code: df('FROM fedora:40', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y gcc'), errors: [{ messageId: 'metadataOnly', line: 2, message: ['keepcache'] }] },
    { name: 'cargo under /root/.cargo on a rust image', code: df('FROM rust:1.80', 'RUN --mount=type=cache,target=/root/.cargo/registry cargo build'), errors: [{ messageId: 'wrongPlace', line: 2, message: ['/usr/local/cargo/registry'] }] },
    { name: 'a uv cache on a RUN that runs pip', code: df('FROM python:3.12', 'RUN --mount=type=cache,target=/root/.cache/uv pip install x'), errors: [{ messageId: 'otherToolsPlace', line: 2, message: ['uv', 'runs pip'] }] },
  ],
});

ruleTester(cacheHidesOutputRule, {
  valid: [
    { name: 'target/ with the binary copied out', code: df('FROM rust:1.80', 'RUN --mount=type=cache,target=/app/target cargo build --release && cp target/release/app /usr/local/bin/') },
    { name: 'target/ continued by a later RUN on the same cache', code: df('FROM rust:1.80', 'RUN --mount=type=cache,target=/app/target cargo chef cook', 'RUN --mount=type=cache,target=/app/target cargo build && cp target/release/app /bin/') },
    { name: 'gem cache, not gem home', code: df('FROM ruby:3.3', 'RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install') },
  ],
  invalid: [
    { name: 'node_modules', code: df('FROM node:20', 'WORKDIR /app', 'RUN --mount=type=cache,target=/app/node_modules npm ci'), errors: [{ messageId: 'hides', line: 3, message: ['node_modules'] }] },
    { name: 'target/ without copying out', code: df('FROM rust:1.80', 'WORKDIR /app', 'RUN --mount=type=cache,target=/app/target cargo build --release'), errors: [{ messageId: 'hidesUncopied', line: 3, message: ['Cargo'] }] },
    { name: 'gem home', code: df('FROM ruby:3.3', 'RUN --mount=type=cache,target=/usr/local/bundle bundle install'), errors: [{ messageId: 'hides', line: 2, message: ['gems'] }] },
    { name: 'dpkg database', code: df('FROM debian:bookworm', 'RUN --mount=type=cache,target=/var/lib/dpkg apt-get install -y x'), errors: [{ messageId: 'hides', line: 2, message: ['dpkg'] }] },
    { name: 'site-packages', code: df('FROM python:3.12', 'RUN --mount=type=cache,target=/usr/local/lib/python3.12/site-packages pip install x'), errors: [{ messageId: 'hides', data: { target: "/usr/local/lib/python3.12/site-packages", what: "installed Python packages (site-packages)" }, line: 2 }] },
    { name: "poetry's venv inside its cache", code: df('FROM python:3.12', 'RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install'), errors: [{ messageId: 'hides', line: 2, message: ['virtualenv'] }] },
    { name: 'all of /var/lib/apt, and a later autoremove (info)', code: df('FROM debian:bookworm', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y gcc', 'RUN apt-get autoremove -y'), errors: [{ messageId: 'readLaterNarrower', line: 2, severity: 'info', message: ['extended_states', 'line 3'] }] },
  ],
});

ruleTester(missingCacheMountRule, {
  valid: [
    { name: 'apt with its caches', code: df('FROM debian:bookworm', `RUN ${ARCH} ${LISTS} apt-get update && apt-get install -y x`) },
    { name: 'pip with the cache switched off on purpose', code: df('FROM python:3.12', 'RUN pip install --no-cache-dir x') },
    { name: 'apt-get update alone downloads no packages', code: df('FROM debian:bookworm', 'RUN apt-get update') },
  ],
  invalid: [
    {
      name: 'npm on a step built for two platforms: the new cache is private (npm failed in public in that shape), so the fix makes no race',
      code: df('FROM node:20-bookworm AS build', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'),
      options: { unsafeFixes: true, platforms: ['linux/amd64', 'linux/arm64'] },
      errors: [{ messageId: 'noCacheMount', line: 4, severity: 'info', messageIs: 'npm downloads packages here with no cache mount: every rebuild downloads them again. Add --mount=type=cache,target=/root/.npm,sharing=private.' }],
      output: df('FROM node:20-bookworm AS build', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN --mount=type=cache,target=/root/.npm,sharing=private npm ci'),
    },
    {
      name: 'npm on one platform: shared, as npm documents',
      code: df('FROM node:20-bookworm AS build', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci'),
      options: { unsafeFixes: true },
      errors: [{ messageId: 'noCacheMount', line: 4, severity: 'info', messageIs: 'npm downloads packages here with no cache mount: every rebuild downloads them again. Add --mount=type=cache,target=/root/.npm.' }],
      output: df('FROM node:20-bookworm AS build', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN --mount=type=cache,target=/root/.npm npm ci'),
    },
    {
      name: 'apt: locked mounts added before the command',
      code: df('FROM debian:bookworm', 'RUN apt-get update && apt-get install -y x'),
      options: { unsafeFixes: true },
      errors: [{ messageId: 'noCacheMount', data: { tools: "apt-get", mounts: "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked", changes: ", and add `RUN rm -f /etc/apt/apt.conf.d/docker-clean` before it" }, line: 2, severity: 'info' }],
      output: df('FROM debian:bookworm', 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', `RUN ${ARCH} ${LISTS} apt-get update && apt-get install -y x`),
    },
    {
      name: 'go: shared mounts (safe to share)',
      code: df('FROM golang:1.23', 'RUN --network=host go build ./...'),
      options: { unsafeFixes: true },
      errors: [{ messageId: 'noCacheMount', data: { tools: "go", mounts: "--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build" }, line: 2, severity: 'info' }],
      output: df('FROM golang:1.23', 'RUN --network=host --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build ./...'),
    },
    {
      // Found by the fuzzing: inserted after `--` (the end of the flags), the mounts were words of the command, added again each pass.
      name: 'flags ended by --: the mounts go before it',
      code: df('FROM golang:1.23', 'RUN --network=host -- go build ./...'),
      options: { unsafeFixes: true },
      errors: [{ messageId: 'noCacheMount', data: { tools: "go", mounts: "--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build" }, line: 2, severity: 'info' }],
      output: df('FROM golang:1.23', 'RUN --network=host --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build -- go build ./...'),
    },
    {
      // Found by the fuzzing: USER 00 is root (uid 0), and a mount with uid=0,gid=0 would be another cache than root's.
      name: 'USER 00 is root: no uid/gid on the mounts',
      code: df('FROM golang:1.23', 'ENV GOCACHE=/gc GOMODCACHE=/gm', 'USER 00', 'RUN go build ./...'),
      options: { unsafeFixes: true },
      errors: [{ messageId: 'noCacheMount', data: { tools: "go", mounts: "--mount=type=cache,target=/gm --mount=type=cache,target=/gc" }, line: 4, severity: 'info' }],
      output: df('FROM golang:1.23', 'ENV GOCACHE=/gc GOMODCACHE=/gm', 'USER 00', 'RUN --mount=type=cache,target=/gm --mount=type=cache,target=/gc go build ./...'),
    },
    {
      // Found by the fuzzing: the fix added /var/lib/apt/lists, which `rm /var/lib` then deleted (cache-wiped).
      name: 'apt with an rm of a folder above the cache: no fix (dropping the rm would change more)',
      code: df('FROM debian:bookworm', 'RUN apt-get install -y x && rm -rf /var/cache'),
      options: { unsafeFixes: true },
      errors: [{ messageId: 'noCacheMount', line: 2, severity: 'info', message: ['drop `rm -rf /var/cache`'] }],
      output: null,
    },
  ],
});

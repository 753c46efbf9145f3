/**
 * Issue 24: findings that were right about the problem but wrong in a detail
 * (a remedy that cannot work alone, half of two causes, the reason for a
 * path, a version the tag tells, an assumption left unsaid). Table cases
 * shaped like the real files they were found in; the rule tester also checks
 * that every fix converges and creates no finding of any rule.
 */
import { cacheIneffectiveRule } from '../../src/rules/cache-ineffective.js';
import { cacheRaceRule } from '../../src/rules/cache-race/index.js';
import { apkMajorVersion, debianPackageVersion } from '../../src/knowledge/index.js';
import { df, ruleTester } from '../helpers/rule-tester.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

const UNSAFE = { unsafeFixes: true };
const NO_DOCKER_CLEAN = 'RUN rm -f /etc/apt/apt.conf.d/docker-clean';
const KEEP = `RUN echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`;
const DOCKER_CLEAN_WHY = "the base image's /etc/apt/apt.conf.d/docker-clean deletes downloaded packages after every install (remove it in an earlier RUN: rm -f /etc/apt/apt.conf.d/docker-clean)";

// 1. Every cause that empties the cache in that RUN is named; the fix removes all of them, or is not offered.
// 2. `apt install` on a base with docker-clean: both causes, one fix for both.
// 6. An image mountlint does not know: the message says what it assumed.
ruleTester(cacheIneffectiveRule, {
  valid: [
    { name: 'docker-clean removed and no rm of the archives: nothing to say', code: df('FROM debian:bookworm-slim', NO_DOCKER_CLEAN, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl') },
    { name: '`apt` with docker-clean removed and Keep-Downloaded-Packages set in one RUN, as in BuildKit\'s reference', code: df('FROM ubuntu:22.04', `RUN rm -f /etc/apt/apt.conf.d/docker-clean; echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt update && apt install -y git') },
  ],
  invalid: [
    {
      name: 'docker-clean and an rm of the .debs after the install: both named, the fix inserts the RUN and drops the rm',
      code: df(
        'FROM debian:bookworm-slim',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
        '    apt-get update && \\',
        '    apt-get install -y --no-install-recommends curl ca-certificates && \\',
        '    rm -f /var/cache/apt/archives/*.deb',
      ),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: [`The cache mounted at /var/cache/apt caches nothing: ${DOCKER_CLEAN_WHY}; and \`rm -f /var/cache/apt/archives/*.deb\` in this RUN deletes what is in it after apt-get runs. The cache holds packages only when both are dealt with.`], related: ['rm empties the cache mounted at /var/cache/apt here'] }],
      output: df(
        'FROM debian:bookworm-slim',
        NO_DOCKER_CLEAN,
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
        '    apt-get update && \\',
        '    apt-get install -y --no-install-recommends curl ca-certificates',
      ),
    },
    {
      name: 'an rm of the .debs before the install empties the cache as surely',
      code: df('FROM ubuntu:22.04', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\', '    rm -f /var/cache/apt/archives/*.deb && \\', '    apt-get update && apt-get install -y build-essential'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: [`The cache mounted at /var/cache/apt caches nothing: ${DOCKER_CLEAN_WHY}; and \`rm -f /var/cache/apt/archives/*.deb\` in this RUN deletes what is in it before apt-get runs. The cache holds packages only when both are dealt with.`] }],
      output: df('FROM ubuntu:22.04', NO_DOCKER_CLEAN, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\', '    apt-get update && apt-get install -y build-essential'),
    },
    {
      name: 'apt-get clean in the same RUN is a cause too',
      code: df('FROM debian:bookworm', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl && apt-get clean'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: [`${DOCKER_CLEAN_WHY}; and \`apt-get clean\` in this RUN deletes what is in it after apt-get runs.`] }],
      output: df('FROM debian:bookworm', NO_DOCKER_CLEAN, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl'),
    },
    {
      name: 'an rm that also deletes paths outside the cache cannot be dropped: both named, no fix (half a remedy would not work)',
      code: df('FROM ubuntu:22.04', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\', '    apt-get update && apt-get install -y build-essential && \\', '    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: [`${DOCKER_CLEAN_WHY}; and \`rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb\` in this RUN deletes what is in it after apt-get runs. The cache holds packages only when both are dealt with.`] }],
      output: null,
    },
    {
      name: '`apt install` on ubuntu: docker-clean and apt\'s own deletion, one fix for both',
      code: df('FROM ubuntu:22.04', 'WORKDIR /builder', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked,rw \\', '    apt update && \\', '    apt install --no-install-recommends -y git vim build-essential python3-dev && \\', '    rm -rf /var/lib/apt/lists/*'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 3, message: [`The cache mounted at /var/cache/apt caches nothing: ${DOCKER_CLEAN_WHY}; and \`apt\` deletes downloaded packages after installing them unless Binary::apt::APT::Keep-Downloaded-Packages is "true" (or use apt-get). The cache holds packages only when both are dealt with.`] }],
      output: df('FROM ubuntu:22.04', 'WORKDIR /builder', NO_DOCKER_CLEAN, KEEP, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked,rw \\', '    apt update && \\', '    apt install --no-install-recommends -y git vim build-essential python3-dev && \\', '    rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'dnf on an image mountlint does not know: the default keepcache is said to be assumed',
      code: df('FROM quay.io/acme/ubi-base:9', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y gcc make'),
      options: UNSAFE,
      errors: [{ messageId: 'metadataOnly', line: 2, message: ["The cache mounted at /var/cache/dnf caches metadata only, not packages: dnf deletes downloaded packages after installing them unless keepcache is on (--setopt=keepcache=1) (assuming quay.io/acme/ubi-base:9 keeps dnf (dnf4)'s defaults: mountlint does not know that image)."] }],
      output: df('FROM quay.io/acme/ubi-base:9', 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf --setopt=keepcache=1 install -y gcc make'),
    },
    {
      name: '`apt` on an unknown image after removing docker-clean in the same RUN: only apt\'s default is assumed',
      code: df('FROM ghcr.io/acme/server-base:v1', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked rm -f /etc/apt/apt.conf.d/docker-clean && apt update && apt install -y mosquitto'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: ["(or use apt-get) (assuming ghcr.io/acme/server-base:v1 keeps apt / apt-get / aptitude's defaults: mountlint does not know that image)."] }],
      output: df('FROM ghcr.io/acme/server-base:v1', KEEP, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked rm -f /etc/apt/apt.conf.d/docker-clean && apt update && apt install -y mosquitto'),
    },
    {
      name: '`apt` on an unknown image: apt\'s default and no docker-clean are said to be assumed',
      code: df('FROM ghcr.io/acme/server-base:v1', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt update && apt install -y --no-install-recommends mosquitto'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: ["(assuming ghcr.io/acme/server-base:v1 keeps apt / apt-get / aptitude's defaults and has no /etc/apt/apt.conf.d/docker-clean: mountlint does not know that image)."] }],
      output: df('FROM ghcr.io/acme/server-base:v1', KEEP, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt update && apt install -y --no-install-recommends mosquitto'),
    },
  ],
});

// 4. Versions the image tag tells: apk-tools v2/v3, and apt's version from a Debian or Ubuntu codename.
describe('versions the tag tells', () => {
  it('apk-tools from Alpine releases and from official images whose versions only shipped on older Alpine', () => {
    const cases: Array<[string, 2 | 3 | undefined]> = [
      ['alpine:3.20', 2], ['alpine:3.23', 3], ['python:3.12-alpine3.20', 2], ['golang:1.25-alpine3.23', 3],
      ['node:14-alpine', 2], ['node:18.20-alpine', 2], ['node:23-alpine', 2], ['python:3.9-alpine', 2], ['python:3.9.18-alpine', 2], ['golang:1.22-alpine', 2], ['ruby:3.0-alpine', 2], ['rust:1.80-alpine', 2],
      ['node:22-alpine', undefined], ['node:20-alpine', undefined], ['python:3.12-alpine', undefined], ['golang:1.24-alpine', undefined], ['alpine', undefined], ['alpine:latest', undefined], ['node:alpine', undefined], ['node:14-bullseye', undefined], ['ghcr.io/acme/node:14-alpine', undefined],
    ];
    for (const [image, expected] of cases) assert.equal(apkMajorVersion(image), expected, image);
  });
  it("apt's version from codenames and release numbers, Debian's and Ubuntu's apart", () => {
    const cases: Array<[string, string | undefined]> = [
      ['debian:jessie', '1.0.9'], ['debian:8', '1.0.9'], ['debian:bookworm-slim', '2.6.1'], ['debian:12.5', '2.6.1'], ['ubuntu:14.04', '1.0.1'], ['ubuntu:trusty', '1.0.1'], ['ubuntu:12.04', '0.8.16'], ['ubuntu:22.04', '2.4.13'],
      ['python:3.12-slim-bookworm', '2.6.1'], ['node:20-buster', '1.8.2'], ['golang:1.22-bullseye', '2.2.4'], ['python:3.12', undefined], ['debian:latest', undefined], ['alpine:3.20', undefined],
    ];
    for (const [image, expected] of cases) assert.equal(debianPackageVersion(image, 'apt'), expected, image);
  });
});

const pair = (image: string, a: string, b: string) => df(`FROM ${image} AS a`, a, `FROM ${image} AS b`, b, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b');
const APK = '--mount=type=cache,target=/etc/apk/cache';
ruleTester(cacheRaceRule, {
  valid: [{ name: 'apk on python:3.13-alpine3.23 (apk-tools v3) is safe to share', code: pair('python:3.13-alpine3.23', `RUN ${APK} apk add curl`, `RUN ${APK} apk add git`) }],
  invalid: [
    {
      name: 'apk on node:14-alpine: the tag tells apk-tools v2, so an error, with the reason',
      code: pair('node:14-alpine', `RUN ${APK} apk add curl`, `RUN ${APK} apk add git`),
      errors: [{ messageId: 'withOne', line: 2, severity: 'error', message: ['node 14 images were only built on Alpine releases before 3.23, which ship apk-tools v2'] }],
      output: df('FROM node:14-alpine AS a', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl', 'FROM node:14-alpine AS b', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add git', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
    },
    {
      name: 'apk on node:22-alpine: the tag does not tell, a warning that says so',
      code: pair('node:22-alpine', `RUN ${APK} apk add curl`, `RUN ${APK} apk add git`),
      errors: [{ messageId: 'withOne', line: 2, severity: 'warning', message: ["the base image's tag does not tell which"] }],
      output: df('FROM node:22-alpine AS a', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl', 'FROM node:22-alpine AS b', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add git', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
    },
    {
      name: "apt on debian:buster prints the lock error of apt before 1.9.2",
      code: pair('debian:buster', 'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl', 'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y git'),
      errors: [{ messageId: 'withOne', line: 2, severity: 'error', message: ['"E: Could not get lock /var/cache/apt/archives/lock - open (11: Resource temporarily unavailable)"'] }],
      output: df('FROM debian:buster AS a', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y curl', 'FROM debian:buster AS b', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y git', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
    },
  ],
});

// apt before 1.2 (jessie, trusty) keeps what `apt` downloads: only docker-clean is named.
ruleTester(cacheIneffectiveRule, {
  valid: [],
  invalid: [
    {
      name: '`apt install` on debian:jessie: only docker-clean deletes the packages there',
      code: df('FROM debian:jessie', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt update && apt install -y curl'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 2, message: [`The cache mounted at /var/cache/apt caches nothing: ${DOCKER_CLEAN_WHY}.`] }],
      output: df('FROM debian:jessie', NO_DOCKER_CLEAN, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt update && apt install -y curl'),
    },
  ],
});

// 3. The right path for the right reason: what placed the output is named.
const RUST = (...lines: string[]) => df('FROM rust:1.80', 'WORKDIR /app', ...lines);
ruleTester(cacheIneffectiveRule, {
  valid: [],
  invalid: [
    {
      name: '--manifest-path from WORKDIR /app: the project it names, not "run from /app/svc"',
      code: RUST('COPY . .', 'RUN --mount=type=cache,target=/app/target,sharing=locked --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked cargo build --release --manifest-path svc/Cargo.toml && cp svc/target/release/app /usr/local/bin/'),
      errors: [{ messageId: 'outputElsewhere', line: 4, message: ['The cache mounted at /app/target caches nothing: Cargo writes its build output to /app/svc/target here (its project is /app/svc, named by `--manifest-path svc/Cargo.toml`), not to /app/target.'] }],
    },
    {
      name: '`cd svc` before the build',
      code: RUST('COPY . .', 'RUN --mount=type=cache,target=/app/target,sharing=locked cd svc && cargo build --release && cp target/release/app /usr/local/bin/'),
      errors: [{ messageId: 'outputElsewhere', line: 4, message: ['Cargo writes its build output to /app/svc/target here (run from /app/svc, where `cd svc` put it), not to /app/target.'] }],
    },
    {
      name: 'the WORKDIR',
      code: df('FROM rust:1.80', 'WORKDIR /app/svc', 'COPY . .', 'RUN --mount=type=cache,target=/app/target,sharing=locked cargo build --release && cp target/release/app /usr/local/bin/'),
      errors: [{ messageId: 'outputElsewhere', line: 4, message: ['Cargo writes its build output to /app/svc/target here (run from /app/svc, the WORKDIR), not to /app/target.'] }],
    },
    {
      name: 'CARGO_TARGET_DIR',
      code: RUST('ENV CARGO_TARGET_DIR=/build/target', 'COPY . .', 'RUN --mount=type=cache,target=/app/target,sharing=locked cargo build --release && cp /build/target/release/app /usr/local/bin/'),
      errors: [{ messageId: 'outputElsewhere', line: 5, message: ['Cargo writes its build output to /build/target here (CARGO_TARGET_DIR is /build/target), not to /app/target.'] }],
    },
    {
      name: '--target-dir',
      code: RUST('COPY . .', 'RUN --mount=type=cache,target=/app/target,sharing=locked cargo build --release --target-dir /out/target && cp /out/target/release/app /usr/local/bin/'),
      errors: [{ messageId: 'outputElsewhere', line: 4, message: ['Cargo writes its build output to /out/target here (`--target-dir /out/target` puts it there), not to /app/target.'] }],
    },
  ],
});

// 5. Assumptions said out loud: a path built from an ARG with no default is judged as BuildKit expands it, and the message says so.
ruleTester(cacheIneffectiveRule, {
  valid: [{ name: 'with a --build-arg, the path is what it says and nothing is assumed', code: df('FROM rust:1.80', 'ARG MK_REPO', 'WORKDIR /src/${MK_REPO}', 'COPY . .', 'RUN --mount=type=cache,target=/src/svc/target,sharing=locked cargo build --release && cp target/release/app /usr/local/bin/'), options: { buildArgs: { MK_REPO: 'svc' } } }],
  invalid: [
    {
      name: 'WORKDIR /src/${MK_REPO} with no value: judged as /src, and the message says it assumed MK_REPO empty',
      code: df('FROM rust:1.80', 'ARG MK_REPO', 'WORKDIR /src/${MK_REPO}', 'COPY . .', 'RUN --mount=type=cache,target=/src/svc/target,sharing=locked cargo build --release && cp target/release/app /usr/local/bin/'),
      errors: [{ messageId: 'outputElsewhere', line: 5, message: ['The cache mounted at /src/svc/target caches nothing: Cargo writes its build output to /src/target here (run from /src, the WORKDIR), not to /src/svc/target (assuming MK_REPO is empty, as BuildKit expands it: ARG MK_REPO has no default; pass --build-arg).'] }],
    },
    {
      name: 'a mount target built from an ARG with no value',
      code: df('FROM debian:bookworm', 'ARG CACHE_NS', 'RUN --mount=type=cache,target=/var/cache/apt${CACHE_NS},sharing=locked apt-get update && apt-get install -y curl'),
      options: UNSAFE,
      errors: [{ messageId: 'discarded', line: 3, message: [`The cache mounted at /var/cache/apt caches nothing: ${DOCKER_CLEAN_WHY} (assuming CACHE_NS is empty, as BuildKit expands it: ARG CACHE_NS has no default; pass --build-arg).`] }],
      output: df('FROM debian:bookworm', 'ARG CACHE_NS', NO_DOCKER_CLEAN, 'RUN --mount=type=cache,target=/var/cache/apt${CACHE_NS},sharing=locked apt-get update && apt-get install -y curl'),
    },
  ],
});

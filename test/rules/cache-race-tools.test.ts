/** cache-race beyond apt: severity follows each tool's behaviour on a shared cache. */
import { cacheRaceRule } from '../../src/rules/cache-race/index.js';
import { df, ruleTester } from '../helpers/rule-tester.js';

/** Two stages from `image` that the last stage needs, running `a` and `b`. */
const pair = (image: string, a: string, b: string) =>
  df(`FROM ${image} AS a`, a, `FROM ${image} AS b`, b, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b');
const m = (target: string, extra = '') => `--mount=type=cache,target=${target}${extra}`;

ruleTester(cacheRaceRule, {
  valid: [
    { name: 'go: safe to share', code: pair('golang:1.23', `RUN ${m('/go/pkg/mod')} go build ./a`, `RUN ${m('/go/pkg/mod')} go build ./b`) },
    { name: 'npm: safe to share', code: pair('node:20', `RUN ${m('/root/.npm')} npm ci && echo a`, `RUN ${m('/root/.npm')} npm ci && echo b`) },
    { name: 'pnpm: safe to share', code: pair('node:20', `ENV PNPM_HOME=/pnpm\nRUN ${m('/pnpm/store')} pnpm install && echo a`, `ENV PNPM_HOME=/pnpm\nRUN ${m('/pnpm/store')} pnpm install && echo b`) },
    { name: 'uv: safe to share', code: pair('python:3.12', `RUN ${m('/root/.cache/uv')} uv pip install -r a.txt`, `RUN ${m('/root/.cache/uv')} uv pip install -r b.txt`) },
    { name: 'ccache: safe to share', code: pair('gcc:14', `RUN ${m('/root/.cache/ccache')} ccache -s && echo a`, `RUN ${m('/root/.cache/ccache')} ccache -s && echo b`) },
    { name: 'apk on Alpine 3.23 (apk-tools v3) is safe', code: pair('alpine:3.23', `RUN ${m('/etc/apk/cache')} apk add curl`, `RUN ${m('/etc/apk/cache')} apk add git`) },
    { name: 'yarn 1 as root does not use /root/.cache/yarn: no shared directory in use', code: pair('node:20', `RUN ${m('/root/.cache/yarn')} yarn install && echo a`, `RUN ${m('/root/.cache/yarn')} yarn install && echo b`) },
    { name: 'pip with --no-cache-dir uses no cache', code: pair('python:3.12', `RUN ${m('/root/.cache/pip')} pip install --no-cache-dir a`, `RUN ${m('/root/.cache/pip')} pip install --no-cache-dir b`) },
    { name: 'pip and uv in one /root/.cache mount use different directories', code: pair('python:3.12', `RUN ${m('/root/.cache')} pip install a`, `RUN ${m('/root/.cache')} uv pip install b`) },
    {
      name: 'apt commands serialised with flock on a lock file in the cache',
      code: pair('debian:bookworm', `RUN ${m('/var/cache/apt')} flock /var/cache/apt/.flock apt-get install -y a`, `RUN ${m('/var/cache/apt')} flock /var/cache/apt/.flock apt-get install -y b`),
    },
  ],
  invalid: [
    { name: 'yarn 1: corrupts, error, fixed with locked', code: pair('node:20', `RUN ${m('/usr/local/share/.cache/yarn')} yarn install && echo a`, `RUN ${m('/usr/local/share/.cache/yarn')} yarn install && echo b`), errors: [{ line: 2, message: ['yarn in stage "b"', '/usr/local/share/.cache/yarn', 'no lock on the cache'] }], output: df('FROM node:20 AS a', 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn,sharing=locked yarn install && echo a', 'FROM node:20 AS b', 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn,sharing=locked yarn install && echo b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'conda: corrupts', code: pair('continuumio/miniconda3', `RUN ${m('/opt/conda/pkgs')} conda install -y a`, `RUN ${m('/opt/conda/pkgs')} conda install -y b`), errors: [{ line: 2 }], output: df('FROM continuumio/miniconda3 AS a', 'RUN --mount=type=cache,target=/opt/conda/pkgs,sharing=locked conda install -y a', 'FROM continuumio/miniconda3 AS b', 'RUN --mount=type=cache,target=/opt/conda/pkgs,sharing=locked conda install -y b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'cargo with registry and git mounts only: corrupts', code: pair('rust:1.80', `RUN ${m('/usr/local/cargo/registry')} cargo build --bin a`, `RUN ${m('/usr/local/cargo/registry')} cargo build --bin b`), errors: [{ line: 2, message: ['.cargo-ok'] }], output: df('FROM rust:1.80 AS a', 'RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked cargo build --bin a', 'FROM rust:1.80 AS b', 'RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked cargo build --bin b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'cargo with all of CARGO_HOME in the cache: it waits (warning)', code: pair('rust:1.80', `RUN ${m('/usr/local/cargo')} cargo build --bin a`, `RUN ${m('/usr/local/cargo')} cargo build --bin b`), errors: [{ line: 2, severity: 'warning', message: ['Blocking waiting for file lock'] }], output: df('FROM rust:1.80 AS a', 'RUN --mount=type=cache,target=/usr/local/cargo,sharing=locked cargo build --bin a', 'FROM rust:1.80 AS b', 'RUN --mount=type=cache,target=/usr/local/cargo,sharing=locked cargo build --bin b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'mamba waits: warning', code: pair('mambaorg/micromamba', `RUN ${m('/opt/conda/pkgs')} micromamba install -y a`, `RUN ${m('/opt/conda/pkgs')} micromamba install -y b`), errors: [{ line: 2, severity: 'warning' }], output: df('FROM mambaorg/micromamba AS a', 'RUN --mount=type=cache,target=/opt/conda/pkgs,sharing=private micromamba install -y a', 'FROM mambaorg/micromamba AS b', 'RUN --mount=type=cache,target=/opt/conda/pkgs,sharing=private micromamba install -y b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'pip: safe only from 25.3, which the image does not tell: warning', code: pair('python:3.12', `RUN ${m('/root/.cache/pip')} pip install a`, `RUN ${m('/root/.cache/pip')} pip install b`), errors: [{ line: 2, severity: 'warning', message: ['25.3'] }], output: df('FROM python:3.12 AS a', 'RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked pip install a', 'FROM python:3.12 AS b', 'RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked pip install b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'apk on Alpine 3.19 (v2): error', code: pair('alpine:3.19', `RUN ${m('/etc/apk/cache')} apk add curl`, `RUN ${m('/etc/apk/cache')} apk add git`), errors: [{ line: 2 }], output: df('FROM alpine:3.19 AS a', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl', 'FROM alpine:3.19 AS b', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add git', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'apk on an unversioned Alpine tag: warning with the reason', code: pair('alpine', `RUN ${m('/etc/apk/cache')} apk add curl`, `RUN ${m('/etc/apk/cache')} apk add git`), errors: [{ line: 2, severity: 'warning', message: ['does not tell'] }], output: df('FROM alpine AS a', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl', 'FROM alpine AS b', 'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add git', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'gradle: lock timeout across containers', code: pair('gradle:8', `RUN ${m('/home/gradle/.gradle')} gradle build -p a`, `RUN ${m('/home/gradle/.gradle')} gradle build -p b`), errors: [{ line: 2 }], output: df('FROM gradle:8 AS a', 'RUN --mount=type=cache,target=/home/gradle/.gradle,sharing=locked gradle build -p a', 'FROM gradle:8 AS b', 'RUN --mount=type=cache,target=/home/gradle/.gradle,sharing=locked gradle build -p b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'maven 3.9: corrupts', code: pair('maven:3.9', `RUN ${m('/root/.m2/repository')} mvn -B package -f a`, `RUN ${m('/root/.m2/repository')} mvn -B package -f b`), errors: [{ line: 2 }], output: df('FROM maven:3.9 AS a', 'RUN --mount=type=cache,target=/root/.m2/repository,sharing=locked mvn -B package -f a', 'FROM maven:3.9 AS b', 'RUN --mount=type=cache,target=/root/.m2/repository,sharing=locked mvn -B package -f b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'pip as a non-root user with its own HOME', code: pair('python:3.12', `RUN useradd -m -u 1000 app\nUSER app\nRUN ${m('/home/app/.cache/pip', ',uid=1000')} pip install a`, `RUN useradd -m -u 1000 app\nUSER app\nRUN ${m('/home/app/.cache/pip', ',uid=1000')} pip install b`), errors: [{ line: 4, severity: 'warning' }], output: df('FROM python:3.12 AS a', 'RUN useradd -m -u 1000 app', 'USER app', 'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000,sharing=locked pip install a', 'FROM python:3.12 AS b', 'RUN useradd -m -u 1000 app', 'USER app', 'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000,sharing=locked pip install b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    {
      name: 'wait strategy: flock around the tool commands only',
      code: pair('debian:bookworm', `RUN ${m('/var/cache/apt')} apt-get update && apt-get install -y a && make`, `RUN ${m('/var/cache/apt')} DEBIAN_FRONTEND=noninteractive apt-get install -y b`),
      options: { fixStrategy: 'wait' },
      errors: [{ line: 2 }],
      output: pair('debian:bookworm', `RUN ${m('/var/cache/apt')} apt-get update && flock /var/cache/apt/.flock apt-get install -y a && make`, `RUN ${m('/var/cache/apt')} DEBIAN_FRONTEND=noninteractive flock /var/cache/apt/.flock apt-get install -y b`),
    },
    {
      name: 'wait is not offered on an image without known flock: --fix leaves it',
      code: pair('registry.example.com/base:1', `RUN ${m('/var/cache/apt')} apt-get install -y a`, `RUN ${m('/var/cache/apt')} apt-get install -y b`),
      options: { fixStrategy: 'wait' },
      errors: [{ line: 2 }],
    },
  ],
});

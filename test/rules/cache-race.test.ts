import { cacheRaceRule } from '../../src/rules/cache-race/index.js';
import { df, ruleTester } from '../helpers/rule-tester.js';

const B = 'FROM debian:bookworm';
/** Two stages that the final stage needs; each runs `cmdA` / `cmdB`. */
const pair = (runA: string, runB: string) =>
  df(`${B} AS a`, runA, `${B} AS b`, runB, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b');
const LISTS = '--mount=type=cache,target=/var/lib/apt';
const ARCH = '--mount=type=cache,target=/var/cache/apt';

ruleTester(cacheRaceRule, {
  valid: [
    { name: 'a quoted "--mount=…" word is not a flag for BuildKit', code: pair(`RUN "--mount=type=cache,target=/var/cache/apt" apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`) },
    { name: 'one stage: steps run in order', code: df(B, `RUN ${LISTS} apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`) },
    { name: 'FROM a stage waits for all of it', code: df(`${B} AS a`, `RUN ${LISTS} apt-get update && echo 1`, 'FROM a', `RUN ${LISTS} apt-get update && echo 2`) },
    {
      name: 'COPY --from before the apt step waits',
      code: df(`${B} AS a`, `RUN ${LISTS} apt-get update && echo 1`, `${B} AS b`, 'COPY --from=a /x /x', `RUN ${LISTS} apt-get update && echo 2`),
    },
    {
      name: 'COPY --from by index waits too',
      code: df(`${B} AS a`, `RUN ${LISTS} apt-get update && echo 1`, `${B} AS b`, 'COPY --from=0 /x /x', `RUN ${LISTS} apt-get update && echo 2`),
    },
    {
      name: 'RUN --mount=type=bind,from= before the apt step waits',
      code: df(`${B} AS a`, `RUN ${LISTS} apt-get update && echo 1`, `${B} AS b`, 'RUN --mount=type=bind,from=a,target=/in true', `RUN ${LISTS} apt-get update && echo 2`),
    },
    { name: 'unreachable stage is never built (the seed as written)', code: df(`${B} AS a`, `RUN ${ARCH} apt-get install -y x`, `${B} AS b`, `RUN ${ARCH} apt-get install -y y`) },
    { name: '--target builds only that stage', code: pair(`RUN ${LISTS} apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`), options: { target: 'a' } },
    { name: 'identical steps are merged and run once', code: pair(`RUN ${LISTS} apt-get update`, `RUN ${LISTS} apt-get update`) },
    { name: 'both locked: the second waits', code: pair(`RUN ${LISTS},sharing=locked apt-get update && echo 1`, `RUN ${LISTS},sharing=LOCKED apt-get update && echo 2`) },
    { name: 'both private: separate directories', code: pair(`RUN ${LISTS},sharing=private apt-get update && echo 1`, `RUN ${LISTS},sharing=private apt-get update && echo 2`) },
    { name: 'locked beside shared: the shared one gets another directory', code: pair(`RUN ${LISTS},sharing=locked apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`) },
    { name: 'different ids', code: pair(`RUN ${LISTS},id=a apt-get update && echo 1`, `RUN ${LISTS},id=b apt-get update && echo 2`) },
    { name: 'id=x is not target=/x', code: pair(`RUN --mount=type=cache,id=var/lib/apt,target=/var/lib/apt apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`) },
    { name: 'ids from stage ARGs differ', code: pair(`ARG I=one\nRUN ${LISTS},id=\${I} apt-get update && echo 1`, `ARG I=two\nRUN ${LISTS},id=\${I} apt-get update && echo 2`) },
    { name: 'uid on one mount only: two caches', code: pair(`RUN ${LISTS},uid=0,gid=0 apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`) },
    { name: 'namespace does not matter when ids differ', code: pair(`RUN ${LISTS},id=x apt-get update && echo 1`, `RUN ${LISTS},id=y apt-get update && echo 2`), options: { buildArgs: { BUILDKIT_CACHE_MOUNT_NS: 'ns' } } },
    { name: 'only one stage takes the lock', code: pair(`RUN ${LISTS} apt-get update && echo 1`, `RUN ${LISTS} ls /var/lib/apt`) },
    { name: 'archives and lists are different locks', code: pair(`RUN --mount=type=cache,id=apt,target=/var/lib/apt apt-get update && echo 1`, `RUN --mount=type=cache,id=apt,target=/var/cache/apt apt-get install -y x`) },
    { name: 'the lock sits at different paths in the cache', code: pair(`RUN --mount=type=cache,id=c,target=/var/cache/apt apt-get install -y x`, `RUN --mount=type=cache,id=c,target=/var/cache/apt/archives apt-get install -y y`) },
    { name: 'apt-get -s takes no lock', code: pair(`RUN ${ARCH} apt-get -s install x`, `RUN ${ARCH} apt-get install -y y`) },
    { name: 'apt-get download takes no archives lock', code: pair(`RUN ${ARCH} apt-get download x`, `RUN ${ARCH} apt-get install -y y`) },
    { name: 'a deeper tmpfs hides the cache', code: pair(`RUN ${ARCH} --mount=type=tmpfs,target=/var/cache/apt/archives apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`) },
    {
      name: 'tmpfs from= creates no dependency, but the stage is not executed either',
      code: df(`${B} AS a`, `RUN ${ARCH} apt-get install -y x`, `${B} AS b`, 'RUN --mount=type=tmpfs,from=a,target=/t true', `RUN ${ARCH} apt-get install -y y`),
    },
    { name: 'FROM ${BASE} naming an earlier stage is a dependency', code: df('ARG BASE=a', `${B} AS a`, `RUN ${LISTS} apt-get update && echo 1`, 'FROM ${BASE} AS b', `RUN ${LISTS} apt-get update && echo 2`) },
    {
      name: 'one platform: a step does not race with itself',
      code: df(B, `RUN ${LISTS} apt-get update`),
    },
    {
      name: 'platform-independent stage on two platforms is built once',
      code: df('FROM --platform=$BUILDPLATFORM debian:bookworm', `RUN ${LISTS} apt-get update`),
      options: { platforms: ['linux/amd64', 'linux/arm64'] },
    },
    { name: 'a relative target under another WORKDIR is another place', code: pair(`WORKDIR /var/lib/apt\nRUN --mount=type=cache,target=lists apt-get update && echo 1`, `RUN --mount=type=cache,target=/lists apt-get update && echo 2`) },
  ],
  invalid: [
    {
      name: 'the seed with its dependency made real',
      code: df(
        `${B} AS builder`,
        `RUN ${ARCH} apt update && apt -y install build-essential`,
        `${B} AS production`,
        `RUN ${ARCH} apt update && apt -y install vim`,
        'RUN --mount=target=/build,from=builder,source=/tmp/build ls /build',
      ),
      errors: [{ messageId: 'withOne', line: 2, column: 5, message: ['cache "/var/cache/apt"', '/var/cache/apt/archives/lock', 'It is held by process 0', 'stage "production" (line 4)'], related: ['"builder" is used by "production" with RUN --mount from=builder on line 5', 'apt takes /var/cache/apt/archives/lock here'] }],
      output: df(
        `${B} AS builder`,
        `RUN ${ARCH},sharing=locked apt update && apt -y install build-essential`,
        `${B} AS production`,
        `RUN ${ARCH},sharing=locked apt update && apt -y install vim`,
        'RUN --mount=target=/build,from=builder,source=/tmp/build ls /build',
      ),
    },
    {
      name: 'update in both stages: lists lock and the partial mkdir race',
      code: pair(`RUN ${LISTS} apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`),
      errors: [{ messageId: 'withOne', line: 2, message: ['/var/lib/apt/lists/lock', 'lists/partial is missing'], related: ['COPY --from'] }],
      output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
    },
    { name: 'trailing slash is the same cache', code: pair(`RUN --mount=type=cache,target=/var/lib/apt/ apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt/,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'same id, different targets', code: pair(`RUN --mount=type=cache,id=apt,target=/var/lib/apt apt-get update && echo 1`, `RUN --mount=type=cache,id=apt,target=/srv/apt -o Dir::State=/srv/apt apt-get update`.replace(' -o Dir::State=/srv/apt apt-get update', ' apt-get -o Dir::State=/srv/apt update')), errors: [{ messageId: 'withOne', data: { cache: "\"apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,id=apt,target=/var/lib/apt,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,id=apt,target=/srv/apt,sharing=locked apt-get -o Dir::State=/srv/apt update', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'id=/x equals target=/x', code: pair(`RUN --mount=type=cache,id=/var/lib/apt,target=/var/lib/apt apt-get update && echo 1`, `RUN ${LISTS} apt-get update && echo 2`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,id=/var/lib/apt,target=/var/lib/apt,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'the same uid/gid/mode: one cache', code: pair(`RUN ${LISTS},uid=0,gid=0 apt-get update && echo 1`, `RUN ${LISTS},uid=0,gid=0 apt-get update && echo 2`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,uid=0,gid=0,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,uid=0,gid=0,sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'env prefix and sh -c', code: pair(`RUN ${LISTS} DEBIAN_FRONTEND=noninteractive apt-get -q update && echo 1`, `RUN ${LISTS} sh -c "set -e; apt-get update"`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked DEBIAN_FRONTEND=noninteractive apt-get -q update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked sh -c "set -e; apt-get update"', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'heredoc scripts', code: pair(`RUN ${LISTS} <<EOF\nset -e\napt-get update\nEOF`, `RUN ${LISTS} <<EOF\napt-get update\nEOF`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 7)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked <<EOF', 'set -e', 'apt-get update', 'EOF', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked <<EOF', 'apt-get update', 'EOF', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'exec form', code: pair(`RUN ${LISTS} ["apt-get", "update"]`, `RUN ${LISTS} ["apt-get", "-q", "update"]`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked ["apt-get", "update"]', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked ["apt-get", "-q", "update"]', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'aptitude', code: pair(`RUN ${ARCH} aptitude install -y x`, `RUN ${ARCH} apt-get install -y y`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "aptitude", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked aptitude install -y x', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get install -y y', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'sudo wrapper inside a subshell', code: pair(`RUN ${ARCH} (cd / && sudo apt-get install -y x)`, `RUN ${ARCH} if true; then apt-get install -y y; fi`), errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked (cd / && sudo apt-get install -y x)', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked if true; then apt-get install -y y; fi', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'a COPY --from after the apt step does not help', code: df(`${B} AS a`, `RUN ${LISTS} apt-get update && echo 1`, `${B} AS b`, `RUN ${LISTS} apt-get update && echo 2`, 'COPY --from=a /x /x'), errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }], output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo 2', 'COPY --from=a /x /x') },
    { name: 'ARG ids that are equal', code: pair(`ARG I=same\nRUN ${LISTS},id=\${I} apt-get update && echo 1`, `ARG I=same\nRUN ${LISTS},id=\${I} apt-get update && echo 2`), errors: [{ messageId: 'withOne', line: 3, message: ['cache "same"'] }], output: df('FROM debian:bookworm AS a', 'ARG I=same', 'RUN --mount=type=cache,target=/var/lib/apt,id=${I},sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'ARG I=same', 'RUN --mount=type=cache,target=/var/lib/apt,id=${I},sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'a meta ARG is not visible without ARG in the stage', code: df('ARG I=x', `${B} AS a`, `RUN ${LISTS},id=\${I}1 apt-get update && echo 1`, `${B} AS b`, `RUN ${LISTS},id=1 apt-get update && echo 2`, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'), errors: [{ messageId: 'withOne', data: { cache: "\"1\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 5)" }, line: 3 }], output: df('ARG I=x', 'FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,id=${I}1,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,id=1,sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    { name: 'a meta ARG re-declared in the stage is visible', code: df('ARG I=x', `${B} AS a`, 'ARG I', `RUN ${LISTS},id=\${I}1 apt-get update && echo 1`, `${B} AS b`, `RUN ${LISTS},id=x1 apt-get update && echo 2`, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'), errors: [{ messageId: 'withOne', data: { cache: "\"x1\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 6)" }, line: 4 }], output: df('ARG I=x', 'FROM debian:bookworm AS a', 'ARG I', 'RUN --mount=type=cache,target=/var/lib/apt,id=${I}1,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,id=x1,sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b') },
    {
      name: 'one step on two platforms races with itself; id fix adds TARGETPLATFORM',
      code: df(B, `RUN ${LISTS} apt-get update`),
      options: { platforms: ['linux/amd64', 'linux/arm64'], fixStrategy: 'id' },
      errors: [{ messageId: 'withItself', line: 2, message: ['runs on linux/amd64 and linux/arm64 at the same time'], related: ['runs this step once for each, with no platform in the cache id'] }],
      output: df(B, 'ARG TARGETPLATFORM', `RUN ${LISTS},id=var-lib-apt-stage-0-\${TARGETPLATFORM} apt-get update`),
    },
    {
      name: 'three stages on one cache: one finding at the first use, the others as related locations, one fix',
      code: df(`${B} AS a`, `RUN ${ARCH} apt-get install -y x`, `${B} AS b`, `RUN ${ARCH} apt-get install -y y`, `${B} AS c`, `RUN ${ARCH} apt-get install -y z`, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b', 'COPY --from=c /x /c'),
      errors: [{ messageId: 'withMany', line: 2, message: ['cache "/var/cache/apt"', 'apt-get here can run at the same time as 2 other steps (stages "b", "c")'], related: ['stage "b" (line 4) may run at the same time', 'stage "c" (line 6) may run at the same time'] }],
      output: df(`${B} AS a`, `RUN ${ARCH},sharing=locked apt-get install -y x`, `${B} AS b`, `RUN ${ARCH},sharing=locked apt-get install -y y`, `${B} AS c`, `RUN ${ARCH},sharing=locked apt-get install -y z`, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b', 'COPY --from=c /x /c'),
    },
    {
      name: 'a step merged with an identical one in another stage says so, and is reported once',
      code: df(`${B} AS a`, `RUN ${LISTS} apt-get update`, `${B} AS b`, `RUN ${LISTS} apt-get update && echo b`, `${B} AS c`, `RUN ${LISTS} apt-get update`, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b', 'COPY --from=c /x /c'),
      errors: [{ messageId: 'withOne', line: 2, message: ['merged with the identical step on line 6'], related: ['merged with line 2'] }],
      output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && echo b', 'FROM debian:bookworm AS c', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b', 'COPY --from=c /x /c'),
    },
    {
      name: 'namespace shown only when set, with the id as written',
      code: pair(`RUN ${LISTS},id=apt-lists apt-get update && echo 1`, `RUN ${LISTS},id=apt-lists apt-get update && echo 2`),
      options: { buildArgs: { BUILDKIT_CACHE_MOUNT_NS: 'ci' } },
      errors: [{ messageId: 'withOne', line: 2, message: ['cache "apt-lists" (namespace "ci")'] }],
      output: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,id=apt-lists,sharing=locked apt-get update && echo 1', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,id=apt-lists,sharing=locked apt-get update && echo 2', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
    },
    {
      name: 'id fix with ARG TARGETPLATFORM declared after the RUN: the ARG is added before it, and one pass resolves it',
      code: df(B, `RUN ${LISTS} apt-get update`, 'ARG TARGETPLATFORM'),
      options: { platforms: ['linux/amd64', 'linux/arm64'], fixStrategy: 'id' },
      errors: [{ messageId: 'withItself', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", runs: "on linux/amd64 and linux/arm64" }, line: 2 }],
      output: df(B, 'ARG TARGETPLATFORM', `RUN ${LISTS},id=var-lib-apt-stage-0-\${TARGETPLATFORM} apt-get update`, 'ARG TARGETPLATFORM'),
    },
    {
      name: "id fix per platform is not offered on Docker 20.10's frontend (it would not expand ${TARGETPLATFORM})",
      code: df(B, `RUN ${LISTS} apt-get update`),
      options: { platforms: ['linux/amd64', 'linux/arm64'], fixStrategy: 'id', frontend: 'docker-20.10' },
      errors: [{ messageId: 'withItself', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", runs: "on linux/amd64 and linux/arm64" }, line: 2 }],
      output: null,
    },
    {
      name: 'id fix per platform is not offered when --build-arg TARGETPLATFORM gives every platform one value',
      code: df(B, `RUN ${LISTS} apt-get update`),
      options: { platforms: ['linux/amd64', 'linux/arm64'], fixStrategy: 'id', buildArgs: { TARGETPLATFORM: 'x' } },
      errors: [{ messageId: 'withItself', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", runs: "on linux/amd64 and linux/arm64" }, line: 2 }],
      output: null,
    },
    {
      name: "id fix per stage works on Docker 20.10's frontend (literal ids)",
      code: pair(`RUN ${ARCH} apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`),
      options: { fixStrategy: 'id', frontend: 'docker-20.10' },
      errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }],
      output: pair(`RUN ${ARCH},id=var-cache-apt-a apt-get install -y x`, `RUN ${ARCH},id=var-cache-apt-b apt-get install -y y`),
    },
    {
      name: 'wait fix on mounts of one id at different depths: one lock file at the root of the cache',
      code: pair(`RUN --mount=type=cache,id=c,target=/var/cache/apt apt-get install -y x`, `RUN --mount=type=cache,id=c,target=/var/cache/apt/archives -o Dir::Cache::archives=/var/cache/apt/archives apt-get install -y y`.replace(' -o Dir::Cache::archives=/var/cache/apt/archives apt-get install -y y', ' apt-get -o Dir::Cache::archives=/var/cache/apt/archives/archives install -y y')),
      options: { fixStrategy: 'wait' },
      errors: [{ messageId: 'withOne', data: { cache: "\"c\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }],
      output: pair(`RUN --mount=type=cache,id=c,target=/var/cache/apt flock /var/cache/apt/.flock apt-get install -y x`, `RUN --mount=type=cache,id=c,target=/var/cache/apt/archives flock /var/cache/apt/archives/.flock apt-get -o Dir::Cache::archives=/var/cache/apt/archives/archives install -y y`),
    },
    {
      name: 'locked fix locks every mount of the key, shared ones included',
      code: pair(`RUN ${ARCH} apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`) + `RUN ${ARCH} true\n`,
      errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }],
      output: pair(`RUN ${ARCH},sharing=locked apt-get install -y x`, `RUN ${ARCH},sharing=locked apt-get install -y y`) + `RUN ${ARCH},sharing=locked true\n`,
    },
    {
      name: 'private fix replaces an explicit sharing=shared where it is written',
      code: pair(`RUN --mount=type=cache,sharing=shared,target=/var/cache/apt apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`),
      options: { fixStrategy: 'private' },
      errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }],
      output: pair(`RUN --mount=type=cache,sharing=private,target=/var/cache/apt apt-get install -y x`, `RUN ${ARCH},sharing=private apt-get install -y y`),
    },
    {
      name: 'id fix: one id per stage',
      code: pair(`RUN ${ARCH} apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`),
      options: { fixStrategy: 'id' },
      errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }],
      output: pair(`RUN ${ARCH},id=var-cache-apt-a apt-get install -y x`, `RUN ${ARCH},id=var-cache-apt-b apt-get install -y y`),
    },
    {
      name: 'quoted mount and continuation lines keep their layout',
      code: df(`${B} AS a`, `RUN --mount="type=cache,target=/var/cache/apt" \\`, '    # a comment', '    apt-get install -y x', `${B} AS b`, `RUN ${ARCH} apt-get install -y y`, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
      errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 6)" }, line: 2 }],
      output: df(`${B} AS a`, `RUN --mount="type=cache,target=/var/cache/apt,sharing=locked" \\`, '    # a comment', '    apt-get install -y x', `${B} AS b`, `RUN ${ARCH},sharing=locked apt-get install -y y`, 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
    },
    {
      name: 'CRLF line endings are kept',
      code: pair(`RUN ${ARCH} apt-get install -y x`, `RUN ${ARCH} apt-get install -y y`).replace(/\n/g, '\r\n'),
      errors: [{ messageId: 'withOne', data: { cache: "\"/var/cache/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 4)" }, line: 2 }],
      output: pair(`RUN ${ARCH},sharing=locked apt-get install -y x`, `RUN ${ARCH},sharing=locked apt-get install -y y`).replace(/\n/g, '\r\n'),
    },
    {
      name: 'escape=` continuation',
      code: '# escape=`\n' + pair(`RUN ${LISTS} \`\n    apt-get update && echo a`, `RUN ${LISTS} \`\n    apt-get update && echo b`),
      errors: [{ messageId: 'withOne', data: { cache: "\"/var/lib/apt\"", program: "apt-get", consequence: "one fails with \"E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0\" or \"E: List directory /var/lib/apt/lists/partial is missing. - Acquire (17: File exists)\"", otherProgram: "apt-get", otherStep: "stage \"b\" (line 6)" }, line: 3 }],
      output: df('# escape=`', 'FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked `', '    apt-get update && echo a', 'FROM debian:bookworm AS b', 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked `', '    apt-get update && echo b', 'FROM scratch', 'COPY --from=a /x /a', 'COPY --from=b /x /b'),
    },
  ],
});

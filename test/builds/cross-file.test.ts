/**
 * Findings across the Dockerfiles of one request: each case is a folder
 * (bake, compose or CI file and its Dockerfiles), the findings expected in
 * each file (rule, line, words of the message), and, for races, that --fix
 * across the files leaves the whole build clean.
 */
import { strict as assert } from 'node:assert';
import { relative } from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import { discoverBuildPlan, lintPlan, readBuildPlan, requestMembers } from '../../src/builds/index.js';
import { fixBuildSet, prepare, type LintOptions } from '../../src/engine/index.js';
import { APT, writeTree } from './helpers.js';

interface Expected {
  file: string;
  rule: string;
  line: number;
  message?: string[];
  /** Related locations in other files, as "file:line". */
  relatedIn?: string[];
}

interface Case {
  name: string;
  files: Record<string, string>;
  read?: string[];
  options?: LintOptions;
  /** Findings of these rules are compared (others ignored). */
  rules?: string[];
  expected: Expected[];
  /** After --fix (with this strategy), no finding of the compared rules remains. */
  fix?: LintOptions['fixStrategy'] | 'default';
}

const bake = (body: string) => body;

const cases: Case[] = [
  {
    name: 'two bake targets, two Dockerfiles, each clean alone, race on one apt cache',
    files: {
      'docker-bake.hcl': bake('group "default" { targets = ["api", "worker"] }\ntarget "api" { context = "api" }\ntarget "worker" { context = "worker" }\n'),
      'api/Dockerfile': APT('curl'),
      'worker/Dockerfile': APT('wget'),
    },
    expected: [
      { file: 'api/Dockerfile', rule: 'cache-race', line: 2, message: ['bake target "api"', 'bake target "worker" (worker/Dockerfile line 2)', 'group "default" builds api and worker in one request', 'archives/lock'], relatedIn: ['worker/Dockerfile:2', 'worker/Dockerfile:4'] },
      { file: 'api/Dockerfile', rule: 'cache-race', line: 3, message: ['lists/lock'], relatedIn: ['worker/Dockerfile:3', 'worker/Dockerfile:4'] },
      { file: 'worker/Dockerfile', rule: 'cache-race', line: 2, message: ['bake target "worker"', 'bake target "api" (api/Dockerfile line 2)'], relatedIn: ['api/Dockerfile:2', 'api/Dockerfile:4'] },
      { file: 'worker/Dockerfile', rule: 'cache-race', line: 3, relatedIn: ['api/Dockerfile:3'] },
    ],
    fix: 'default',
  },
  {
    name: 'the same build with the id strategy: each build gets its own cache id',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["api", "worker"] }\ntarget "api" { context = "api" }\ntarget "worker" { context = "worker" }\n',
      'api/Dockerfile': APT('curl'),
      'worker/Dockerfile': APT('wget'),
    },
    expected: [
      { file: 'api/Dockerfile', rule: 'cache-race', line: 2 },
      { file: 'api/Dockerfile', rule: 'cache-race', line: 3 },
      { file: 'worker/Dockerfile', rule: 'cache-race', line: 2 },
      { file: 'worker/Dockerfile', rule: 'cache-race', line: 3 },
    ],
    fix: 'id',
  },
  {
    name: 'identical steps in two Dockerfiles merge: BuildKit runs them once, no race',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["a", "b"] }\ntarget "a" { context = "a" }\ntarget "b" { context = "b" }\n',
      'a/Dockerfile': APT('curl'),
      'b/Dockerfile': APT('curl'),
    },
    expected: [],
  },
  {
    name: 'a target used as a named context (target:base) is built first: no race with it',
    files: {
      'docker-bake.hcl': 'target "base" { dockerfile = "base.Dockerfile" }\ntarget "default" {\n  contexts = { base = "target:base" }\n}\n',
      'base.Dockerfile': APT('curl'),
      Dockerfile: 'FROM base\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y wget\n',
    },
    expected: [],
  },
  {
    name: 'issue 24: the base built by another target of the request removes docker-clean: read it, the apt cache works',
    files: {
      'docker-bake.hcl': 'target "base" { dockerfile = "base.Dockerfile" }\ntarget "default" {\n  contexts = { base = "target:base" }\n}\n',
      'base.Dockerfile': 'FROM debian:bookworm\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\n',
      Dockerfile: 'FROM base\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y wget\n',
    },
    rules: ['cache-ineffective'],
    expected: [],
  },
  {
    name: 'issue 24: the base built by another target keeps docker-clean: the finding names the base image that has it',
    files: {
      'docker-bake.hcl': 'target "base" { dockerfile = "base.Dockerfile" }\ntarget "default" {\n  contexts = { base = "target:base" }\n}\n',
      'base.Dockerfile': 'FROM debian:bookworm\nRUN echo hello\n',
      Dockerfile: 'FROM base\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y wget\n',
    },
    rules: ['cache-ineffective'],
    expected: [{ file: 'Dockerfile', rule: 'cache-ineffective', line: 2, message: ["the base image's /etc/apt/apt.conf.d/docker-clean deletes downloaded packages"] }],
  },
  {
    name: "issue 24: dnf's keepcache set by the base target's Dockerfile counts",
    files: {
      'docker-bake.hcl': 'target "base" { dockerfile = "base.Dockerfile" }\ntarget "default" {\n  contexts = { base = "target:base" }\n}\n',
      'base.Dockerfile': 'FROM fedora:40\nRUN echo keepcache=True >> /etc/dnf/dnf.conf\n',
      Dockerfile: 'FROM base\nRUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y gcc\n',
    },
    rules: ['cache-ineffective'],
    expected: [],
  },
  {
    name: 'matrix-like variables: one Dockerfile, two targets whose ARG differs, race with each other',
    files: {
      'docker-bake.hcl': 'variable "FLAVOURS" { default = ["slim", "full"] }\ntarget "app" {\n  name = "app-${f}"\n  matrix = { f = FLAVOURS }\n  args = { FLAVOUR = f }\n}\ngroup "default" { targets = ["app"] }\n',
      Dockerfile: 'FROM debian:bookworm\nARG FLAVOUR\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y tool-$FLAVOUR\n',
    },
    expected: [
      { file: 'Dockerfile', rule: 'cache-race', line: 3, message: ['this apt-get step runs for bake target "app-slim" and bake target "app-full" at the same time, because group "default" builds app-slim and app-full in one request'] },
      { file: 'Dockerfile', rule: 'cache-race', line: 4 },
    ],
    fix: 'default',
  },
  {
    name: 'override file adds platforms: a step of a --platform=$BUILDPLATFORM stage that uses TARGETARCH races with itself',
    files: {
      'docker-bake.hcl': 'target "default" {}\n',
      'docker-bake.override.hcl': 'target "default" {\n  platforms = ["linux/amd64", "linux/arm64"]\n}\n',
      Dockerfile:
        'FROM --platform=$BUILDPLATFORM debian:bookworm AS build\nARG TARGETARCH\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    dpkg --add-architecture $TARGETARCH && apt-get update && apt-get install -y libc6-dev:$TARGETARCH\nFROM scratch\nCOPY --from=build /etc/hostname /\n',
    },
    expected: [
      { file: 'Dockerfile', rule: 'cache-race', line: 3, message: ['this apt-get step runs on linux/amd64 and linux/arm64 at the same time (bake target "default" builds both platforms)'] },
      { file: 'Dockerfile', rule: 'cache-race', line: 4 },
    ],
    fix: 'id',
  },
  {
    name: "platforms from bake: cargo's registry mounts without its package-cache lock race per platform (docker/docs#25597)",
    files: {
      'docker-bake.hcl': 'target "default" {\n  platforms = ["linux/amd64", "linux/arm64"]\n}\n',
      Dockerfile: 'FROM --platform=$BUILDPLATFORM rust:1.80 AS build\nARG TARGETARCH\nRUN --mount=type=cache,target=/usr/local/cargo/git/db --mount=type=cache,target=/usr/local/cargo/registry \\\n    cargo build --release --target-dir /out/$TARGETARCH\nFROM scratch\nCOPY --from=build /out /out\n',
    },
    rules: ['cache-race'],
    expected: [{ file: 'Dockerfile', rule: 'cache-race', line: 3, message: ['this cargo step runs on linux/amd64 and linux/arm64 at the same time', '.package-cache'] }],
    fix: 'id',
  },
  {
    name: "the docs' fix (docker/docs#25616): one cache for all of CARGO_HOME shares cargo's lock, so cargo waits (a warning)",
    files: {
      'docker-bake.hcl': 'target "default" {\n  platforms = ["linux/amd64", "linux/arm64"]\n}\n',
      Dockerfile: 'FROM --platform=$BUILDPLATFORM rust:1.80 AS build\nARG TARGETARCH\nENV CARGO_HOME=/var/cache/cargo\nRUN --mount=type=cache,target=/var/cache/cargo \\\n    cargo build --release --target-dir /out/$TARGETARCH\nFROM scratch\nCOPY --from=build /out /out\n',
    },
    rules: ['cache-race'],
    expected: [{ file: 'Dockerfile', rule: 'cache-race', line: 4, message: ['cargo waits'] }],
  },
  {
    name: 'a --platform=$BUILDPLATFORM step that does not use the platform is one operation: no race',
    files: {
      'docker-bake.hcl': 'target "default" {\n  platforms = ["linux/amd64", "linux/arm64"]\n}\n',
      Dockerfile: 'FROM --platform=$BUILDPLATFORM debian:bookworm AS build\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /etc/hostname /\n',
    },
    expected: [],
  },
  {
    name: 'mount options from build args: sharing=${CACHE_SHARING_MODE} with its default, set by the bake file',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["a", "b"] }\ntarget "_locked" { args = { CACHE_SHARING_MODE = "locked" } }\ntarget "a" {\n  inherits = ["_locked"]\n  context = "a"\n}\ntarget "b" {\n  inherits = ["_locked"]\n  context = "b"\n}\n',
      'a/Dockerfile': 'FROM debian:bookworm\nARG CACHE_SHARING_MODE=shared\nRUN --mount=type=cache,target=/var/cache/apt,sharing=${CACHE_SHARING_MODE} apt-get install -y a\n',
      'b/Dockerfile': 'FROM debian:bookworm\nARG CACHE_SHARING_MODE=shared\nRUN --mount=type=cache,target=/var/cache/apt,sharing=${CACHE_SHARING_MODE} apt-get install -y b\n',
    },
    expected: [],
  },
  {
    name: 'the same Dockerfiles without the bake args: the default sharing=shared races',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["a", "b"] }\ntarget "a" { context = "a" }\ntarget "b" { context = "b" }\n',
      'a/Dockerfile': 'FROM debian:bookworm\nARG CACHE_SHARING_MODE=shared\nRUN --mount=type=cache,target=/var/cache/apt,sharing=${CACHE_SHARING_MODE} apt-get install -y a\n',
      'b/Dockerfile': 'FROM debian:bookworm\nARG CACHE_SHARING_MODE=shared\nRUN --mount=type=cache,target=/var/cache/apt,sharing=${CACHE_SHARING_MODE} apt-get install -y b\n',
    },
    expected: [
      { file: 'a/Dockerfile', rule: 'cache-race', line: 3 },
      { file: 'b/Dockerfile', rule: 'cache-race', line: 3 },
    ],
  },
  {
    name: 'compose: two services race on one maven repository (stackabletech/docker-images#779)',
    files: {
      'compose.yaml': 'services:\n  api:\n    build: ./api\n  web:\n    build: ./web\n',
      'api/Dockerfile': 'FROM maven:3-eclipse-temurin-21\nRUN --mount=type=cache,target=/root/.m2 mvn -q package\n',
      'web/Dockerfile': 'FROM maven:3-eclipse-temurin-21\nRUN --mount=type=cache,target=/root/.m2 mvn -q verify\n',
    },
    rules: ['cache-race'],
    expected: [
      { file: 'api/Dockerfile', rule: 'cache-race', line: 2, message: ['mvn here (compose service "api") can run at the same time as mvn in compose service "web" (web/Dockerfile line 2), because docker compose build builds api and web together'] },
      { file: 'web/Dockerfile', rule: 'cache-race', line: 2 },
    ],
    fix: 'default',
  },
  {
    name: 'cache-deadlock across two Dockerfiles',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["a", "b"] }\ntarget "a" { context = "a" }\ntarget "b" { context = "b" }\n',
      'a/Dockerfile': 'FROM debian:bookworm\nRUN --mount=type=cache,id=A,target=/a,sharing=locked --mount=type=cache,id=B,target=/b,sharing=locked echo a\n',
      'b/Dockerfile': 'FROM debian:bookworm\nRUN --mount=type=cache,id=B,target=/a,sharing=locked --mount=type=cache,id=A,target=/b,sharing=locked echo b\n',
    },
    rules: ['cache-deadlock'],
    expected: [
      { file: 'a/Dockerfile', rule: 'cache-deadlock', line: 2, message: ['line 2 of b/Dockerfile (bake target "b")', 'group "default" builds a and b in one request'], relatedIn: ['b/Dockerfile:2'] },
      { file: 'b/Dockerfile', rule: 'cache-deadlock', line: 2, relatedIn: ['a/Dockerfile:2'] },
    ],
  },
  {
    name: 'cache-split across two Dockerfiles: one id, uid on one mount only',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["a", "b"] }\ntarget "a" { context = "a" }\ntarget "b" { context = "b" }\n',
      'a/Dockerfile': 'FROM node:20\nRUN --mount=type=cache,id=npm,target=/root/.npm npm ci\n',
      'b/Dockerfile': 'FROM node:20\nUSER node\nRUN --mount=type=cache,id=npm,target=/home/node/.npm,uid=1000,gid=1000 npm ci\n',
    },
    rules: ['cache-split'],
    expected: [{ file: 'b/Dockerfile', rule: 'cache-split', line: 3, message: ['line 2 of a/Dockerfile (bake target "a")'], relatedIn: ['a/Dockerfile:2'] }],
  },
  {
    name: 'a GitHub workflow builds for two platforms: the per-platform race at the Dockerfile line, naming the step',
    files: {
      '.github/workflows/release.yml': 'on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Build\n        uses: docker/build-push-action@v6\n        with:\n          platforms: linux/amd64,linux/arm64\n',
      Dockerfile: 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y curl\n',
    },
    rules: ['cache-race'],
    expected: [
      { file: 'Dockerfile', rule: 'cache-race', line: 2, message: ['this apt-get step runs on linux/amd64 and linux/arm64 at the same time (workflow step "Build" (job "image" of .github/workflows/release.yml) builds both platforms)'] },
      { file: 'Dockerfile', rule: 'cache-race', line: 3 },
    ],
    fix: 'id',
  },
];

describe('findings across the Dockerfiles of one build', () => {
  before(prepare);
  // Each case runs in its build's folder; the others (and other files' tests, where they share a process) in this one.
  const home = process.cwd();
  afterEach(() => process.chdir(home));
  for (const c of cases) {
    it(c.name, async () => {
      // Paths relative to the build's folder, as a user running mountlint there sees them.
      const root = writeTree(c.files);
      process.chdir(root);
      const plan = c.read ? await readBuildPlan(c.read, { env: {} }) : (await discoverBuildPlan('.', { env: {} }))!;
      const options: LintOptions = { ...c.options, ...(c.fix && c.fix !== 'default' ? { fixStrategy: c.fix } : {}) };
      const linted = await lintPlan(plan, options);
      const rules = c.rules ?? ['cache-race', 'cache-deadlock', 'cache-split'];
      const found = linted.results.flatMap((r) =>
        r.diagnostics
          .filter((d) => rules.includes(d.ruleId))
          .map((d) => ({ file: relative(root, (d.file ?? r.source).path), d, line: (d.file ?? r.source).positionAt(d.range.start).line })),
      );
      const summary = found.map((f) => `${f.file}:${f.line} ${f.d.ruleId}: ${f.d.message}`).join('\n');
      assert.equal(found.length, c.expected.length, summary);
      c.expected.forEach((want) => {
        const got = found.find((f) => f.file === want.file && f.d.ruleId === want.rule && f.line === want.line);
        assert.ok(got, `expected ${want.rule} at ${want.file}:${want.line}; got:\n${summary}`);
        for (const words of want.message ?? []) assert.ok(got.d.message.includes(words), `message should include ${JSON.stringify(words)}: ${got.d.message}`);
        for (const place of want.relatedIn ?? []) {
          const related = got.d.related.filter((r) => r.file).map((r) => `${relative(root, r.file!.path)}:${r.file!.positionAt(r.range.start).line}`);
          assert.ok(related.includes(place), `related locations should include ${place}: ${related.join(', ')}`);
        }
      });
      if (c.fix) {
        for (const r of linted.requests) {
          const { members } = requestMembers(r.request, []);
          const fixed = fixBuildSet(members, options, r.request.why);
          const left = fixed.result.results.flatMap((x) => x.diagnostics.filter((d) => rules.includes(d.ruleId)).map((d) => d.message));
          assert.deepEqual(left, [], 'clean after --fix');
          const again = fixBuildSet(members.map((m) => ({ ...m, text: fixed.outputs.get(m.path)! })), options, r.request.why);
          assert.deepEqual(again.changed, [], 'a second --fix changes nothing');
          if (c.expected.some((e) => e.relatedIn?.length)) assert.ok(fixed.changed.length > 1, 'the fix edits every Dockerfile involved');
        }
      }
    });
  }
});

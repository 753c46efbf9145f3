/**
 * Reading build definitions without Docker: bake (HCL and JSON), compose and
 * CI files, each case a folder of files and the requests and targets they
 * must give — or the error, at its file, line and column.
 */
import { strict as assert } from 'node:assert';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { DefinitionError, discoverBuildPlan, readBuildPlan, type BuildPlan } from '../../src/builds/index.js';
import { writeTree } from './helpers.js';

interface ExpectedTarget {
  name: string;
  dockerfile?: string;
  stage?: string;
  args?: Record<string, string>;
  platforms?: string[];
  contexts?: Record<string, string>;
  inline?: string;
  unknown?: string;
}

interface Case {
  name: string;
  files: Record<string, string>;
  /** Files to read (relative); none: discover the folder. */
  read?: string[];
  env?: Record<string, string>;
  bakeTargets?: string[];
  services?: string[];
  requests?: Array<{ why: string; targets: ExpectedTarget[] }>;
  error?: { file: string; line: number; column: number; message: string };
}

const cases: Case[] = [
  {
    name: 'bake: default group, inherits, variables with defaults and environment override',
    files: {
      'docker-bake.hcl': `variable "TAG" { default = "dev" }
variable "DEBIAN" { default = "bookworm" }
group "default" { targets = ["api", "worker"] }
target "_common" {
  platforms = ["linux/amd64", "linux/arm64"]
  args = { BASE = "debian:\${DEBIAN}", TAG = TAG }
}
target "api" {
  inherits = ["_common"]
  context = "api"
  target = "runtime"
}
target "worker" {
  inherits = ["_common"]
  dockerfile = "worker.Dockerfile"
  args = { TAG = "w-\${TAG}" }
}
`,
    },
    read: ['docker-bake.hcl'],
    env: { TAG: 'v2' },
    requests: [
      {
        why: 'group "default" builds api and worker in one request',
        targets: [
          { name: 'api', dockerfile: 'api/Dockerfile', stage: 'runtime', args: { BASE: 'debian:bookworm', TAG: 'v2' }, platforms: ['linux/amd64', 'linux/arm64'] },
          { name: 'worker', dockerfile: 'worker.Dockerfile', args: { BASE: 'debian:bookworm', TAG: 'w-v2' }, platforms: ['linux/amd64', 'linux/arm64'] },
        ],
      },
    ],
  },
  {
    name: 'bake: nested groups, --bake-target, and a target named directly',
    files: { 'docker-bake.hcl': 'group "all" { targets = ["apps", "tools"] }\ngroup "apps" { targets = ["a", "b"] }\ntarget "a" {}\ntarget "b" {}\ntarget "tools" { dockerfile = "tools.Dockerfile" }\n' },
    read: ['docker-bake.hcl'],
    bakeTargets: ['all'],
    requests: [{ why: 'group "all" builds a, b and tools in one request', targets: [{ name: 'a', dockerfile: 'Dockerfile' }, { name: 'b' }, { name: 'tools', dockerfile: 'tools.Dockerfile' }] }],
  },
  {
    name: 'bake: matrix targets, named by an expression; the label is their group',
    files: {
      'docker-bake.hcl': `group "default" { targets = ["app"] }
target "app" {
  name = "app-\${replace(item.tag, ".", "-")}"
  matrix = { item = [{ tag = "1.0", stage = "slim" }, { tag = "2.0", stage = "full" }] }
  target = item.stage
  args = { VERSION = item.tag }
}
`,
    },
    read: ['docker-bake.hcl'],
    requests: [{ why: 'group "default" builds app-1-0 and app-2-0 in one request', targets: [{ name: 'app-1-0', stage: 'slim', args: { VERSION: '1.0' } }, { name: 'app-2-0', stage: 'full', args: { VERSION: '2.0' } }] }],
  },
  {
    name: 'bake: functions, conditionals, for expressions, heredoc dockerfile-inline',
    files: {
      'docker-bake.hcl': `variable "ARCHS" { default = ["amd64", "arm64"] }
variable "RELEASE" { default = false }
function "platform" {
  params = [arch]
  result = "linux/\${arch}"
}
target "default" {
  platforms = [for a in ARCHS : platform(a)]
  args = { MODE = RELEASE ? "release" : "debug", COUNT = length(ARCHS) + 1, LIST = join(",", sort(ARCHS)) }
  dockerfile-inline = <<-EOT
    FROM debian:bookworm
    RUN echo \${upper("hi")}
    EOT
}
`,
    },
    read: ['docker-bake.hcl'],
    env: { RELEASE: 'true' },
    requests: [{ why: 'docker buildx bake builds default in one request', targets: [{ name: 'default', platforms: ['linux/amd64', 'linux/arm64'], args: { MODE: 'release', COUNT: '3', LIST: 'amd64,arm64' }, inline: 'FROM debian:bookworm\nRUN echo HI\n' }] }],
  },
  {
    name: 'bake: an impure function makes its target unknown, never guessed',
    files: { 'docker-bake.hcl': 'target "default" {\n  args = { BUILT = timestamp() }\n}\n' },
    read: ['docker-bake.hcl'],
    requests: [{ why: 'docker buildx bake builds default in one request', targets: [{ name: 'default', unknown: 'args: timestamp() is not evaluated without Docker' }] }],
  },
  {
    name: 'bake: override file merged after the main file (same target, later values win)',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["api"] }\ntarget "api" {\n  platforms = ["linux/amd64"]\n  args = { A = "1", B = "1" }\n}\n',
      'docker-bake.override.hcl': 'target "api" {\n  platforms = ["linux/amd64", "linux/arm64"]\n  args = { B = "2" }\n}\n',
    },
    requests: [{ why: 'group "default" builds api in one request', targets: [{ name: 'api', platforms: ['linux/amd64', 'linux/arm64'], args: { A: '1', B: '2' } }] }],
  },
  {
    name: 'bake JSON: templates in strings, groups and targets',
    files: { 'docker-bake.json': JSON.stringify({ variable: { V: { default: 'x' } }, group: { default: { targets: ['a'] } }, target: { a: { dockerfile: 'a.Dockerfile', args: { V: '${V}-1' }, platforms: ['linux/arm64'] } } }, null, 2) },
    requests: [{ why: 'group "default" builds a in one request', targets: [{ name: 'a', dockerfile: 'a.Dockerfile', args: { V: 'x-1' }, platforms: ['linux/arm64'] }] }],
  },
  {
    name: 'bake: contexts = target:NAME builds the linked target in the same request',
    files: { 'docker-bake.hcl': 'target "base" { dockerfile = "base.Dockerfile" }\ntarget "default" {\n  contexts = { base = "target:base" }\n}\n' },
    read: ['docker-bake.hcl'],
    requests: [{ why: 'docker buildx bake builds default and base in one request', targets: [{ name: 'default', contexts: { base: 'target:base' } }, { name: 'base', dockerfile: 'base.Dockerfile' }] }],
  },
  {
    name: 'compose: build sections, short form, args (map and list), .env interpolation with defaults; x-bake is bake\'s alone (docker compose build ignores it)',
    files: {
      'compose.yaml': `services:
  api:
    build:
      context: ./api
      target: \${API_TARGET:-runtime}
      args:
        MODE: \${MODE}
      platforms: ["linux/amd64"]
      x-bake:
        platforms: linux/arm64
  worker:
    build: ./worker
  db:
    image: postgres
  tools:
    build:
      context: .
      dockerfile: tools/Dockerfile
      args: ["A=1", "B"]
      additional_contexts:
        base: service:api
`,
      '.env': 'MODE=from-dotenv\nB=b-from-dotenv\n',
    },
    read: ['compose.yaml'],
    requests: [
      {
        why: 'docker compose build builds api, worker and tools together (one bake request since Compose 2.37)',
        targets: [
          { name: 'api', dockerfile: 'api/Dockerfile', stage: 'runtime', args: { MODE: 'from-dotenv' }, platforms: ['linux/amd64'] },
          { name: 'worker', dockerfile: 'worker/Dockerfile', args: {} },
          { name: 'tools', dockerfile: 'tools/Dockerfile', args: { A: '1', B: 'b-from-dotenv' }, contexts: { base: 'target:api' } },
        ],
      },
    ],
  },
  {
    name: 'compose: compose.override.yaml merges into compose.yaml; --service picks services',
    files: {
      'compose.yaml': 'services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n',
      'compose.override.yaml': 'services:\n  a:\n    build:\n      context: ./a\n      platforms: [linux/arm64]\n',
    },
    services: ['a'],
    requests: [{ why: 'docker compose build a builds a together (one bake request since Compose 2.37)', targets: [{ name: 'a', dockerfile: 'a/Dockerfile', platforms: ['linux/arm64'] }] }],
  },
  {
    name: 'compose and bake in one folder: bake reads both, its blocks override the services',
    files: {
      'compose.yaml': 'services:\n  api:\n    build: ./api\n  web:\n    build: ./web\n',
      'docker-bake.hcl': 'target "api" {\n  platforms = ["linux/amd64", "linux/arm64"]\n}\n',
    },
    requests: [{ why: 'group "default" builds api and web in one request', targets: [{ name: 'api', dockerfile: 'api/Dockerfile', platforms: ['linux/amd64', 'linux/arm64'] }, { name: 'web', dockerfile: 'web/Dockerfile', platforms: [] }] }],
  },
  {
    name: 'GitHub workflow: build-push-action with platforms, file, target, build-args',
    files: {
      '.github/workflows/release.yml': `on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build and push
        uses: docker/build-push-action@v6
        with:
          context: .
          file: docker/app.Dockerfile
          target: prod
          platforms: linux/amd64,linux/arm64
          build-args: |
            A=1
            B=2
`,
    },
    requests: [{ why: 'workflow', targets: [{ name: 'job "image" step "Build and push"', dockerfile: 'docker/app.Dockerfile', stage: 'prod', args: { A: '1', B: '2' }, platforms: ['linux/amd64', 'linux/arm64'] }] }],
  },
  {
    name: 'GitHub workflow: a literal matrix gives one build per entry (each job on its own runner)',
    files: {
      '.github/workflows/ci.yml': `on: push
jobs:
  image:
    strategy:
      matrix:
        platform: [linux/amd64, linux/arm64]
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          platforms: \${{ matrix.platform }}
`,
    },
    requests: [
      { why: 'matrix platform=linux/amd64', targets: [{ name: 'job "image" step "build-push-action (step 1)" (matrix platform=linux/amd64)', platforms: ['linux/amd64'] }] },
      { why: 'matrix platform=linux/arm64', targets: [{ name: 'job "image" step "build-push-action (step 1)" (matrix platform=linux/arm64)', platforms: ['linux/arm64'] }] },
    ],
  },
  {
    name: 'GitHub workflow: bake-action with targets and set',
    files: {
      'docker-bake.hcl': 'group "default" { targets = ["a"] }\ntarget "a" {}\ntarget "b" { dockerfile = "b.Dockerfile" }\n',
      '.github/workflows/ci.yml': `on: push
jobs:
  bake:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/bake-action@v5
        with:
          targets: a,b
          set: |
            *.platform=linux/amd64,linux/arm64
            b.args.X=1
`,
    },
    read: ['.github/workflows/ci.yml'],
    requests: [{ why: 'runs bake: docker buildx bake a b builds a and b in one request', targets: [{ name: 'a', platforms: ['linux/amd64', 'linux/arm64'] }, { name: 'b', dockerfile: 'b.Dockerfile', args: { X: '1' }, platforms: ['linux/amd64', 'linux/arm64'] }] }],
  },
  {
    name: 'GitHub workflow: bake-action v6 with source {{defaultContext}}:docker reads the definition under docker/',
    files: {
      'docker/docker-bake.hcl': 'target "default" {\n  context = "app"\n}\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  bake:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/bake-action@v6\n        with:\n          source: "{{defaultContext}}:docker"\n          files: docker-bake.hcl\n',
    },
    read: ['.github/workflows/ci.yml'],
    requests: [{ why: 'runs bake', targets: [{ name: 'default', dockerfile: 'docker/app/Dockerfile' }] }],
  },
  {
    name: 'GitLab CI: a plain docker buildx build line',
    files: { '.gitlab-ci.yml': 'build:\n  script:\n    - docker buildx build --platform linux/amd64,linux/arm64 -f ci/Dockerfile --target final --build-arg X=1 --push .\n' },
    requests: [{ why: 'builds it', targets: [{ name: 'job "build": docker buildx build', dockerfile: 'ci/Dockerfile', stage: 'final', args: { X: '1' }, platforms: ['linux/amd64', 'linux/arm64'] }] }],
  },
  {
    name: 'error: invalid HCL, at its line and column',
    files: { 'docker-bake.hcl': 'target "a" {\n  dockerfile = \n}\n' },
    read: ['docker-bake.hcl'],
    error: { file: 'docker-bake.hcl', line: 2, column: 3, message: 'invalid HCL' },
  },
  {
    name: 'error: a cycle in inherits',
    files: { 'docker-bake.hcl': 'target "a" {\n  inherits = ["b"]\n}\ntarget "b" {\n  inherits = ["a"]\n}\ngroup "default" { targets = ["a"] }\n' },
    read: ['docker-bake.hcl'],
    error: { file: 'docker-bake.hcl', line: 5, column: 3, message: 'inherits cycle: "a" → "b" → "a"' },
  },
  {
    name: 'error: a group that names an unknown target',
    files: { 'docker-bake.hcl': 'group "default" {\n  targets = ["api", "nope"]\n}\ntarget "api" {}\n' },
    read: ['docker-bake.hcl'],
    error: { file: 'docker-bake.hcl', line: 1, column: 1, message: 'failed to find target "nope"' },
  },
  {
    name: 'error: an unknown group asked for',
    files: { 'docker-bake.hcl': 'target "api" {}\n' },
    read: ['docker-bake.hcl'],
    bakeTargets: ['release'],
    error: { file: 'docker-bake.hcl', line: 1, column: 1, message: 'no group or target named "release"; known: api' },
  },
  {
    name: 'error: an undefined variable',
    files: { 'docker-bake.hcl': 'target "default" {\n  args = { A = NOPE }\n}\n' },
    read: ['docker-bake.hcl'],
    error: { file: 'docker-bake.hcl', line: 2, column: 16, message: 'unknown variable "NOPE"' },
  },
  {
    name: 'error: invalid YAML in a compose file',
    files: { 'compose.yaml': 'services:\n  api:\n    build: [\n' },
    read: ['compose.yaml'],
    error: { file: 'compose.yaml', line: 4, column: 1, message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
  },
  {
    name: 'error: a required compose variable without a value',
    files: { 'compose.yaml': 'services:\n  api:\n    build:\n      context: ${CTX:?set CTX to the app folder}\n' },
    read: ['compose.yaml'],
    error: { file: 'compose.yaml', line: 4, column: 16, message: 'required variable CTX is missing a value: set CTX to the app folder' },
  },
];

function summary(plan: BuildPlan, root: string) {
  return plan.requests.map((r) => ({
    why: r.why,
    targets: r.targets.map((t) => ({
      name: t.name,
      dockerfile: relative(root, t.dockerfile),
      stage: t.stage,
      args: t.args,
      platforms: t.platforms,
      contexts: t.namedContexts,
      inline: t.inline?.text,
      unknown: t.unknown?.reason,
    })),
  }));
}

describe('reading build definitions without Docker', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const root = writeTree(c.files);
      const options = { env: c.env ?? {}, bakeTargets: c.bakeTargets, services: c.services };
      const read = () => (c.read ? readBuildPlan(c.read.map((p) => join(root, p)), options) : discoverBuildPlan(root, options).then((p) => p!));
      if (c.error) {
        await assert.rejects(read(), (err: unknown) => {
          assert.ok(err instanceof DefinitionError, `expected a DefinitionError, got ${String(err)}`);
          const at = err.source.positionAt(err.range.start);
          assert.deepEqual([relative(root, err.source.path), at.line, at.column], [c.error!.file, c.error!.line, c.error!.column], err.describe());
          assert.ok(err.message.includes(c.error!.message), err.message);
          return true;
        });
        return;
      }
      const got = summary(await read(), root);
      assert.equal(got.length, c.requests!.length, JSON.stringify(got, null, 1));
      c.requests!.forEach((want, i) => {
        assert.ok(got[i].why.includes(want.why), `why: ${got[i].why}`);
        assert.equal(got[i].targets.length, want.targets.length, JSON.stringify(got[i].targets.map((t) => t.name)));
        want.targets.forEach((t, k) => {
          const actual = got[i].targets[k];
          for (const [key, value] of Object.entries(t)) assert.deepEqual(actual[key as keyof typeof actual], value, `${t.name}.${key}`);
        });
      });
    });
  }
});

describe('what cannot be read is said, at its place', () => {
  it('a bake-action step whose files GitHub computes, or whose definition is remote: a warning, no targets', async () => {
    const root = writeTree({
      '.github/workflows/ci.yml': 'on: push\njobs:\n  bake:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/bake-action@v6\n        with:\n          files: ${{ inputs.bakefile }}\n      - uses: docker/bake-action@v6\n        with:\n          source: https://github.com/acme/app.git#main\n',
    });
    const plan = await readBuildPlan([join(root, '.github/workflows/ci.yml')], { env: {} });
    assert.deepEqual(plan.requests.map((r) => r.targets.length), [0, 0]);
    const warnings = (plan.warnings ?? []).map((w) => w.slice(w.indexOf('ci.yml')));
    assert.match(warnings[0], /^ci\.yml:8:18: .* is not analysed: with\.files is computed by GitHub \(\$\{\{ inputs\.bakefile \}\}\), so mountlint cannot tell which bake targets it builds$/);
    assert.match(warnings[1], /^ci\.yml:11:19: .* is not analysed: with\.source is a remote bake definition \(https:\/\/github\.com\/acme\/app\.git#main\), not on this machine$/);
  });

  it('a matrix that needs Docker is a limitation (degrades), an unknown function is an error buildx makes too', async () => {
    const limited = writeTree({ 'docker-bake.hcl': 'target "default" {\n  name = "a-${v}"\n  matrix = { v = [timestamp()] }\n}\n' });
    await assert.rejects(readBuildPlan([join(limited, 'docker-bake.hcl')], { env: {} }), (err: unknown) => err instanceof DefinitionError && err.limitation && /matrix cannot be evaluated without Docker/.test(err.message));
    const refused = writeTree({ 'docker-bake.hcl': 'target "default" {\n  args = { A = nosuch() }\n}\n' });
    await assert.rejects(readBuildPlan([join(refused, 'docker-bake.hcl')], { env: {} }), (err: unknown) => err instanceof DefinitionError && !err.limitation && /no function named "nosuch"/.test(err.message));
  });
});

/**
 * The CLI on build definitions, as a user runs it in a project folder:
 * discovery, --bake-target/--service, --fix of every Dockerfile at once,
 * one --diff, --concurrent-builds, explain's pictures, and bad input.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { APT, writeTree } from './helpers.js';

const BIN = join(REPO_ROOT, 'bin/mountlint.cjs');

function mountlint(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BAKE = {
  'docker-bake.hcl': 'group "default" {\n  targets = ["api", "worker"]\n}\ntarget "api" {\n  context = "api"\n}\ntarget "worker" {\n  context = "worker"\n}\n',
  'api/Dockerfile': APT('curl'),
  'worker/Dockerfile': APT('wget'),
};

describe('mountlint on bake, compose and CI files', () => {
  it('in a folder with a bake file, reports the race between its targets in both Dockerfiles', () => {
    const dir = writeTree(BAKE);
    const r = mountlint(dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^api\/Dockerfile:2:5: error: Cache race on cache "\/var\/cache\/apt": apt-get here \(bake target "api"\) can run at the same time as apt-get in bake target "worker" \(worker\/Dockerfile line 2\), because group "default" builds api and worker in one request/m);
    assert.match(r.stdout, /^worker\/Dockerfile:2:5: error: Cache race/m);
    assert.match(r.stdout, /^ {2}worker\/Dockerfile:2:5: note: bake target "worker" \(worker\/Dockerfile line 2\) may run at the same time/m);
  });

  it('each Dockerfile alone is clean', () => {
    const dir = writeTree(BAKE);
    const r = mountlint(dir, 'api/Dockerfile', '--select', 'cache-race');
    assert.equal(r.code, 0, r.stdout);
  });

  it('--diff shows one diff for every Dockerfile; --fix writes them all; then the build is clean', () => {
    const dir = writeTree(BAKE);
    const diff = mountlint(dir, '--diff');
    assert.match(diff.stdout, /--- a\/api\/Dockerfile[\s\S]*\+RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked[\s\S]*--- a\/worker\/Dockerfile/);
    assert.equal(readFileSync(join(dir, 'api/Dockerfile'), 'utf8'), BAKE['api/Dockerfile'], '--diff writes nothing');
    const fixed = mountlint(dir, 'docker-bake.hcl', '--fix');
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    for (const f of ['api/Dockerfile', 'worker/Dockerfile']) assert.match(readFileSync(join(dir, f), 'utf8'), /target=\/var\/cache\/apt,sharing=locked/);
    const again = mountlint(dir);
    assert.doesNotMatch(again.stdout, /cache-race/);
  });

  it('--fix writes every Dockerfile of the build or none: one read-only file keeps the others as they were, and the report says so', () => {
    const dir = writeTree(BAKE);
    chmodSync(join(dir, 'worker/Dockerfile'), 0o444);
    const r = mountlint(dir, 'docker-bake.hcl', '--fix');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    // (A note may come first, where the Docker CLI here cannot resolve the bake file itself.)
    assert.deepEqual(r.stderr.split('\n').filter((l) => l.startsWith('mountlint: ')), ['mountlint: worker/Dockerfile: not written: the file is read-only (mode 0444)']);
    for (const f of ['api/Dockerfile', 'worker/Dockerfile']) assert.equal(readFileSync(join(dir, f), 'utf8'), BAKE[f as keyof typeof BAKE], `${f} unchanged`);
    // What stays on disk: both still race; each file's line says why it was not written.
    assert.match(r.stdout, /^api\/Dockerfile:2:5: error: Cache race/m);
    assert.match(r.stdout, /Not written: api\/Dockerfile \(not written: worker\/Dockerfile could not be, and these files are fixed together\), worker\/Dockerfile \(not written: the file is read-only \(mode 0444\)\)\./);
  });

  it('--diff of a build: the report and the exit code are those of the files as they are', () => {
    const dir = writeTree(BAKE);
    const r = mountlint(dir, 'docker-bake.hcl', '--diff');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^api\/Dockerfile:2:5: error: Cache race/m);
  });

  it('--bake-target builds only what it names', () => {
    const dir = writeTree(BAKE);
    const r = mountlint(dir, 'docker-bake.hcl', '--bake-target', 'api', '--select', 'cache-race');
    assert.equal(r.code, 0, r.stdout);
  });

  it('compose: --service picks the services', () => {
    const dir = writeTree({ 'compose.yaml': 'services:\n  api:\n    build: ./api\n  worker:\n    build: ./worker\n', 'api/Dockerfile': APT('curl'), 'worker/Dockerfile': APT('wget') });
    assert.equal(mountlint(dir, 'compose.yaml').code, 1);
    assert.equal(mountlint(dir, 'compose.yaml', '--service', 'api', '--select', 'cache-race').code, 0);
  });

  it('--concurrent-builds: two CI jobs on one builder race, and the fix gives each build its own cache id', () => {
    const workflow = (name: string, file: string) => `  ${name}:\n    runs-on: self-hosted\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          file: ${file}\n`;
    const dir = writeTree({ '.github/workflows/ci.yml': `on: push\njobs:\n${workflow('api', 'api/Dockerfile')}${workflow('worker', 'worker/Dockerfile')}`, 'api/Dockerfile': APT('curl'), 'worker/Dockerfile': APT('wget') });
    assert.doesNotMatch(mountlint(dir).stdout, /cache-race/, 'separate jobs do not share a request');
    const r = mountlint(dir, '--concurrent-builds');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /moby\/buildkit#6014/);
    assert.match(r.stdout, /fix \(unsafe, --fix --fix-strategy id\): give each build's stage its own cache id/);
  });

  const CARGO = (copyFirst: boolean) =>
    ['FROM rust:1.80 AS build', 'WORKDIR /src', ...(copyFirst ? ['COPY . .'] : []), 'RUN --mount=type=cache,target=/usr/local/cargo/registry cargo install cargo-audit --locked', ...(copyFirst ? [] : ['COPY . .']), ''].join('\n');

  it('--concurrent-builds on one Dockerfile: two builds of different source race after their COPY, and the fix gives each its own directory', () => {
    const dir = writeTree({ Dockerfile: CARGO(true) });
    assert.equal(mountlint(dir, 'Dockerfile', '--select', 'cache-race').code, 0, 'one build alone is clean');
    const r = mountlint(dir, 'Dockerfile', '--concurrent-builds');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^Dockerfile:4:5: error: Cache race on cache "\/usr\/local\/cargo\/registry": this cargo step runs for build 1 of Dockerfile and build 2 of Dockerfile at the same time, because two separate builds of Dockerfile from different source \(two CI jobs, say\) run at the same time on one builder \(--concurrent-builds\): their COPY steps differ, so BuildKit merges no step after them; Cargo: /m,
    );
    assert.match(r.stdout, /No cache id written in the file tells two builds of it apart, so the fix gives each concurrent user its own directory \(sharing=private\)/);
    assert.match(r.stdout, /fix \(safe, --fix --fix-strategy private\): set sharing=private on 1 mount of this cache/);
    assert.doesNotMatch(r.stdout, /--fix-strategy id/, 'an id in the file cannot tell two builds of it apart');
    assert.equal(mountlint(dir, 'Dockerfile', '--concurrent-builds', '--select', 'missing-cache-mount').code, 0, '--select holds for these builds too');
    const fixed = mountlint(dir, 'Dockerfile', '--concurrent-builds', '--fix');
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /target=\/usr\/local\/cargo\/registry,sharing=private cargo install/);
  });

  it('--concurrent-builds on one Dockerfile: a step before any COPY reads no source, so the two builds run it once', () => {
    const dir = writeTree({ Dockerfile: CARGO(false) });
    const r = mountlint(dir, 'Dockerfile', '--concurrent-builds', '--select', 'cache-race');
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('--concurrent-builds on several Dockerfiles: builds that may overlap, each from its own source', () => {
    const dir = writeTree({ 'api.Dockerfile': CARGO(true), 'worker.Dockerfile': CARGO(true).replace('cargo-audit', 'cargo-deny') });
    assert.equal(mountlint(dir, 'api.Dockerfile', 'worker.Dockerfile', '--select', 'cache-race').code, 0, 'each alone is clean');
    const r = mountlint(dir, 'api.Dockerfile', 'worker.Dockerfile', '--concurrent-builds');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^api\.Dockerfile:4:5: error: Cache race on cache "\/usr\/local\/cargo\/registry": cargo here \(the build of api\.Dockerfile\) can run at the same time as cargo in stage "build" of the build of worker\.Dockerfile \(worker\.Dockerfile line 4\), because api\.Dockerfile, worker\.Dockerfile are separate builds that may run at the same time on one builder, each from its own source \(--concurrent-builds\)/m);
    assert.match(r.stdout, /^worker\.Dockerfile:4:5: error: Cache race/m);
    assert.match(r.stdout, /fix \(unsafe, --fix --fix-strategy id\): give each build's stage its own cache id/);
  });

  it('compose services on a cargo-chef image (unknown, built on rust): the registry mount is taken for cargo\'s cache, with the assumption said', () => {
    const service = (bin: string) => `FROM lukemathwalker/cargo-chef:latest-rust-1.80 AS build\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release --bin ${bin}\n`;
    const dir = writeTree({ 'compose.yaml': 'services:\n  api:\n    build: ./api\n  worker:\n    build: ./worker\n', 'api/Dockerfile': service('api'), 'worker/Dockerfile': service('worker') });
    const r = mountlint(dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^api\/Dockerfile:4:5: error: Cache race on cache "\/usr\/local\/cargo\/registry": cargo here \(compose service "api"\) can run at the same time as cargo in stage "build" of compose service "worker"/m);
    assert.match(r.stdout, /Assumed: the image lukemathwalker\/cargo-chef:latest-rust-1\.80 is not known to mountlint: its name points to the official rust image, where Cargo's cache is \/usr\/local\/cargo\/registry, so the cache mount there is taken for it\./);
  });

  it('explain: the combined graph as text, JSON, Mermaid and dot', () => {
    const dir = writeTree(BAKE);
    const text = mountlint(dir, 'explain', 'docker-bake.hcl');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /group "default" builds api and worker in one request/);
    assert.match(text.stdout, /"\/var\/cache\/apt" at \/var\/cache\/apt: s1 \(sharing=shared\), s2 \(sharing=shared\) {2}— used by steps that may overlap/);
    const json = JSON.parse(mountlint(dir, 'explain', 'docker-bake.hcl', '--format', 'json').stdout);
    assert.deepEqual(json.builds.map((b: { label: string }) => b.label), ['bake target "api"', 'bake target "worker"']);
    assert.ok(json.caches.some((c: { contended: boolean }) => c.contended));
    const mermaid = mountlint(dir, 'explain', 'docker-bake.hcl', '--format', 'mermaid').stdout;
    assert.match(mermaid, /^flowchart LR\n {2}subgraph b0\["bake target #quot;api#quot;"\]/);
    assert.match(mermaid, /style c0 fill:#fdd,stroke:#c00/);
    const dot = mountlint(dir, 'explain', 'docker-bake.hcl', '--format', 'dot').stdout;
    assert.match(dot, /^digraph build \{[\s\S]*subgraph cluster_b0 \{[\s\S]*shape=cylinder[\s\S]*color=red[\s\S]*\}\n$/);
  });

  const hasDot = !spawnSync('dot', ['-V']).error;
  it('Graphviz draws the dot output', { skip: hasDot ? false : 'Graphviz (dot) is not installed (.ci/run installs it)' }, () => {
    const dot = mountlint(writeTree(BAKE), 'explain', 'docker-bake.hcl', '--format', 'dot').stdout;
    const drawn = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    assert.equal(drawn.status, 0, `Graphviz rejects the dot output: ${drawn.stderr}`);
    assert.match(drawn.stdout, /<svg/);
  });

  it('bad input: exit 2 with the file, line and column', () => {
    const hcl = mountlint(writeTree({ 'docker-bake.hcl': 'target "a" {\n  dockerfile = \n}\n' }));
    assert.equal(hcl.code, 2);
    assert.match(hcl.stderr, /^mountlint: docker-bake\.hcl:2:3: invalid HCL/);
    const missing = mountlint(writeTree({ 'docker-bake.hcl': 'target "default" {\n  dockerfile = "nope.Dockerfile"\n}\n' }));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^mountlint: docker-bake\.hcl:1:1: bake target "default": its Dockerfile nope\.Dockerfile does not exist/);
    const cycle = mountlint(writeTree({ 'docker-bake.hcl': 'target "default" {\n  inherits = ["default"]\n}\n' }));
    assert.equal(cycle.code, 2);
    assert.match(cycle.stderr, /docker-bake\.hcl:2:3: inherits cycle: "default" → "default"/);
    const yaml = mountlint(writeTree({ 'compose.yaml': 'services:\n  a:\n  build: [\n' }));
    assert.equal(yaml.code, 2);
    assert.match(yaml.stderr, /^mountlint: compose\.yaml:\d+:\d+: invalid YAML/);
  });

  it('bake -f sub/docker-bake.hcl run from the root: contexts under the root, as buildx reads them; --workdir reads them elsewhere', () => {
    const dir = writeTree({
      'build/docker-bake.hcl': 'group "default" {\n  targets = ["api", "worker"]\n}\ntarget "api" {\n  context = "services/api"\n  platforms = ["local"]\n}\ntarget "worker" {\n  context = "."\n  dockerfile = "services/worker/Dockerfile"\n}\n',
      'services/api/Dockerfile': APT('curl'),
      'services/worker/Dockerfile': APT('wget'),
    });
    const r = mountlint(dir, 'build/docker-bake.hcl', '--select', 'cache-race');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^services\/api\/Dockerfile:2:5: error: Cache race/m);
    // From inside build/, the same contexts are not there; buildx says so too, and mountlint says how to read it.
    const inside = mountlint(join(dir, 'build'), 'docker-bake.hcl');
    assert.equal(inside.code, 2);
    assert.match(inside.stderr, /its Dockerfile services\/api\/Dockerfile does not exist/);
    const workdir = mountlint(join(dir, 'build'), 'docker-bake.hcl', '--workdir', '..', '--select', 'cache-race');
    assert.equal(workdir.code, 1, workdir.stderr);
  });

  it('a target that needs Docker to evaluate: a warning at its place, and its Dockerfile linted alone', () => {
    const dir = writeTree({
      'docker-bake.hcl': 'group "default" {\n  targets = ["api", "worker"]\n}\ntarget "api" {\n  context = "api"\n  args = { BUILT = timestamp() }\n}\ntarget "worker" {\n  context = "worker"\n}\n',
      'api/Dockerfile': APT('curl'),
      'worker/Dockerfile': APT('wget'),
    });
    const r = mountlint(dir, 'docker-bake.hcl', '--resolver', 'mountlint');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^warning: docker-bake\.hcl:6:20: bake target "api" is not analysed with the rest of its build: args: timestamp\(\) is not evaluated without Docker; api\/Dockerfile is linted alone$/m);
    assert.match(r.stdout, /^api\/Dockerfile:2:5: warning: .*\[cache-ineffective\]/m);
    assert.match(r.stdout, /^worker\/Dockerfile:2:5: warning: .*\[cache-ineffective\]/m);
  });

  it('a matrix mountlint cannot evaluate: the warning, every Dockerfile linted alone, not exit 2', () => {
    const dir = writeTree({
      'docker-bake.hcl': 'target "default" {\n  name = "img-${v}"\n  matrix = { v = split(",", uuidv4()) }\n  context = "app"\n}\n',
      'app/Dockerfile': APT('curl'),
    });
    const r = mountlint(dir, 'docker-bake.hcl', '--resolver', 'mountlint');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^warning: docker-bake\.hcl:3:29: target "default": the matrix cannot be evaluated without Docker \(uuidv4\(\) is not evaluated without Docker\); its Dockerfiles \(1\) are linted alone$/m);
    assert.match(r.stdout, /^app\/Dockerfile:2:5: warning: /m);
  });

  it('compose: --env-file replaces .env, --profile turns services on, merge keys bring the anchor in', () => {
    const dir = writeTree({
      'deploy/compose.yaml': 'x-build: &build\n  context: ..\n  dockerfile: ${DOCKERFILE:?set DOCKERFILE}\nservices:\n  api:\n    build:\n      <<: *build\n  worker:\n    profiles: [jobs]\n    build:\n      <<: *build\n      dockerfile: worker/Dockerfile\n',
      'deploy/.env': 'DOCKERFILE=nope/Dockerfile\n',
      'deploy/ci.env': 'DOCKERFILE=api/Dockerfile\n',
      'api/Dockerfile': APT('curl'),
      'worker/Dockerfile': APT('wget'),
    });
    const plain = mountlint(dir, 'deploy/compose.yaml');
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /^mountlint: deploy\/compose\.yaml:5:3: compose service "api": its Dockerfile nope\/Dockerfile does not exist$/m);
    assert.equal(mountlint(dir, 'deploy/compose.yaml', '--env-file', 'deploy/ci.env', '--select', 'cache-race').code, 0);
    const both = mountlint(dir, 'deploy/compose.yaml', '--env-file', 'deploy/ci.env', '--profile', 'jobs', '--select', 'cache-race');
    assert.equal(both.code, 1, both.stderr);
    assert.match(both.stdout, /^api\/Dockerfile:2:5: error: Cache race .* compose service "worker"/m);
  });

  it('a scanned folder whose bake file has no default group: a warning and its Dockerfiles alone; named, buildx refuses it too', () => {
    const dir = writeTree({ 'docker-bake.hcl': 'target "api" {\n  context = "api"\n}\n', 'api/Dockerfile': APT('curl') });
    const scanned = mountlint(dir, '.');
    assert.equal(scanned.code, 0, scanned.stderr);
    assert.match(scanned.stderr, /^warning: docker-bake\.hcl:1:1: no group or target named "default" \(name one to build with --bake-target\); known: api; the folder's Dockerfiles are linted alone$/m);
    assert.match(scanned.stdout, /^api\/Dockerfile:2:5: warning: /m);
    const named = mountlint(dir, 'docker-bake.hcl');
    assert.equal(named.code, 2);
    assert.match(named.stderr, /^mountlint: docker-bake\.hcl:1:1: no group or target named "default"/);
  });
});

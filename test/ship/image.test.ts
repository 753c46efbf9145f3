/**
 * The container image (Dockerfile at the root), built on the e2e engine
 * (Docker 26.1) from local stand-ins of its base images, and run the ways the
 * README shows: a Dockerfile on standard input, a mounted folder (folders,
 * configuration, suppressions, every --format, --fix as the caller's user),
 * and verify through the engine's mounted socket. Bad input behaves as the
 * CLI does. Needs the engines of e2e/provision.sh (.ci/run starts them).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { buildImages, docker, ENGINES, engineOrSkip, IMAGE, VERIFY_IMAGE, type Engine } from '../helpers/docker.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
const CLEAN = 'FROM debian:bookworm-20230919\nRUN echo hello > /greeting\n';
let built: Engine | undefined;
/** The caller whose files --fix and --output write: some other user when the tests run as root, else the user running them. */
const CALLER = process.getuid?.() === 0 ? 4321 : process.getuid!();
const CALLER_USER = `${CALLER}:${process.getuid?.() === 0 ? CALLER : process.getgid!()}`;

function ready(t: TestContext): Engine | undefined {
  const engine = engineOrSkip(t, ENGINES['docker-26.1']);
  if (engine && !built) {
    buildImages(engine);
    built = engine;
  }
  return engine;
}

/** A project folder owned by `uid`: the seed, a clean file in a subfolder, a configuration. */
function project(uid = process.getuid!()): string {
  const dir = scratchDir('mountlint-image-');
  writeFileSync(join(dir, 'Dockerfile'), SEED);
  mkdirSync(join(dir, 'services/api'), { recursive: true });
  writeFileSync(join(dir, 'services/api/Dockerfile'), CLEAN);
  if (uid !== process.getuid!()) for (const f of ['', 'Dockerfile', 'services', 'services/api', 'services/api/Dockerfile']) chownSync(join(dir, f), uid, uid);
  chmodSync(dir, 0o755); // as a project folder is; mkdtemp makes it 0700
  return dir;
}

function run(engine: Engine, args: string[], { input, dir, user }: { input?: string; dir?: string; user?: string } = {}) {
  const mount = dir ? ['-v', `${dir}:/work`, '-w', '/work'] : [];
  return docker(engine, ['run', '--rm', '-i', ...(user ? ['--user', user] : []), ...mount, IMAGE, ...args], { input: input ?? '' });
}

describe('the container image', () => {
  it('is small, runs as a user without privileges and holds no npm cache or node_modules', (t) => {
    const engine = ready(t);
    if (!engine) return;
    const inspect = JSON.parse(docker(engine, ['image', 'inspect', IMAGE]).stdout)[0];
    assert.equal(inspect.Config.User, '65532:65532');
    assert.deepEqual(inspect.Config.Entrypoint, ['/usr/local/bin/node', '/opt/mountlint/bin/mountlint.cjs']);
    assert.ok(inspect.Size < 110e6, `image is ${(inspect.Size / 1e6).toFixed(1)} MB`);
    const id = docker(engine, ['create', IMAGE]).stdout.trim();
    const list = spawnSync('bash', ['-c', '"$0" export "$1" | tar -t', engine.bin, id], { env: engine.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    docker(engine, ['rm', id]);
    assert.equal(list.status, 0, list.stderr);
    const names = list.stdout.split('\n');
    assert.ok(names.includes('usr/local/bin/node'), names.join(' '));
    assert.ok(names.includes('opt/mountlint/dist/mountlint.cjs'));
    assert.deepEqual(names.filter((n) => /node_modules|\.npm\/|var\/cache\/apt|var\/lib\/apt/.test(n)), []);
    // The V8 code cache made by the build stage is the runtime's (the bundle is at the same path in both).
    const cache = docker(engine, ['run', '--rm', '--entrypoint', '/usr/local/bin/node', IMAGE, '-e', "process.stdout.write(String(require('/opt/mountlint/bin/load-cli.cjs').loadCli().cacheUsed))"]);
    assert.equal(cache.stdout, 'true', cache.stderr);
  });

  it('`docker run --rm -i IMAGE - < Dockerfile`: the findings, exit 1; a clean file exits 0', (t) => {
    const engine = ready(t);
    if (!engine) return;
    const r = run(engine, ['-'], { input: SEED });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^<stdin>:3:5: error: Cache race on cache "\/var\/cache\/apt"/m);
    const clean = run(engine, ['-'], { input: CLEAN });
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /No problems found in 1 file/);
  });

  it('a mounted folder: searched, its .mountlint.yaml and suppressions obeyed, every --format', (t) => {
    const engine = ready(t);
    if (!engine) return;
    const dir = project();
    writeFileSync(join(dir, 'services/api/Dockerfile'), SEED);
    const all = run(engine, ['.'], { dir });
    assert.equal(all.status, 1, all.stderr);
    assert.match(all.stdout, /^Dockerfile:3:5: error: Cache race/m);
    assert.match(all.stdout, /^services\/api\/Dockerfile:3:5: error: Cache race/m);
    // No arguments and no -w: the image's working folder is /work, and the CLI lints its working folder.
    const bare = docker(engine, ['run', '--rm', '-v', `${dir}:/work`, IMAGE]);
    assert.equal(bare.status, 1, bare.stderr);
    assert.equal(bare.stdout, all.stdout);
    writeFileSync(join(dir, 'services/api/Dockerfile'), CLEAN);
    writeFileSync(join(dir, '.mountlint.yaml'), 'fail-level: none\nrules:\n  cache-ineffective: off\n');
    const configured = run(engine, ['.'], { dir });
    assert.equal(configured.status, 0, configured.stderr);
    assert.doesNotMatch(configured.stdout, /cache-ineffective/);
    writeFileSync(join(dir, '.mountlint.yaml'), 'rules:\n  cache-ineffective: off\n');
    writeFileSync(join(dir, 'Dockerfile'), SEED.replace(/^RUN --mount=type=cache,target=\/var\/cache\/apt apt update/m, '# mountlint ignore=cache-race reason=nightly only\n$&'));
    const suppressed = run(engine, ['Dockerfile'], { dir });
    assert.equal(suppressed.status, 0, suppressed.stdout + suppressed.stderr);
    for (const [format, check] of [
      ['text', /Dockerfile:3:5: error/],
      ['json', /"ruleId": ?"cache-race"|"rule": ?"cache-race"/],
      ['sarif', /"version": ?"2\.1\.0"/],
      ['github', /^::error /m],
      ['checkstyle', /<checkstyle/],
      ['junit', /<testsuites/],
      ['gitlab', /"check_name"/],
      ['codeclimate', /"check_name"/],
      ['markdown', /\| Severity \|/],
    ] as const) {
      const r = run(engine, ['--no-config', '--format', format, 'Dockerfile'], { input: '', dir: project() });
      assert.equal(r.status, 1, `${format}: ${r.stderr}`);
      assert.match(r.stdout, check, format);
    }
    // --output writes into the mounted folder, as the caller.
    const out = project(CALLER);
    const written = run(engine, ['--format', 'sarif', '--output', 'report.sarif', '.'], { dir: out, user: CALLER_USER });
    assert.equal(written.status, 1, written.stderr);
    assert.equal(statSync(join(out, 'report.sarif')).uid, CALLER);
    JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8'));
  });

  it('--fix with --user "$(id -u):$(id -g)" rewrites the files as the caller; without write access it fails in one line and writes nothing', (t) => {
    const engine = ready(t);
    if (!engine) return;
    const dir = project(CALLER);
    const fixed = run(engine, ['--fix', '.'], { dir, user: CALLER_USER });
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    const after = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.match(after, /sharing=locked/);
    assert.equal(statSync(join(dir, 'Dockerfile')).uid, CALLER);
    assert.deepEqual(readdirSync(dir).sort(), ['Dockerfile', 'services']);
    const again = run(engine, ['.'], { dir, user: CALLER_USER });
    assert.equal(again.status, 0, again.stdout);

    // The image's own user cannot write a folder owned by someone else.
    const locked = project(CALLER);
    const denied = run(engine, ['--fix', '.'], { dir: locked });
    assert.equal(denied.status, 2, denied.stdout + denied.stderr);
    assert.equal(denied.stderr.trim().split('\n').length, 1, denied.stderr);
    assert.match(denied.stderr, /Dockerfile/);
    assert.doesNotMatch(denied.stderr, /\n\s+at /);
    assert.equal(readFileSync(join(locked, 'Dockerfile'), 'utf8'), SEED);
    assert.deepEqual(readdirSync(locked).sort(), ['Dockerfile', 'services']);
  });

  it('bad input: a missing file, a bad configuration, an unknown option: exit 2, one line, no stack trace', (t) => {
    const engine = ready(t);
    if (!engine) return;
    const dir = project();
    const missing = run(engine, ['nope/Dockerfile'], { dir });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\/Dockerfile/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    writeFileSync(join(dir, '.mountlint.yaml'), 'rules:\n  cache-rase: off\n');
    const config = run(engine, ['.'], { dir });
    assert.equal(config.status, 2);
    assert.match(config.stderr, /\.mountlint\.yaml:2:3: /);
    const option = run(engine, ['--no-such-option']);
    assert.equal(option.status, 2);
    for (const r of [config, option]) assert.equal(r.stdout, '');
    for (const r of [missing, config, option]) {
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('verify through the mounted Docker socket (the verify target: the Docker CLI and buildx)', (t) => {
    const engine = ready(t);
    if (!engine) return;
    const dir = project();
    writeFileSync(join(dir, 'Dockerfile'), CLEAN);
    const socket = (engine.env.DOCKER_HOST as string).replace(/^unix:\/\//, '');
    const r = docker(engine, ['run', '--rm', '--group-add', String(statSync(socket).gid), '-v', `${socket}:/var/run/docker.sock`, '-v', `${dir}:/work`, '-w', '/work', VERIFY_IMAGE, 'verify', '--runs', '1', '--network', 'host', 'Dockerfile']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Docker 26\.1\S* via buildx/);
    assert.match(r.stdout, /^  run 1  passed /m);
    // Without the socket: Docker is not there, exit 2 in one line.
    const none = docker(engine, ['run', '--rm', '-v', `${dir}:/work`, '-w', '/work', VERIFY_IMAGE, 'verify', '--runs', '1', 'Dockerfile']);
    assert.equal(none.status, 2, none.stdout + none.stderr);
    assert.doesNotMatch(none.stderr, /\n\s+at /);
  });
});

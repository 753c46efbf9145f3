/**
 * Captures real build logs for `mountlint diagnose`'s tests: builds run on the
 * provisioned engines (e2e/provision.sh), their whole output saved as
 * test/fixtures/build-logs/<name>.log beside what the run itself knows
 * (<name>.json: engine, command, exit code, the Dockerfile, which steps failed
 * and which signatures the failing step printed). The expected verdict is the
 * scenario's, settled from the run: a race scenario whose build failed with a
 * tool's signature is a race; one that passed is saved as a passing build.
 * Usage (root, engines up): node e2e/diagnose-logs.mjs [name-regex]
 * Cache mounts use namespaces prefixed `mountlint-diag-` so other builds on
 * the same engines never share them.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/fixtures/build-logs');
const STATE = process.env.MOUNTLINT_E2E_STATE ?? '/var/lib/mountlint-e2e';
const { parseBuildLog, findSignatures } = await import(`${ROOT}/dist/src/verify/index.js`);

const engine = (name, bin, sock, config) => ({ name, bin, env: { ...process.env, DOCKER_HOST: `unix:///var/run/${sock}.sock`, DOCKER_CONFIG: join(STATE, 'config', config), DOCKER_BUILDKIT: '1' } });
const E20 = engine('docker-20.10', '/usr/bin/docker', 'docker', 'docker20');
const E26 = engine('docker-26.1', join(STATE, 'docker26/usr/bin/docker'), 'docker26', 'docker26');
const E26B = engine('docker-26.1-bake', join(STATE, 'docker26/usr/bin/docker'), 'docker26b', 'docker26b');
const E28 = engine('docker-28', join(STATE, 'docker28/usr/bin/docker'), 'docker28', 'docker28');

const ns = () => `mountlint-diag-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const scratch = mkdtempSync(join(tmpdir(), 'mountlint-diag-'));

function run(e, args, cwd) {
  return new Promise((res) => {
    const child = spawn(e.bin, args, { env: e.env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => res({ code, out }));
  });
}

const classic = (file, ctx, extra = [], namespace = ns()) => ['build', '--no-cache', '--network', 'host', '--progress', 'plain', '-f', file, '--build-arg', `BUILDKIT_CACHE_MOUNT_NS=${namespace}`, ...extra, ctx];
const buildx = (file, ctx, extra = [], namespace = ns()) => ['buildx', 'build', '--no-cache', '--network', 'host', '--progress=plain', '-f', file, '--build-arg', `BUILDKIT_CACHE_MOUNT_NS=${namespace}`, ...extra, ctx];

/** A scratch Dockerfile (for scenarios that are not files of the repository), saved beside the log. */
function dockerfile(name, text) {
  const dir = join(OUT, 'dockerfiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.Dockerfile`);
  writeFileSync(file, text);
  return file;
}

/** A bake file giving the targets the host network (bake's `--set *.network=` does not take, as verify found). */
function hostNetwork(targets) {
  const file = join(scratch, 'network.hcl');
  writeFileSync(file, targets.map((t) => `target "${t}" {\n  network = "host"\n}\n`).join(''));
  return file;
}

const SEED = join(ROOT, 'examples/seed/Dockerfile');
const rel = (p) => relative(ROOT, p);

const SCENARIOS = [
  // The seed, racing on apt (it fails most runs; tried until it does).
  { name: 'seed-docker20', e: E20, expect: 'race', tries: 4, file: SEED, args: (f) => classic(f, dirname(f)), cwd: dirname(SEED) },
  { name: 'seed-docker26', e: E26, expect: 'race', tries: 4, file: SEED, args: (f) => buildx(f, dirname(f)), cwd: dirname(SEED) },
  { name: 'seed-docker28', e: E28, expect: 'race', tries: 4, file: SEED, args: (f) => buildx(f, dirname(f)), cwd: dirname(SEED) },
  // The seed fixed by `check --fix` (sharing=locked): passes.
  { name: 'seed-locked-docker26', e: E26, expect: 'pass', file: () => dockerfile('seed-locked', readFileSync(SEED, 'utf8').replaceAll('target=/var/cache/apt ', 'target=/var/cache/apt,sharing=locked ')), args: (f) => buildx(f, dirname(f)) },
  { name: 'seed-locked-docker20', e: E20, expect: 'pass', file: () => dockerfile('seed-locked', readFileSync(SEED, 'utf8').replaceAll('target=/var/cache/apt ', 'target=/var/cache/apt,sharing=locked ')), args: (f) => classic(f, dirname(f)) },
  // Another tool: two pip stages on one wheel cache.
  { name: 'pip-two-stages-docker26', e: E26, expect: 'race-or-pass', tries: 3, file: join(ROOT, 'e2e/tools/python/race.Dockerfile'), args: (f) => buildx(f, dirname(f)) },
  { name: 'yarn1-two-stages-docker20', e: E20, expect: 'race-or-pass', tries: 3, file: join(ROOT, 'e2e/tools/node/yarn-race.Dockerfile'), args: (f) => classic(f, dirname(f)) },
  // Bake and compose: two targets, each clean alone, racing on apt (compose files built through bake, as
  // `docker compose build` does since Compose 2.37; `docker compose build` itself cannot allow network.host).
  { name: 'bake-two-targets-docker26b', e: E26B, expect: 'race-or-pass', tries: 3, file: join(ROOT, 'e2e/builds/b01-bake-two-targets-apt/docker-bake.hcl'), args: (f) => ['buildx', 'bake', '--no-cache', '--progress=plain', '--allow', 'network.host', '-f', f, '-f', hostNetwork(['api', 'worker']), '--set', `*.args.BUILDKIT_CACHE_MOUNT_NS=${ns()}`], cwd: join(ROOT, 'e2e/builds/b01-bake-two-targets-apt') },
  { name: 'compose-two-services-docker26b', e: E26B, expect: 'race-or-pass', tries: 3, file: join(ROOT, 'e2e/builds/b04-compose-two-services-apt/compose.yaml'), args: (f) => ['buildx', 'bake', '--no-cache', '--progress=plain', '--allow', 'network.host', '-f', f, '-f', hostNetwork(['api', 'web']), '--set', `*.args.BUILDKIT_CACHE_MOUNT_NS=${ns()}`], cwd: join(ROOT, 'e2e/builds/b04-compose-two-services-apt') },
  // The same requests without the host network allowed: they fail before any step runs (not a cache problem).
  { name: 'bake-network-not-allowed-docker26b', e: E26B, expect: 'other', file: join(ROOT, 'e2e/builds/b01-bake-two-targets-apt/docker-bake.hcl'), args: (f) => ['buildx', 'bake', '--no-cache', '--progress=plain', '-f', f, '--set', `*.args.BUILDKIT_CACHE_MOUNT_NS=${ns()}`], cwd: join(ROOT, 'e2e/builds/b01-bake-two-targets-apt') },
  { name: 'compose-network-not-allowed-docker26b', e: E26B, expect: 'other', file: join(ROOT, 'e2e/builds/b04-compose-two-services-apt/compose.yaml'), args: (f) => ['compose', '-f', f, '--progress=plain', 'build', '--no-cache'], cwd: join(ROOT, 'e2e/builds/b04-compose-two-services-apt') },
  // Multi-platform: one stage per platform on one apt cache.
  { name: 'multi-platform-docker26b', e: E26B, expect: 'race-or-pass', tries: 3, file: join(ROOT, 'e2e/builds/b03-multi-platform-cross-apt/Dockerfile'), args: (f) => buildx(f, dirname(f), ['--platform', 'linux/amd64,linux/arm64']) },
  // Not a cache problem: a package that does not exist.
  { name: 'missing-package-docker26', e: E26, expect: 'other', file: () => dockerfile('missing-package', 'FROM debian:bookworm-20230919\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y --no-install-recommends mountlint-no-such-package\n'), args: (f) => buildx(f, dirname(f)) },
  { name: 'missing-package-docker28', e: E28, expect: 'other', file: () => dockerfile('missing-package', 'FROM debian:bookworm-20230919\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y --no-install-recommends mountlint-no-such-package\n'), args: (f) => buildx(f, dirname(f)) },
  { name: 'missing-package-docker20', e: E20, expect: 'other', file: () => dockerfile('missing-package', 'FROM debian:bookworm-20230919\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    apt-get update && apt-get install -y --no-install-recommends mountlint-no-such-package\n'), args: (f) => classic(f, dirname(f)) },
  // A cache problem that is not a race: pip as a user who cannot write the root-owned cache.
  { name: 'pip-non-root-docker26', e: E26, expect: 'cache-not-race', file: () => dockerfile('pip-non-root', 'FROM mountlint-e2e/python\nRUN useradd -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip \\\n    pip install --user --no-index --find-links /sdists $(cd /sdists && ls | sed \'s/-1.0.tar.gz//\' | head -n 2)\n'), args: (f) => buildx(f, dirname(f)) },
  { name: 'npm-non-root-docker26', e: E26, expect: 'cache-not-race', file: () => dockerfile('npm-non-root', 'FROM mountlint-e2e/node\nRUN useradd -m app && mkdir /app && chown app /app\nUSER app\nWORKDIR /app\nCOPY --chown=app package.json package-lock.json ./\nRUN --mount=type=cache,target=/home/app/.npm \\\n    npm ci --ignore-scripts\n'), args: (f) => buildx(f, join(ROOT, 'e2e/tools/node')) },
];

/** Two separate `docker build` at once on one engine, one cache (same id), each file clean alone. */
const SEPARATE = { name: 'separate-builds', text: (pkg) => `FROM debian:bookworm-20230919\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,id=mountlint-diag-apt,target=/var/cache/apt --mount=type=cache,id=mountlint-diag-lists,target=/var/lib/apt \\\n    apt-get update && apt-get install -y --no-install-recommends ${pkg}\n` };

/**
 * What the run itself shows: its exit code, the steps that ran and how they ended, the steps that
 * failed, the signatures the failed steps printed (verify's reading), the failed step's Dockerfile line
 * (BuildKit's `Dockerfile:N` excerpt where the engine prints one, else the line that starts with its
 * instruction text, found by plain search), and the verdict the scenario was built for, settled by the
 * outcome: a race scenario that failed with a tool's signature is a race, one that passed is a pass.
 */
function facts(s, out, code, file, command) {
  const log = parseBuildLog(out);
  const failed = log.steps.filter((x) => x.status === 'error' && !/context canceled/.test(x.error ?? ''));
  const sigs = [...new Set(failed.flatMap((x) => findSignatures(x.output.join('\n')).map((m) => m.signature.id)))];
  const warnings = [...new Set(log.steps.flatMap((x) => findSignatures(x.output.join('\n')).filter((m) => m.signature.kind === 'unwritable').map((m) => m.signature.id)))];
  const excerpt = /^Dockerfile:(\d+)$/m.exec(out);
  const first = failed[0];
  let failedLine = excerpt ? Number(excerpt[1]) : undefined;
  if (!failedLine && first && !/\.(hcl|ya?ml)$/.test(file)) {
    const instruction = /\] (RUN .*)$/.exec(first.name)?.[1];
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = instruction ? lines.findIndex((l) => /^RUN /.test(l) && instruction.startsWith(l.replace(/\s*\\$/, '').trim())) : -1;
    if (at >= 0) failedLine = at + 1;
  }
  const race = s.expect === 'race' || s.expect === 'race-or-pass';
  return {
    engine: s.e.name,
    command,
    dockerfile: rel(file),
    exitCode: code,
    failedSteps: failed.map((x) => x.name),
    failedLine,
    failedTarget: /^(?:ERROR: )?target ([^\s:]+): /m.exec(out)?.[1],
    signatures: sigs,
    cacheWarnings: warnings,
    canceledSteps: log.steps.filter((x) => x.status === 'canceled').map((x) => x.name),
    steps: log.steps.filter((x) => /^\[.*\d+\/\d+\]/.test(x.name)).map((x) => ({ name: x.name, status: x.status })),
    verdict:
      code === 0 ? (s.expect === 'cache-not-race' && warnings.length ? 'cache-not-race' : 'pass')
      : s.expect === 'separate' ? (sigs.length ? 'race-other-build' : 'unexplained')
      : race ? (sigs.length ? 'race-in-build' : 'unexplained')
      : s.expect === 'cache-not-race' ? (sigs.length ? 'cache-not-race' : 'unexplained')
      : 'not-cache',
  };
}

function save(name, out, f) {
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(OUT, `${name}.log`)) || readFileSync(join(OUT, `${name}.log`), 'utf8') !== out) writeFileSync(join(OUT, `${name}.log`), out);
  writeFileSync(join(OUT, `${name}.json`), JSON.stringify(f, null, 2) + '\n');
  console.log(`${name}: exit ${f.exitCode}, verdict ${f.verdict}, failed ${f.failedSteps.join(' | ') || '-'} ${f.signatures.join(',')}`);
}

/** The command as a user would type it, paths relative to the repository. */
const show = (file, args) => `docker ${args.map((a) => (a.startsWith('/') ? relative(ROOT, a) || '.' : a)).join(' ')}`;

// --facts: the facts worked out again from the saved logs (after a change to what is recorded), without building.
if (process.argv[2] === '--facts') {
  for (const s of [...SCENARIOS, ...[E26, E20, E28].map((e) => ({ ...SEPARATE, e, name: `separate-builds-${e.name.replace(/^docker-(\d+).*/, 'docker$1')}`, expect: 'separate' }))]) {
    const json = join(OUT, `${s.name}.json`);
    let old;
    try {
      old = JSON.parse(readFileSync(json, 'utf8'));
    } catch {
      continue;
    }
    save(s.name, readFileSync(join(OUT, `${s.name}.log`), 'utf8'), facts(s, readFileSync(join(OUT, `${s.name}.log`), 'utf8'), old.exitCode, join(ROOT, old.dockerfile), old.command));
  }
  process.exit(0);
}

const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
for (const s of SCENARIOS.filter((x) => !only || only.test(x.name))) {
  const file = typeof s.file === 'function' ? s.file() : s.file;
  let r, args;
  for (let i = 0; i < (s.tries ?? 1); i++) {
    args = s.args(file);
    r = await run(s.e, args, s.cwd ?? dirname(file));
    if (r.code !== 0 || s.expect === 'pass' || s.expect === 'other' || s.expect === 'cache-not-race') break;
  }
  save(s.name, r.out, facts(s, r.out, r.code, file, show(file, args)));
}
// On each engine: Docker 20.10's classic `docker build`, buildx on 26.1 and 28.
for (const e of [E26, E20, E28]) {
  const name = `separate-builds-${e.name.replace(/^docker-(\d+).*/, 'docker$1')}`;
  if (only && !only.test(name)) continue;
  const args = (f, shared) => (e === E20 ? classic(f, dirname(f), [], shared) : buildx(f, dirname(f), [], shared));
  for (let i = 0; i < 4; i++) {
    const a = dockerfile('separate-a', SEPARATE.text('curl'));
    const b = dockerfile('separate-b', SEPARATE.text('wget'));
    const shared = ns(); // one namespace for both: they share the cache, as two CI jobs on one builder do
    const [ra, rb] = await Promise.all([a, b].map((f) => run(e, args(f, shared), dirname(f))));
    const failed = [[a, ra], [b, rb]].find(([, r]) => r.code !== 0);
    if (failed || i === 3) {
      const [f, r] = failed ?? [a, ra];
      save(name, r.out, facts({ ...SEPARATE, e, expect: 'separate' }, r.out, r.code, f, show(f, args(f, shared))));
      break;
    }
  }
}

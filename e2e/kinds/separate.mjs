/**
 * Kind `separate`: two separate builds started at the same moment on one engine
 * (two `docker build`, two `docker buildx bake`, a `docker compose build` beside a
 * `docker buildx build`), of two different Dockerfiles whose apt steps mount the same
 * caches, under each way of sharing them. Observed per run, from the steps' own
 * output: whether a build failed on apt's lock, whether the two apt steps overlapped
 * or one waited for the other, and whether each saw the other's marker in the cache
 * (one directory) or not (a directory each). src/knowledge/observed.ts
 * (SEPARATE_BUILDS) records what was seen; this kind checks every run against it.
 * Cold by construction: every run uses cache ids of its own, never a prune.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHARINGS = ['shared', 'locked', 'private', 'ids', 'namespace'];
/** Which launchers each engine runs (the classic builder only on 20.10; bake and Compose need buildx 0.29 and Compose 2.40). */
const LAUNCHERS = {
  'docker-20.10': ['docker build'],
  'docker-26.1': ['buildx build'],
  'docker-28.5': ['buildx build', 'buildx bake', 'compose build'],
};

export function collect({ root }) {
  const cases = [];
  for (const [engine, launchers] of Object.entries(LAUNCHERS)) {
    for (const launcher of launchers) {
      for (const sharing of SHARINGS) cases.push({ kind: 'separate', name: `separate ${launcher} ${sharing}`, launcher, sharing, engines: [engine], path: join(root, 'e2e/kinds/separate.mjs') });
    }
  }
  return cases;
}

let serial = 0;

/** The two Dockerfiles of one run: one apt step each, timestamps and a marker per build in the archives cache (apt-get update removes strangers from lists/). */
function dockerfile(build, c, runId) {
  const id = (name) => (c.sharing === 'ids' ? `${runId}-${name}-${build}` : `${runId}-${name}`);
  const opts = c.sharing === 'locked' || c.sharing === 'private' ? `,sharing=${c.sharing}` : '';
  const pkg = build === 'a' ? 'less' : 'file';
  return [
    'FROM debian:bookworm-20230919',
    `RUN --mount=type=cache,id=${id('archives')},target=/var/cache/apt${opts} --mount=type=cache,id=${id('lists')},target=/var/lib/apt/lists${opts} \\`,
    `    echo "sep-start $(date +%s.%N)" && touch /var/cache/apt/sep-mark-${build} && \\`,
    `    apt-get update -qq && apt-get install -y -qq --no-install-recommends ${pkg} >/dev/null && \\`,
    '    echo "sep-marks $(cd /var/cache/apt && echo sep-mark-*)" && echo "sep-end $(date +%s.%N)"',
    '',
  ].join('\n');
}

function command(c, engine, dir, build) {
  const ns = c.sharing === 'namespace' ? ['--build-arg', `BUILDKIT_CACHE_MOUNT_NS=sep-${build}`] : [];
  const ctx = join(dir, build);
  switch (c.launcher === 'compose build' && build === 'b' ? 'buildx build' : c.launcher) {
    case 'docker build':
      return { args: ['build', '--no-cache', '--progress=plain', '--network=host', ...ns, ctx], env: { DOCKER_BUILDKIT: '1' } };
    case 'buildx build':
      return { args: ['buildx', 'build', '--no-cache', '--progress=plain', '--network=host', '--output', 'type=cacheonly', ...ns, ctx] };
    case 'buildx bake':
      // Run in the folder: a context outside it would need bake's filesystem entitlement.
      return { args: ['buildx', 'bake', '--progress=plain', '--allow', 'network.host', '-f', `${build}.hcl`, build], cwd: dir };
    case 'compose build':
      return { args: ['compose', '-f', join(dir, 'compose.yaml'), '--progress=plain', 'build', '--no-cache'], cwd: dir };
  }
  throw new Error(`unknown launcher ${c.launcher}`);
}

function writeDefinitions(dir, c) {
  const args = (build) => (c.sharing === 'namespace' ? `  args = { BUILDKIT_CACHE_MOUNT_NS = "sep-${build}" }\n` : '');
  for (const build of ['a', 'b']) {
    writeFileSync(join(dir, `${build}.hcl`), `target "${build}" {\n  context = "./${build}"\n  network = "host"\n  no-cache = true\n  output = ["type=cacheonly"]\n${args(build)}}\n`);
  }
  const nsArgs = c.sharing === 'namespace' ? '      args:\n        BUILDKIT_CACHE_MOUNT_NS: sep-a\n' : '';
  writeFileSync(join(dir, 'compose.yaml'), `name: mountlint-separate\nservices:\n  a:\n    image: mountlint-separate-a\n    build:\n      context: ./a\n      network: host\n${nsArgs}`);
}

function runDocker(engine, cmd) {
  return new Promise((resolve, reject) => {
    const child = spawn(engine.bin, cmd.args, { env: { ...engine.env, ...cmd.env }, cwd: cmd.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** What one build's output says: its apt step's start and end (seconds), the markers it saw, a lock failure. */
function readBuild(build, { code, out }) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : undefined;
  };
  const marks = /sep-marks ((?:sep-mark-\w\s?)+)/.exec(out)?.[1].trim().split(/\s+/) ?? [];
  return {
    build,
    ok: code === 0,
    start: num(/sep-start (\d+\.\d+)/),
    end: num(/sep-end (\d+\.\d+)/),
    sawOther: marks.some((m) => m !== `sep-mark-${build}` && m.startsWith('sep-mark-')),
    lockFailure: /Could not get lock|Unable to lock directory|List directory \S+ is missing/.test(out),
    tail: out.trim().split('\n').slice(-4).join('\n'),
  };
}

/** One run: both builds started together; what happened between them. */
export async function runOnce(c, engine) {
  const dir = mkdtempSync(join(tmpdir(), 'mountlint-separate-'));
  try {
    const runId = `mlsep-${process.pid}-${Date.now().toString(36)}-${serial++}`;
    for (const build of ['a', 'b']) {
      mkdirSync(join(dir, build));
      writeFileSync(join(dir, build, 'Dockerfile'), dockerfile(build, c, runId));
    }
    writeDefinitions(dir, c);
    const [a, b] = (await Promise.all(['a', 'b'].map((build) => runDocker(engine, command(c, engine, dir, build))))).map((r, i) => readBuild(i ? 'b' : 'a', r));
    const failed = [a, b].filter((x) => !x.ok);
    const unexplained = failed.filter((x) => !x.lockFailure);
    const both = a.start !== undefined && a.end !== undefined && b.start !== undefined && b.end !== undefined;
    const overlapped = both && a.start < b.end && b.start < a.end;
    return {
      failed: failed.length > 0,
      unexplained: unexplained.map((x) => x.tail),
      waited: both && !overlapped,
      overlapped,
      // A lock failure is itself the other build's lock in the same directory.
      sameDirectory: a.sawOther || b.sawOther || failed.some((x) => x.lockFailure),
      seen: both,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(c, engine, settings) {
  const { separateBuildObservation } = settings.lib;
  const runs = settings.separateRuns ?? 1;
  const results = [];
  // A build that failed for a reason other than a lock (apt's mirror not answering under load: seen
  // here in a few runs) says nothing about the cache: that run is made again, at most twice.
  let retried = 0;
  for (let i = 0; i < runs; i++) {
    let r = await runOnce(c, engine);
    for (let again = 0; again < 2 && r.unexplained.length; again++, retried++) r = await runOnce(c, engine);
    results.push(r);
  }
  const count = (k) => results.filter((r) => r[k]).length;
  const observed = { runs, failures: count('failed'), waits: count('waited'), sameDirectory: count('sameDirectory') };
  const unexplained = results.flatMap((r) => r.unexplained);
  const expected = separateBuildObservation(engine.name, c.launcher, c.sharing);
  // A run agrees with the table when it does what the table says this combination does. Builds that may
  // meet (`shared`) got one directory in some runs and a directory each in others: no run of them is wrong.
  const problems = [];
  if (unexplained.length) problems.push(`a build failed for another reason: ${unexplained[0].replace(/\n/g, ' | ').slice(0, 300)}`);
  if (!expected) problems.push('not in SEPARATE_BUILDS');
  // Locked: never both in one directory at once (the second waits, or each gets its own), never a failure.
  else if (expected.outcome === 'ordered' && results.some((r) => r.failed || (r.overlapped && r.sameDirectory))) problems.push('the table says locked keeps the builds from one directory at once; a run failed or overlapped in one directory');
  else if (expected.outcome === 'apart' && (observed.failures > 0 || observed.sameDirectory > 0)) problems.push(`the table says each build gets its own directory; ${observed.sameDirectory} of ${runs} runs shared one`);
  const agree = problems.length === 0;
  return {
    kind: 'separate',
    case: c.name,
    engine: engine.name,
    launcher: c.launcher,
    sharing: c.sharing,
    expected: expected?.outcome ?? '?',
    observed,
    agree,
    failures: agree ? 0 : 1,
    checks: 1,
    cleanup: [],
    fixes: {},
    line: `${observed.failures}/${runs} failed, ${observed.waits} waited, ${observed.sameDirectory} one directory${retried ? `, ${retried} run(s) made again after a failure that was not a lock` : ''}${agree ? '' : `  DISAGREES: ${problems.join('; ')}`}`,
  };
}

export function report(rows) {
  let md = '## Separate builds at the same time on one engine\n\n';
  md += 'Two builds of two different Dockerfiles started at the same moment, each with one apt step on the same two caches (`/var/cache/apt`, `/var/lib/apt/lists`); every run with cache ids of its own (cold). "One directory": a build saw the marker the other left in the cache. The table in `src/knowledge/observed.ts` (`SEPARATE_BUILDS`) records these outcomes with their run counts; `--concurrent-builds` and the `wait` fix follow it.\n\n';
  md += '| engine | launcher | sharing | expected | runs | failed | waited | one directory | agree |\n|---|---|---|---|---|---|---|---|---|\n';
  for (const r of rows) md += `| ${r.engine} | ${r.launcher} | ${r.sharing} | ${r.expected} | ${r.observed?.runs ?? ''} | ${r.observed?.failures ?? ''} | ${r.observed?.waits ?? ''} | ${r.observed?.sameDirectory ?? ''} | ${r.agree ? 'yes' : '**no**'} |\n`;
  return md;
}

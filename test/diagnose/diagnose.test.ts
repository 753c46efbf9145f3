/**
 * `mountlint diagnose` on real logs: every log saved by e2e/diagnose-logs.mjs
 * (test/fixtures/build-logs/<name>.log beside <name>.json, the facts of its
 * run) must get the run's known verdict, byte-exact on the failed step and
 * its Dockerfile line; the same logs wrapped as GitHub Actions, GitLab and
 * Jenkins store them get the same verdicts; and bad input gets one line and
 * exit 2.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { CiUnwrapper, readLog } from '../../src/diagnose/index.js';
import { lintText, prepare } from '../../src/engine/index.js';
import { hasShared, REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const LOGS = join(REPO_ROOT, 'test/fixtures/build-logs');

interface Facts {
  engine: string;
  dockerfile: string;
  exitCode: number;
  failedSteps: string[];
  failedLine?: number;
  failedTarget?: string;
  signatures: string[];
  verdict: 'pass' | 'race-in-build' | 'race-other-build' | 'cache-not-race' | 'not-cache';
}

interface Json {
  diagnoses: Array<{
    verdict: string;
    step: { name: string; file?: string; line?: number; stage?: string; target?: string; platform?: string };
    signature?: { id: string; logLine: number; text: string };
    cache?: string;
    holders: Array<{ name: string; file?: string; line?: number; stage?: string; evidence: string }>;
    finding?: { ruleId: string };
    fix?: { strategy?: string };
  }>;
  passed: boolean;
  log: { wrappers: string[]; lines: number };
  missing: string[];
}

const saved = readdirSync(LOGS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f.replace(/\.json$/, ''), facts: JSON.parse(readFileSync(join(LOGS, f), 'utf8')) as Facts }));

async function diagnose(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['diagnose', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env: {}, stdin: stdin === undefined ? undefined : Readable.from([Buffer.from(stdin)]) });
  return { code, stdout, stderr };
}

/** The Dockerfile a failed step ran from: the facts' own, or for bake/compose the failed target's folder. */
function failedFile(f: Facts): string {
  return /\.(hcl|ya?ml)$/.test(f.dockerfile) ? join(dirname(f.dockerfile), f.failedTarget!, 'Dockerfile') : f.dockerfile;
}

/** The verdict, step and line of one log, as the facts of its run say. */
function assertKnown(name: string, f: Facts, out: Json, code: number): void {
  const label = `${name} (${f.engine})`;
  if (f.verdict === 'pass') {
    assert.equal(out.diagnoses.length, 0, `${label}: a passing build has nothing to diagnose`);
    assert.equal(out.passed, true, label);
    assert.equal(code, 0, label);
    return;
  }
  if (f.verdict === 'not-cache') {
    assert.ok(out.diagnoses.length >= 1, label);
    for (const d of out.diagnoses) {
      assert.equal(d.verdict, 'not-cache', `${label}: no false cause`);
      assert.equal(d.signature, undefined, `${label}: no signature quoted`);
    }
    assert.equal(code, 0, label);
  } else {
    assert.equal(out.diagnoses[0].verdict, f.verdict, label);
    assert.equal(code, 1, label);
  }
  if (f.failedSteps.length) {
    const d = out.diagnoses[0];
    assert.equal(d.step.name, f.failedSteps[0], `${label}: the failed step, byte-exact`);
    assert.equal(d.step.line, f.failedLine, `${label}: its Dockerfile line`);
    assert.equal(d.step.file, failedFile(f), `${label}: its Dockerfile`);
  }
  if (f.verdict === 'race-in-build' || f.verdict === 'race-other-build') assert.ok(f.signatures.includes(out.diagnoses[0].signature!.id), `${label}: a signature the run printed`);
}

describe('diagnose: the saved real logs reach their runs\' verdicts', () => {
  before(prepare);
  it('has logs of every kind of verdict, on every engine', () => {
    const verdicts = new Set(saved.map((s) => s.facts.verdict));
    for (const v of ['pass', 'race-in-build', 'race-other-build', 'cache-not-race', 'not-cache']) assert.ok(verdicts.has(v as Facts['verdict']), v);
    const engines = new Set(saved.map((s) => s.facts.engine));
    for (const e of ['docker-20.10', 'docker-26.1', 'docker-26.1-bake', 'docker-28']) assert.ok(engines.has(e), e);
  });
  for (const { name, facts } of saved) {
    it(`${name}: ${facts.verdict}`, async (t) => {
      // Logs of the e2e suite's oracle cases name their Dockerfile in ../shared (never copied here).
      if (facts.dockerfile.startsWith('../shared/') && !hasShared(t, join(REPO_ROOT, facts.dockerfile))) return;
      const { code, stdout } = await diagnose([join(LOGS, `${name}.log`), '-f', join(REPO_ROOT, facts.dockerfile), '--format', 'json'], undefined);
      assertKnown(name, facts, JSON.parse(stdout) as Json, code);
    });
  }
});

/** The ways CI systems store a log, line for line (each may add lines of its own). */
const WRAPPERS: Record<string, (log: string) => string> = {
  'github-actions': (log) => {
    const lines = log.split('\n');
    const t = (i: number) => `2026-03-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i).padStart(7, '0')}Z `;
    return [`${t(0)}##[group]Run docker buildx build --progress=plain .`, `${t(0)}docker buildx build --progress=plain .`, `${t(0)}##[endgroup]`, ...lines.map((l, i) => t(i + 1) + l), `${t(lines.length + 1)}##[error]Process completed with exit code 1.`].join('\n');
  },
  gitlab: (log) => {
    const lines = log.split('\n').map((l) => (l.startsWith('#') && /ERROR|DONE/.test(l) ? `\x1b[0;33m${l}\x1b[0m` : l.startsWith('#') && /^#\d+ \[/.test(l) ? `\x1b[36;1m${l}\x1b[0;m` : l));
    return [`\x1b[0Ksection_start:1772359200:build_image\r\x1b[0K\x1b[0K\x1b[36;1mBuilding the image\x1b[0;m`, `\x1b[32;1m$ docker build --progress=plain .\x1b[0;m`, `Sending build context 0%\rSending build context 100%\r${lines[0]}`, ...lines.slice(1), `section_end:1772359260:build_image\r\x1b[0K`].join('\n');
  },
  jenkins: (log) => ['[Pipeline] stage', '[Pipeline] { (Build)', '[Pipeline] sh', ...log.split('\n').map((l, i) => `[2026-03-01T10:00:${String(i % 60).padStart(2, '0')}.000Z] ${l}`), '[Pipeline] }'].join('\n'),
};

describe('diagnose: the same logs as CI systems store them', () => {
  before(prepare);
  let dir: string;
  before(() => (dir = scratchDir('mountlint-diagnose-ci-')));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [wrapper, wrap] of Object.entries(WRAPPERS)) {
    for (const { name, facts } of saved) {
      it(`${wrapper}: ${name}`, async (t) => {
        if (facts.dockerfile.startsWith('../shared/') && !hasShared(t, join(REPO_ROOT, facts.dockerfile))) return;
        const raw = readFileSync(join(LOGS, `${name}.log`), 'utf8');
        const file = join(dir, `${wrapper}-${name}.log`);
        writeFileSync(file, wrap(raw));
        const { code, stdout } = await diagnose([file, '-f', join(REPO_ROOT, facts.dockerfile), '--format', 'json']);
        const out = JSON.parse(stdout) as Json;
        assertKnown(name, facts, out, code);
        assert.ok(out.log.wrappers.includes(wrapper), `${wrapper} recognised: ${out.log.wrappers}`);
        // The quoted line is the wrapped log's own line, and holds the quoted text.
        const sig = out.diagnoses[0]?.signature;
        if (sig) assert.ok(wrap(raw).split('\n')[sig.logLine - 1].includes(sig.text), `${wrapper}: line ${sig.logLine} holds "${sig.text}"`);
      });
    }
  }
});

describe("diagnose: the seed's failing build, from its log alone", () => {
  before(prepare);
  const SEED = join(REPO_ROOT, 'examples/seed/Dockerfile');
  for (const name of ['seed-docker20', 'seed-docker26', 'seed-docker28']) {
    it(`${name}: both stages and lines, the cache, and check's sharing=locked fix`, async () => {
      const { code, stdout } = await diagnose([join(LOGS, `${name}.log`), '-f', SEED, '--format', 'json']);
      assert.equal(code, 1);
      const [d] = (JSON.parse(stdout) as Json).diagnoses;
      assert.equal(d.verdict, 'race-in-build');
      const stages = [d.step, ...d.holders].map((s) => `${s.stage}:${s.line}`).sort();
      assert.deepEqual(stages, ['builder:3', 'production:10']);
      assert.equal(d.holders[0].evidence, 'log and model');
      assert.equal(d.cache, '/var/cache/apt');
      assert.equal(d.finding?.ruleId, 'cache-race');
      assert.equal(d.fix?.strategy, 'locked');
    });
  }
  it('--diff shows exactly the edits check --diff makes for that finding', async () => {
    const dir = scratchDir('mountlint-diagnose-seed-');
    try {
      const copy = join(dir, 'Dockerfile');
      copyFileSync(SEED, copy);
      const d = await diagnose([join(LOGS, 'seed-docker26.log'), '-f', copy, '--diff']);
      let checkDiff = '';
      await run(['check', '--diff', '--no-config', copy], { stdout: (s) => (checkDiff += s), stderr: () => {}, isTTY: false, env: {} });
      assert.equal(d.stdout, checkDiff, 'the seed has one finding with a fix: the same diff');
      assert.match(d.stdout, /\+RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked apt update/);
      assert.equal(d.code, 1);
      const fixed = await diagnose([join(LOGS, 'seed-docker26.log'), '-f', copy, '--fix']);
      assert.equal(fixed.code, 1, 'the exit code is the diagnosis\'s');
      const after = readFileSync(copy, 'utf8');
      assert.equal((after.match(/sharing=locked/g) ?? []).length, 2);
      assert.deepEqual(lintText(after, copy).diagnostics.filter((x) => x.ruleId === 'cache-race'), [], 'every rule again: no race left');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('--fix on a Dockerfile it cannot write: one line naming it and why, exit 2, the file as it was', async () => {
    const dir = scratchDir('mountlint-diagnose-ro-');
    try {
      const copy = join(dir, 'Dockerfile');
      copyFileSync(SEED, copy);
      chmodSync(copy, 0o444);
      const r = await diagnose([join(LOGS, 'seed-docker26.log'), '-f', copy, '--fix']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `mountlint: ${copy}: not written: the file is read-only (mode 0444)\n`);
      assert.equal(readFileSync(copy, 'utf8'), readFileSync(SEED, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('only the log named: the Dockerfile the log loaded is found in the working directory', async () => {
    const dir = scratchDir('mountlint-diagnose-found-');
    const cwd = process.cwd();
    try {
      copyFileSync(SEED, join(dir, 'Dockerfile'));
      process.chdir(dir);
      for (const name of ['seed-docker20', 'seed-docker26', 'seed-docker28']) {
        const { code, stdout } = await diagnose([join(LOGS, `${name}.log`)]);
        assert.equal(code, 1, name);
        assert.match(stdout, /race inside this build/, name);
        assert.match(stdout, /Dockerfile:3 \(stage "builder"\)/, name);
        assert.match(stdout, /Dockerfile:10 \(stage "production"\)/, name);
        assert.match(stdout, /cache: {3}"\/var\/cache\/apt"/, name);
        assert.match(stdout, /fix: {5}set sharing=locked on 2 mounts of this cache/, name);
        assert.doesNotMatch(stdout, /^note:/m, `${name}: nothing missing`);
      }
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('without the Dockerfile: the log alone, and says what is missing', async () => {
    const dir = scratchDir('mountlint-diagnose-alone-');
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const { code, stdout } = await diagnose([join(LOGS, 'seed-docker26.log'), '--format', 'json']);
      const out = JSON.parse(stdout) as Json;
      assert.equal(code, 1);
      assert.equal(out.diagnoses[0].verdict, 'race-in-build', 'the other apt step on the same cache mount was running: the log shows it');
      assert.equal(out.diagnoses[0].step.line, 3, "BuildKit's excerpt gives the line");
      assert.equal(out.diagnoses[0].holders[0].stage, 'production');
      assert.equal(out.diagnoses[0].holders[0].evidence, 'log');
      assert.match(out.missing[0], /load build definition from Dockerfile.*not in/);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reads standard input, and prints text, github, markdown and sarif', async () => {
    const log = readFileSync(join(LOGS, 'seed-docker20.log'), 'utf8');
    const text = await diagnose(['-', '-f', SEED], log);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^<stdin>: race inside this build\n/);
    assert.match(text.stdout, /<stdin>:60: E: Could not get lock \/var\/cache\/apt\/archives\/lock/);
    const gh = await diagnose(['-', '-f', SEED, '--format', 'github'], log);
    assert.match(gh.stdout, /^::error title=mountlint diagnose%3A race inside this build,file=.*examples\/seed\/Dockerfile,line=10::/);
    const md = await diagnose(['-', '-f', SEED, '--format', 'markdown'], log);
    assert.match(md.stdout, /### race inside this build: .*Dockerfile:10 \(stage "production"\)/);
    const sarif = JSON.parse((await diagnose(['-', '-f', SEED, '--format', 'sarif'], log)).stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results[0].ruleId, 'diagnose/race-in-build');
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 10);
    assert.equal(sarif.runs[0].results[0].relatedLocations[0].physicalLocation.region.startLine, 3);
  });
});

describe('diagnose: a bake build', () => {
  before(prepare);
  it('--fix edits every Dockerfile of the request, each raced cache of the failed step, and leaves no race', async () => {
    const dir = scratchDir('mountlint-diagnose-bake-');
    const cwd = process.cwd();
    try {
      for (const f of ['docker-bake.hcl', 'api/Dockerfile', 'worker/Dockerfile']) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        copyFileSync(join(REPO_ROOT, 'e2e/builds/b01-bake-two-targets-apt', f), join(dir, f));
      }
      process.chdir(dir); // the bake file is found in the working directory, as check finds a folder's own
      const diff = await diagnose([join(LOGS, 'bake-two-targets-docker26b.log'), '--diff']);
      assert.equal(diff.code, 1);
      assert.match(diff.stdout, /--- a\/api\/Dockerfile[\s\S]*--- a\/worker\/Dockerfile/);
      const fixed = await diagnose([join(LOGS, 'bake-two-targets-docker26b.log'), '--fix']);
      assert.equal(fixed.code, 1);
      for (const f of ['api/Dockerfile', 'worker/Dockerfile']) {
        const text = readFileSync(join(dir, f), 'utf8');
        assert.equal((text.match(/sharing=locked/g) ?? []).length, 2, f);
      }
      let after = '';
      await run(['check', '--no-config', '--format', 'json', '.'], { stdout: (s) => (after += s), stderr: () => {}, isTTY: false, env: {} });
      assert.doesNotMatch(after, /cache-race/, 'check finds no race left');
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('diagnose: logs that are cut off, hold several failures, or are not build logs', () => {
  before(prepare);
  const SEED = join(REPO_ROOT, 'examples/seed/Dockerfile');
  it('a log cut off while the race was failing: still the race, and says it is cut off', async () => {
    const log = readFileSync(join(LOGS, 'seed-docker26.log'), 'utf8').split('\n');
    const cut = log.slice(0, log.findIndex((l) => /Could not get lock/.test(l)) + 2).join('\n');
    const { code, stdout } = await diagnose(['-', '-f', SEED], cut);
    assert.equal(code, 1);
    assert.match(stdout, /race inside this build/);
    assert.match(stdout, /note: the log stops before the build ended/);
  });
  it('not a cache problem: says so, and shows the step\'s own last lines', async () => {
    const { code, stdout } = await diagnose([join(LOGS, 'missing-package-docker26.log'), '-f', join(LOGS, 'dockerfiles/missing-package.Dockerfile')]);
    assert.equal(code, 0);
    assert.match(stdout, /: not a cache problem\n/);
    assert.match(stdout, /missing-package-docker26\.log:\d+: E: Unable to locate package mountlint-no-such-package/);
    assert.doesNotMatch(stdout, /cache:|held by|fix:/);
  });
  it('a log with several failures: one diagnosis each', async () => {
    const log = [
      '#1 [internal] load build definition from Dockerfile',
      '#1 DONE 0.0s',
      '#5 [a 2/2] RUN --mount=type=cache,target=/var/cache/apt apt-get update',
      '#6 [b 2/2] RUN make',
      '#5 0.412 E: Could not get lock /var/lib/apt/lists/lock. It is held by process 0',
      '#5 ERROR: process "/bin/sh -c apt-get update" did not complete successfully: exit code: 100',
      '#6 0.100 make: *** No targets specified and no makefile found.  Stop.',
      '#6 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
      'ERROR: failed to solve: process "/bin/sh -c apt-get update" did not complete successfully: exit code: 100',
    ].join('\n');
    const { code, stdout } = await diagnose(['-', '--format', 'json'], log);
    const out = JSON.parse(stdout) as Json;
    assert.deepEqual(out.diagnoses.map((d) => d.verdict), ['race-other-build', 'not-cache']);
    assert.equal(out.diagnoses[0].signature?.logLine, 5);
    assert.equal(code, 1);
  });
  it('not a build log, binary, empty, missing, a folder: one line, exit 2', async () => {
    const dir = scratchDir('mountlint-diagnose-bad-');
    try {
      writeFileSync(join(dir, 'notes.txt'), 'hello\nthis is not a build\n');
      writeFileSync(join(dir, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
      writeFileSync(join(dir, 'empty.log'), '');
      mkdirSync(join(dir, 'folder'));
      const cases: Array<[string, RegExp]> = [
        ['notes.txt', /notes\.txt is not a build log: it has none of BuildKit's "#N" progress lines/],
        ['image.bin', /image\.bin is a binary file, not a build log/],
        ['empty.log', /empty\.log is empty/],
        ['missing.log', /missing\.log: no such file/],
        ['folder', /folder: is a directory, not a build log/],
      ];
      for (const [file, message] of cases) {
        const r = await diagnose([join(dir, file)]);
        assert.equal(r.code, 2, file);
        assert.match(r.stderr, message, file);
        assert.equal(r.stderr.trim().split('\n').length, 1, `${file}: one line`);
        assert.equal(r.stdout, '', `${file}: nothing on stdout`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('keeps only a window of each step\'s output, but finds a signature anywhere in it', async () => {
    const lines = ['#5 [a 2/2] RUN --mount=type=cache,target=/var/cache/apt apt-get update'];
    for (let i = 0; i < 5000; i++) lines.push(`#5 ${(i / 100).toFixed(2)} Get:${i} http://deb.debian.org/debian bookworm/main amd64 pkg${i}`);
    lines.splice(2500, 0, '#5 25.00 E: Could not get lock /var/cache/apt/archives/lock. It is held by process 0');
    lines.push('#5 ERROR: process "/bin/sh -c apt-get update" did not complete successfully: exit code: 100');
    const reading = await readLog(Readable.from([Buffer.from(lines.join('\n'))]), 'big.log');
    const step = reading.log.steps.find((s) => s.number === 5)!;
    assert.ok(step.output.length <= 800, `${step.output.length} lines kept`);
    assert.equal(step.dropped! + step.output.length, 5001, 'every line kept or counted');
    assert.equal(step.output[0], lines[1].replace(/^#5 0\.00 /, ''), 'the first lines are kept');
    assert.equal(step.output.at(-1), lines.at(-2)!.replace(/^#5 \d+\.\d+ /, ''), 'and the last ones');
    assert.equal(reading.hits[0].logLine, 2501);
  });
});

describe('CI wrappers, line by line', () => {
  const unwrap = (line: string) => new CiUnwrapper().unwrap(line);
  it('GitHub Actions: timestamps, group markers, ##[error]', () => {
    assert.equal(unwrap('2026-03-01T10:00:00.1234567Z #5 [a 2/2] RUN x'), '#5 [a 2/2] RUN x');
    assert.equal(unwrap('2026-03-01T10:00:00.1234567Z ##[group]Run docker build'), undefined);
    assert.equal(unwrap('2026-03-01T10:00:00.1234567Z ##[error]buildx failed with: ERROR: failed to solve'), 'buildx failed with: ERROR: failed to solve');
    assert.equal(unwrap('build\tBuild and push\t2026-03-01T10:00:00.1234567Z #5 DONE 1.0s'), '#5 DONE 1.0s', 'gh run view --log');
  });
  it('GitLab: colours, section markers, carriage-return redraws', () => {
    assert.equal(unwrap('\x1b[0Ksection_start:1772359200:build\r\x1b[0K\x1b[36;1m#5 [a 2/2] RUN x\x1b[0;m'), '#5 [a 2/2] RUN x');
    assert.equal(unwrap('50%\r100%\r#5 DONE 1.0s'), '#5 DONE 1.0s');
    assert.equal(unwrap('#5 1.0 Reading 50%\rE: Could not get lock /var/lib/apt/lists/lock'), '#5 1.0 Reading 50% E: Could not get lock /var/lib/apt/lists/lock', "a step's own \\r keeps the line");
  });
  it('Jenkins: Timestamper prefixes and [Pipeline] lines', () => {
    assert.equal(unwrap('[2026-03-01T10:00:00.000Z] #5 DONE 1.0s'), '#5 DONE 1.0s');
    assert.equal(unwrap('10:00:01  #5 DONE 1.0s'.replace('  ', ' ')), '#5 DONE 1.0s');
    assert.equal(unwrap('[Pipeline] sh'), undefined);
  });
  it('leaves plain BuildKit lines alone', () => {
    for (const l of ['#5 12.34 E: Could not get lock /var/cache/apt/archives/lock', 'Dockerfile:3', ' > [builder 3/4] RUN x:', '   3 | >>> RUN x']) assert.equal(unwrap(l), l);
  });
});

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, isTTY = false) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY, env });
  return { code, stdout, stderr };
}

const SEED = join(REPO_ROOT, 'examples/seed/Dockerfile');
const tmp = () => scratchDir('mountlint-');

describe('mountlint check', () => {
  it('reports the seed race and exits 1', async () => {
    const r = await cli([SEED]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /cache-race/);
    assert.match(r.stdout, /\n +10 \| RUN --mount=type=cache/);
    assert.match(r.stdout, /\^{10,}/);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
  });
  it('colours a terminal unless NO_COLOR is set', async () => {
    assert.match((await cli([SEED], {}, true)).stdout, /\x1b\[31merror/);
    assert.doesNotMatch((await cli([SEED], { NO_COLOR: '1' }, true)).stdout, /\x1b\[/);
  });
  it('exits 0 on a clean file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'Dockerfile'), readFileSync(SEED, 'utf8').replace(/target=\/var\/cache\/apt /g, 'target=/var/cache/apt,sharing=locked '));
    const r = await cli([join(dir, 'Dockerfile')]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\(0 errors,/);
  });
  it('--target and --platform change the build', async () => {
    assert.equal((await cli([SEED, '--target', 'builder'])).code, 0);
    const dir = tmp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n');
    assert.equal((await cli([dir])).code, 0);
    assert.equal((await cli([dir, '--platform', 'linux/amd64,linux/arm64'])).code, 1);
  });
  it('JSON has the documented shape with 1-based positions', async () => {
    const r = await cli([SEED, '--format', 'json']);
    const json = JSON.parse(r.stdout);
    const d = json.files[0].diagnostics.find((x: { ruleId: string }) => x.ruleId === 'cache-race');
    assert.deepEqual(Object.keys(json.files[0]).sort(), ['diagnostics', 'path']);
    for (const k of ['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'related', 'fix']) assert.ok(k in d, k);
    assert.equal(d.line, 3); // the first use of the contended cache
    assert.equal(d.column, 5);
    assert.equal(d.endColumn, 45);
    assert.ok(d.related.every((x: { line: number; column: number; message: string }) => x.line >= 1 && x.column >= 1 && x.message));
    assert.equal(d.fix.applicability, 'safe');
  });
  it('finds Dockerfiles in directories by name', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, 'node_modules'));
    for (const name of ['Dockerfile', 'sub/api.Dockerfile', 'sub/Dockerfile.dev', 'sub/Containerfile', 'node_modules/Dockerfile', 'README.md']) {
      writeFileSync(join(dir, name), 'FROM debian\n');
    }
    const r = await cli([dir, '--format', 'json']);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path.slice(dir.length + 1)).sort(), ['Dockerfile', 'sub/Containerfile', 'sub/Dockerfile.dev', 'sub/api.Dockerfile']);
  });
  it('reads standard input with - (the real binary)', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '-', '--format', 'json'], { input: readFileSync(SEED), encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout).files[0].path, '<stdin>');
  });
  it('loads the shell parser when a script needs it (the real binary, a fresh process)', () => {
    // `if`, `$(…)` and `$VAR` are beyond the fast path for simple scripts.
    const complex = readFileSync(SEED, 'utf8').replace(/apt update && apt -y/g, 'if [ -n "$(ls)" ]; then apt update; fi && apt -y');
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '-', '--format', 'json'], { input: complex, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const races = JSON.parse(r.stdout).files[0].diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'cache-race');
    assert.equal(races.length, 1);
    assert.deepEqual(new Set([races[0].line, ...races[0].related.map((x: { line: number }) => x.line)]), new Set([3, 10]));
  });
  it('--fix on standard input writes the fixed file to standard output', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '-', '--fix'], { input: readFileSync(SEED), encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^FROM debian/);
    assert.equal((r.stdout.match(/sharing=locked/g) ?? []).length, 2);
    assert.match(r.stderr, /\(0 errors,/);
  });
  it('a bad Dockerfile is a diagnostic with file, line and column, exit 1', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian\nRUN --mount=type=cache,taget=/x true\n');
    const r = await cli([join(dir, 'Dockerfile')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Dockerfile:2:24: error: unexpected key 'taget' in 'taget=\/x' \(did you mean target\?\) \[invalid-mount\]/);
  });
  it('usage errors and unreadable input exit 2 with a message', async () => {
    for (const args of [['--format', 'xml', SEED], ['--fix-strategy', 'nope', SEED], ['--nope'], ['/no/such/file'], ['--build-arg', 'X', SEED], [SEED, '--target', 'nope'], ['explain']]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^mountlint: /);
    }
  });
  it('--help and --version', async () => {
    assert.match((await cli(['--help'])).stdout, /Usage:/);
    assert.match((await cli(['--version'])).stdout, /^\d+\.\d+\.\d+\nknowledge [0-9a-f]{12}: \d+ tools, \d+ images, \d+ sources of evidence, \d+ observed races\n$/);
  });
});

describe('mountlint --fix and --diff', () => {
  it('--diff prints a patch and writes nothing', async () => {
    const dir = tmp();
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, readFileSync(SEED));
    const r = await cli([file, '--diff']);
    assert.match(r.stdout, /^\+RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked apt update/m);
    assert.equal(readFileSync(file, 'utf8'), readFileSync(SEED, 'utf8'));
  });
  it('--fix writes in place, keeps the mode, leaves no temporary file, and is idempotent', async () => {
    const dir = tmp();
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, readFileSync(SEED));
    chmodSync(file, 0o640);
    const r = await cli([file, '--fix']);
    assert.equal(r.code, 0);
    const once = readFileSync(file, 'utf8');
    assert.equal((once.match(/sharing=locked/g) ?? []).length, 2);
    assert.deepEqual(readdirSync(dir), ['Dockerfile']);
    await cli([file, '--fix']);
    assert.equal(readFileSync(file, 'utf8'), once);
  });
});

describe('mountlint explain', () => {
  it('shows stages, concurrent steps and cache mounts', async () => {
    const r = await cli(['explain', SEED]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /builder .* built: used by "production" \(RUN --mount from=builder, line 12\)/);
    assert.match(r.stdout, /line 3 \(builder\)  with  line 10 \(production\)/);
    assert.match(r.stdout, /\/var\/cache\/apt  cache "\/var\/cache\/apt"  sharing=shared/);
  });
  it('JSON', async () => {
    const e = JSON.parse((await cli(['explain', SEED, '--format', 'json'])).stdout);
    assert.equal(e.target, 'production');
    assert.equal(e.stages.length, 2);
  });
});

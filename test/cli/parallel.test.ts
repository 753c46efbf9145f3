/**
 * Parallel runs print exactly what a serial run prints: on the real-world
 * corpus, in every format that lists findings, with --fix and --diff, and
 * with the CLI bundle (worker threads loading it through bin/load-cli.cjs)
 * as well as the compiled modules (worker.js).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { parseCli } from '../../src/cli/args.js';
import { LintPool } from '../../src/cli/pool.js';
import { encodeOptions } from '../../src/cli/portable.js';
import { CORPUS, REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(REPO_ROOT, 'bin/mountlint.cjs');
const skipCorpus = existsSync(CORPUS) ? false : `the real-world corpus is not here (${CORPUS})`;
const tmp = () => scratchDir('mountlint-parallel-');

function bin(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env: {} });
  return { code, stdout, stderr };
}

/** Two copies of the corpus in one folder: enough files for the default to start workers. */
function corpusTwice(): string {
  const dir = tmp();
  cpSync(CORPUS, join(dir, 'a'), { recursive: true });
  cpSync(CORPUS, join(dir, 'b'), { recursive: true });
  return dir;
}

describe('parallel runs', { skip: skipCorpus }, () => {
  it('print the same bytes as a serial run on the real-world corpus, in every format', () => {
    const dir = corpusTwice();
    // Every format renders the same results; these four cover positions, related locations, fixes and fingerprints.
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const serial = bin([dir, '--jobs', '1', '--format', format, '--no-config'], dir);
      assert.ok(serial.stdout.length > 1000, format);
      for (const jobs of [[], ['--jobs', '3']]) {
        const parallel = bin([dir, ...jobs, '--format', format, '--no-config'], dir);
        assert.equal(parallel.code, serial.code, `${format} ${jobs}`);
        assert.equal(parallel.stderr, serial.stderr, `${format} ${jobs}`);
        assert.ok(parallel.stdout === serial.stdout, `${format} ${jobs.join(' ')}: output differs from the serial run`);
      }
    }
  });

  it('fix the same files the same way, and show the same diff', () => {
    const a = corpusTwice();
    const b = tmp();
    cpSync(a, b, { recursive: true });
    // Unsafe fixes too: the corpus's safe fixes are few, its unsafe ones (cache mounts added) are many.
    const diffSerial = bin([a, '--diff', '--unsafe-fixes', '--jobs', '1', '--no-config'], a);
    const diffParallel = bin([a, '--diff', '--unsafe-fixes', '--jobs', '2', '--no-config'], a);
    assert.ok(diffSerial.stdout.includes('+++'));
    assert.equal(diffParallel.stdout, diffSerial.stdout);
    assert.equal(diffParallel.stderr, diffSerial.stderr);
    const fixSerial = bin([a, '--fix', '--unsafe-fixes', '--jobs', '1', '--no-config'], a);
    const fixParallel = bin([b, '--fix', '--unsafe-fixes', '--jobs', '2', '--no-config'], b);
    assert.equal(fixParallel.stdout, fixSerial.stdout.split(a).join(b));
    assert.equal(fixParallel.code, fixSerial.code);
    for (const sub of ['a', 'b']) {
      for (const name of readdirSync(join(a, sub))) assert.equal(readFileSync(join(b, sub, name), 'utf8'), readFileSync(join(a, sub, name), 'utf8'), `${sub}/${name}`);
    }
  });

  it('give the same result from the compiled modules (in-process run, worker.js)', async () => {
    const dir = corpusTwice();
    const serial = await inProcess([dir, '--jobs', '1', '--format', 'json', '--no-config']);
    const parallel = await inProcess([dir, '--jobs', '2', '--format', 'json', '--no-config']);
    assert.equal(parallel.code, serial.code);
    assert.ok(parallel.stdout === serial.stdout, 'output differs from the serial run');
  });
});

describe('parallel runs, without the corpus', () => {
  it('report an error of one file in its place, as a serial run does', () => {
    const dir = tmp();
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `${String(i).padStart(2, '0')}.Dockerfile`), i === 7 ? 'FROM a AS one\nRUN x\n' : 'FROM a AS build\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n');
    const serial = bin([dir, '--jobs', '1', '--target', 'build', '--no-config'], dir);
    const parallel = bin([dir, '--jobs', '2', '--target', 'build', '--no-config'], dir);
    assert.equal(parallel.code, serial.code);
    assert.equal(parallel.stderr, serial.stderr);
    assert.equal(parallel.stdout, serial.stdout);
    assert.match(serial.stderr, /build/);
  });

  it('--jobs takes a whole number from 1', () => {
    for (const bad of ['0', '-1', 'two', '1.5', '', '999']) assert.throws(() => parseCli([`--jobs=${bad}`, '.']), /--jobs takes a whole number/, bad);
    assert.equal(parseCli(['--jobs', '3', '.']).jobs, 3);
    assert.equal(parseCli(['.'], { MOUNTLINT_JOBS: '2' }).jobs, 2);
  });

  it('a pool gives each job its own outcome, in any order of completion, and survives a worker that stops', async () => {
    const pool = new LintPool(2, 1);
    const options = encodeOptions({});
    const texts = Array.from({ length: 30 }, (_, i) => `FROM debian AS s${i}\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y p${i}\n`);
    const outcomes = await Promise.all(texts.map((text, i) => pool.run({ path: `f${i}`, text, options, fix: i % 2 === 0 })));
    outcomes.forEach((o, i) => {
      assert.equal(o.linted.files[0].path, `f${i}`);
      assert.equal(!!o.fixed, i % 2 === 0);
    });
    assert.equal(pool.workers, 1);
    // A worker that dies hands its jobs back: they are done on the main thread.
    const lanes = (pool as unknown as { lanes: Array<{ worker: { terminate(): Promise<number> } }> }).lanes;
    const pending = texts.map((text, i) => pool.run({ path: `g${i}`, text, options, fix: false }));
    await lanes[0].worker.terminate();
    const again = await Promise.all(pending);
    again.forEach((o, i) => assert.equal(o.linted.files[0].path, `g${i}`));
    await pool.close();
  });
});

/**
 * The result cache: output with it is the output without it; anything a
 * result depends on (text, path, options, configuration, suppression
 * settings, the engine) changes the key; entries that are truncated,
 * garbage, written for another key or written by two processes at once are
 * never trusted. And the portable form it stores (also what worker threads
 * send) carries every rule's findings exactly.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCli } from '../../src/cli/args.js';
import { decodeResult, encodeResult, optionsFingerprint } from '../../src/cli/portable.js';
import { defaultCacheRoot, engineId, ResultCache } from '../../src/cli/result-cache.js';
import { lintOptionsFor } from '../../src/config/index.js';
import { lintText, prepare } from '../../src/engine/index.js';
import { allRules } from '../../src/rules/index.js';
import { CORPUS, REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(REPO_ROOT, 'bin/mountlint.cjs');
const SEED = join(REPO_ROOT, 'examples/seed/Dockerfile');
const skipCorpus = existsSync(CORPUS) ? false : `the real-world corpus is not here (${CORPUS})`;
const tmp = () => scratchDir('mountlint-cache-');

function bin(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env }, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function binAsync(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every entry file under a cache folder. */
function entries(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/^[0-9a-f]{62}$/.test(e.name)) out.push(join(dir, e.name));
    }
  };
  walk(root);
  return out;
}

/** A folder of Dockerfiles with findings of several rules. */
function project(): string {
  const dir = tmp();
  writeFileSync(join(dir, 'Dockerfile'), readFileSync(SEED));
  writeFileSync(join(dir, 'b.Dockerfile'), 'FROM debian\n# mountlint ignore=cache-race\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n');
  writeFileSync(join(dir, 'c.Dockerfile'), 'FROM python:3.12 AS a\nRUN --mount=type=cache,target=/root/.cache/pip if [ -f r ]; then pip install -r r; fi\nFROM python:3.12 AS b\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\nFROM scratch\nCOPY --from=a /x /a\nCOPY --from=b /x /b\n');
  return dir;
}

describe('result cache: output', () => {
  it('is the same cold, warm and without the cache, in text and JSON, and the warm run lints nothing', () => {
    const dir = project();
    const cache = join(tmp(), 'c');
    for (const format of ['text', 'json', 'sarif']) {
      const plain = bin([dir, '--format', format], { cwd: dir });
      const cold = bin([dir, '--format', format, '--cache', '--cache-location', cache], { cwd: dir });
      const warm = bin([dir, '--format', format, '--cache', '--cache-location', cache], { cwd: dir });
      assert.equal(plain.code, 1);
      for (const r of [cold, warm]) {
        assert.equal(r.code, plain.code, format);
        assert.equal(r.stderr, plain.stderr, format);
        assert.equal(r.stdout, plain.stdout, format);
      }
    }
    assert.equal(entries(cache).length, 3);
    // The warm run reads the entries: one rewritten (with a valid checksum) shows in its output.
    const entry = entries(cache).find((f) => readFileSync(f, 'utf8').includes('cache-race'))!;
    const [, body] = splitEntry(readFileSync(entry, 'utf8'));
    const result = JSON.parse(body);
    result.diagnostics[0].message = 'read from the cache';
    const key = entry.split('/').slice(-2).join('');
    const rewritten = JSON.stringify(result);
    writeFileSync(entry, `${createHash('sha256').update(key).update('\n').update(rewritten).digest('hex')}\n${rewritten}`);
    assert.match(bin([dir, '--cache', '--cache-location', cache], { cwd: dir }).stdout, /read from the cache/);
  });

  it('is the same on the real-world corpus, with worker threads cold and none warm', { skip: skipCorpus }, () => {
    const dir = tmp();
    cpSync(CORPUS, join(dir, 'a'), { recursive: true });
    cpSync(CORPUS, join(dir, 'b'), { recursive: true });
    const cache = join(tmp(), 'c');
    const plain = bin([dir, '--format', 'json', '--jobs', '1'], { cwd: dir });
    const cold = bin([dir, '--format', 'json', '--cache', '--cache-location', cache], { cwd: dir });
    const warm = bin([dir, '--format', 'json', '--cache', '--cache-location', cache], { cwd: dir });
    assert.ok(cold.stdout === plain.stdout, 'cold run with the cache differs');
    assert.ok(warm.stdout === plain.stdout, 'warm run differs');
    assert.equal(entries(cache).length, readdirSync(join(dir, 'a')).filter((f) => f.endsWith('.Dockerfile')).length * 2);
  });

  it('follows a changed option, configuration or suppression setting, never the stale entry', () => {
    const dir = project();
    const cache = join(tmp(), 'c');
    const cached = (args: string[]) => bin([dir, '--format', 'json', ...args, '--cache', '--cache-location', cache], { cwd: dir });
    const plain = (args: string[]) => bin([dir, '--format', 'json', ...args], { cwd: dir });
    const variants = [[], ['--select', 'cache-race'], ['--severity', 'cache-race=warning'], ['--ignore', 'cache-race'], ['--target', 'builder'], ['--platform', 'linux/amd64,linux/arm64'], ['--build-arg', 'X=1'], ['--frontend', 'docker-20.10'], ['--report-unused-suppressions'], ['--fix-strategy', 'private'], ['--unsafe-fixes']];
    for (const v of variants) cached(v); // fill the cache with every variant first
    for (const v of variants) assert.equal(cached(v).stdout, plain(v).stdout, v.join(' '));
    // The configuration file: rules, suppression settings, overrides.
    const configs = ['rules:\n  cache-race: off\n', 'suppressions:\n  require-reason: true\n', 'suppressions:\n  report-unused: true\n', 'overrides:\n  - files: ["b.Dockerfile"]\n    rules:\n      missing-cache-mount: "off"\n', 'build:\n  platforms: [linux/amd64, linux/arm64]\n'];
    for (const config of configs) {
      writeFileSync(join(dir, '.mountlint.yaml'), config);
      cached([]);
      writeFileSync(join(dir, '.mountlint.yaml'), config); // same again: a warm run
      assert.equal(cached([]).stdout, plain([]).stdout, config);
    }
    rmSync(join(dir, '.mountlint.yaml'));
    // The text: one byte changed.
    writeFileSync(join(dir, 'b.Dockerfile'), readFileSync(join(dir, 'b.Dockerfile'), 'utf8').replace('ignore=cache-race', 'ignore=cache-split'));
    assert.equal(cached([]).stdout, plain([]).stdout);
  });

  it('keys on the text, the path, the options and the engine', () => {
    const a = ResultCache.at({ root: '/x', engine: 'a'.repeat(32) });
    const b = ResultCache.at({ root: '/x', engine: 'b'.repeat(32) });
    const options = optionsFingerprint(lintOptionsFor({}, {}));
    const key = a.key('Dockerfile', options, 'FROM x\n');
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(a.key('Dockerfile', options, 'FROM x\n'), key);
    for (const other of [a.key('Dockerfile', options, 'FROM x \n'), a.key('other/Dockerfile', options, 'FROM x\n'), a.key('Dockerfile', optionsFingerprint(lintOptionsFor({}, { target: 't' })), 'FROM x\n'), b.key('Dockerfile', options, 'FROM x\n')]) {
      assert.notEqual(other, key);
    }
    // Texts that differ only in bytes that are not UTF-8 (kept as lone surrogates) are different texts.
    assert.notEqual(a.key('D', options, 'FROM x\udc80\n'), a.key('D', options, 'FROM x\udc81\n'));
    // Every option counts: rules, severities, suppression settings, fix strategies.
    const fingerprints = new Set(
      [
        {},
        { rules: allRules.slice(1) },
        { severities: { 'cache-race': 'warning' as const } },
        { reportUnusedSuppressions: true },
        { requireSuppressionReason: true },
        { fixStrategies: { apt: 'private' as const } },
        { fixStrategy: 'id' as const },
        { unsafeFixes: true },
        { concurrentBuilds: true },
        { target: 'a' },
        { buildArgs: { A: '1' } },
        { platforms: ['linux/arm64'] },
        { frontend: 'docker-20.10' as const },
      ].map((o) => optionsFingerprint(o)),
    );
    assert.equal(fingerprints.size, 13);
    assert.equal(optionsFingerprint({ target: 'a', buildArgs: { A: '1', B: '2' } }), optionsFingerprint({ buildArgs: { B: '2', A: '1' }, target: 'a' }));
  });

  it('is one folder per engine, and the engine id is stable within a build', () => {
    assert.match(engineId(), /^[0-9a-f]{32}$/);
    assert.equal(engineId(), engineId());
  });
});

function splitEntry(data: string): [string, string] {
  const nl = data.indexOf('\n');
  return [data.slice(0, nl), data.slice(nl + 1)];
}

describe('result cache: entries that do not check out', () => {
  let value: ReturnType<typeof encodeResult>;

  it('a truncated entry, garbage, an empty file or another key\'s entry is a miss, never a result', async () => {
    await prepare();
    value = encodeResult(lintText(readFileSync(SEED, 'utf8'), 'Dockerfile'));
    assert.ok(value.diagnostics.length > 0);
    const cache = ResultCache.at({ root: tmp(), engine: 'e'.repeat(32) });
    const key = cache.key('Dockerfile', '{}', 'x');
    const other = cache.key('Dockerfile', '{}', 'y');
    assert.equal(cache.get(key), undefined);
    assert.equal(cache.set(key, value), undefined);
    assert.deepEqual(cache.get(key), value);
    const path = entryPathOf(cache, key);
    const whole = readFileSync(path, 'utf8');
    const spoilt = [
      whole.slice(0, whole.length - 1),
      whole.slice(0, 70),
      whole.slice(0, 64),
      '',
      '\0\0\0\0',
      'garbage that is not an entry\n{}',
      whole.replace('"error"', '"info"').replace('"warning"', '"info"'),
      whole.slice(0, 65) + JSON.stringify({ files: [{ path: 'x' }], diagnostics: [] }),
    ];
    for (const data of spoilt) {
      writeFileSync(path, data);
      assert.equal(cache.get(key), undefined, JSON.stringify(data.slice(0, 80)));
    }
    // An entry copied from another key, whole and valid, is not this key's.
    cache.set(other, value);
    writeFileSync(path, readFileSync(entryPathOf(cache, other)));
    assert.equal(cache.get(key), undefined);
    // A valid checksum over a body that is not a result.
    const sum = createHash('sha256').update(key).update('\n').update('[1,2]').digest('hex');
    writeFileSync(path, `${sum}\n[1,2]`);
    assert.equal(cache.get(key), undefined);
  });

  it('the CLI ignores spoilt entries, lints again and mends them', () => {
    const dir = project();
    const cache = join(tmp(), 'c');
    const args = [dir, '--format', 'json', '--cache', '--cache-location', cache];
    const plain = bin([dir, '--format', 'json'], { cwd: dir });
    bin(args, { cwd: dir });
    const files = entries(cache);
    const [truncated, garbage, swapped] = files;
    writeFileSync(truncated, readFileSync(truncated, 'utf8').slice(0, 100));
    writeFileSync(garbage, 'ǝƃɐqɹɐƃ\n' + 'x'.repeat(500));
    writeFileSync(swapped, readFileSync(files.find((f) => f !== swapped && f !== garbage && f !== truncated) ?? truncated));
    const again = bin(args, { cwd: dir });
    assert.equal(again.stdout, plain.stdout);
    assert.equal(again.stderr, '');
    // Mended: every entry checks out again, and the next run reads them all.
    const warm = bin(args, { cwd: dir });
    assert.equal(warm.stdout, plain.stdout);
    for (const f of files) assert.ok(readFileSync(f, 'utf8').length > 100);
  });

  it('two writers at once: both runs and the next one print what a run without the cache prints', { skip: skipCorpus }, async () => {
    const dir = tmp();
    cpSync(CORPUS, join(dir, 'a'), { recursive: true });
    const cache = join(tmp(), 'c');
    const plain = bin([dir, '--format', 'json', '--jobs', '1'], { cwd: dir });
    const args = [dir, '--format', 'json', '--cache', '--cache-location', cache];
    const both = await Promise.all([binAsync(args, dir), binAsync(args, dir), binAsync([...args, '--jobs', '1'], dir)]);
    for (const r of both) {
      assert.equal(r.stderr, '');
      assert.ok(r.stdout === plain.stdout, 'a concurrent run differs');
    }
    assert.ok(bin(args, { cwd: dir }).stdout === plain.stdout, 'the run after them differs');
    // No temporary files left behind.
    const leftovers: string[] = [];
    const walk = (d: string) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.tmp') && leftovers.push(e.name)));
    walk(cache);
    assert.deepEqual(leftovers, []);
  });

  it('two writers of one entry while a reader reads: the reader sees the whole entry or none', async () => {
    const root = tmp();
    const location = { root, engine: 'f'.repeat(32) };
    const cache = ResultCache.at(location);
    const key = cache.key('Dockerfile', '{}', 'z');
    const big = { ...value, diagnostics: Array.from({ length: 100 }, () => value.diagnostics[0]) };
    const valueFile = join(tmp(), 'value.json');
    writeFileSync(valueFile, JSON.stringify(big));
    const writer = `import { readFileSync } from 'node:fs';
import { ResultCache } from ${JSON.stringify(join(REPO_ROOT, 'dist/src/cli/result-cache.js'))};
const cache = ResultCache.at(${JSON.stringify(location)});
const value = JSON.parse(readFileSync(${JSON.stringify(valueFile)}, 'utf8'));
for (let i = 0; i < 150; i++) cache.set(${JSON.stringify(key)}, value);`;
    const writers = [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', writer], { stdio: 'inherit' });
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
        }),
    );
    let done = false;
    void Promise.allSettled(writers).then(() => (done = true));
    let whole = 0;
    while (!done) {
      const got = cache.get(key);
      if (got) {
        assert.deepEqual(got, big);
        whole++;
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writers);
    assert.deepEqual(cache.get(key), big);
    assert.ok(whole > 0);
  });

  it('a cache that cannot be written: one warning, the same output and exit code', () => {
    const dir = project();
    const cache = join(tmp(), 'c');
    mkdirSync(cache);
    chmodSync(cache, 0o500);
    // Root writes through permission bits; an immutable folder stops root too.
    const root = process.getuid?.() === 0;
    if (root) assert.equal(spawnSync('chattr', ['+i', cache]).status, 0, 'chattr +i on the cache folder (root needs it to be unwritable)');
    try {
      const plain = bin([dir], { cwd: dir });
      const r = bin([dir, '--cache', '--cache-location', cache], { cwd: dir });
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.code, plain.code);
      assert.match(r.stderr, /^mountlint: warning: cannot .*result cache.*\n$/);
      assert.deepEqual(readdirSync(cache), []);
    } finally {
      if (root) spawnSync('chattr', ['-i', cache]);
    }
  });

  it('a cache location that is a file: one warning, the same output', () => {
    const dir = project();
    const file = join(tmp(), 'not-a-folder');
    writeFileSync(file, 'x');
    const plain = bin([dir], { cwd: dir });
    const r = bin([dir, '--cache', '--cache-location', file], { cwd: dir });
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.code, plain.code);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
    assert.match(r.stderr, /warning: cannot .*result cache/);
  });
});

function entryPathOf(cache: ResultCache, key: string): string {
  return join(cache.location.root, cache.location.engine, key.slice(0, 2), key.slice(2));
}

describe('result cache: turning it on and finding it', () => {
  it('--cache, cache: true in the configuration, --no-cache and MOUNTLINT_CACHE', () => {
    const dir = project();
    const cache = join(tmp(), 'c');
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) => bin([dir, '--cache-location', cache, ...args], { cwd: dir, env });
    run([]);
    assert.equal(existsSync(cache), false);
    run(['--no-cache'], { MOUNTLINT_CACHE: '1' });
    assert.equal(existsSync(cache), false);
    writeFileSync(join(dir, '.mountlint.yaml'), 'cache: true\n');
    run(['--no-cache']);
    run([], { MOUNTLINT_CACHE: '0' });
    assert.equal(existsSync(cache), false);
    run([]);
    assert.equal(entries(cache).length, 3);
    rmSync(cache, { recursive: true });
    rmSync(join(dir, '.mountlint.yaml'));
    run([], { MOUNTLINT_CACHE: '1' });
    assert.equal(entries(cache).length, 3);
    assert.equal(parseCli(['.', '--cache']).cache, true);
    assert.equal(parseCli(['.', '--no-cache']).cache, false);
    assert.equal(parseCli(['.']).cache, undefined);
    assert.equal(parseCli(['.', '--cache-location', 'x'], { MOUNTLINT_CACHE_LOCATION: 'y' }).cacheLocation, 'x');
    assert.throws(() => parseCli(['.', '--cache', '--no-cache']), /either --cache or --no-cache/);
  });

  it('cache: must be true or false in the configuration', () => {
    const dir = project();
    writeFileSync(join(dir, '.mountlint.yaml'), 'cache: yes please\n');
    const r = bin([dir], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.mountlint\.yaml:1:8: cache must be true or false/);
  });

  it('defaults to node_modules/.cache/mountlint in a project with node_modules, else $XDG_CACHE_HOME/mountlint', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), '{}');
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    assert.equal(defaultCacheRoot({}, join(dir, 'sub', 'deeper')), join(dir, 'node_modules', '.cache', 'mountlint'));
    const bare = tmp();
    assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: '/var/tmp/xdg' }, bare), '/var/tmp/xdg/mountlint');
    assert.match(defaultCacheRoot({ XDG_CACHE_HOME: 'relative' }, bare), /\.cache\/mountlint$/);
    // A project without node_modules gets none made for it.
    const noModules = tmp();
    writeFileSync(join(noModules, 'package.json'), '{}');
    assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: '/var/tmp/xdg' }, noModules), '/var/tmp/xdg/mountlint');
  });

  it('removes folders of engines unused for a week, keeps recent ones, and marks the folder for backup tools', () => {
    const root = tmp();
    const old = join(root, '0'.repeat(32));
    const recent = join(root, '1'.repeat(32));
    mkdirSync(old);
    mkdirSync(recent);
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(old, weekAgo, weekAgo);
    ResultCache.open(root);
    assert.equal(existsSync(old), false);
    assert.equal(existsSync(recent), true);
    assert.match(readFileSync(join(root, 'CACHEDIR.TAG'), 'utf8'), /^Signature: 8a477f597d28d172789f06886806bc55/);
    assert.ok(statSync(root).isDirectory());
  });
});

describe('result cache: --fix', () => {
  it('fixes a file whose cached findings have fixes, and the next run reads the fixed file\'s findings', () => {
    const dir = project();
    const copy = tmp();
    cpSync(dir, copy, { recursive: true });
    const cache = join(tmp(), 'c');
    bin([dir, '--cache', '--cache-location', cache], { cwd: dir }); // findings cached before fixing
    const fixed = bin([dir, '--fix', '--cache', '--cache-location', cache], { cwd: dir });
    const fixedPlain = bin([copy, '--fix'], { cwd: copy });
    assert.equal(fixed.stdout, fixedPlain.stdout.split(copy).join(dir));
    for (const name of readdirSync(dir)) assert.equal(readFileSync(join(dir, name), 'utf8'), readFileSync(join(copy, name), 'utf8'), name);
    const count = entries(cache).length;
    const after = bin([dir, '--cache', '--cache-location', cache], { cwd: dir });
    assert.equal(after.stdout, bin([dir], { cwd: dir }).stdout);
    assert.equal(entries(cache).length, count, 'the fixed files were already in the cache');
  });
});

describe('result cache: bake and compose builds', () => {
  const APT = (pkg: string) => `FROM debian:bookworm\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y ${pkg}\n`;
  function buildProject(): string {
    const dir = tmp();
    mkdirSync(join(dir, 'api'));
    mkdirSync(join(dir, 'worker'));
    writeFileSync(join(dir, 'api', 'Dockerfile'), APT('curl'));
    writeFileSync(join(dir, 'worker', 'Dockerfile'), APT('git'));
    writeFileSync(join(dir, 'docker-bake.hcl'), 'group "default" { targets = ["api", "worker"] }\ntarget "api" { context = "api" }\ntarget "worker" { context = "worker" }\n');
    return dir;
  }

  it('a build is one entry, keyed on every file involved: a change to any of them is seen', () => {
    const dir = buildProject();
    const cache = join(tmp(), 'c');
    const cached = () => bin([join(dir, 'docker-bake.hcl'), '--format', 'json', '--cache', '--cache-location', cache], { cwd: dir });
    const plain = () => bin([join(dir, 'docker-bake.hcl'), '--format', 'json'], { cwd: dir });
    const first = plain();
    assert.match(first.stdout, /cache-race/);
    assert.equal(cached().stdout, first.stdout);
    assert.equal(entries(cache).length, 1);
    assert.equal(cached().stdout, first.stdout); // warm
    // Each file on its own: the second Dockerfile, the bake file, then the first Dockerfile.
    const edits: Array<[string, string]> = [
      [join(dir, 'worker', 'Dockerfile'), APT('git').replace('/var/cache/apt', '/var/cache/apt,sharing=locked')],
      [join(dir, 'docker-bake.hcl'), 'group "default" { targets = ["api"] }\ntarget "api" { context = "api" }\ntarget "worker" { context = "worker" }\n'],
      [join(dir, 'api', 'Dockerfile'), APT('curl wget')],
    ];
    for (const [file, text] of edits) {
      writeFileSync(file, text);
      const expected = plain();
      assert.equal(cached().stdout, expected.stdout, file);
      assert.equal(cached().stdout, expected.stdout, `${file}, warm`);
    }
    // Options count for builds too.
    assert.equal(bin([join(dir, 'docker-bake.hcl'), '--format', 'json', '--concurrent-builds', '--cache', '--cache-location', cache], { cwd: dir }).stdout, bin([join(dir, 'docker-bake.hcl'), '--format', 'json', '--concurrent-builds'], { cwd: dir }).stdout);
  });

  it('a folder with a bake file and other Dockerfiles: the same output cold, warm and without the cache', () => {
    const dir = buildProject();
    writeFileSync(join(dir, 'alone.Dockerfile'), readFileSync(SEED));
    const cache = join(tmp(), 'c');
    const plain = bin([dir], { cwd: dir });
    assert.equal(bin([dir, '--cache', '--cache-location', cache], { cwd: dir }).stdout, plain.stdout);
    assert.equal(bin([dir, '--cache', '--cache-location', cache], { cwd: dir }).stdout, plain.stdout);
    assert.equal(entries(cache).length, 2);
  });
});

describe('portable results', () => {
  it('carry every rule\'s findings, fixes and suggestions exactly', async () => {
    await prepare();
    let checked = 0;
    for (const rule of allRules) {
      for (const example of [...rule.meta.bad, ...rule.meta.good]) {
        const result = lintText(example.dockerfile, 'Dockerfile', { ...example.options, reportUnusedSuppressions: true });
        const trip = decodeResult(JSON.parse(JSON.stringify(encodeResult(result))), 'Dockerfile', example.dockerfile);
        assert.deepEqual(trip.diagnostics, result.diagnostics.map(dropUndefined), `${rule.meta.id}: ${example.title}`);
        assert.deepEqual(trip.suppressed ?? [], (result.suppressed ?? []).map(dropUndefined));
        checked += result.diagnostics.length;
      }
    }
    assert.ok(checked > 20);
  });

  it('carry the real-world corpus\'s findings exactly', { skip: skipCorpus }, async () => {
    await prepare();
    for (const name of readdirSync(CORPUS).filter((f) => f.endsWith('.Dockerfile'))) {
      const text = readFileSync(join(CORPUS, name), 'utf8');
      const result = lintText(text, name, { reportUnusedSuppressions: true, platforms: ['linux/amd64', 'linux/arm64'] });
      const trip = decodeResult(JSON.parse(JSON.stringify(encodeResult(result))), name, text);
      assert.deepEqual(trip.diagnostics, result.diagnostics.map(dropUndefined), name);
    }
  });
});

/** What JSON keeps of a value: keys whose value is undefined go. */
function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dropUndefined(v)])) as T;
  }
  return value;
}

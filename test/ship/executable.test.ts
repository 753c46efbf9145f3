/**
 * The single executable (npm run build:sea) on a machine without Node: run
 * with an empty PATH and an environment of its own, from a folder with no
 * node anywhere, on the seed, a script that needs the shell parser, a bake
 * file, and `lsp --stdio`; bad input as the CLI; the Docker plugin metadata.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { seaExecutable } from '../helpers/sea.js';
import { scratchDir } from '../helpers/scratch.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');

/** The executable copied alone into a fresh folder, run there with PATH empty and nothing else in the environment. */
function standalone() {
  const dir = scratchDir('mountlint-nonode-');
  const bin = join(dir, 'mountlint');
  copyFileSync(seaExecutable(), bin);
  chmodSync(bin, 0o755);
  const run = (args: string[], { input, cwd = dir }: { input?: string; cwd?: string } = {}) => spawnSync(bin, args, { cwd, input, env: { PATH: '' }, encoding: 'utf8' });
  return { dir, bin, run };
}

/** LSP messages, framed with Content-Length. */
function frame(message: object): string {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('the single executable', () => {
  it('is one file with Node and mountlint inside; no node on PATH, none beside it', () => {
    const { dir, run } = standalone();
    assert.deepEqual(readdirSync(dir), ['mountlint']);
    const version = run(['--version']);
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, new RegExp(`^${JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version.replace(/\./g, '\\.')}\\b`));
    assert.equal((spawnSync('node', ['--version'], { env: { PATH: '' } }).error as NodeJS.ErrnoException | undefined)?.code, 'ENOENT');
  });

  it('lints the seed, a script that needs the shell parser, stdin; fixes in place', () => {
    const { dir, run } = standalone();
    writeFileSync(join(dir, 'Dockerfile'), SEED);
    const seed = run(['Dockerfile']);
    assert.equal(seed.status, 1, seed.stderr);
    assert.match(seed.stdout, /^Dockerfile:3:5: error: Cache race on cache "\/var\/cache\/apt"/m);
    const stdin = run(['-', '--format', 'json'], { input: SEED });
    assert.equal(stdin.status, 1);
    assert.match(stdin.stdout, /"cache-race"/);
    writeFileSync(join(dir, 'scripted.Dockerfile'), 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip if [ -f requirements.txt ]; then pip install -r requirements.txt; fi\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y gcc\n');
    const scripted = run(['scripted.Dockerfile', '--format', 'json']);
    assert.match(scripted.stdout, /cache-ineffective|missing-cache-mount|cache-race|apt/, scripted.stderr);
    const fixed = run(['--fix', 'Dockerfile']);
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /sharing=locked/);
  });

  it('a bake file and its Dockerfiles (mountlint reads it: no docker here)', () => {
    const { dir, run } = standalone();
    cpSync(join(REPO_ROOT, 'e2e/builds/b01-bake-two-targets-apt'), join(dir, 'bake'), { recursive: true });
    const r = run(['docker-bake.hcl'], { cwd: join(dir, 'bake') });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /cache-race/);
    assert.match(r.stdout, /in 2 files/);
  });

  it('lsp --stdio answers initialize and publishes the seed\'s cache race', async () => {
    const { bin, dir } = standalone();
    const child = spawn(bin, ['lsp', '--stdio'], { cwd: dir, env: { PATH: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const got = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (/"textDocument\/publishDiagnostics"[\s\S]*cache-race/.test(out)) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
      setTimeout(() => reject(new Error(`no diagnostics in 20 s: ${out}`)), 20_000).unref();
    });
    child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    child.stdin.write(frame({ method: 'initialized', params: {} }));
    child.stdin.write(frame({ method: 'textDocument/didOpen', params: { textDocument: { uri: `file://${dir}/Dockerfile`, languageId: 'dockerfile', version: 1, text: SEED } } }));
    const text = await got.catch((err: unknown) => {
      child.kill();
      throw err;
    });
    // A failed check must not leave the server running: the test process would never end.
    if (!/"id":1,"result":\{"capabilities"/.test(text)) child.kill();
    assert.match(text, /"id":1,"result":\{"capabilities"/);
    child.stdin.write(frame({ id: 2, method: 'shutdown' }));
    child.stdin.write(frame({ method: 'exit' }));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
  });

  it('bad input: exit 2, one line, no stack trace, nothing written', () => {
    const { dir, run } = standalone();
    const missing = run(['nope/Dockerfile']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    writeFileSync(join(dir, '.mountlint.yaml'), 'rules:\n  cache-rase: off\n');
    const config = run(['.']);
    assert.equal(config.status, 2);
    assert.match(config.stderr, /\.mountlint\.yaml:2:3: /);
    const option = run(['--no-such-option']);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /^mountlint: /);
    for (const r of [missing, config, option]) assert.doesNotMatch(r.stderr, /\n\s+at /);
    // A folder and file it may not write: --fix fails in one line and leaves them as they were
    // (as root, the executable runs as nobody, since root may write anything).
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'ro'));
    writeFileSync(join(dir, 'ro', 'Dockerfile'), SEED);
    chmodSync(join(dir, 'ro'), 0o555);
    chmodSync(join(dir, 'ro', 'Dockerfile'), 0o444);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const denied = spawnSync(join(dir, 'mountlint'), ['--fix', '--no-config', 'ro/Dockerfile'], { cwd: dir, env: { PATH: '' }, encoding: 'utf8', ...asNobody });
    assert.equal(denied.status, 2, denied.stdout + denied.stderr);
    assert.equal(denied.stderr.trim().split('\n').length, 1, denied.stderr);
    assert.match(denied.stderr, /ro\/Dockerfile/);
    assert.equal(readFileSync(join(dir, 'ro', 'Dockerfile'), 'utf8'), SEED);
    assert.deepEqual(readdirSync(join(dir, 'ro')), ['Dockerfile']);
  });

  it('answers the Docker CLI plugin handshake and installs itself as docker-mountlint', () => {
    const { dir, run } = standalone();
    const meta = run(['docker-cli-plugin-metadata']);
    assert.equal(meta.status, 0);
    const json = JSON.parse(meta.stdout);
    assert.equal(json.SchemaVersion, '0.1.0');
    assert.equal(json.Vendor, 'mountlint');
    const installed = run(['install-docker-plugin', '--dir', join(dir, 'plugins')]);
    assert.equal(installed.status, 0, installed.stderr);
    assert.equal(statSync(join(dir, 'plugins/docker-mountlint')).size, statSync(join(dir, 'mountlint')).size);
    const asPlugin = spawnSync(join(dir, 'plugins/docker-mountlint'), ['mountlint', '-'], { input: SEED, env: { PATH: '' }, encoding: 'utf8' });
    assert.equal(asPlugin.status, 1, asPlugin.stderr);
    assert.match(asPlugin.stdout, /^<stdin>:3:5: error: Cache race/m);
    writeFileSync(join(dir, 'file'), '');
    const bad = run(['install-docker-plugin', '--dir', join(dir, 'file', 'plugins')]);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['file', 'mountlint', 'plugins']);
  });
});

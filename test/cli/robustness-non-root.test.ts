/**
 * The real binary, run as a non-root user (as root, the tests switch to
 * `nobody`), on what file systems hold: unreadable files and directories,
 * FIFOs, symbolic links and loops, read-only files, directories and file
 * systems, immutable files, files of other users, non-UTF-8 and binary
 * files, huge lines. Each has its message and exit code, and where a write
 * fails, no file changed and no temporary file is left. Cases that need
 * privileges this run does not have (mounting a read-only tmpfs, chattr)
 * are skipped with the reason; `.ci/run` runs as root and has them.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const ROOT = process.getuid?.() === 0;
/** Who runs the binary: `nobody` when the tests run as root, else the user running them. */
const USER = ROOT ? { uid: 65534, gid: 65534 } : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'));

let base: string;
let bin: string;

/** A copy of the CLI that any user can read (the checkout may sit where `nobody` cannot). */
function install(): string {
  const dir = join(base, 'install');
  for (const d of ['bin', 'dist']) mkdirSync(join(dir, d), { recursive: true });
  cpSync(join(REPO_ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  for (const f of ['mountlint.cjs', 'mountlint.cjs.cache', 'tree-sitter.wasm', 'tree-sitter-bash.wasm']) cpSync(join(REPO_ROOT, 'dist', f), join(dir, 'dist', f));
  cpSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  return join(dir, 'bin/mountlint.cjs');
}

function mountlint(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: base, ...(ROOT ? USER : {}), ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr), signal: r.signal };
}

/** A folder (and files) that belong to the user running the binary. */
function own(...paths: string[]): void {
  if (ROOT) for (const p of paths) chownSync(p, USER.uid, USER.gid);
}

function folder(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir);
  own(dir);
  return dir;
}

function dockerfile(dir: string, name = 'Dockerfile', content: Buffer | string = SEED): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  own(file);
  return file;
}

/** The folder's files and their bytes, to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n)).toString('hex')]));
}

function needsRoot(t: TestContext, what: string): boolean {
  if (ROOT) return true;
  t.skip(`${what} needs root (run the tests as root, as .ci/run does)`);
  return false;
}

describe(`the binary as a non-root user (uid ${USER.uid})`, () => {
  before(() => {
    base = scratchDir('mountlint-robust-');
    chmodSync(base, 0o755);
    bin = install();
  });
  after(() => {
    spawnSync('chattr', ['-R', '-i', base], { stdio: 'ignore' });
    spawnSync('chmod', ['-R', 'u+rwX', base], { stdio: 'ignore' }); // the unreadable and read-only folders
    rmSync(base, { recursive: true, force: true });
  });

  it('an unreadable file: permission denied, exit 2, the other file reported', () => {
    const dir = folder('unreadable-file');
    const secret = dockerfile(dir, 'secret.Dockerfile');
    chmodSync(secret, 0o000);
    const good = dockerfile(dir);
    const r = mountlint([secret, good]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${secret}: permission denied\n`);
    assert.match(r.stdout, /Dockerfile:\d+:5: error: Cache race/);
  });

  it('an unreadable directory, given and met in a search', () => {
    const dir = folder('unreadable-dir');
    const locked = folder('unreadable-dir/locked');
    dockerfile(locked);
    dockerfile(dir);
    chmodSync(locked, 0o000);
    const given = mountlint([locked]);
    assert.equal(given.code, 2);
    assert.equal(given.stderr, `mountlint: ${locked}: permission denied\n`);
    const searched = mountlint([dir]);
    assert.equal(searched.code, 2);
    assert.equal(searched.stderr, `mountlint: ${locked}: permission denied\n`);
    assert.match(searched.stdout, new RegExp(`${dir}/Dockerfile:\\d+:5: error: Cache race`));
  });

  it('a FIFO named on the command line is read; one met in a search is skipped, not waited on', async () => {
    const dir = folder('fifo');
    const fifo = join(dir, 'pipe.Dockerfile');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    own(fifo);
    const writer = spawn('sh', ['-c', `cat "${join(REPO_ROOT, 'examples/seed/Dockerfile')}" > "${fifo}"`]);
    const r = await new Promise<{ code: number | null; stdout: string }>((done) => {
      const child = spawn(process.execPath, [bin, fifo, '--format', 'json'], { ...(ROOT ? USER : {}), cwd: base });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => done({ code, stdout }));
    });
    writer.kill();
    assert.equal(r.code, 1);
    assert.ok(JSON.parse(r.stdout).files[0].diagnostics.some((d: { ruleId: string }) => d.ruleId === 'cache-race'));
    dockerfile(dir);
    const searched = mountlint([dir], { timeout: 20_000 });
    assert.equal(searched.signal, null, 'did not hang on the FIFO');
    assert.equal(searched.code, 1);
    assert.doesNotMatch(searched.stdout, /pipe\.Dockerfile/);
  });

  it('symbolic links: a loop and a dangling link are one line each; --fix through a link edits the target', () => {
    const dir = folder('links');
    symlinkSync('loop', join(dir, 'loop'));
    symlinkSync('nowhere', join(dir, 'dangling'));
    const loop = mountlint([join(dir, 'loop')]);
    assert.equal(loop.code, 2);
    assert.equal(loop.stderr, `mountlint: ${join(dir, 'loop')}: too many levels of symbolic links (a loop?)\n`);
    assert.equal(mountlint([join(dir, 'dangling')]).stderr, `mountlint: ${join(dir, 'dangling')}: no such file or directory\n`);
    const target = dockerfile(dir, 'real.Dockerfile');
    symlinkSync('real.Dockerfile', join(dir, 'Dockerfile'));
    const fixed = mountlint([join(dir, 'Dockerfile'), '--fix']);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(readFileSync(target, 'utf8'), /sharing=locked/);
  });

  it('--fix on a read-only file: refused with a message, exit 2, nothing changed', () => {
    const dir = folder('read-only-file');
    const file = dockerfile(dir);
    chmodSync(file, 0o444);
    const before = snapshot(dir);
    const r = mountlint([file, '--fix']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${file}: not written: the file is read-only (mode 0444)\n`);
    assert.deepEqual(snapshot(dir), before);
  });

  it('--fix in a read-only directory: the new file cannot be made, exit 2, nothing changed', () => {
    const dir = folder('read-only-dir');
    const file = dockerfile(dir);
    chmodSync(dir, 0o555);
    const before = snapshot(dir);
    const r = mountlint([file, '--fix']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${file}: not written: permission denied (creating the new file beside it)\n`);
    assert.deepEqual(snapshot(dir), before);
    assert.match(r.stdout, /Not written: .*permission denied/);
  });

  it('--fix on a read-only file system: exit 2, nothing changed', (t) => {
    if (!needsRoot(t, 'mounting a read-only tmpfs')) return;
    const dir = folder('read-only-fs');
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0755', 'tmpfs', dir]).status !== 0) return void t.skip('mount -t tmpfs failed here (no CAP_SYS_ADMIN?)');
    try {
      own(dir);
      const file = dockerfile(dir);
      assert.equal(spawnSync('mount', ['-o', 'remount,ro', dir]).status, 0);
      const before = snapshot(dir);
      const r = mountlint([file, '--fix']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `mountlint: ${file}: not written: read-only file system (creating the new file beside it)\n`);
      assert.deepEqual(snapshot(dir), before);
    } finally {
      spawnSync('umount', [dir]);
    }
  });

  it('--fix on an immutable file: the rename is refused, exit 2, nothing changed, no temporary file left', (t) => {
    if (!needsRoot(t, 'chattr +i')) return;
    const dir = folder('immutable');
    const file = dockerfile(dir);
    if (spawnSync('chattr', ['+i', file]).status !== 0) return void t.skip(`chattr +i is not supported on ${tmpdir()}'s file system`);
    const before = snapshot(dir);
    const r = mountlint([file, '--fix']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${file}: not written: operation not permitted (replacing it)\n`);
    assert.deepEqual(snapshot(dir), before);
  });

  it("--fix on another user's file: refused (the new file could not keep its owner), nothing changed", (t) => {
    if (!needsRoot(t, 'a file of another user')) return;
    const dir = folder('other-user');
    chmodSync(dir, 0o777);
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, SEED);
    chmodSync(file, 0o666); // writable by anyone, owned by root
    const before = snapshot(dir);
    const r = mountlint([file, '--fix']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${file}: not written: the file belongs to another user (uid 0), whom only root can give the fixed file\n`);
    assert.deepEqual(snapshot(dir), before);
  });

  it('a file that is not UTF-8 is fixed with every other byte kept', () => {
    const dir = folder('latin1');
    const bytes = Buffer.concat([Buffer.from('# caf\xe9 \xa9 2024\n', 'latin1'), SEED]);
    const file = dockerfile(dir, 'Dockerfile', bytes);
    const r = mountlint([file, '--fix']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(file), Buffer.from(bytes.toString('latin1').replace(/target=\/var\/cache\/apt apt/g, 'target=/var/cache/apt,sharing=locked apt'), 'latin1'));
  });

  it('a binary file: one line, not a text file, exit 2; a huge one is refused by its size', () => {
    const dir = folder('binary');
    const elf = dockerfile(dir, 'Dockerfile', readFileSync('/bin/sh').subarray(0, 100_000));
    const r = mountlint([elf]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`^mountlint: ${elf}: not a text file \\(a NUL byte at offset \\d+\\)\\n$`));
    assert.ok(r.stdout.length < 300);
    const big = mountlint([process.execPath]); // ~100 MB
    assert.equal(big.code, 2);
    assert.equal(big.stderr, `mountlint: ${process.execPath}: larger than 64 MiB: not a Dockerfile\n`);
  });

  it("a 5 MB line: BuildKit's line limit, with the line echoed in a short window", () => {
    const dir = folder('huge-line');
    const file = dockerfile(dir, 'Dockerfile', SEED.toString().replace('install vim', `install vim ${'x'.repeat(5_000_000)}`));
    const r = mountlint([file]);
    assert.equal(r.code, 1);
    assert.ok(r.stdout.length < 2_000, `${r.stdout.length} characters`);
    assert.match(r.stdout, /Dockerfile:10:1: error: dockerfile line greater than max allowed size of 65535 \[syntax\]\n {2}10 \| RUN .{100,300}…\n/);
  });
});

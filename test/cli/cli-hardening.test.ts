/**
 * The CLI on the file system: every failure is one line naming the file and
 * the cause, exit 2, and the other files are still reported; --fix writes
 * each file whole or not at all and keeps every byte outside its edits;
 * --diff shows exactly what --fix would write. (As the user running the
 * tests; test/cli/robustness-non-root.test.ts runs the binary as a non-root user.)
 */
import { strict as assert } from 'node:assert';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

async function cli(args: string[]) {
  let stdout = '';
  const bytes: Buffer[] = [];
  let stderr = '';
  const code = await run(args, {
    stdout: (s) => {
      stdout += s;
      bytes.push(Buffer.from(s));
    },
    stdoutBytes: (b) => bytes.push(Buffer.from(b)),
    stderr: (s) => (stderr += s),
    isTTY: false,
    env: {},
  });
  return { code, stdout, stderr, bytes: Buffer.concat(bytes) };
}

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'));
const tmp = () => scratchDir('mountlint-');
function seedIn(dir: string, name = 'Dockerfile', content: Buffer | string = SEED): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('CLI: small faults', () => {
  it('`mountlint help` is --help', async () => {
    const r = await cli(['help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^mountlint — /);
  });
  it('unknown options in our own words, with a suggestion', async () => {
    for (const [args, message] of [
      [['--fxi'], 'mountlint: unknown option --fxi (did you mean --fix?); a path that starts with "-" goes after "--"\n'],
      [['-z'], 'mountlint: unknown option -z; a path that starts with "-" goes after "--"\n'],
      [['--target'], 'mountlint: --target needs a value\n'],
      [['--fix=yes'], 'mountlint: --fix takes no value\n'],
    ] as const) {
      const r = await cli([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, message + 'Run "mountlint --help" for usage.\n');
    }
  });
  it('--platform rejects unknown and empty platforms', async () => {
    const dir = tmp();
    const file = seedIn(dir);
    for (const p of ['garbage,linux', '', 'linux/amd64,', 'linux//amd64', 'linux/amd64/v8/x', 'plan10/amd64', 'linux/nope']) {
      const r = await cli([file, '--platform', p]);
      assert.equal(r.code, 2, p);
      assert.match(r.stderr, /^mountlint: --platform/, p);
    }
    for (const p of ['linux', 'arm64', 'linux/arm/v7', 'windows/amd64']) assert.notEqual((await cli([file, '--platform', p])).code, 2, p);
  });
  it('an unknown --target lists the stages', async () => {
    const r = await cli([seedIn(tmp()), '--target', 'producton']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /target stage "producton" could not be found \(did you mean production\?\); the stages are builder, production\n/);
  });
  it('explain and verify refuse --fix, --diff and --unsafe-fixes', async () => {
    const file = seedIn(tmp());
    for (const flag of ['--fix', '--diff', '--unsafe-fixes']) {
      const r = await cli(['explain', file, flag]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`^mountlint: ${flag} is an option of mountlint check, not of mountlint explain`));
    }
  });
  it('directory search finds every usual Dockerfile name, and only those', async () => {
    const dir = tmp();
    const names = ['Dockerfile', 'dockerfile', 'Dockerfile-dev', 'Dockerfile_ci', 'Dockerfile.dev', 'Containerfile', 'Containerfile.dev', 'api.containerfile', 'web.Dockerfile', 'x.dockerfile'];
    const others = ['Dockerfile.dockerignore', 'Dockerfile.md', 'README', 'Dockerfiles', 'Makefile', 'dockerfile.bak'];
    for (const n of [...names, ...others]) writeFileSync(join(dir, n), 'FROM scratch\n');
    const r = await cli([dir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const found = JSON.parse(r.stdout).files.map((f: { path: string }) => f.path.slice(dir.length + 1));
    assert.deepEqual(found.sort(), [...names].sort());
  });
});

describe('CLI: failures name the file, exit 2, and the other files are still reported', () => {
  it('missing paths, directories and binary files among good files', async () => {
    const dir = tmp();
    const good = seedIn(dir);
    writeFileSync(join(dir, 'bin.Dockerfile'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
    const r = await cli([join(dir, 'missing'), good, join(dir, 'bin.Dockerfile'), '--format', 'json']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${join(dir, 'missing')}: no such file or directory\nmountlint: ${join(dir, 'bin.Dockerfile')}: not a text file (a NUL byte at offset 4)\n`);
    const files = JSON.parse(r.stdout).files;
    // Files that could not be read come first.
    assert.deepEqual(files.map((f: { path: string; error?: string }) => [f.path, f.error]), [
      [join(dir, 'missing'), 'no such file or directory'],
      [join(dir, 'bin.Dockerfile'), 'not a text file (a NUL byte at offset 4)'],
      [good, undefined],
    ]);
    assert.ok(files[2].diagnostics.some((d: { ruleId: string }) => d.ruleId === 'cache-race'));
  });
  it('a binary file is one message, not hundreds of diagnostics', async () => {
    const r = await cli(['/bin/ls']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.split('\n').length, 2);
    assert.match(r.stderr, /^mountlint: \/bin\/ls: not a text file/);
    assert.ok(r.stdout.length < 200, r.stdout);
  });
  it('a symbolic link loop and a dangling link in a searched directory', async () => {
    const dir = tmp();
    seedIn(dir);
    symlinkSync('loop.Dockerfile', join(dir, 'loop.Dockerfile'));
    symlinkSync('nowhere', join(dir, 'dangling.Dockerfile'));
    const r = await cli([dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dangling\.Dockerfile: no such file or directory\n/);
    assert.match(r.stderr, /loop\.Dockerfile: too many levels of symbolic links/);
    assert.match(r.stdout, /Dockerfile:\d+:5: error: Cache race/);
  });
  it('a huge line is echoed in a window with an ellipsis', async () => {
    const dir = tmp();
    const file = seedIn(dir, 'Dockerfile', SEED.toString().replace('install vim', `install vim ${'x'.repeat(5_000_000)}`));
    const r = await cli([file]);
    assert.equal(r.code, 1);
    assert.ok(r.stdout.length < 20_000, `${r.stdout.length} characters`);
    assert.match(r.stdout, /…\n/);
  });
});

describe('CLI: --fix and --diff write exactly what they should', () => {
  it('--diff exits as the file on disk is (1: it still has the race), and --fix then exits 0', async () => {
    const file = seedIn(tmp());
    const diff = await cli([file, '--diff']);
    assert.equal(diff.code, 1);
    assert.match(diff.stderr, /error: Cache race/);
    assert.equal(readFileSync(file, 'utf8'), SEED.toString());
    assert.equal((await cli([file, '--fix'])).code, 0);
  });
  it('--diff --format json puts the diff in the JSON report', async () => {
    const file = seedIn(tmp());
    const r = await cli([file, '--diff', '--format', 'json']);
    assert.equal(r.code, 1);
    const [entry] = JSON.parse(r.stdout).files;
    assert.match(entry.diff, /^\+RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked apt update/m);
    assert.ok(entry.diagnostics.some((d: { ruleId: string }) => d.ruleId === 'cache-race'));
    assert.equal(r.stderr, '');
  });
  it('a file that is not UTF-8 keeps every byte outside the edits, and --diff shows exactly what --fix writes', async () => {
    const dir = tmp();
    const latin1 = Buffer.concat([Buffer.from('# caf\xe9 cr\xe8me \xff\n', 'latin1'), SEED]);
    const file = seedIn(dir, 'Dockerfile', latin1);
    const diff = await cli([file, '--diff']);
    assert.ok(diff.bytes.includes(Buffer.from(' # caf\xe9 cr\xe8me \xff\n', 'latin1')), 'the diff carries the raw bytes');
    assert.equal((await cli([file, '--fix'])).code, 0);
    const fixed = readFileSync(file);
    assert.deepEqual(fixed.subarray(0, 17), latin1.subarray(0, 17));
    assert.equal(fixed.toString('latin1'), latin1.toString('latin1').replace(/target=\/var\/cache\/apt apt/g, 'target=/var/cache/apt,sharing=locked apt'));
  });
  it('a byte-order mark and CRLF line endings stay', async () => {
    const file = seedIn(tmp(), 'Dockerfile', '\ufeff' + SEED.toString().replace(/\n/g, '\r\n'));
    await cli([file, '--fix']);
    const fixed = readFileSync(file, 'utf8');
    assert.ok(fixed.startsWith('\ufeffFROM'));
    assert.equal(fixed.split('\r\n').length, fixed.split('\n').length);
  });
  it('a symbolic link keeps pointing at its target, which is fixed', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'real'));
    const target = seedIn(join(dir, 'real'));
    symlinkSync('real/Dockerfile', join(dir, 'Dockerfile'));
    assert.equal((await cli([join(dir, 'Dockerfile'), '--fix'])).code, 0);
    assert.ok(lstatSync(join(dir, 'Dockerfile')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'Dockerfile')), 'real/Dockerfile');
    assert.match(readFileSync(target, 'utf8'), /sharing=locked/);
  });
  it('keeps the mode; refuses a read-only file, says so, and still fixes the others', async () => {
    const dir = tmp();
    const a = seedIn(dir, 'a.Dockerfile');
    const ro = seedIn(dir, 'ro.Dockerfile');
    const c = seedIn(dir, 'c.Dockerfile');
    chmodSync(a, 0o751);
    chmodSync(ro, 0o444);
    const r = await cli([dir, '--fix']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${ro}: not written: the file is read-only (mode 0444)\n`);
    assert.equal(readFileSync(ro, 'utf8'), SEED.toString());
    for (const f of [a, c]) assert.match(readFileSync(f, 'utf8'), /sharing=locked/);
    assert.equal(statSync(a).mode & 0o777, 0o751);
    assert.match(r.stdout, /Fixed 2 files\.\nNot written: .*ro\.Dockerfile \(not written: the file is read-only \(mode 0444\)\)\.\n$/);
    // The report shows what stays on disk: the read-only file still has its race.
    assert.match(r.stdout, /ro\.Dockerfile:\d+:5: error: Cache race/);
  });
  it('a file with two hard links is not split', async () => {
    const dir = tmp();
    const file = seedIn(dir);
    const { linkSync } = await import('node:fs');
    linkSync(file, join(dir, 'other'));
    const r = await cli([file, '--fix']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not written: the file has 2 hard links/);
    assert.equal(readFileSync(file, 'utf8'), SEED.toString());
  });
});

describe('CLI: input beyond what mountlint analyses', () => {
  const nested = (depth: number) => {
    let s = 'x';
    for (let i = 0; i < depth; i++) s = `\${A${i}:-${s}}`;
    return s;
  };
  it('${…} nested 2,000 deep in a --mount: one line with file, line and column, exit 2, the other files reported', async () => {
    const dir = tmp();
    const deep = seedIn(dir, 'deep.Dockerfile', `FROM debian\nRUN --mount=type=cache,target=/c,id=${nested(2000)} true\n`);
    const good = seedIn(dir);
    const r = await cli([deep, good]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `mountlint: ${deep}:2:1: \${…} nested more than 500 levels deep: mountlint does not follow expansions that deep\n`);
    assert.match(r.stdout, /Dockerfile:\d+:5: error: Cache race/);
    assert.doesNotMatch(r.stdout, /invalid-mount|call stack/);
  });
  it('${…} nested 400 deep is followed', async () => {
    const file = seedIn(tmp(), 'Dockerfile', `FROM debian\nARG X=${nested(400)}\nRUN --mount=type=cache,target=/c,id=\${X} true\n`);
    const r = await cli([file, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
  });
});

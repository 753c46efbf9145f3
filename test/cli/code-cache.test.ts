/**
 * The CLI's V8 code cache is keyed by the bundle's content and path: an
 * edited bundle (even of the same length) runs its new code, and a copy
 * installed elsewhere names its own files in stack traces, then gets a cache
 * of its own on its first run.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

/** bin/ and the bundle's files, as an installation in a new folder. */
function install(): string {
  const dir = scratchDir('mountlint-install-');
  cpSync(join(REPO_ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  for (const f of ['mountlint.cjs', 'mountlint.cjs.cache', 'tree-sitter.wasm', 'tree-sitter-bash.wasm']) cpSync(join(REPO_ROOT, 'dist', f), join(dir, 'dist', f));
  cpSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

const cacheUsed = (dir: string) => execFileSync(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(join(dir, 'bin/load-cli.cjs'))}).loadCli().cacheUsed))`], { encoding: 'utf8' });
const clean = () => {
  const file = join(scratchDir('mountlint-'), 'Dockerfile');
  writeFileSync(file, 'FROM scratch\n');
  return file;
};

describe('the CLI code cache', () => {
  it('is used where it was built', () => {
    assert.equal(cacheUsed(REPO_ROOT), 'true');
  });

  it('is not used by an edited bundle of the same length, which runs its new code', () => {
    const dir = install();
    const bundle = join(dir, 'dist/mountlint.cjs');
    const text = readFileSync(bundle, 'utf8');
    assert.ok(text.includes('No problems found in'));
    writeFileSync(bundle, text.replace('No problems found in', 'NO PROBLEMS FOUND IN'));
    assert.equal(readFileSync(bundle).length, Buffer.byteLength(text));
    const r = spawnSync(process.execPath, [join(dir, 'bin/mountlint.cjs'), clean()], { encoding: 'utf8' });
    assert.match(r.stdout, /^NO PROBLEMS FOUND IN 1 file\./);
  });

  it('an installed copy names its own files in stack traces, and writes its own cache on its first run', () => {
    const dir = install();
    assert.equal(cacheUsed(dir), 'false', 'the build folder\'s cache is not for this path');
    const trace = execFileSync(process.execPath, ['-e', `
      const { exports: cli } = require(${JSON.stringify(join(dir, 'bin/load-cli.cjs'))}).loadCli();
      cli.run([${JSON.stringify(clean())}], { stdout: () => { throw new Error('boom'); }, stderr: (s) => process.stdout.write(s), isTTY: false, env: { MOUNTLINT_DEBUG: '1' } });
    `], { encoding: 'utf8' });
    assert.match(trace, new RegExp(`at .*\\(${join(dir, 'dist/mountlint.cjs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+\\)`));
    assert.ok(!trace.includes(join(REPO_ROOT, 'dist')), trace);
    spawnSync(process.execPath, [join(dir, 'bin/mountlint.cjs'), clean()]);
    assert.equal(cacheUsed(dir), 'true');
  });
});

/** The repository's own Dockerfile is written the way mountlint asks (no Docker needed). */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';

const cli = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

describe('the repository Dockerfile', () => {
  it('mountlint reports nothing on it, every rule at info level and above, for each target', () => {
    for (const target of ['runtime', 'verify', '']) {
      const r = cli(['check', '--no-config', '--fail-level', 'info', ...(target ? ['--target', target] : []), 'Dockerfile']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /No problems found in 1 file/);
    }
  });

  it('caches npm with sharing=shared and apt with sharing=locked, stays multi-stage and ends as a non-root user', () => {
    const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    assert.match(text, /--mount=type=cache,target=\/root\/\.npm,sharing=shared/);
    assert.match(text, /--mount=type=cache,target=\/var\/cache\/apt,sharing=locked/);
    assert.match(text, /^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    assert.match(text, /^FROM scratch AS runtime$/m);
    assert.match(text, /^USER 65532:65532$/m);
  });

  it('.dockerignore lets in every path the build stage copies', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8');
    const copies = [...readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8').matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    assert.ok(copies.length >= 5);
    for (const path of copies) assert.match(ignore, new RegExp(`^!${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?$`, 'm'), path);
  });
});

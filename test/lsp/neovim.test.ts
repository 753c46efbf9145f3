/**
 * A real editor as the client: Neovim (Debian's package; its built-in LSP
 * client) runs headless against `mountlint lsp --stdio`, opens the seed,
 * waits for the race, applies the `locked` quick fix (the buffer must equal
 * what `mountlint --fix --fix-strategy locked` writes), and hovers a --mount
 * (it must name the other stage). Skipped, with the reason, where nvim is
 * not installed; .ci/run installs it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const missing = nvim.error ? 'Neovim (nvim) is not installed: apt-get install -y neovim (.ci/run does)' : undefined;
// In CI (.ci/run installs Neovim) a missing nvim is a failure, not a skip.
const skip = missing && process.env.CI !== 'true' ? missing : false;

describe('Neovim as the LSP client', { skip }, () => {
  it('shows the race, applies the locked quick fix as --fix writes it, and hovers the mount naming the other stage', () => {
    assert.equal(missing, undefined);
    const dir = scratchDir('mountlint-nvim-');
    const file = join(dir, 'Dockerfile');
    const expected = join(dir, 'expected', 'Dockerfile');
    copyFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), file);
    spawnSync('mkdir', ['-p', join(dir, 'expected')]);
    copyFileSync(file, expected);
    const fix = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mountlint.cjs'), '--fix', '--fix-strategy', 'locked', expected], { encoding: 'utf8' });
    assert.equal(fix.status, 0, fix.stdout + fix.stderr);

    const out = join(dir, 'out.json');
    const run = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${join(REPO_ROOT, 'test/lsp/neovim/seed-session.lua')}`], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, MOUNTLINT_NODE: process.execPath, MOUNTLINT_BIN: join(REPO_ROOT, 'bin/mountlint.cjs'), MOUNTLINT_FILE: file, MOUNTLINT_OUT: out, HOME: dir, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir },
    });
    assert.equal(run.status, 0, `nvim: ${run.error ?? ''}${run.stdout}${run.stderr}`);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(result.error, undefined, JSON.stringify(result));
    assert.equal(result.filetype, 'dockerfile');
    assert.deepEqual(result.steps, ['attached', 'diagnostic', 'applied', 'relinted', 'hover']);
    assert.equal(result.race.lnum, 2);
    assert.match(result.race.message, /Cache race on cache "\/var\/cache\/apt"/);
    assert.ok(result.titles.includes('Lock the apt cache in both stages (sharing=locked)'), result.titles.join('\n'));
    assert.equal(result.buffer, readFileSync(expected, 'utf8'));
    assert.equal(result.race_cleared, true);
    assert.match(result.hover, /stage `builder`/);
  });
});

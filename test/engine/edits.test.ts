import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { applyEdits, applyFixes } from '../../src/edits/index.js';
import { fixText, oneChangePerCache, prepare } from '../../src/engine/index.js';
import { assertFixIsClean } from '../helpers/fix-check.js';

describe('applyEdits', () => {
  it('applies in order and keeps everything else', () => {
    const r = applyEdits('abcdef', [{ range: { start: 4, end: 5 }, text: 'X' }, { range: { start: 1, end: 1 }, text: '+' }]);
    assert.equal(r.output, 'a+bcdXf');
  });
  it('counts identical edits once and skips overlapping ones', () => {
    const e = { range: { start: 1, end: 3 }, text: 'Z' };
    const r = applyEdits('abcdef', [e, { ...e }, { range: { start: 2, end: 4 }, text: 'Y' }]);
    assert.equal(r.output, 'aZdef');
    assert.equal(r.skipped.length, 1);
  });
});

describe('applyFixes', () => {
  const edit = (start: number, end: number, text: string) => ({ range: { start, end }, text });
  it('applies each fix whole or not at all', () => {
    // The second fix's first edit fits, its second overlaps the first fix: none of it lands.
    const r = applyFixes('abcdef', [[edit(1, 2, 'B')], [edit(4, 4, '+'), edit(1, 3, 'Z')], [edit(5, 6, 'F')]]);
    assert.equal(r.output, 'aBcdeF');
    assert.equal(r.skipped.length, 1);
    assert.equal(r.applied.length, 2);
  });
  it('an edit already made by another fix counts once; two insertions at one point conflict', () => {
    const lock = edit(3, 3, ',sharing=locked');
    const r = applyFixes('abcdef', [[lock, edit(5, 5, ',sharing=locked')], [{ ...lock }], [edit(5, 5, ',id=x')]]);
    assert.equal(r.output, 'abc,sharing=lockedde,sharing=lockedf');
    assert.deepEqual(r.skipped, [[edit(5, 5, ',id=x')]]);
  });
  it('a fix whose own edits overlap is never applied', () => {
    const r = applyFixes('abcdef', [[edit(0, 3, 'x'), edit(2, 4, 'y')]]);
    assert.equal(r.output, 'abcdef');
  });
});

describe('--fix: one change per cache per pass', () => {
  before(prepare);
  it('two fixes that each choose against the mounts of one cache do not land together and split it', () => {
    // Found by the fuzzing: missing-cache-mount added a root mount of /var/cache/apt while cache-permission gave the
    // other mount uid=1 in the same pass: each was right alone, together they split the cache (cache-split).
    const code = 'FROM debian\nRUN apt install -y x\nUSER 1\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update\n';
    const fixed = fixText(code, 'Dockerfile', { unsafeFixes: true });
    assert.match(fixed.output, /RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked apt install/);
    assert.deepEqual(fixed.result.diagnostics.filter((d) => d.ruleId === 'cache-split'), []);
    assertFixIsClean(code, 'Dockerfile', { unsafeFixes: true });
  });
  it('keeps the first fix of each cache, those that agree with it, and every fix that names none', () => {
    const fix = (caches?: Record<string, string>) => ({ description: '', applicability: 'safe' as const, edits: [], caches });
    const [a, b, c, d, e] = [fix({ '/a': 'locked' }), fix({ '/a': 'uid=1', '/b': 'locked' }), fix(), fix({ '/b': 'private' }), fix({ '/a': 'locked' })];
    assert.deepEqual(oneChangePerCache([a, b, c, d, e]), [a, c, d, e]);
  });
  it('fixes that agree on a cache go in one pass: twelve RUNs get their cache at once', () => {
    const code = `FROM fedora\n${'RUN dnf install -y x\n'.repeat(12)}`;
    const fixed = fixText(code, 'Dockerfile', { unsafeFixes: true });
    assert.equal(fixed.output.match(/--mount=type=cache,target=\/var\/cache\/dnf/g)?.length, 12);
    assert.ok(fixed.passes <= 2, `${fixed.passes} passes`);
  });
});

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyEdits, applyFixes } from '../../src/edits/index.js';

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

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyEdits } from '../../src/edits/index.js';

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

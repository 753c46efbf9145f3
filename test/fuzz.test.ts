/**
 * Fuzzing, a fresh seed each run (in the test names): generated Dockerfiles
 * (test/fuzz/generate.ts) and the real-world corpus cut and spliced must keep
 * every property of test/fuzz/properties.ts — no exception, ranges and
 * code-point columns right, --fix converging without new findings, no byte
 * changed outside an edit, the shell parser's fast path agreeing with
 * tree-sitter. A failure prints its seed and the input shrunk to a minimal
 * one. MOUNTLINT_FUZZ_SEED=N replays from case N; MOUNTLINT_FUZZ_RUNS=N runs
 * N generated cases (a longer campaign: scripts/fuzz-campaign.ts).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { prepare } from '../src/engine/index.js';
import { lintText } from '../src/engine/index.js';
import { bytesOutsideEdits, checkRanges, FIX_SETTINGS } from './fuzz/properties.js';
import { shrink } from './fuzz/shrink.js';
import { fuzzCase, mutatedCase } from './fuzz/run.js';
import { CORPUS, describeWithShared } from './helpers/paths.js';
import { fuzzSeed } from './helpers/random.js';

const RUNS = Number(process.env.MOUNTLINT_FUZZ_RUNS || 500);
const seed = fuzzSeed();

describe('fuzzing: generated Dockerfiles', () => {
  before(prepare);
  it(`${RUNS} cases keep every property (cases ${seed}…${(seed + RUNS - 1) >>> 0}; replay one with MOUNTLINT_FUZZ_SEED=N MOUNTLINT_FUZZ_RUNS=1)`, () => {
    for (let i = 0; i < RUNS; i++) {
      const failure = fuzzCase((seed + i) >>> 0);
      if (failure) assert.fail(failure.report);
    }
  });
});

describeWithShared('fuzzing: mutated real-world Dockerfiles', () => {
  before(prepare);
  const names = readdirSync(CORPUS).filter((n) => n.endsWith('Dockerfile')).sort();
  const MUTATIONS = 2;
  it(`every file of the corpus, cut and spliced ${MUTATIONS} times, keeps every property (seed ${seed})`, () => {
    for (const name of names) {
      const original = readFileSync(join(CORPUS, name), 'utf8');
      for (let i = 0; i < MUTATIONS; i++) {
        // Two fix settings each (safe fixes, then unsafe ones, default strategy): the corpus is large.
        const failure = mutatedCase(seed, name, original, i, FIX_SETTINGS.slice(0, 2));
        if (failure) assert.fail(failure.report);
      }
    }
  });
});

describe('fuzzing: the checks can fail', () => {
  before(prepare);
  it('shrinks an input to the lines and characters that make it fail', () => {
    const input = 'FROM a\nRUN x\n# 日本語 😀 y\nRUN zz\n';
    assert.equal(shrink(input, (t) => t.includes('😀') && t.includes('zz')), '😀zz');
  });

  it('(b) sees a range outside the text, one that cuts an emoji in two, and a column in UTF-16 units', () => {
    const result = lintText('FROM debian\nRUN echo 😀 && apt-get install -y x\n', 'Dockerfile');
    const d = result.diagnostics[0];
    assert.ok(d, 'missing-cache-mount reports the RUN');
    assert.deepEqual(checkRanges(result), []);
    d.range = { start: 22, end: 40 };
    assert.match(checkRanges(result)[0]?.message ?? '', /cuts a surrogate pair/);
    d.range = { start: 0, end: 400 };
    assert.match(checkRanges(result)[0]?.message ?? '', /not inside the text/);
    const fake = { ...result, source: Object.assign(Object.create(Object.getPrototypeOf(result.source)), result.source, { positionAt: (o: number) => result.source.positionAt(o, 'utf16') }) };
    d.range = { start: 21, end: 30 };
    assert.match(checkRanges(fake)[0]?.message ?? '', /counting code points gives/);
  });

  it('(d) sees bytes changed outside the edits, and an edit that cuts a raw byte from its neighbour', () => {
    const before = '# caf\udce9\nRUN x\n';
    const edit = { range: { start: 11, end: 12 }, text: 'y' };
    assert.equal(bytesOutsideEdits(before, '# caf\udce9\nRUN y\n', [edit], 'utf-8 with raw bytes'), undefined);
    assert.match(bytesOutsideEdits(before, '# cafe\nRUN y\n', [edit], 'utf-8 with raw bytes') ?? '', /not the old one with the edits/);
    const pair = '# 😀\n';
    assert.match(bytesOutsideEdits(pair, '# \ud83dx\ude00\n', [{ range: { start: 3, end: 3 }, text: 'x' }], 'utf-8') ?? '', /bytes changed/);
  });
});

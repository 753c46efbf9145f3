/**
 * Malformed input never crashes the tool: every real-world file, cut and
 * spliced at seeded random places, still yields diagnostics, not exceptions.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { fixText, lintText, prepare } from '../src/engine/index.js';
import { mutations } from './helpers/mutate.js';
import { CORPUS, describeWithShared } from './helpers/paths.js';

describeWithShared('mutated real-world Dockerfiles', () => {
  before(prepare);
  const names = readdirSync(CORPUS).filter((n) => n.endsWith('Dockerfile')).sort();
  for (const name of names) {
    it(name, () => {
      const original = readFileSync(join(CORPUS, name), 'utf8');
      for (const { text } of mutations(name, original, 12)) {
        const result = lintText(text, name);
        for (const d of result.diagnostics) assert.ok(d.range.start >= 0 && d.range.end <= text.length && d.range.start <= d.range.end, d.message);
        fixText(text, name);
      }
    });
  }
});

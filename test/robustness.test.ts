/**
 * Malformed input never crashes the tool: every real-world file, cut and
 * spliced at seeded random places, still yields diagnostics, not exceptions.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { fixText, lintText, prepare } from '../src/engine/index.js';
import { CORPUS, describeWithShared } from './helpers/paths.js';

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['\\\n', '"', "'", '`', '${', '}', '--mount=', ',', '=', '<<EOF\n', '\n', 'FROM ', ' AS ', '[', ']', '$', '\r\n', '#', ' ', 'type=cache,target=/var/cache/apt '];

describeWithShared('mutated real-world Dockerfiles', () => {
  before(prepare);
  const names = readdirSync(CORPUS).filter((n) => n.endsWith('Dockerfile')).sort();
  for (const name of names) {
    it(name, () => {
      const original = readFileSync(join(CORPUS, name), 'utf8');
      const rand = random(name.length * 7919 + original.length);
      for (let i = 0; i < 12; i++) {
        let text = original;
        for (let k = 0; k < 4; k++) {
          const at = Math.floor(rand() * (text.length + 1));
          const cut = Math.floor(rand() * 8);
          text = text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + text.slice(at + cut);
        }
        const result = lintText(text, name);
        for (const d of result.diagnostics) assert.ok(d.range.start >= 0 && d.range.end <= text.length && d.range.start <= d.range.end, d.message);
        fixText(text, name);
      }
    });
  }
});

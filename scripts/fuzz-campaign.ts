/**
 * A longer fuzz campaign than `npm test` runs: generated cases from a seed
 * for a time budget, each checked with --fix under one strategy (safe, then
 * unsafe fixes; the strategy turns with the case), failures shrunk and
 * written out, distinct failures counted.
 *
 *   node dist/scripts/fuzz-campaign.js [--seed N] [--seconds S] [--cases N] [--out failures.txt]
 *
 * A failure is replayed, with every strategy, by the test:
 * MOUNTLINT_FUZZ_SEED=N MOUNTLINT_FUZZ_RUNS=1 node --test dist/test/fuzz.test.js
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prepare } from '../src/engine/index.js';
import { FIX_SETTINGS } from '../test/fuzz/properties.js';
import { fuzzCase } from '../test/fuzz/run.js';

const { values } = parseArgs({ options: { seed: { type: 'string' }, seconds: { type: 'string', default: '60' }, cases: { type: 'string' }, out: { type: 'string' } } });
const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : Math.floor(Math.random() * 2 ** 32);
const deadline = Date.now() + Number(values.seconds) * 1000;
const maxCases = values.cases !== undefined ? Number(values.cases) : Infinity;

await prepare();
let cases = 0;
const failures = new Map<string, number>();
while (cases < maxCases && Date.now() < deadline) {
  const caseSeed = (seed + cases) >>> 0;
  const pair = (caseSeed % (FIX_SETTINGS.length / 2)) * 2; // the seed alone says which: --cases 1 replays it
  const failure = fuzzCase(caseSeed, FIX_SETTINGS.slice(pair, pair + 2));
  cases++;
  if (!failure) continue;
  // Distinct failures: the property and the first line of its message, without numbers.
  const kind = `(${failure.violations[0].property}) ${failure.violations[0].message.split('\n')[0].replace(/\d+/g, '#')}`;
  failures.set(kind, (failures.get(kind) ?? 0) + 1);
  if (failures.get(kind) === 1) {
    console.log(`\n${failure.report}\n`);
    if (values.out) appendFileSync(values.out, `${failure.report}\n\n`);
  }
}
console.log(JSON.stringify({ seed, cases, failingCases: [...failures.values()].reduce((a, b) => a + b, 0), distinctFailures: failures.size, kinds: Object.fromEntries(failures) }));

/**
 * A longer fuzz campaign than `npm test` runs: generated cases from a seed
 * for a time budget, each checked with --fix under one strategy (safe, then
 * unsafe fixes; the strategy turns with the case), failures shrunk and
 * written out, distinct failures counted.
 *
 *   node dist/scripts/fuzz-campaign.js [--seed N] [--seconds S | --cpu-seconds S] [--cases N] [--out failures.txt]
 *
 * --cpu-seconds budgets the process's own CPU time (on a loaded machine the
 * clock says little about how much was checked).
 *
 * A failure is replayed, with every strategy, by the test:
 * MOUNTLINT_FUZZ_SEED=N MOUNTLINT_FUZZ_RUNS=1 node --test dist/test/fuzz.test.js
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prepare } from '../src/engine/index.js';
import { FIX_SETTINGS } from '../test/fuzz/properties.js';
import { fuzzCase } from '../test/fuzz/run.js';

const { values } = parseArgs({ options: { seed: { type: 'string' }, seconds: { type: 'string', default: '60' }, 'cpu-seconds': { type: 'string' }, cases: { type: 'string' }, out: { type: 'string' } } });
const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : Math.floor(Math.random() * 2 ** 32);
const deadline = Date.now() + Number(values.seconds) * 1000;
const cpuBudget = values['cpu-seconds'] !== undefined ? Number(values['cpu-seconds']) * 1e6 : undefined;
const cpuUsed = () => process.cpuUsage().user + process.cpuUsage().system;
const withinBudget = () => (cpuBudget !== undefined ? cpuUsed() < cpuBudget : Date.now() < deadline);
const maxCases = values.cases !== undefined ? Number(values.cases) : Infinity;

await prepare();
let cases = 0;
const failures = new Map<string, number>();
const summary = () => JSON.stringify({ seed, cases, cpuSeconds: Math.round(cpuUsed() / 1e6), failingCases: [...failures.values()].reduce((a, b) => a + b, 0), distinctFailures: failures.size, kinds: Object.fromEntries(failures) });
// Stopped early (SIGTERM, Ctrl-C): the totals so far. The loop is synchronous, so check for the signal between cases.
let stopped = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (stopped = true));
const yieldToSignals = () => new Promise((resolve) => setImmediate(resolve));
while (cases < maxCases && withinBudget() && !stopped) {
  if (cases % 100 === 0) await yieldToSignals();
  const caseSeed = (seed + cases) >>> 0;
  const pair = (caseSeed % (FIX_SETTINGS.length / 2)) * 2; // the seed alone says which: --cases 1 replays it
  const failure = fuzzCase(caseSeed, FIX_SETTINGS.slice(pair, pair + 2));
  cases++;
  if (cases % 5000 === 0) console.log(summary());
  if (!failure) continue;
  // Distinct failures: the property and the first line of its message, without numbers.
  const kind = `(${failure.violations[0].property}) ${failure.violations[0].message.split('\n')[0].replace(/\d+/g, '#')}`;
  failures.set(kind, (failures.get(kind) ?? 0) + 1);
  if (failures.get(kind) === 1) {
    console.log(`\n${failure.report}\n`);
    if (values.out) appendFileSync(values.out, `${failure.report}\n\n`);
  }
}
console.log(summary());
// A campaign that found something fails (.ci/run runs one).
process.exitCode = failures.size > 0 ? 1 : 0;

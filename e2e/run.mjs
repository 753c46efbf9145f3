/**
 * `npm run test:e2e`: the model checked against real BuildKit, on three engines.
 * 1. Checks its inputs (the build, ../shared/oracle, the case files) before anything slow.
 * 2. Provisions Docker 20.10, Docker 26.1 + buildx and Docker 28.5 from Debian's packages and a
 *    debootstrapped base image (provision.sh), then the tool images (e2e/images).
 * 3. Runs every case of every kind (e2e/kinds: `model`, `tool`) on each engine; the two
 *    engines work in parallel (separate daemons, separate caches), each one case at a time
 *    (so that timings and races are not distorted by other builds on the same engine).
 * 4. Prints progress as it goes, writes docs/proof.md, and exits non-zero on any failed check.
 * Settings (environment): MOUNTLINT_E2E_RUNS (cold runs per case, default 2),
 * MOUNTLINT_E2E_TIMING_RUNS (runs per fix strategy on timed tool cases, default 2),
 * MOUNTLINT_E2E_MEASURE (runs of each tool race, to measure failure rates), MOUNTLINT_E2E_SEPARATE_RUNS
 * (runs of each pair of separate builds, default 2),
 * MOUNTLINT_E2E_FIXES (`all`, the default: every fix strategy is built and timed; `default`: only the
 * strategy `--fix` applies by default, on cases with something to fix — what .ci/run uses to stay in time),
 * MOUNTLINT_E2E_ONLY (a regular expression: only cases whose name matches; docs/proof.md is
 * then not written), MOUNTLINT_E2E_ENGINES (a comma list of engine names), MOUNTLINT_E2E_BAKE26=1
 * (adds the Docker 26.1 bake engine 28.5 replaced), MOUNTLINT_E2E_STATE (the suite's state folder, default /var/lib/mountlint-e2e).
 * A new kind of case is a module in e2e/kinds with collect / run / report, added to KINDS.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as builds from './kinds/builds.mjs';
import * as model from './kinds/model.mjs';
import * as refusals from './kinds/refusals.mjs';
import * as separate from './kinds/separate.mjs';
import * as tool from './kinds/tool.mjs';
import { provision, runsOn } from './lib/engines.mjs';
import { ensureImages } from './lib/images.mjs';
import { phase, say, elapsedMs, minutes } from './lib/progress.mjs';
import { proofMarkdown } from './lib/report.mjs';

// Tool races first: they take longest, and their results are the newest evidence.
const KINDS = { tool, model, builds, separate, refusals };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ORACLE = resolve(ROOT, '..', 'shared', 'oracle');
const STATE = process.env.MOUNTLINT_E2E_STATE ?? '/var/lib/mountlint-e2e';
const number = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) fail(`${name} must be a whole number of runs, not "${v}"`);
  return Number(v);
};
const settings = {
  root: ROOT,
  oracle: ORACLE,
  runs: number('MOUNTLINT_E2E_RUNS', 2),
  timingRuns: number('MOUNTLINT_E2E_TIMING_RUNS', 2),
  measureRuns: number('MOUNTLINT_E2E_MEASURE', undefined),
  fixes: process.env.MOUNTLINT_E2E_FIXES || 'all',
  separateRuns: number('MOUNTLINT_E2E_SEPARATE_RUNS', 2),
};
if (!['all', 'default'].includes(settings.fixes)) fail(`MOUNTLINT_E2E_FIXES must be all or default, not "${settings.fixes}"`);
const only = process.env.MOUNTLINT_E2E_ONLY ? new RegExp(process.env.MOUNTLINT_E2E_ONLY) : undefined;

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

// 1. Inputs, before anything slow.
await phase('inputs', async () => {
  if (process.getuid?.() !== 0) fail('the suite starts Docker engines and must run as root');
  if (!existsSync(join(ROOT, 'dist/src/engine/index.js'))) fail('the build is missing: run `npm run build` first (npm run test:e2e does)');
  if (!existsSync(join(ORACLE, 'cases.tsv'))) fail(`the shared oracle is missing: ${ORACLE}/cases.tsv (the suite needs ../shared beside the checkout)`);
  settings.lib = {
    ...(await import(`${ROOT}/dist/src/engine/index.js`)),
    ...(await import(`${ROOT}/dist/src/verify/index.js`)),
    ...(await import(`${ROOT}/dist/src/knowledge/index.js`)),
    ...(await import(`${ROOT}/dist/src/builds/index.js`)),
  };
  await settings.lib.prepare();
  settings.cases = Object.values(KINDS).flatMap((k) => k.collect(settings)).filter((c) => !only || only.test(c.name));
  for (const c of settings.cases) if (!existsSync(c.path ?? c.file)) fail(`case ${c.name}: ${c.path ?? c.file} is missing`);
  if (!settings.cases.length) fail(`no case matches MOUNTLINT_E2E_ONLY=${process.env.MOUNTLINT_E2E_ONLY}`);
  say(`${settings.cases.length} cases (${Object.keys(KINDS).map((k) => `${settings.cases.filter((c) => c.kind === k).length} ${k}`).join(', ')}) on their engines`);
});

// 2. Engines and images.
const engines = await phase('provision', () => provision(ROOT));
if (settings.cases.some((c) => c.image)) await phase('images', () => ensureImages(engines, ROOT, join(STATE, 'logs')));

// 3. Cases: the engines in parallel, one case at a time on each. docs/proof.md is rewritten after
// every case, saying how far the suite got, so that a run cut short still leaves its evidence.
const rows = [];
const order = (r) => settings.cases.findIndex((c) => c.name === r.case) * 10 + engines.findIndex((e) => e.name === r.engine);
const writeProof = (done) => {
  if (only) return;
  rows.sort((a, b) => order(a) - order(b));
  const total = settings.cases.reduce((n, c) => n + engines.filter((e) => runsOn(c, e)).length, 0);
  writeFileSync(join(ROOT, 'docs/proof.md'), proofMarkdown({ rows, kinds: KINDS, settings, engines, totalMs: elapsedMs(), progress: done ? undefined : `${rows.length} of ${total}` }));
};
await phase('cases', () => Promise.all(engines.map(async (engine) => {
  const jobs = settings.cases.filter((c) => runsOn(c, engine));
  let i = 0;
  for (const c of jobs) {
    i++;
    const t = performance.now();
    let row;
    try {
      row = await KINDS[c.kind].run(c, engine, settings);
    } catch (err) {
      row = { kind: c.kind, case: c.name, engine: engine.name, failures: 1, checks: 1, agree: false, line: `ERROR ${err.message.split('\n')[0]}`, cleanup: [], fixes: {}, strategies: {}, observed: { text: 'error', signatures: [] }, predicted: '?' };
    }
    rows.push(row);
    writeProof(false);
    say(`${row.failures ? 'FAIL' : 'ok  '} ${engine.name.padEnd(12)} ${String(i).padStart(2)}/${jobs.length} ${c.name.padEnd(40)} ${((performance.now() - t) / 1000).toFixed(0).padStart(4)}s  ${row.line}`);
  }
})));

// 4. Report.
const failures = rows.reduce((s, r) => s + r.failures, 0);
const checks = rows.reduce((s, r) => s + r.checks, 0);
if (only) say('docs/proof.md not written (MOUNTLINT_E2E_ONLY selects a part of the suite)');
else {
  writeProof(true);
  say('docs/proof.md written');
}
for (const p of new Set(rows.flatMap((r) => r.cleanup))) say(`cleanup problem: ${p}`);
// The failures again at the end, where a CI log's tail shows them.
for (const r of rows.filter((x) => x.failures)) say(`FAILED ${r.failures} check${r.failures === 1 ? '' : 's'}: ${r.engine} ${r.case}: ${r.line}`);
say(`suite time ${minutes(elapsedMs())}`);
console.log(`${checks - failures} passed, ${failures} failed`);
process.exitCode = failures > 0 ? 1 : 0;

/**
 * Kind `tool`: two stages racing on one cache of a real package manager
 * (e2e/tools/cases.mjs), built FROM a tool image. Checked on each engine:
 *  1. `check` predicts, `verify` observes (race, wait, clean), and they agree;
 *  2. what the builds did matches what the knowledge layer says this case
 *     shows (src/knowledge/observed.ts), and so the tool's classification;
 *  3. for the timed case of each tool, every fix strategy (locked, private,
 *     id, and wait where offered) builds clean, timed over interleaved runs.
 * For a race the strategies come from `mountlint --fix`; where the tool is safe
 * to share there is no finding to fix, and the suite writes each variant itself
 * (so that the cost of locking a safe cache is measured too).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { APT_MODEL_CASE, TOOL_CASES } from '../tools/cases.mjs';
import { OPEN_QUESTIONS, UNPROVEN } from '../tools/unproven.mjs';
import { logRecorder, saveLogs } from '../lib/logs.mjs';
import { median, observeRun, predictedOf, ranAgainNote, summarize, verifySteadily } from '../lib/observe.mjs';
import { secs } from '../lib/progress.mjs';

export const STRATEGIES = ['locked', 'private', 'id', 'wait'];
/** Where the cost of fixing a tool that needs no fix is measured. */
export const TIMING_ENGINE = 'docker-26.1';

export function collect({ root, fixes }) {
  // A multi-platform case (`platforms`) needs the containerd image store: an engine with `bake`.
  // A case marked `fullRunOnly` (with why) is left out of the CI profile (MOUNTLINT_E2E_FIXES=default) and said so.
  return TOOL_CASES.filter((c) => !(c.fullRunOnly && fixes === 'default')).map((c) => ({ kind: 'tool', ...c, bake: !!c.platforms, path: join(root, 'e2e/tools', c.file) }));
}

/** The cases the CI profile leaves out, and why (the report names them). */
export function leftOut({ fixes }) {
  return fixes === 'default' ? TOOL_CASES.filter((c) => c.fullRunOnly).map((c) => `${c.name}: ${c.fullRunOnly}`) : [];
}

/** The knowledge's expectation of a case, as an outcome of the builds. */
const EXPECTED = { fails: 'race', waits: 'waited', safe: 'clean' };

/** A fix strategy applied by hand to every cache mount (for tools with no finding to fix). */
export function applyByHand(text, strategy) {
  if (strategy === 'wait') return undefined;
  let stage = 'stage';
  return text.split('\n').map((line) => {
    const from = /^FROM\s.*\sAS\s+(\S+)/i.exec(line);
    if (from) stage = from[1];
    return line.replace(/--mount=type=cache,(\S+)/g, (_, opts) => {
      const target = /(?:^|,)target=([^,]+)/.exec(opts)?.[1] ?? '';
      const extra = strategy === 'id' ? `id=${stage}${target.replace(/[^A-Za-z0-9]+/g, '-')}` : `sharing=${strategy}`;
      return `--mount=type=cache,${opts},${extra}`;
    });
  }).join('\n');
}

export async function run(c, engine, settings) {
  const { lib, runs, timingRuns, measureRuns, fixes: fixProfile } = settings;
  const { lintText, fixText, verify, observedRace, runsToConvince } = lib;
  const text = readFileSync(c.path, 'utf8');
  const options = { frontend: engine.frontend, platforms: c.platforms };
  const predicted = predictedOf(lintText(text, c.path, options));
  const knowledge = observedRace(c.name);
  // A race that shows only some of the time gets enough runs to show with 99% confidence.
  const n = measureRuns ?? Math.max(runs, (knowledge?.outcome === 'fails' && runsToConvince(c.tool, 0.99, knowledge.shared)) || 0);
  const scratch = mkdtempSync(join(tmpdir(), `mountlint-e2e-${c.name}-`));
  const results = [];
  const build = async (variantText, label, count) => {
    const file = join(scratch, `${label}.Dockerfile`);
    writeFileSync(file, variantText);
    const recorder = logRecorder();
    const r = await verifySteadily(verify, { file, text: variantText, context: dirname(c.path), buildArgs: {}, network: 'host', dockerBin: engine.bin, env: engine.env, frontend: engine.frontend, platforms: c.platforms, runs: count, onLog: recorder?.onLog }, c.tool);
    results.push(r);
    saveLogs(recorder, { root: settings.root, c: { ...c, name: `${c.name}-${label}` }, engine, result: r, tool: c.tool });
    row.cleanup.push(...r.cleanup.problems);
    return r.original.runs;
  };
  const row = { kind: 'tool', case: c.name, tool: c.tool, engine: engine.name, predicted, cleanup: [], strategies: {} };
  try {
    const original = await build(text, 'shared', n);
    // A race the knowledge says shows only some of the time, not seen in n runs (1% of the time by
    // its measured rate, more on a machine whose timing differs): n runs more, once, counted in the row.
    if (!measureRuns && knowledge?.outcome === 'fails' && !original.some((r) => observeRun(r, c.tool).kind === 'race')) {
      original.push(...(await build(text, 'shared-more', n)).map((r, i) => ({ ...r, run: n + i + 1 })));
    }
    const observed = summarize(original, c.tool);
    row.observed = observed;
    row.agreePrediction =
      predicted === 'race' ? observed.kind === 'race'
      : predicted === 'warn' ? observed.kind === 'waited' || observed.kind === 'clean'
      : observed.kind === predicted;
    row.expected = knowledge ? EXPECTED[knowledge.outcome] : undefined;
    row.agreeKnowledge = row.expected === observed.kind;
    // Fixes made by `--fix` must build on every engine; variants the suite writes by hand (the
    // tool is safe to share) only measure what locking costs, on one engine.
    if (c.timing && (predicted !== 'clean' || engine.name === TIMING_ENGINE)) {
      const variants = {};
      // In the CI profile only the fix a user gets by default is built (none where there is nothing to fix).
      const strategies = fixProfile === 'default' ? (predicted === 'clean' ? [] : [lib.defaultFixStrategy(lib.toolById(c.tool))]) : STRATEGIES;
      for (const strategy of strategies) {
        const fixed = predicted === 'clean' ? undefined : fixText(text, c.path, { ...options, fixStrategy: strategy });
        const variant = fixed ? (fixed.changed ? fixed.output : undefined) : applyByHand(text, strategy);
        if (!variant) continue; // not offered (wait: the tool has no wrapper, or an exec-form RUN)
        variants[strategy] = { text: variant, clean: predictedOf(lintText(variant, c.path, options)) !== 'race', runs: [], byHand: !fixed };
      }
      // Interleaved, so that whatever else the machine does weighs on every strategy alike.
      for (let i = 0; i < timingRuns; i++) {
        for (const [strategy, v] of Object.entries(variants)) v.runs.push(...(await build(v.text, strategy, 1)));
      }
      const sharedTimes = original.filter((r) => r.ok).map((r) => r.ms);
      // The original is not a fix: its time is shown where it built, and never counts as a failed check.
      row.strategies.shared = { ok: true, raced: observed.kind === 'race', ms: sharedTimes.length ? median(sharedTimes) : undefined, runs: sharedTimes.length };
      for (const [strategy, v] of Object.entries(variants)) {
        const s = summarize(v.runs, c.tool);
        row.strategies[strategy] = { ok: v.clean && v.runs.every((r) => r.ok), ms: median(v.runs.map((r) => r.ms)), runs: v.runs.length, observed: s.text, byHand: v.byHand };
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const fixes = Object.entries(row.strategies).filter(([s]) => s !== 'shared');
  row.failures = (row.agreePrediction ? 0 : 1) + (row.agreeKnowledge ? 0 : 1) + fixes.filter(([, f]) => !f.ok).length;
  row.checks = 2 + fixes.length;
  row.agree = row.agreePrediction && row.agreeKnowledge;
  const timing = Object.entries(row.strategies).map(([s, f]) => `${s} ${f.ok ? (f.ms !== undefined ? secs(f.ms) : 'raced') : 'FAILED'}`).join(', ');
  row.line = `predicted ${predicted.padEnd(6)} observed ${row.observed.text}${row.observed.signatures.length ? ` (${row.observed.signatures.join(', ')})` : ''}` +
    `${row.agreeKnowledge ? '' : `  KNOWLEDGE EXPECTS ${row.expected ?? 'nothing (no entry in src/knowledge/observed.ts)'}`}${timing ? `  times: ${timing}` : ''}${ranAgainNote(results)}`;
  return row;
}

const cell = (f) => (!f ? '' : !f.ok ? '**FAILED**' : f.ms === undefined ? (f.raced ? 'raced' : '—') : `${secs(f.ms)}${f.byHand ? '*' : ''}`);

export function report(rows, { lib, timingRuns, allRows, fixes }) {
  const { TOOLS, observedRace, defaultFixStrategy } = lib;
  // apt's evidence is the seed's model case: shown here in the same form.
  const apt = allRows.filter((r) => r.kind === 'model' && r.case === APT_MODEL_CASE.name).map((r) => ({
    ...r, tool: 'apt', observed: r.observation,
    strategies: Object.fromEntries(Object.entries(r.fixes).filter(([, f]) => f.offered).map(([s, f]) => [s, { ok: f.ok, ms: f.ms }])),
  }));
  rows = [...apt, ...rows];
  let md = `## Package managers on a shared cache\n\n`;
  for (const line of leftOut({ fixes })) md += `Left out of this run (the CI profile): ${line}.\n\n`;
  md += `Each case: two stages of one build run the tool at the same time on one cache mount with default sharing (e2e/tools, cold caches of their own per run). **predicted** is \`mountlint check\` (race: an error; warn: a warning, a wait or "it depends"; clean: nothing). **observed**: race = a build failed with the tool's own signature; waited = the tool printed that it waited for the other's lock and the build went on. **knowledge** is what src/knowledge/observed.ts says the case shows (the tool's \`observed:\` evidence), which must hold. Times: median cold-build time of ${timingRuns} interleaved runs per strategy on the same case (shared: the runs of the original that passed); * = applied by the suite to every cache mount because \`--fix\` has nothing to fix (the tool is safe to share); those variants are built on ${TIMING_ENGINE} only.${fixes === 'default' ? ' **This run built only the default fix of each tool** (MOUNTLINT_E2E_FIXES=default, as in CI), so the other strategies\' columns are empty.' : ''}\n\n`;
  md += '| tool | case | engine | knowledge | predicted | observed | agree | shared | locked | private | id | wait |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n';
  for (const r of rows) {
    const k = observedRace(r.case);
    md += `| ${r.tool} | ${r.case} | ${r.engine} | ${k ? k.outcome : '—'} | ${r.predicted} | ${r.observed.text}${r.observed.signatures.length ? ` (${r.observed.signatures.join(', ')})` : ''} | ${r.agree ? 'yes' : '**no**'} | ${['shared', ...STRATEGIES].map((s) => cell(r.strategies[s])).join(' | ')} |\n`;
  }
  md += `\n### The default fix per tool, by measurement\n\n\`--fix\` applies the tool's \`fixStrategy\` (src/knowledge/tools.ts) when it has one, chosen from these timings; else \`locked\` for tools that must not share and \`private\` for the others. For tools safe to share there is nothing to fix: the row shows what locking would cost.\n\n| tool | default fix | fastest fix per engine (median) | slowest |\n|---|---|---|---|\n`;
  for (const id of [...new Set(rows.filter((r) => Object.keys(r.strategies).length > 1).map((r) => r.tool))]) {
    const t = TOOLS.find((x) => x.id === id);
    const def = defaultFixStrategy(t);
    const per = rows.filter((r) => r.tool === id && Object.keys(r.strategies).length > 1).map((r) => {
      const fixes = Object.entries(r.strategies).filter(([s, f]) => s !== 'shared' && f.ok && f.ms !== undefined).sort((a, b) => a[1].ms - b[1].ms);
      return { engine: r.engine, fastest: fixes[0], slowest: fixes[fixes.length - 1] };
    });
    md += `| ${id} | ${def}${t.fixStrategy ? ' (measured)' : ''} | ${per.map((p) => `${p.engine}: ${p.fastest ? `${p.fastest[0]} ${secs(p.fastest[1].ms)}` : '—'}`).join('; ')} | ${per.map((p) => `${p.engine}: ${p.slowest ? `${p.slowest[0]} ${secs(p.slowest[1].ms)}` : '—'}`).join('; ')} |\n`;
  }
  md += `\n### Every tool in the knowledge file\n\n| tool | concurrency (knowledge) | proven here | cases / why not |\n|---|---|---|---|\n`;
  for (const t of TOOLS) {
    const mine = rows.filter((r) => r.tool === t.id);
    const cases = [...new Set(mine.map((r) => r.case))];
    const proven = mine.length > 0 && mine.every((r) => r.agree);
    const setup = (c) => [...TOOL_CASES, APT_MODEL_CASE].find((x) => x.name === c).setup;
    md += `| ${t.id} | ${t.concurrency} | ${mine.length ? (proven ? 'yes' : '**no**') : 'no'} | ${cases.length ? cases.map((c) => `${c}: ${setup(c)}`).join('; ') : UNPROVEN_TEXT(t.id)} |\n`;
  }
  md += `\n### Open\n\n${OPEN_QUESTIONS.map((q) => `- ${q}`).join('\n')}\n`;
  return md;
}

const UNPROVEN_TEXT = (id) =>
  id === APT_MODEL_CASE.tool ? `${APT_MODEL_CASE.name} and every model case: not run in this run (see the model table)` : UNPROVEN[id] ?? '**no case and no reason given**';

/**
 * Kind `model`: a Dockerfile from ../shared/oracle or e2e/cases about how
 * BuildKit schedules steps and keys caches (apt in every stage). `check`
 * predicts race or clean for each engine, `verify` observes cold runs, and the
 * two must agree; for a race, each fix strategy's output must build clean.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logRecorder, saveLogs } from '../lib/logs.mjs';
import { median, predictedOf, ranAgainNote, summarize, verifySteadily } from '../lib/observe.mjs';
import { secs } from '../lib/progress.mjs';

export function collect({ root, oracle }) {
  const cases = [];
  for (const line of readFileSync(join(oracle, 'cases.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const [file, target] = line.split('\t');
    cases.push({ kind: 'model', name: file.replace(/\.Dockerfile$/, '') + (target ? ` --target ${target}` : ''), file: join(oracle, file), target: target || undefined });
  }
  for (const file of readdirSync(join(root, 'e2e/cases')).filter((f) => f.endsWith('.Dockerfile')).sort()) {
    cases.push({ kind: 'model', name: file.replace(/\.Dockerfile$/, ''), file: join(root, 'e2e/cases', file) });
  }
  return cases;
}

export async function run(c, engine, settings) {
  const { lib, runs, fixes } = settings;
  const { lintText, fixText, verify, observedRace } = lib;
  const text = readFileSync(c.file, 'utf8');
  const p = predictedOf(lintText(text, c.file, { target: c.target, frontend: engine.frontend }));
  const predicted = p === 'warn' ? 'clean' : p;
  const common = { file: c.file, text, target: c.target, buildArgs: {}, network: 'host', dockerBin: engine.bin, env: engine.env, frontend: engine.frontend };
  const recorder = logRecorder();
  const result = await verifySteadily(verify, { ...common, runs, onLog: recorder?.onLog }, 'apt');
  const results = [result];
  saveLogs(recorder, { root: settings.root, c, engine, result, tool: 'apt' });
  const observed = summarize(result.original.runs, 'apt');
  const observedKind = observed.kind === 'waited' ? 'clean' : observed.kind;
  // The seed's case is also the knowledge's evidence for apt (src/knowledge/observed.ts).
  const knowledge = observedRace(c.name);
  const agreeKnowledge = !knowledge || (knowledge.outcome === 'fails') === (observed.kind === 'race');
  const row = { kind: 'model', case: c.name, engine: engine.name, predicted, observed: observed.text, observation: observed, agree: predicted === observedKind && agreeKnowledge, fixes: {}, cleanup: result.cleanup.problems };
  if (predicted === 'race') {
    for (const strategy of fixes === 'default' ? [lib.defaultFixStrategy(lib.toolById('apt'))] : ['locked', 'private', 'id', 'wait']) {
      const fixed = fixText(text, c.file, { target: c.target, frontend: engine.frontend, fixStrategy: strategy });
      if (!fixed.changed) {
        row.fixes[strategy] = { ok: true, time: 'n/a', offered: false }; // e.g. wait on an exec-form RUN
        continue;
      }
      const fixRecorder = logRecorder();
      const f = await verifySteadily(verify, { ...common, runs: 1, fixStrategy: strategy, onLog: fixRecorder?.onLog }, 'apt');
      results.push(f);
      saveLogs(fixRecorder, { root: settings.root, c: { ...c, name: `${c.name}-${strategy}` }, engine, result: { ...f, original: { ...f.original, runs: [] } }, tool: 'apt' });
      const ok = f.fixed.runs.every((r) => r.ok) && predictedOf(fixed.result) === 'clean';
      const ms = median(f.fixed.runs.map((r) => r.ms));
      row.fixes[strategy] = { ok, time: secs(ms), ms, offered: true };
      row.cleanup.push(...f.cleanup.problems);
    }
  }
  row.failures = (row.agree ? 0 : 1) + Object.values(row.fixes).filter((f) => !f.ok).length;
  row.checks = 1 + Object.values(row.fixes).filter((f) => f.offered).length;
  const fixSummary = Object.entries(row.fixes).map(([s, f]) => `${s} ${f.ok ? f.time : 'FAILED'}`).join(', ');
  row.line = `predicted ${predicted.padEnd(8)} observed ${observed.text}${agreeKnowledge ? '' : `  KNOWLEDGE EXPECTS ${knowledge.outcome}`}${fixSummary ? `  fixes: ${fixSummary}` : ''}${ranAgainNote(results)}`;
  return row;
}

export function report(rows, { runs, fixes }) {
  let md = `## Build model (apt in every stage)\n\n`;
  md += `For every case, \`mountlint check\` predicts the outcome for each engine (Docker 20.10 is predicted with \`--frontend docker-20.10\`: no variable expansion in \`--mount\` values, no heredocs), and \`mountlint verify\` runs ${runs} cold builds on that engine. For every race, each fix strategy's output (\`locked\`, \`private\`, \`id\`, \`wait\`) is built once more on each engine${fixes === 'default' ? ' (**this run: only the default fix, `locked`**, as in CI)' : ''}.\n\n`;
  md += '| case | engine | predicted | observed | agree | locked | private | id | wait |\n|---|---|---|---|---|---|---|---|---|\n';
  for (const r of rows) {
    const f = (s) => (r.fixes[s] ? (r.fixes[s].ok ? r.fixes[s].time : 'FAILED') : '');
    md += `| ${r.case} | ${r.engine} | ${r.predicted} | ${r.observed} | ${r.agree ? 'yes' : '**no**'} | ${f('locked')} | ${f('private')} | ${f('id')} | ${f('wait')} |\n`;
  }
  md += `\nFix columns: the cold-build time of the fixed file (one run), FAILED, or n/a where the strategy is not offered (\`wait\` needs a shell-form RUN).\n`;
  return md;
}

/**
 * Kind `builds`: what BuildKit runs together — the targets of one bake file,
 * the services of one compose file (both verified with `docker buildx bake`,
 * every target at once), and one Dockerfile built for several platforms.
 * `check` predicts (race or clean, across the Dockerfiles), `verify`
 * observes cold runs, they must agree; for a race, each listed fix
 * strategy's output (every Dockerfile fixed together) must build clean.
 * Cases: e2e/builds/<case>/case.json (see its README).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { logRecorder, saveLogs } from '../lib/logs.mjs';
import { median, ranAgainNote, summarize, verifySteadily } from '../lib/observe.mjs';
import { secs } from '../lib/progress.mjs';

export function collect({ root }) {
  const dir = join(root, 'e2e/builds');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const spec = JSON.parse(readFileSync(join(dir, name, 'case.json'), 'utf8'));
      // Only engines made for them: containerd image store, buildx 0.29, Compose 2.40 (e2e/provision.sh).
      return { kind: 'builds', name, folder: join(dir, name), path: join(dir, name, spec.definition ?? spec.dockerfile), spec, bake: true };
    });
}

/** Race when cache-race reports an error in any file of the build, else clean. */
function predictedOf(results) {
  return results.some((r) => r.diagnostics.some((d) => d.ruleId === 'cache-race' && d.severity === 'error')) ? 'race' : 'clean';
}

export async function run(c, engine, settings) {
  const { lib, runs } = settings;
  const common = { dockerBin: engine.bin, env: engine.env, network: 'host' };
  const results = [];
  const verifyOnce = async (strategy, count) => {
    if (c.spec.definition) {
      const plan = await lib.readBuildPlan([c.path], { env: {} });
      const recorder = logRecorder();
      const result = await verifySteadily(lib.verifyBake, { ...common, files: [c.path], request: plan.requests[0], bakeTargets: [], runs: count, fixStrategy: strategy, onLog: recorder?.onLog }, 'apt');
      results.push(result);
      saveLogs(recorder, { root: settings.root, c: { ...c, name: `${c.name}${strategy ? `-${strategy}` : ''}` }, engine, result: strategy ? { ...result, original: { ...result.original, runs: [] } } : result, tool: 'apt' });
      return { result, predicted: predictedOf((strategy ? result.fixed : result.original).prediction.results), variant: strategy ? result.fixed : result.original };
    }
    const text = readFileSync(c.path, 'utf8');
    const recorder = logRecorder();
    const result = await verifySteadily(lib.verify, { ...common, file: c.path, text, buildArgs: {}, platforms: c.spec.platforms, runs: count, fixStrategy: strategy, onLog: recorder?.onLog }, 'apt');
    results.push(result);
    saveLogs(recorder, { root: settings.root, c: { ...c, name: `${c.name}${strategy ? `-${strategy}` : ''}` }, engine, result: strategy ? { ...result, original: { ...result.original, runs: [] } } : result, tool: 'apt' });
    const variant = strategy ? result.fixed : result.original;
    return { result, predicted: predictedOf([variant.prediction]), variant };
  };
  const original = await verifyOnce(undefined, runs);
  const predicted = original.predicted;
  const observed = summarize(original.variant.runs, 'apt');
  const observedKind = observed.kind === 'waited' ? 'clean' : observed.kind;
  const where = original.variant.runs.find((r) => r.failure)?.failure;
  const mapped = where ? ` at ${where.target ? `target ${where.target}, ` : ''}${where.file ? relative(c.folder, where.file) : 'line'}${where.line ? `:${where.line}` : ''}${where.finding ? ', predicted' : ', NOT PREDICTED'}` : '';
  const row = { kind: 'builds', case: c.name, engine: engine.name, predicted, observed: observed.text + mapped, agree: predicted === observedKind && (!where || !!where.finding), fixes: {}, cleanup: [...original.result.cleanup.problems] };
  if (predicted === 'race') {
    for (const strategy of c.spec.strategies ?? []) {
      const f = await verifyOnce(strategy, 1);
      const ok = f.variant.runs.every((r) => r.ok) && f.predicted === 'clean';
      const ms = median(f.variant.runs.map((r) => r.ms));
      row.fixes[strategy] = { ok, time: secs(ms), ms, offered: true };
      row.cleanup.push(...f.result.cleanup.problems);
    }
  }
  row.failures = (row.agree ? 0 : 1) + Object.values(row.fixes).filter((f) => !f.ok).length;
  row.checks = 1 + Object.values(row.fixes).length;
  const fixSummary = Object.entries(row.fixes).map(([s, f]) => `${s} ${f.ok ? f.time : 'FAILED'}`).join(', ');
  row.line = `predicted ${predicted.padEnd(8)} observed ${row.observed}${fixSummary ? `  fixes: ${fixSummary}` : ''}${ranAgainNote(results)}`;
  return row;
}

export function report(rows, { runs }) {
  let md = `## Builds run together: bake targets, compose services, platforms\n\n`;
  md += `Each case (e2e/builds) is a project folder. For a bake or compose file, \`mountlint check\` lints its Dockerfiles together and \`mountlint verify\` runs the whole request with \`docker buildx bake\` (compose files too, as Compose 2.37+ does); for a multi-platform Dockerfile, one \`docker buildx build --platform …\`. ${runs} cold runs each; a failure must be mapped to its target, Dockerfile and line, and to the finding that predicted it. For a race, the listed fix strategies' output (every Dockerfile fixed together) is built once more.\n\n`;
  md += `Engine: \`docker-28.5\` — Debian sid's Docker 28.5 daemon with containerd 2.1 and its image store (the docker driver refuses multi-platform builds without it) and the builder's network-host entitlement, driven by buildx 0.29 and Compose 2.40 from Debian sid (buildx 0.13 has no bake \`network\` attribute or \`--allow\`, so a bake target cannot run \`RUN --network=host\`, and this sandbox's engines have no bridge network). Bake's \`--set *.network=host\` did not take effect with buildx 0.29; verify merges a bake file of its own that sets \`network = "host"\` on each target.\n\n`;
  md += '| case | engine | predicted | observed | agree | locked | private | id | wait |\n|---|---|---|---|---|---|---|---|---|\n';
  for (const r of rows) {
    const f = (s) => (r.fixes[s] ? (r.fixes[s].ok ? r.fixes[s].time : 'FAILED') : '');
    md += `| ${r.case} | ${r.engine} | ${r.predicted} | ${r.observed} | ${r.agree ? 'yes' : '**no**'} | ${f('locked')} | ${f('private')} | ${f('id')} | ${f('wait')} |\n`;
  }
  md += `\nFix columns: the cold-build time of the fixed build (one run), or FAILED; empty where the case does not list the strategy.\n`;
  return md;
}

/**
 * `npm run test:e2e`: the model checked against real BuildKit, on two engines.
 * 1. Provisions Docker 20.10 and Docker 26.1 + buildx from Debian's packages
 *    and a debootstrapped base image (provision.sh).
 * 2. For every case in ../shared/oracle and e2e/cases, on each engine:
 *    `check` predicts (with that engine's Dockerfile frontend), `verify`
 *    observes (cold runs), and the two must agree.
 * 3. For every case that races, each fix strategy's output must build
 *    without failure on both engines.
 * Prints a table, writes docs/proof.md, and exits non-zero on any disagreement.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ORACLE = resolve(ROOT, '..', 'shared', 'oracle');
const RUNS = Number(process.env.MOUNTLINT_E2E_RUNS ?? 2);
const started = performance.now();

const { prepare, lintText, fixText } = await import(`${ROOT}/dist/src/engine/index.js`);
const { verify } = await import(`${ROOT}/dist/src/verify/index.js`);
await prepare();

// 1. Engines.
console.log('provisioning engines (e2e/provision.sh)…');
const provisioned = Object.fromEntries(
  execFileSync('bash', [join(ROOT, 'e2e/provision.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim().split('\n').map((l) => l.split('=')),
);
const configs = mkdtempSync(join(tmpdir(), 'mountlint-e2e-'));
const plainConfig = join(configs, 'plain'); // no buildx plugin: the classic `DOCKER_BUILDKIT=1 docker build`
mkdirSync(plainConfig);
const buildxConfig = join(configs, 'buildx');
mkdirSync(join(buildxConfig, 'cli-plugins'), { recursive: true });
symlinkSync(join(dirname(dirname(provisioned.DOCKER26_BIN)), 'libexec/docker/cli-plugins/docker-buildx'), join(buildxConfig, 'cli-plugins/docker-buildx'));
const engines = [
  { name: 'docker-20.10', bin: provisioned.DOCKER20_BIN, env: { ...process.env, DOCKER_HOST: provisioned.DOCKER20_HOST, DOCKER_CONFIG: plainConfig } },
  { name: 'docker-26.1', bin: provisioned.DOCKER26_BIN, env: { ...process.env, DOCKER_HOST: provisioned.DOCKER26_HOST, DOCKER_CONFIG: buildxConfig } },
];

// 2. Cases.
const cases = [];
for (const line of readFileSync(join(ORACLE, 'cases.tsv'), 'utf8').trim().split('\n').slice(1)) {
  const [file, target] = line.split('\t');
  cases.push({ name: file.replace(/\.Dockerfile$/, '') + (target ? ` --target ${target}` : ''), file: join(ORACLE, file), target: target || undefined });
}
for (const file of readdirSync(join(ROOT, 'e2e/cases')).filter((f) => f.endsWith('.Dockerfile')).sort()) {
  cases.push({ name: file.replace(/\.Dockerfile$/, ''), file: join(ROOT, 'e2e/cases', file) });
}

const outcome = (result) => {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.some((d) => d.ruleId === 'cache-race')) return 'race';
  return errors.length ? 'invalid' : 'clean';
};
/** What the builds showed: a lock/mkdir race signature, another failure, or none. */
const observedOf = (variant) => {
  const failed = variant.runs.filter((r) => !r.ok);
  const raced = failed.filter((r) => r.failure?.signatures.some((s) => s.signature.tool === 'apt'));
  if (raced.length) return { kind: 'race', text: `race ${raced.length}/${variant.runs.length}` };
  if (failed.length) return { kind: 'invalid', text: `failed ${failed.length}/${variant.runs.length}` };
  return { kind: 'clean', text: `clean 0/${variant.runs.length}` };
};
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = [];
for (const c of cases) {
  for (const engine of engines) {
    const frontend = engine.name === 'docker-20.10' ? 'docker-20.10' : 'current';
    const text = readFileSync(c.file, 'utf8');
    const predicted = outcome(lintText(text, c.file, { target: c.target, frontend }));
    const common = { file: c.file, target: c.target, buildArgs: {}, network: 'host', dockerBin: engine.bin, env: engine.env, frontend };
    const result = await verify({ ...common, runs: RUNS });
    const observed = observedOf(result.original);
    const row = { case: c.name, engine: engine.name, predicted, observed: observed.text, agree: predicted === observed.kind, fixes: {}, cleanup: result.cleanup };
    if (predicted === 'race') {
      for (const strategy of ['locked', 'private', 'id', 'wait']) {
        const fixed = fixText(text, c.file, { target: c.target, frontend, fixStrategy: strategy });
        if (!fixed.changed) {
          row.fixes[strategy] = { ok: true, time: 'n/a', offered: false }; // e.g. wait on an exec-form RUN
          continue;
        }
        const check = outcome(fixed.result);
        const f = await verify({ ...common, runs: 1, fixStrategy: strategy });
        const ok = f.fixed.runs.every((r) => r.ok) && check === 'clean';
        row.fixes[strategy] = { ok, time: secs(median(f.fixed.runs.map((r) => r.ms))), offered: true };
      }
    }
    rows.push(row);
    const fixSummary = Object.entries(row.fixes).map(([s, f]) => `${s} ${f.ok ? f.time : 'FAILED'}`).join(', ');
    console.log(`${row.agree ? 'ok  ' : 'FAIL'} ${c.name.padEnd(44)} ${engine.name.padEnd(13)} predicted ${predicted.padEnd(8)} observed ${observed.text}${fixSummary ? `  fixes: ${fixSummary}` : ''}`);
  }
}

// 3. Report.
const disagreements = rows.filter((r) => !r.agree).length;
const fixFailures = rows.flatMap((r) => Object.values(r.fixes)).filter((f) => !f.ok).length;
const fixTotal = rows.flatMap((r) => Object.values(r.fixes)).filter((f) => f.offered).length;
const cleanupProblems = rows.flatMap((r) => r.cleanup.problems);
const minutes = ((performance.now() - started) / 60000).toFixed(1);
let md = `<!-- Generated by \`npm run test:e2e\` (e2e/run.mjs). Do not edit by hand. -->\n# Proof on real BuildKit\n\n`;
md += `For every case, \`mountlint check\` predicts the outcome for each engine (Docker 20.10 is predicted with \`--frontend docker-20.10\`: no variable expansion in \`--mount\` values, no heredocs), and \`mountlint verify\` runs ${RUNS} cold builds on that engine. For every race, each fix strategy's output (\`locked\`, \`private\`, \`id\`, \`wait\`) is built once more on both engines.\n\n`;
md += `Engines: Docker 20.10 (Debian 12's docker.io, classic \`DOCKER_BUILDKIT=1 docker build\`) and Docker 26.1 with buildx (Debian 13's packages). Base image: debootstrapped Debian 12 with the official image's \`docker-clean\`.\n\n`;
md += `**Agreement: ${rows.length - disagreements} of ${rows.length}.** Fix builds: ${fixTotal - fixFailures} of ${fixTotal} passed. Suite time: ${minutes} min.\n\n`;
md += '| case | engine | predicted | observed | agree | locked | private | id | wait |\n|---|---|---|---|---|---|---|---|---|\n';
for (const r of rows) {
  const f = (s) => (r.fixes[s] ? (r.fixes[s].ok ? r.fixes[s].time : 'FAILED') : '');
  md += `| ${r.case} | ${r.engine} | ${r.predicted} | ${r.observed} | ${r.agree ? 'yes' : '**no**'} | ${f('locked')} | ${f('private')} | ${f('id')} | ${f('wait')} |\n`;
}
md += `\nFix columns: the cold-build time of the fixed file (one run), FAILED, or n/a where the strategy is not offered (\`wait\` needs a shell-form RUN).\n`;
writeFileSync(join(ROOT, 'docs/proof.md'), md);
console.log(`\nagreement ${rows.length - disagreements}/${rows.length}, fix builds ${fixTotal - fixFailures}/${fixTotal}, ${minutes} min; docs/proof.md written`);
for (const p of new Set(cleanupProblems)) console.log(`cleanup problem: ${p}`);
const passed = rows.length - disagreements + fixTotal - fixFailures;
console.log(`${passed} passed, ${disagreements + fixFailures} failed`);
process.exitCode = disagreements + fixFailures > 0 ? 1 : 0;

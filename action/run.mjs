// The action's second step: run the installed mountlint with the action's
// inputs (INPUT_* variables), print the log format (annotations by default),
// write the SARIF file and the job summary, and set the step's outputs.
// Everything it needs comes from the environment GitHub sets, so a test can
// run it with GITHUB_WORKSPACE, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY of its own.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

const env = process.env;
const input = (name) => (env[`INPUT_${name}`] ?? '').trim();
const workspace = env.GITHUB_WORKSPACE || process.cwd();
const temp = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'mountlint-'));
// The install step puts the executable's path in MOUNTLINT_BIN (through GITHUB_ENV); else mountlint from PATH.
const bin = env.MOUNTLINT_BIN || 'mountlint';

const sarif = resolve(workspace, input('SARIF_FILE') || 'mountlint.sarif');
const summary = join(temp, 'summary.md');
const log = join(temp, 'report.txt');
const format = input('FORMAT') || 'github';
const args = [...input('PATHS').split(/\s+/).filter(Boolean)];
if (args.length === 0) args.push('.');
if (input('CONFIG')) args.push('--config', input('CONFIG'));
if (input('FAIL_LEVEL')) args.push('--fail-level', input('FAIL_LEVEL'));
if (input('TARGET')) args.push('--target', input('TARGET'));
if (input('PLATFORMS')) args.push('--platform', input('PLATFORMS'));
// One run: the log format on standard output, the rest to files.
args.push('--format', 'sarif', '--output', sarif, '--format', 'markdown', '--output', summary);
if (format !== 'text') args.push('--format', 'text', '--output', log);
args.push('--format', format);

const run = spawnSync(isAbsolute(bin) && bin.endsWith('.cjs') ? process.execPath : bin, isAbsolute(bin) && bin.endsWith('.cjs') ? [bin, ...args] : args, {
  cwd: workspace,
  env: { ...env, GITHUB_WORKSPACE: workspace },
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
if (run.error) {
  console.log(`::error title=mountlint::could not run ${bin}: ${run.error.message}`);
  process.exit(2);
}
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
const code = run.status ?? 2;
if (format !== 'text' && existsSync(log)) {
  // The annotations are invisible in the log; the readable report goes in a group.
  console.log('::group::mountlint report');
  process.stdout.write(readFileSync(log, 'utf8'));
  console.log('::endgroup::');
}
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${existsSync(sarif) ? sarif : ''}\nexit-code=${code}\n`);
if (env.GITHUB_STEP_SUMMARY && input('JOB_SUMMARY') !== 'false' && existsSync(summary)) appendFileSync(env.GITHUB_STEP_SUMMARY, readFileSync(summary, 'utf8'));
process.exit(code);

/**
 * The GitHub Action outside GitHub: its steps run with the variables GitHub
 * sets (GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP,
 * INPUT_*), and the test reads what they wrote there. The install step
 * (build, npm pack, npm install of the package) runs in CI (.ci/run sets CI);
 * elsewhere the run step uses this checkout's CLI.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/paths.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');

function runStep(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const workspace = mkdtempSync(join(tmpdir(), 'mountlint-ws-'));
  const temp = mkdtempSync(join(tmpdir(), 'mountlint-runner-'));
  writeFileSync(join(workspace, 'Dockerfile'), SEED);
  const output = join(temp, 'github_output');
  const summary = join(temp, 'step_summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: temp, GITHUB_ACTION_PATH: REPO_ROOT, MOUNTLINT_BIN: join(REPO_ROOT, 'bin/mountlint.cjs'), ...extraEnv };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k}`] = v;
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'action/run.mjs')], { cwd: temp, env, encoding: 'utf8' });
  return { ...r, workspace, temp, output: readFileSync(output, 'utf8'), summary: readFileSync(summary, 'utf8') };
}

describe('GitHub Action (action.yml)', () => {
  const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8'));

  it('is a composite action whose steps pass every input on, and exposes sarif-file', () => {
    assert.equal(action.runs.using, 'composite');
    const lint = action.runs.steps.find((s: { id?: string }) => s.id === 'lint');
    for (const name of Object.keys(action.inputs)) {
      const key = `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;
      assert.equal(lint.env[key], `\${{ inputs.${name} }}`, key);
    }
    assert.equal(action.outputs['sarif-file'].value, '${{ steps.lint.outputs.sarif-file }}');
    assert.equal(action.inputs.format.default, 'github');
  });

  it('annotations by default, the SARIF file and the outputs, and a job summary with the findings table', () => {
    const r = runStep({ PATHS: '.', FORMAT: 'github', SARIF_FILE: 'mountlint.sarif', JOB_SUMMARY: 'true' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^::error title=mountlint cache-race,file=Dockerfile,line=3,endLine=3,col=5,endColumn=45::/m);
    assert.match(r.stdout, /::group::mountlint report\n[\s\S]*\[cache-race\][\s\S]*::endgroup::/);
    const sarifPath = join(r.workspace, 'mountlint.sarif');
    assert.equal(r.output, `sarif-file=${sarifPath}\nexit-code=1\n`);
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'Dockerfile');
    assert.match(r.summary, /^### mountlint: 1 error, 2 warnings in 1 file\n\n\| Severity \| Rule \| Location \| Message \|/);
    assert.match(r.summary, /<details><summary>Fix for cache-race/);
  });

  it('build-log: diagnoses the log, annotates the failing Dockerfile line, and sums it up', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'mountlint-log-')), 'build.log');
    writeFileSync(log, readFileSync(join(REPO_ROOT, 'test/fixtures/build-logs/seed-docker26.log')));
    const r = runStep({ PATHS: '.', FORMAT: 'github', BUILD_LOG: log, JOB_SUMMARY: 'true' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^::error title=mountlint diagnose%3A race inside this build,file=Dockerfile,line=3::apt failed in Dockerfile:3 \(stage "builder"\) because Dockerfile:10 \(stage "production"\)/m);
    assert.match(r.stdout, /::group::mountlint diagnose\n[\s\S]*held by: Dockerfile:10[\s\S]*::endgroup::/);
    assert.equal(r.output, 'sarif-file=\nexit-code=1\n');
    assert.match(r.summary, /^## mountlint diagnose: .*build\.log\n\n### race inside this build: Dockerfile:3/);
  });

  it('build-log that is not a build log: exit 2, one line', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'mountlint-log-')), 'build.log');
    writeFileSync(log, 'npm test\nall good\n');
    const r = runStep({ PATHS: '.', BUILD_LOG: log });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /is not a build log/);
    assert.equal(r.summary, '');
  });

  it('fail-level, target and platforms inputs reach the CLI', () => {
    assert.equal(runStep({ PATHS: 'Dockerfile', FAIL_LEVEL: 'none' }).status, 0);
    const builder = runStep({ PATHS: 'Dockerfile', TARGET: 'builder', FAIL_LEVEL: 'warning' });
    assert.equal(builder.status, 1);
    assert.doesNotMatch(builder.stdout, /cache-race/);
    assert.equal(runStep({ PATHS: 'Dockerfile', TARGET: 'builder', PLATFORMS: 'linux/amd64,linux/arm64' }).status, 1); // the step races with itself
    const quiet = runStep({ PATHS: 'Dockerfile', JOB_SUMMARY: 'false', FORMAT: 'text' });
    assert.equal(quiet.summary, '');
    assert.match(quiet.stdout, /\[cache-race\]/);
  });

  it('a bad configuration is exit 2 and a message in the log', () => {
    const r = runStep({ PATHS: 'Dockerfile', CONFIG: 'missing.yaml' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /missing\.yaml:1:1: cannot read the configuration file/);
    assert.match(r.output, /exit-code=2/);
  });

  it('the install step packs this repository and installs the package (CI only: it runs npm ci and a build)', (t) => {
    if (!process.env.CI) return t.skip('runs in CI (.ci/run sets CI=true): it reinstalls and rebuilds the checkout');
    const temp = mkdtempSync(join(tmpdir(), 'mountlint-runner-'));
    const install = spawnSync('bash', [join(REPO_ROOT, 'action/install.sh')], { env: { ...process.env, GITHUB_ACTION_PATH: REPO_ROOT, RUNNER_TEMP: temp }, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    const r = runStep({ PATHS: '.' }, { MOUNTLINT_BIN: join(temp, 'mountlint-action/node_modules/.bin/mountlint') });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /::error title=mountlint cache-race/);
  });
});

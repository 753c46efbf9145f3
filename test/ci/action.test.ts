/**
 * The GitHub Action outside GitHub: its steps run with the variables GitHub
 * sets (GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP,
 * INPUT_*), and the test reads what they wrote there. The install step
 * downloads the release's single executable: here from a release folder made
 * of this checkout's executable (file://); the other run steps use this
 * checkout's CLI.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/paths.js';
import { seaExecutable } from '../helpers/sea.js';
import { scratchDir } from '../helpers/scratch.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');

function runStep(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const workspace = scratchDir('mountlint-ws-');
  const temp = scratchDir('mountlint-runner-');
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
    const log = join(scratchDir('mountlint-log-'), 'build.log');
    writeFileSync(log, readFileSync(join(REPO_ROOT, 'test/fixtures/build-logs/seed-docker26.log')));
    const r = runStep({ PATHS: '.', FORMAT: 'github', BUILD_LOG: log, JOB_SUMMARY: 'true' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^::error title=mountlint diagnose%3A race inside this build,file=Dockerfile,line=3::apt failed in Dockerfile:3 \(stage "builder"\) because Dockerfile:10 \(stage "production"\)/m);
    assert.match(r.stdout, /::group::mountlint diagnose\n[\s\S]*held by: Dockerfile:10[\s\S]*::endgroup::/);
    assert.equal(r.output, 'sarif-file=\nexit-code=1\n');
    assert.match(r.summary, /^## mountlint diagnose: .*build\.log\n\n### race inside this build: Dockerfile:3/);
  });

  it('build-log that is not a build log: exit 2, one line', () => {
    const log = join(scratchDir('mountlint-log-'), 'build.log');
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

  it('the install step fetches the release\'s single executable, checks its SHA-256 sum, caches it, and the lint step runs it', (t) => {
    // A release folder as scripts/release lays it out, served with file:// (no GitHub here).
    const release = scratchDir('mountlint-release-');
    const platform = `linux-${process.arch}`;
    copyFileSync(seaExecutable(), join(release, `mountlint-${platform}`));
    const sum = createHash('sha256').update(readFileSync(join(release, `mountlint-${platform}`))).digest('hex');
    writeFileSync(join(release, 'SHA256SUMS'), `${'0'.repeat(64)}  mountlint-0.0.0.tgz\n${sum}  mountlint-${platform}\n`);
    const install = (toolCache: string) => {
      const githubEnv = join(scratchDir('mountlint-runner-'), 'github_env');
      writeFileSync(githubEnv, '');
      const start = process.hrtime.bigint();
      const r = spawnSync('bash', [join(REPO_ROOT, 'action/install.sh')], { env: { PATH: process.env.PATH, GITHUB_ACTION_PATH: REPO_ROOT, RUNNER_TEMP: tmpdir(), RUNNER_TOOL_CACHE: toolCache, GITHUB_ENV: githubEnv, MOUNTLINT_RELEASE_URL: `file://${release}` }, encoding: 'utf8' });
      return { ...r, seconds: Number(process.hrtime.bigint() - start) / 1e9, githubEnv: readFileSync(githubEnv, 'utf8') };
    };
    const cache = scratchDir('mountlint-toolcache-');
    const first = install(cache);
    assert.equal(first.status, 0, first.stderr);
    const binPath = join(cache, 'mountlint', JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version, platform, 'mountlint');
    assert.equal(first.githubEnv, `MOUNTLINT_BIN=${binPath}\n`);
    const again = install(cache);
    assert.equal(again.status, 0, again.stderr);
    t.diagnostic(`install step: ${first.seconds.toFixed(2)} s (download and check), ${again.seconds.toFixed(2)} s from the tool cache`);
    const r = runStep({ PATHS: '.' }, { MOUNTLINT_BIN: binPath });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /::error title=mountlint cache-race/);

    // A file that does not match its sum is not installed, and the step fails.
    writeFileSync(join(release, 'SHA256SUMS'), `${'1'.repeat(64)}  mountlint-${platform}\n`);
    const tampered = scratchDir('mountlint-toolcache-');
    const bad = install(tampered);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /^::error title=mountlint::mountlint-linux-\w+ does not match the release's SHA256SUMS: not installed$/m);
    assert.equal(bad.githubEnv, '');
    assert.deepEqual(readdirSync(tampered), []);
    // No release there: exit 2 and one error line.
    const missing = spawnSync('bash', [join(REPO_ROOT, 'action/install.sh')], { env: { PATH: process.env.PATH, GITHUB_ACTION_PATH: REPO_ROOT, RUNNER_TOOL_CACHE: scratchDir('mountlint-toolcache-'), MOUNTLINT_RELEASE_URL: `file://${release}/nope` }, encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stdout, /^::error title=mountlint::cannot download file:\/\/.*\/nope\/mountlint-linux-\w+$/m);
  });
});

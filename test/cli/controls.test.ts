/** The CLI's controls end to end: configuration file, MOUNTLINT_* variables and flags, and who wins. */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { prepare } from '../../src/engine/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, env });
  return { code, stdout, stderr };
}

/** A folder with the seed as Dockerfile and, optionally, a configuration file. */
function project(config?: string): string {
  const dir = scratchDir('mountlint-controls-');
  writeFileSync(join(dir, 'Dockerfile'), SEED);
  if (config !== undefined) writeFileSync(join(dir, '.mountlint.yaml'), config);
  return dir;
}

/** Rule ids and severities a JSON report holds, as "rule:severity", sorted (where each is reported is the rules' business). */
function reported(stdout: string): string[] {
  return JSON.parse(stdout).files.flatMap((f: { diagnostics: Array<{ ruleId: string; severity: string }> }) => f.diagnostics.map((d) => `${d.ruleId}:${d.severity}`)).sort();
}

describe('precedence: flag beats MOUNTLINT_* variable beats the nearest .mountlint.yaml', () => {
  before(prepare);
  const rows: Array<{ name: string; config?: string; env?: NodeJS.ProcessEnv; flags?: string[]; code: number; reported: string[] }> = [
    { name: 'defaults', code: 1, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
    { name: 'config turns a rule off', config: 'rules: { cache-ineffective: off }\n', code: 1, reported: ['cache-race:error'] },
    { name: 'config severity', config: 'rules: { cache-race: warning }\n', code: 0, reported: ['cache-ineffective:warning', 'cache-ineffective:warning', 'cache-race:warning'] },
    { name: 'env severity beats config severity', config: 'rules: { cache-race: warning }\n', env: { MOUNTLINT_SEVERITY: 'cache-race=error' }, code: 1, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
    { name: 'flag severity beats env severity', env: { MOUNTLINT_SEVERITY: 'cache-race=error' }, flags: ['--severity', 'cache-race=info'], code: 0, reported: ['cache-ineffective:warning', 'cache-ineffective:warning', 'cache-race:info'] },
    { name: 'env severity for another rule still applies beside a flag', env: { MOUNTLINT_SEVERITY: 'cache-ineffective=info' }, flags: ['--severity', 'cache-race=warning'], code: 0, reported: ['cache-ineffective:info', 'cache-race:warning', 'cache-ineffective:info'] },
    { name: 'config fail-level warning', config: 'fail-level: warning\nrules: { cache-race: warning }\n', code: 1, reported: ['cache-ineffective:warning', 'cache-ineffective:warning', 'cache-race:warning'] },
    { name: 'env fail-level beats config', config: 'fail-level: warning\n', env: { MOUNTLINT_FAIL_LEVEL: 'none' }, code: 0, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
    { name: 'flag fail-level beats env', env: { MOUNTLINT_FAIL_LEVEL: 'none' }, flags: ['--fail-level', 'error'], code: 1, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
    { name: 'env select beats config off', config: 'rules: { cache-race: off }\n', env: { MOUNTLINT_SELECT: 'cache-race' }, code: 1, reported: ['cache-race:error'] },
    { name: 'flag select replaces env select', env: { MOUNTLINT_SELECT: 'cache-race' }, flags: ['--select', 'cache-ineffective'], code: 0, reported: ['cache-ineffective:warning', 'cache-ineffective:warning'] },
    { name: 'ignore beats select', flags: ['--select', 'cache-race,cache-ineffective', '--ignore', 'cache-race'], code: 0, reported: ['cache-ineffective:warning', 'cache-ineffective:warning'] },
    { name: 'env ignore', env: { MOUNTLINT_IGNORE: 'cache-race' }, code: 0, reported: ['cache-ineffective:warning', 'cache-ineffective:warning'] },
    { name: 'config target; env target beats it; flag beats env', config: 'build: { target: builder }\n', code: 0, reported: ['cache-ineffective:warning'] },
    { name: 'env target beats config target', config: 'build: { target: builder }\n', env: { MOUNTLINT_TARGET: 'production' }, code: 1, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
    { name: 'flag target beats env target', env: { MOUNTLINT_TARGET: 'production' }, flags: ['--target', 'builder'], code: 0, reported: ['cache-ineffective:warning'] },
    { name: '--no-config ignores the file', config: 'rules: { cache-race: off }\n', flags: ['--no-config'], code: 1, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
    { name: 'MOUNTLINT_NO_CONFIG=1 ignores the file', config: 'rules: { cache-race: off }\n', env: { MOUNTLINT_NO_CONFIG: '1' }, code: 1, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
    { name: 'config report-unused; env 0 turns it off', config: 'suppressions: { report-unused: true }\n', env: { MOUNTLINT_REPORT_UNUSED_SUPPRESSIONS: '0' }, code: 1, reported: ['cache-ineffective:warning', 'cache-race:error', 'cache-ineffective:warning'] },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const dir = project(row.config);
      const r = await cli([dir, '--format', 'json', ...(row.flags ?? [])], row.env);
      assert.equal(r.code, row.code, r.stderr);
      assert.deepEqual(reported(r.stdout), [...row.reported].sort());
    });
  }
  it('the nearest configuration wins for each file', async () => {
    const dir = project('rules: { cache-race: off }\n');
    mkdirSync(join(dir, 'svc'));
    writeFileSync(join(dir, 'svc/Dockerfile'), SEED);
    writeFileSync(join(dir, 'svc/.mountlint.yaml'), 'rules: { cache-ineffective: off }\n');
    const r = await cli([dir, '--format', 'json']);
    const files = JSON.parse(r.stdout).files.map((f: { path: string; diagnostics: Array<{ ruleId: string }> }) => [f.path.slice(dir.length + 1), f.diagnostics.map((d) => d.ruleId)]);
    assert.deepEqual(files, [['Dockerfile', ['cache-ineffective', 'cache-ineffective']], ['svc/Dockerfile', ['cache-race']]]);
  });
  it('--config FILE applies one file to every Dockerfile', async () => {
    const dir = project('rules: { cache-race: off }\n');
    const other = join(scratchDir('mountlint-conf-'), 'ci.yaml');
    writeFileSync(other, 'rules: { cache-ineffective: off }\n');
    assert.deepEqual(reported((await cli([dir, '--format', 'json', '--config', other])).stdout), ['cache-race:error']);
    assert.deepEqual(reported((await cli([dir, '--format', 'json'], { MOUNTLINT_CONFIG: other })).stdout), ['cache-race:error']);
  });
  it('overrides, include and exclude', async () => {
    const dir = project('overrides:\n  - files: ["legacy/**"]\n    rules: { cache-race: info }\nexclude: ["vendored/**"]\ninclude: ["**/Dockerfile", "**/*.df"]\n');
    for (const sub of ['legacy', 'vendored', 'more']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'legacy/Dockerfile'), SEED);
    writeFileSync(join(dir, 'vendored/Dockerfile'), SEED);
    writeFileSync(join(dir, 'more/app.df'), SEED);
    writeFileSync(join(dir, 'more/Containerfile'), SEED);
    const r = await cli([dir, '--format', 'json', '--select', 'cache-race']);
    const files = JSON.parse(r.stdout).files.map((f: { path: string; diagnostics: Array<{ severity: string }> }) => `${f.path.slice(dir.length + 1)} ${f.diagnostics.map((d) => d.severity)}`);
    assert.deepEqual(files, ['Dockerfile error', 'legacy/Dockerfile info', 'more/app.df error']);
    // exclude applies to files named on the command line too (pre-commit names them); nothing left is not an error
    const named = await cli([join(dir, 'vendored/Dockerfile')]);
    assert.equal(named.code, 0, named.stderr);
  });
});

describe('configuration and usage errors: exit 2, naming file, line and key', () => {
  const rows: Array<{ config?: string; env?: NodeJS.ProcessEnv; flags?: string[]; error: RegExp }> = [
    { config: 'rules:\n  cache-rase: off\n', error: /^mountlint: .*\/\.mountlint\.yaml:2:3: unknown key "rules\.cache-rase"/ },
    { config: 'fail-level: warn\n', error: /\.mountlint\.yaml:1:13: fail-level: "warn" is not one of error, warning, info, none/ },
    { config: 'rules: [\n', error: /\.mountlint\.yaml:2:1: not valid YAML/ },
    { flags: ['--config', '/no/such.yaml'], error: /^mountlint: \/no\/such\.yaml:1:1: cannot read the configuration file: no such file/ },
    { flags: ['--severity', 'cache-race=loud'], error: /--severity cache-race=loud: the level must be one of off, on, error, warning, info/ },
    { flags: ['--select', 'cache-rase'], error: /--select: unknown rule "cache-rase"/ },
    { flags: ['--fail-level', 'fatal'], error: /--fail-level must be one of error, warning, info, none, not "fatal"/ },
    { flags: ['--format', 'xml'], error: /--format must be one of text, json, sarif, github, checkstyle, junit, gitlab, codeclimate, markdown, html, not "xml"/ },
    { flags: ['--format', 'json', '--format', 'sarif'], error: /both go to standard output/ },
    { flags: ['--config', 'x', '--no-config'], error: /either --config or --no-config/ },
    { env: { MOUNTLINT_FAIL_LEVEL: 'loud' }, error: /^mountlint: MOUNTLINT_FAIL_LEVEL: --fail-level must be one of/ },
    { env: { MOUNTLINT_QUIET: 'maybe' }, error: /^mountlint: MOUNTLINT_QUIET must be 1\/true or 0\/false, not "maybe"/ },
    { flags: ['--format', 'sarif', '--output', '/no/such/dir/x.sarif'], error: /^mountlint: cannot write \/no\/such\/dir\/x\.sarif: no such directory/ },
  ];
  for (const row of rows) {
    it(row.error.source, async () => {
      const dir = project(row.config);
      const r = await cli([dir, ...(row.flags ?? [])], row.env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, row.error);
      assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
    });
  }
});

describe('outputs, --quiet and --statistics', () => {
  before(prepare);
  it('text to the terminal and SARIF to a file in one run; and several files', async () => {
    const dir = project();
    const sarif = join(dir, 'out.sarif');
    const junit = join(dir, 'out.xml');
    const r = await cli([join(dir, 'Dockerfile'), '--format', 'sarif', '--output', sarif, '--format', 'junit', '--output', junit]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\[cache-race\]/);
    assert.equal(JSON.parse(readFileSync(sarif, 'utf8')).version, '2.1.0');
    assert.match(readFileSync(junit, 'utf8'), /^<\?xml/);
  });
  it('a --format without --output goes to standard output; --output infers the format from .sarif', async () => {
    const dir = project();
    const file = join(dir, 'r.sarif');
    const r = await cli([join(dir, 'Dockerfile'), '--output', file, '--format', 'github']);
    assert.match(r.stdout, /^::error title=mountlint cache-race/m);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).version, '2.1.0');
  });
  it('MOUNTLINT_FORMAT and MOUNTLINT_OUTPUT pair like the flags; flags replace them', async () => {
    const dir = project();
    const file = join(dir, 'env.sarif');
    await cli([join(dir, 'Dockerfile')], { MOUNTLINT_FORMAT: 'sarif', MOUNTLINT_OUTPUT: file });
    assert.ok(existsSync(file));
    const r = await cli([join(dir, 'Dockerfile'), '--format', 'json'], { MOUNTLINT_FORMAT: 'sarif', MOUNTLINT_OUTPUT: join(dir, 'not.sarif') });
    assert.ok(JSON.parse(r.stdout).files);
    assert.ok(!existsSync(join(dir, 'not.sarif')));
  });
  it('--quiet shows only what fails, and nothing when nothing does', async () => {
    const dir = project();
    const r = await cli([dir, '--quiet', '--format', 'json']);
    assert.deepEqual(reported(r.stdout), ['cache-race:error']);
    const clean = await cli([dir, '-q', '--ignore', 'cache-race']);
    assert.equal(clean.code, 0);
    assert.equal(clean.stdout, '');
  });
  it('--statistics counts per rule (stderr when the report is not text)', async () => {
    const dir = project();
    const r = await cli([dir, '--statistics']);
    assert.match(r.stdout, /Findings per rule:\n +2 +cache-ineffective +warning, 2 fixable\n +1 +cache-race +error, 1 fixable\n$/);
    const j = await cli([dir, '--statistics', '--format', 'json'], { MOUNTLINT_STATISTICS: '0' });
    assert.ok(JSON.parse(j.stdout));
    assert.match(j.stderr, /Findings per rule/);
  });
  it('suppressions through the CLI: --report-unused-suppressions, and --fix leaves a suppressed race alone', async () => {
    const dir = project();
    const file = join(dir, 'Dockerfile');
    // The race is reported at the cache's first use (builder, line 3): the comment goes there.
    writeFileSync(file, SEED.replace('RUN --mount=type=cache,target=/var/cache/apt apt update && apt -y --no-install-recommends install build-essential', '# mountlint ignore=cache-race,cache-split reason=judged\n$&'));
    const r = await cli([file, '--report-unused-suppressions', '--format', 'json']);
    assert.deepEqual(reported(r.stdout), ['cache-ineffective:warning', 'cache-ineffective:warning', 'suppression:warning']);
    assert.equal(r.code, 0);
    await cli([file, '--fix', '--fix-strategy', 'locked']);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /sharing=locked/);
  });
});

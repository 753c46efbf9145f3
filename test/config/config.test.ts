/** `.mountlint.yaml`: the schema (checked with ajv), the loader's errors, finding the nearest file, and precedence. */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { configSchemaText } from '../../scripts/config-schema.js';
import { ConfigError, failLevelFor, fails, findConfigFile, isExcluded, isIncluded, lintOptionsFor, loadConfig, parseConfig, settingsFor, type Controls } from '../../src/config/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const SCHEMA_FILE = join(REPO_ROOT, 'schema/mountlint.schema.json');

/** A configuration that uses every key. */
const FULL = `# every key
rules:
  missing-cache-mount: off
  cache-split: error
  cache-race: on
fail-level: warning
build:
  target: production
  platforms: [linux/amd64, linux/arm64]
  build-args:
    VERSION: 1.2
    DEBUG: true
  frontend: docker-20.10
fix:
  strategy:
    default: private
    apt: locked
suppressions:
  report-unused: true
  require-reason: true
include: ["**/Dockerfile", "**/*.df"]
exclude: [legacy/**, "*.generated.Dockerfile"]
overrides:
  - files: [services/worker/**]
    rules: { cache-race: warning }
    build: { target: worker, build-args: { EXTRA: "1" } }
`;

const BAD: Array<{ name: string; text: string; error: string }> = [
  { name: 'unknown top-level key', text: 'rules: {}\nfail_level: error\n', error: '2:1: unknown key "fail_level" (expected one of: rules, fail-level, build, fix, suppressions, cache, include, exclude, overrides)' },
  { name: 'unknown rule id', text: 'rules:\n  cache-rase: off\n', error: '2:3: unknown key "rules.cache-rase" (expected one of: a rule id)' },
  { name: 'bad rule level', text: 'rules:\n  cache-race: warn\n', error: '2:15: rules.cache-race: "warn" is not one of off, on, error, warning, info' },
  { name: 'bad fail level', text: 'fail-level: warnings\n', error: '1:13: fail-level: "warnings" is not one of error, warning, info, none' },
  { name: 'wrong type', text: 'build:\n  platforms: linux/amd64\n', error: '2:14: build.platforms must be a list' },
  { name: 'bad platform', text: 'build:\n  platforms: [linux/amd64, "linux amd64"]\n', error: '2:28: build.platforms.1: "linux amd64" is not a platform such as linux/amd64' },
  { name: 'unknown key in build', text: 'build:\n  targets: x\n', error: '2:3: unknown key "build.targets" (expected one of: target, platforms, build-args, frontend)' },
  { name: 'unknown tool in fix.strategy', text: 'fix:\n  strategy:\n    apt-get: locked\n', error: '3:5: unknown key "fix.strategy.apt-get" (expected one of: default or a tool id)' },
  { name: 'bad strategy', text: 'fix:\n  strategy:\n    apt: lock\n', error: '3:10: fix.strategy.apt: "lock" is not one of locked, private, id, wait' },
  { name: 'override without files', text: 'overrides:\n  - rules: { cache-race: off }\n', error: '2:5: overrides.0 needs the key "files"' },
  { name: 'unknown key in an override', text: 'overrides:\n  - files: [a]\n    fail-level: none\n', error: '3:5: unknown key "overrides.0.fail-level" (expected one of: files, rules, build, fix, suppressions)' },
  { name: 'empty target', text: 'build:\n  target: ""\n', error: '2:11: build.target must not be empty' },
  { name: 'not a mapping', text: '- rules\n', error: '1:1: the file must be a mapping (key: value)' },
  { name: 'invalid YAML', text: 'rules:\n  cache-race: [off\n', error: '3:1: not valid YAML' },
  { name: 'duplicate key', text: 'fail-level: error\nfail-level: none\n', error: '2:1: not valid YAML: Map keys must be unique' },
  { name: 'boolean where a level goes (YAML 1.2: off is a string, no is not)', text: 'rules:\n  cache-race: false\n', error: '2:15: rules.cache-race: false is not one of off, on, error, warning, info' },
];

describe('.mountlint.yaml schema (published JSON Schema, checked with ajv)', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  const ajv = new Ajv.default({ allErrors: true, allowUnionTypes: true });
  const validate = ajv.compile(schema);

  it('schema/mountlint.schema.json is what the code generates (run npm run docs)', () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), configSchemaText());
  });
  it('accepts a configuration that uses every key, and an empty one', () => {
    assert.ok(validate(parseYaml(FULL)), JSON.stringify(validate.errors));
    assert.ok(validate({}));
  });
  it('accepts the README example', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const example = /```yaml\n(# \.mountlint\.yaml[\s\S]*?)```/.exec(readme);
    assert.ok(example, 'README has a ```yaml block starting with "# .mountlint.yaml"');
    assert.ok(validate(parseYaml(example[1])), JSON.stringify(validate.errors));
  });
  for (const bad of BAD.filter((b) => !/YAML/.test(b.error))) {
    it(`rejects: ${bad.name}`, () => assert.equal(validate(parseYaml(bad.text)), false));
  }
});

describe('loading .mountlint.yaml', () => {
  it('reads every key', async () => {
    const c = await parseConfig(FULL, '/repo/.mountlint.yaml');
    assert.equal(c.dir, '/repo');
    assert.equal(c.failLevel, 'warning');
    assert.deepEqual(c.rules, { 'missing-cache-mount': 'off', 'cache-split': 'error', 'cache-race': 'on' });
    assert.deepEqual(c.build, { target: 'production', platforms: ['linux/amd64', 'linux/arm64'], buildArgs: { VERSION: '1.2', DEBUG: 'true' }, frontend: 'docker-20.10' });
    assert.deepEqual(c.fix, { strategy: { default: 'private', apt: 'locked' } });
    assert.deepEqual(c.suppressions, { reportUnused: true, requireReason: true });
    assert.equal(c.overrides.length, 1);
  });
  it('an empty file or one with only comments is an empty configuration', async () => {
    assert.deepEqual((await parseConfig('', 'x.yaml')).overrides, []);
    assert.deepEqual((await parseConfig('# nothing yet\n', 'x.yaml')).rules, undefined);
  });
  for (const bad of BAD) {
    it(`error with file, line, column and key: ${bad.name}`, async () => {
      await assert.rejects(parseConfig(bad.text, 'conf/.mountlint.yaml'), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.ok(err.message.startsWith(`conf/.mountlint.yaml:${bad.error}`), err.message);
        return true;
      });
    });
  }
  it('an unreadable file is a ConfigError', async () => {
    await assert.rejects(loadConfig('/no/such/.mountlint.yaml'), /^Error: \/no\/such\/\.mountlint\.yaml:1:1: cannot read the configuration file: no such file$|cannot read the configuration file: no such file/);
  });
});

describe('finding the configuration', () => {
  it('the nearest file above a Dockerfile wins', () => {
    const root = scratchDir('mountlint-config-');
    mkdirSync(join(root, 'a/b/c'), { recursive: true });
    writeFileSync(join(root, '.mountlint.yaml'), 'fail-level: none\n');
    writeFileSync(join(root, 'a/b/.mountlint.yaml'), 'fail-level: info\n');
    mkdirSync(join(root, 'a/b/c/.mountlint.yaml')); // a folder of that name is not a configuration
    const cache = new Map<string, string | null>();
    assert.equal(findConfigFile(join(root, 'a/b/c'), cache), join(root, 'a/b/.mountlint.yaml'));
    assert.equal(findConfigFile(join(root, 'a/b'), cache), join(root, 'a/b/.mountlint.yaml'));
    assert.equal(findConfigFile(join(root, 'a'), cache), join(root, '.mountlint.yaml'));
    assert.equal(cache.get(join(root, 'a/b/c')), join(root, 'a/b/.mountlint.yaml'));
  });
});

describe('settings for a file, and precedence (flag/env controls beat the file)', async () => {
  const config = await parseConfig(FULL, '/repo/.mountlint.yaml');
  const enabled = (controls: Controls, file = '/repo/Dockerfile') => (lintOptionsFor(settingsFor(config, file), controls).rules ?? []).map((r) => r.meta.id);

  it('overrides apply to matching files only, later ones winning', () => {
    const worker = lintOptionsFor(settingsFor(config, '/repo/services/worker/Dockerfile'));
    assert.equal(worker.target, 'worker');
    assert.deepEqual(worker.buildArgs, { VERSION: '1.2', DEBUG: 'true', EXTRA: '1' });
    assert.equal(worker.severities?.['cache-race'], 'warning');
    const api = lintOptionsFor(settingsFor(config, '/repo/services/api/Dockerfile'));
    assert.equal(api.target, 'production');
    assert.equal(api.severities?.['cache-race'], undefined);
  });

  const table: Array<{ name: string; controls: Controls; check: (o: ReturnType<typeof lintOptionsFor>, ids: string[]) => void }> = [
    { name: 'the file alone: off rules do not run; levels set severities', controls: {}, check: (o, ids) => {
      assert.ok(!ids.includes('missing-cache-mount'));
      assert.equal(o.severities?.['cache-split'], 'error');
      assert.equal(o.fixStrategies?.apt, 'locked');
      assert.equal(o.reportUnusedSuppressions, true);
      assert.equal(o.requireSuppressionReason, true);
    } },
    { name: '--select replaces the enabled set, even rules the file turns off', controls: { select: ['missing-cache-mount', 'cache-race'] }, check: (_, ids) => assert.deepEqual(ids.sort(), ['cache-race', 'missing-cache-mount']) },
    { name: '--ignore beats --select', controls: { select: ['cache-race', 'cache-split'], ignore: ['cache-race'] }, check: (_, ids) => assert.deepEqual(ids, ['cache-split']) },
    { name: '--severity beats the file and turns an off rule on', controls: { severity: { 'missing-cache-mount': 'warning', 'cache-split': 'info' } }, check: (o, ids) => {
      assert.ok(ids.includes('missing-cache-mount'));
      assert.equal(o.severities?.['missing-cache-mount'], 'warning');
      assert.equal(o.severities?.['cache-split'], 'info');
    } },
    { name: '--severity RULE=off turns a rule off', controls: { severity: { 'cache-race': 'off' } }, check: (_, ids) => assert.ok(!ids.includes('cache-race')) },
    { name: '--severity RULE=on keeps the rule\'s own severity', controls: { severity: { 'cache-split': 'on' } }, check: (o) => assert.equal(o.severities?.['cache-split'], undefined) },
    { name: 'build flags replace the file\'s; build args merge, the flag winning', controls: { target: 'builder', platforms: ['linux/s390x'], buildArgs: { VERSION: '2' }, frontend: 'current' }, check: (o) => {
      assert.equal(o.target, 'builder');
      assert.deepEqual(o.platforms, ['linux/s390x']);
      assert.deepEqual(o.buildArgs, { VERSION: '2', DEBUG: 'true' });
      assert.equal(o.frontend, 'current');
    } },
    { name: '--fix-strategy beats the file\'s strategy per tool', controls: { fixStrategy: 'wait' }, check: (o) => {
      assert.equal(o.fixStrategy, 'wait');
      assert.equal(o.fixStrategies?.apt, 'locked'); // kept, but the engine asks fixStrategy first
    } },
    { name: '--report-unused-suppressions=false-ish: a control of false beats the file', controls: { reportUnusedSuppressions: false }, check: (o) => assert.equal(o.reportUnusedSuppressions, false) },
  ];
  for (const row of table) it(row.name, () => row.check(lintOptionsFor(settingsFor(config, '/repo/Dockerfile'), row.controls), enabled(row.controls)));

  it('fail level: control, else file, else error; and what fails at each level', () => {
    assert.equal(failLevelFor(config, { failLevel: 'none' }), 'none');
    assert.equal(failLevelFor(config, {}), 'warning');
    assert.equal(failLevelFor(undefined, {}), 'error');
    const at = (level: 'error' | 'warning' | 'info' | 'none') => (['error', 'warning', 'info'] as const).filter((s) => fails(s, level));
    assert.deepEqual(at('error'), ['error']);
    assert.deepEqual(at('warning'), ['error', 'warning']);
    assert.deepEqual(at('info'), ['error', 'warning', 'info']);
    assert.deepEqual(at('none'), []);
  });

  it('include and exclude globs, relative to the file\'s folder; a glob without a slash matches a name anywhere', () => {
    assert.equal(isIncluded(config, '/repo/x/app.df'), true);
    assert.equal(isIncluded(config, '/repo/x/Containerfile'), false);
    assert.equal(isIncluded(undefined, '/repo/x/Containerfile'), undefined);
    assert.equal(isExcluded(config, '/repo/legacy/old/Dockerfile'), true);
    assert.equal(isExcluded(config, '/repo/deep/er/api.generated.Dockerfile'), true);
    assert.equal(isExcluded(config, '/repo/services/Dockerfile'), false);
  });
});

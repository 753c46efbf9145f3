/**
 * The table of separate builds (src/knowledge/observed.ts): complete for what the e2e
 * kind `separate` runs, consistent in itself, and what the cache-race rule says and
 * offers for separate builds follows it.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lockFileOrdersSeparateBuilds, SEPARATE_BUILDS, separateBuildsEvidence, separateBuildTotals, type SeparateBuilds } from '../../src/knowledge/index.js';
import { lintText, prepare } from '../../src/engine/index.js';

const SHARINGS = ['shared', 'locked', 'private', 'ids', 'namespace'] as const;
const LAUNCHERS: Record<string, string[]> = { 'docker-20.10': ['docker build'], 'docker-26.1': ['buildx build'], 'docker-28.5': ['buildx build', 'buildx bake', 'compose build'] };

describe('SEPARATE_BUILDS', () => {
  it('has one row for every engine, launcher and sharing the e2e kind runs', () => {
    for (const [engine, launchers] of Object.entries(LAUNCHERS)) {
      for (const launcher of launchers) for (const sharing of SHARINGS) assert.equal(SEPARATE_BUILDS.filter((o) => o.engine === engine && o.launcher === launcher && o.sharing === sharing).length, 1, `${engine} ${launcher} ${sharing}`);
    }
    assert.equal(SEPARATE_BUILDS.length, 25);
  });
  it('each outcome agrees with its counts', () => {
    for (const o of SEPARATE_BUILDS) {
      const what = `${o.engine} ${o.launcher} ${o.sharing}`;
      assert.ok(o.runs >= 2 && o.failures <= o.oneDirectory && o.oneDirectory <= o.runs && o.waits <= o.runs, what);
      if (o.outcome === 'ordered') assert.ok(o.failures === 0 && o.waits + (o.runs - o.oneDirectory) >= o.runs, what);
      if (o.outcome === 'apart') assert.ok(o.oneDirectory === 0 && o.failures === 0, what);
      // A cache per build never met: that is what makes it the fix.
      if (o.sharing === 'private' || o.sharing === 'ids' || o.sharing === 'namespace') assert.equal(o.outcome, 'apart', what);
    }
  });
  it('the rule\'s sentence gives the table\'s own counts', () => {
    const shared = separateBuildTotals(['shared']);
    const text = separateBuildsEvidence();
    assert.match(text, new RegExp(`one directory for it in ${shared.oneDirectory} of ${shared.runs} runs`));
    const synthetic: SeparateBuilds[] = [{ engine: 'docker-28.5', launcher: 'buildx build', sharing: 'shared', outcome: 'meets', runs: 3, failures: 1, waits: 0, oneDirectory: 2 }];
    assert.match(separateBuildsEvidence(synthetic), /in 2 of 3 runs here \(apt failed in 1\)/);
  });
  it('a lock file in the cache orders separate builds only if they were seen to meet in one directory', () => {
    assert.equal(lockFileOrdersSeparateBuilds(), true);
    const neverMet: SeparateBuilds[] = SEPARATE_BUILDS.map((o) => (o.sharing === 'shared' ? { ...o, outcome: 'apart', failures: 0, oneDirectory: 0 } : o));
    assert.equal(lockFileOrdersSeparateBuilds(neverMet), false);
  });
});

describe('cache-race on separate builds follows the table', () => {
  it('two separate builds: an id per build is the fix, wait is offered, the measured counts are in the message', async () => {
    await prepare();
    const text = 'FROM debian:bookworm\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n';
    const { lintBuildSet } = await import('../../src/engine/index.js');
    const set = lintBuildSet(
      [
        { path: 'api/Dockerfile', text, options: {}, label: 'CI job "api"', name: 'api', namedContexts: {} },
        { path: 'web/Dockerfile', text: text.replace('curl', 'git'), options: {}, label: 'CI job "web"', name: 'web', namedContexts: {} },
      ] as never,
      { concurrentBuilds: true } as never,
      'two CI jobs build it at the same time',
    ) as unknown as { results: Array<{ diagnostics: Array<{ ruleId: string; message: string; fix?: { strategy: string }; suggestions?: Array<{ strategy: string }> }> }> };
    const race = set.results.flatMap((r) => r.diagnostics).find((d) => d.ruleId === 'cache-race');
    assert.ok(race, 'a race between the two builds');
    assert.equal(race.fix?.strategy, 'id');
    assert.ok(race.suggestions?.some((s) => s.strategy === 'wait'));
    assert.ok(race.message.includes(separateBuildsEvidence()), race.message);
    assert.ok(lintText(text, 'Dockerfile').diagnostics.every((d) => d.ruleId !== 'cache-race'), 'one build alone does not race');
  });
});

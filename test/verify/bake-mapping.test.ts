/**
 * A failed bake run is mapped as a single file's is (one mapping, verify/map-failure.ts):
 * the target bake names, then the failed instruction by BuildKit's `Dockerfile:N`, by
 * its command text, or by its position in the stage — the last two once were missing
 * for bake — and the finding that predicted it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readBuildPlan, requestMembers } from '../../src/builds/index.js';
import { lintBuildSet, lintText, prepare } from '../../src/engine/index.js';
import { chooseRuns, DEFAULT_RUNS, defaultRuns, mapBakeFailure, parseBuildLog } from '../../src/verify/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const CASE = join(REPO_ROOT, 'e2e/builds/b01-bake-two-targets-apt');
const LOG = readFileSync(join(REPO_ROOT, 'test/fixtures/build-logs/b01-bake-two-targets-apt-docker-26.1-bake-original-1.log'), 'utf8');

describe('bake failures mapped as single files are', () => {
  let map: (raw: string) => ReturnType<typeof mapBakeFailure>;
  before(async () => {
    await prepare();
    const plan = await readBuildPlan([join(CASE, 'docker-bake.hcl')], { env: {}, cwd: CASE });
    const request = plan.requests[0];
    const { members } = requestMembers(request, []);
    const prediction = lintBuildSet(members, {}, request.why);
    map = (raw) => mapBakeFailure(parseBuildLog(raw), raw, prediction, request, request.targets.map((t) => t.name));
  });

  it('by BuildKit\'s Dockerfile:N, in the target bake names', () => {
    const f = map(LOG);
    assert.equal(f.target, 'worker');
    assert.equal(f.line, 2);
    assert.equal(f.finding?.ruleId, 'cache-race');
    assert.deepEqual(f.signatures.map((s) => s.signature.id).sort(), ['apt-lists-lock', 'apt-unable-to-lock']);
    assert.equal(f.infrastructure, undefined);
  });
  it('by its command text when the log names no line', () => {
    const f = map(LOG.replace(/^Dockerfile:\d+\n/m, ''));
    assert.equal(f.line, 2);
    assert.equal(f.finding?.ruleId, 'cache-race');
  });
  it('by its position in the stage when neither line nor text is there', () => {
    const raw = LOG.replace(/^Dockerfile:\d+\n/m, '').replace(/(\[worker stage-0 2\/2\] RUN )[^\n]*/g, '$1(cut by the log)');
    const f = map(raw);
    assert.equal(f.line, 2);
    assert.equal(f.finding?.ruleId, 'cache-race');
  });
});

describe('how many runs verify chooses', () => {
  it('more runs where a race of the tool fails only sometimes (the findings of all the files of a request count)', () => {
    const diagnostics = [{ ruleId: 'cache-race', tools: ['cargo'] }, { ruleId: 'cache-race', tools: ['apt'] }] as never;
    const runs = defaultRuns({ diagnostics });
    assert.ok(runs.runs > DEFAULT_RUNS, JSON.stringify(runs));
    assert.match(runs.reason, /cargo races fail only some of the time/);
  });

  // Two bake targets running cargo (two commands: equal ones would merge) on one registry cache; the same race as two stages of one file.
  const cargo = (command: string) => `FROM rust:1.80\nRUN --mount=type=cache,target=/usr/local/cargo/registry cargo ${command}\n`;
  const bakeRuns = async (asked?: number) => {
    const dir = scratchDir('mountlint-bake-runs-');
    writeFileSync(join(dir, 'a.Dockerfile'), cargo('build'));
    writeFileSync(join(dir, 'b.Dockerfile'), cargo('test'));
    writeFileSync(join(dir, 'docker-bake.hcl'), 'group "default" {\n  targets = ["a", "b"]\n}\ntarget "a" {\n  dockerfile = "a.Dockerfile"\n}\ntarget "b" {\n  dockerfile = "b.Dockerfile"\n}\n');
    const plan = await readBuildPlan([join(dir, 'docker-bake.hcl')], { env: {}, cwd: dir });
    const request = plan.requests[0];
    const prediction = lintBuildSet(requestMembers(request, []).members, {}, request.why);
    return chooseRuns(asked, () => prediction.results);
  };
  it('a bake request whose targets race with cargo gets the runs a file with that race gets, not a fixed 3', async () => {
    await prepare();
    const twoStages = `${cargo('build').replace('\n', ' AS a\n')}${cargo('test').replace('\n', ' AS b\n')}FROM scratch\nCOPY --from=a /x /x\nCOPY --from=b /y /y\n`;
    const file = chooseRuns(undefined, () => [lintText(twoStages, 'Dockerfile')]);
    assert.ok(file.runs > DEFAULT_RUNS, JSON.stringify(file));
    assert.deepEqual(await bakeRuns(), file);
  });
  it('the runs asked for, whatever races are predicted (and nothing is linted for the count)', async () => {
    assert.deepEqual(await bakeRuns(2), { runs: 2, reason: 'asked for' });
    assert.deepEqual(chooseRuns(5, () => assert.fail('linted')), { runs: 5, reason: 'asked for' });
  });
});

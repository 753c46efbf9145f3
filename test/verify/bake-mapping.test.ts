/**
 * A failed bake run is mapped as a single file's is (one mapping, verify/map-failure.ts):
 * the target bake names, then the failed instruction by BuildKit's `Dockerfile:N`, by
 * its command text, or by its position in the stage — the last two once were missing
 * for bake — and the finding that predicted it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readBuildPlan, requestMembers } from '../../src/builds/index.js';
import { lintBuildSet, prepare } from '../../src/engine/index.js';
import { defaultRuns, mapBakeFailure, parseBuildLog } from '../../src/verify/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

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
  it('more runs where a race of the tool fails only sometimes, for a bake request as for a file (the findings of all its files)', () => {
    const diagnostics = [{ ruleId: 'cache-race', tools: ['cargo'] }, { ruleId: 'cache-race', tools: ['apt'] }] as never;
    const runs = defaultRuns({ diagnostics });
    assert.ok(runs.runs > 3, JSON.stringify(runs));
    assert.match(runs.reason, /cargo races fail only some of the time/);
  });
});

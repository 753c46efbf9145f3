/**
 * Requests an engine cannot run: every recorded refusal (the engines' own words, in
 * src/knowledge/failures.ts) is read back through the log reader and named as a
 * refusal, and `verify` reports it as "the build could not run" (exit 2), never as a
 * failed build. The e2e kind `refusals` produces the same refusals on the real engines.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { INFRASTRUCTURE_ERRORS } from '../../src/knowledge/index.js';
import { lintText, prepare } from '../../src/engine/index.js';
import { mapFailure, parseBuildLog, refusal } from '../../src/verify/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** What buildx prints before it refuses (its `#0` line is no step). */
const BUILDX_HEADER = '#0 building with "default" instance using docker driver\n\n';

describe('refusals the engines printed, read back', () => {
  const seen = INFRASTRUCTURE_ERRORS.flatMap((e) => (e.seen ?? []).map((s) => ({ id: e.id, ...s })));
  it('covers every kind of refusal verify names, on the engines of the suite', () => {
    const ids = new Set(seen.map((s) => s.id));
    for (const id of ['multi-platform-unsupported', 'platform-list-unsupported', 'entitlement-not-allowed', 'option-unknown', 'builder-missing', 'frontend-unreachable', 'dockerfile-refused']) assert.ok(ids.has(id), id);
    // docker-26.1-bake: Docker 26.1 with the containerd image store (MOUNTLINT_E2E_BAKE26=1).
    assert.deepEqual([...new Set(seen.map((s) => s.engine))].sort(), ['docker-20.10', 'docker-26.1', 'docker-26.1-bake', 'docker-28.5']);
  });
  it("has each engine's words for every refusal that engine can give", () => {
    const on = (id: string) => seen.filter((s) => s.id === id).map((s) => s.engine).sort();
    // The others run the request: 26.1 with the containerd store and 28.5 build several platforms; buildx takes --builder.
    assert.deepEqual([...new Set(on('frontend-unreachable'))], ['docker-20.10', 'docker-26.1', 'docker-26.1-bake', 'docker-28.5']);
    assert.deepEqual([...new Set(on('dockerfile-refused'))], ['docker-20.10', 'docker-26.1', 'docker-26.1-bake', 'docker-28.5']);
    assert.deepEqual([...new Set(on('builder-missing'))], ['docker-26.1', 'docker-26.1-bake', 'docker-28.5']);
    assert.deepEqual([...new Set(on('entitlement-not-allowed'))], ['docker-26.1', 'docker-26.1-bake', 'docker-28.5']);
    assert.deepEqual(on('multi-platform-unsupported'), ['docker-26.1']);
    assert.deepEqual(on('platform-list-unsupported'), ['docker-20.10']);
  });
  for (const s of seen) {
    it(`${s.engine}: ${s.text.slice(0, 70)}`, () => {
      const log = parseBuildLog(BUILDX_HEADER + s.text + '\n');
      assert.ok(log.error, 'the reader keeps the engine\'s words as the build\'s error');
      assert.equal(refusal(log.error, log.steps.some((x) => x.number > 0))?.id, s.id);
    });
  }
  it('every refusal says what to do', () => {
    for (const e of INFRASTRUCTURE_ERRORS) assert.ok(e.remedy.length > 20, e.id);
  });
});

describe('what is not a refusal', () => {
  it('a real race (apt on Docker 26.1) is a failed build, mapped to its step', async () => {
    await prepare();
    const text = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
    const log = parseBuildLog(readFileSync(join(REPO_ROOT, 'test/fixtures/build-logs/docker26-lists-race.log'), 'utf8'));
    const mapped = mapFailure(log, lintText(text, 'Dockerfile'));
    assert.equal(mapped.infrastructure, undefined);
    assert.ok(mapped.signatures.length > 0);
  });
  it('Docker 20.10\'s whole log when its built-in frontend does not know RUN --network: a refusal, not a failed build', () => {
    const log = parseBuildLog('#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 132B done\n#1 DONE 0.0s\n\n#2 [internal] load .dockerignore\n#2 DONE 0.0s\nfailed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 2: Unknown flag: network\n');
    assert.equal(refusal(log.error ?? '', log.steps.some((x) => x.number > 0))?.id, 'dockerfile-refused');
  });
  it('a failed step with an unknown error is the build\'s failure, not the engine\'s', () => {
    const log = parseBuildLog('#5 [a 2/2] RUN false\n#5 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1\nERROR: failed to build: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1\n');
    assert.equal(log.error, 'failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1');
    assert.equal(refusal(log.error ?? '', log.steps.some((x) => x.number > 0)), undefined);
  });
  it('an unknown error before any step ran is still a refusal', () => {
    const log = parseBuildLog(BUILDX_HEADER + 'ERROR: something new the engine says\n');
    assert.equal(refusal(log.error ?? '', log.steps.some((x) => x.number > 0))?.id, 'refused');
  });
});

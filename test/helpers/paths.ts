import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestContext } from 'node:test';

/** The repository root (tests run from dist/test/…). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();

/** The team's shared references, beside the repository. */
export const SHARED = resolve(REPO_ROOT, '..', 'shared');
export const CONFORMANCE = resolve(SHARED, 'conformance/buildkit/frontend/dockerfile');
export const ORACLE = resolve(SHARED, 'oracle');
export const CORPUS = resolve(SHARED, 'corpus/real-world');

/**
 * Tests that read ../shared (BuildKit's conformance data, the oracle, the
 * real-world corpus, the specs) run where it is beside the repository. In a
 * clone without it they are skipped, saying why; `.ci/run` sets
 * MOUNTLINT_REQUIRE_SHARED=1, which turns every such skip into a failure.
 */
const REQUIRED = process.env.MOUNTLINT_REQUIRE_SHARED === '1';

/** Why a test that reads `path` cannot run here, or undefined when it can. */
export function sharedMissing(path = SHARED): string | undefined {
  if (existsSync(path)) return undefined;
  return `needs ${path}, which is not here (the shared references are not beside this clone)`;
}

/** A suite whose body reads ../shared: without it, one skipped test that says why. */
export function describeWithShared(name: string, body: () => void, path = SHARED): void {
  describe(name, () => {
    const missing = sharedMissing(path);
    if (missing) withoutShared('reads the shared references', missing);
    else body();
  });
}

/** A test that reads ../shared: skipped, saying why, without it. */
export function itWithShared(name: string, fn: (t: TestContext) => void | Promise<void>, path = SHARED): void {
  const missing = sharedMissing(path);
  if (missing) withoutShared(name, missing);
  else it(name, fn);
}

/** Inside a running test: skip it (or, when required, fail it) if `path` is absent; true when it may go on. */
export function hasShared(t: TestContext, path = SHARED): boolean {
  const missing = sharedMissing(path);
  if (!missing) return true;
  if (REQUIRED) assert.fail(`${missing}, and MOUNTLINT_REQUIRE_SHARED=1`);
  t.skip(missing);
  return false;
}

function withoutShared(name: string, missing: string): void {
  if (REQUIRED) it(name, () => assert.fail(`${missing}, and MOUNTLINT_REQUIRE_SHARED=1`));
  else it(name, { skip: missing }, () => {});
}

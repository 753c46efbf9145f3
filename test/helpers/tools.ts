import { strict as assert } from 'node:assert';
import type { TestContext } from 'node:test';

/**
 * Tests that need a tool installed on this machine (pre-commit, …) run where
 * it is; elsewhere they are skipped, saying why. `.ci/run` installs those
 * tools and sets MOUNTLINT_REQUIRE_TOOLS=1, which turns every such skip into a
 * failure (as MOUNTLINT_REQUIRE_SHARED does for ../shared, test/helpers/paths.ts).
 */
const REQUIRED = process.env.MOUNTLINT_REQUIRE_TOOLS === '1';

/** Inside a running test: skip it (or, when required, fail it) because `missing` says what is not here. */
export function skipForMissingTool(t: TestContext, missing: string): void {
  if (REQUIRED) assert.fail(`${missing}, and MOUNTLINT_REQUIRE_TOOLS=1`);
  t.skip(missing);
}

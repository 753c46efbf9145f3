/** Retry wrappers: the tool they run is taken as run, and the invocation says it was a guess. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Invocation } from '../../src/commands/index.js';
import { seeThroughRetry } from '../../src/knowledge/index.js';

const inv = (program: string, ...args: string[]): Invocation => ({
  program,
  args,
  literal: args.map((a) => !a.startsWith('$')),
  assignments: {},
  range: { start: 0, end: 1 },
  nameRange: { start: 0, end: 1 },
  via: [],
  flocks: [],
});

describe('retry wrappers', () => {
  const cases: Array<[Invocation, string | undefined, string[]?]> = [
    [inv('retry', 'apt-get', 'install', '-y', 'gcc'), 'apt-get', ['install', '-y', 'gcc']],
    [inv('retry', '-t', '3', '--', 'apt-get', 'install', '-y', 'gcc'), 'apt-get', ['install', '-y', 'gcc']],
    [inv('retry', '--times=5', '--delay=10', 'npm', 'ci'), 'npm', ['ci']],
    [inv('with-retry', 'cargo', 'fetch'), 'cargo', ['fetch']],
    [inv('retry.sh', '/usr/bin/pip', 'install', 'x'), 'pip', ['install', 'x']],
    [inv('ci_conda_retry', 'install', '-y', 'numpy'), 'conda', ['install', '-y', 'numpy']],
    [inv('apt-get-retry', 'install', '-y', 'gcc'), 'apt-get', ['install', '-y', 'gcc']],
    [inv('retry', 'make', 'all'), undefined],
    [inv('retry', '$TOOL', 'install'), undefined],
    [inv('apt-get', 'install', 'retry'), undefined],
    [inv('npm', 'run', 'retry'), undefined],
  ];
  for (const [given, program, args] of cases) {
    it(`${given.program} ${given.args.join(' ')}`, () => {
      const seen = seeThroughRetry(given);
      assert.equal(seen?.program, program);
      if (!seen) return;
      assert.deepEqual(seen.args, args);
      assert.deepEqual(seen.via, [given.program]);
      assert.match(seen.assumption ?? '', new RegExp(`\`${given.program.replace('.', '\\.')}\` is taken for a retry wrapper`));
    });
  }
});

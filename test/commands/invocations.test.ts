import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { loadShellParser, runInvocations } from '../../src/commands/index.js';
import { parseInstructions, type RunInstruction } from '../../src/instructions/index.js';
import { parseDockerfile } from '../../src/syntax/index.js';

function programs(run: string): string[] {
  const text = `FROM debian\n${run}\n`;
  const ins = parseInstructions(parseDockerfile(text)).stages[0].instructions[0] as RunInstruction;
  return runInvocations(ins).map((i) => [i.program, ...i.args].join(' '));
}

describe('what a RUN runs', () => {
  before(loadShellParser);
  const cases: Array<[string, string[]]> = [
    ['RUN apt-get update && apt-get install -y vim', ['apt-get update', 'apt-get install -y vim']],
    ['RUN A=1 B="x y" apt-get -q update', ['apt-get -q update']],
    ['RUN a || b; c | d', ['a', 'b', 'c', 'd']],
    ['RUN (cd /x && make) && { echo; }', ['cd /x', 'make', 'echo']],
    ['RUN if [ -f x ]; then apt-get update; else true; fi', ['apt-get update', 'true']], // [ … ] is a test expression, not a program call
    ['RUN for p in a b; do apt-get install -y $p; done', ['apt-get install -y $p']],
    [`RUN sh -c 'apt-get update && apt-get install -y x'`, ['apt-get update', 'apt-get install -y x']],
    ['RUN /bin/bash -ec "apt-get update"', ['apt-get update']],
    ['RUN sudo -E env DEBIAN_FRONTEND=noninteractive apt-get install -y x', ['apt-get install -y x']],
    ['RUN ["/usr/bin/apt-get", "update"]', ['apt-get update']],
    ['RUN ["sh", "-c", "apt-get update"]', ['sh -c apt-get update']],
    ['RUN <<EOF\napt-get update\napt-get install -y x\nEOF', ['apt-get update', 'apt-get install -y x']],
    ['RUN echo $(apt-cache policy x)', ['echo $(apt-cache policy x)', 'apt-cache policy x']],
    ['RUN flock /var/cache/apt/.lock apt-get install -y x', ['apt-get install -y x']],
    ['RUN flock /tmp/lock -c', []], // -c with no script after it (found by the fuzz campaign: it threw)
  ];
  for (const [run, expected] of cases) it(run.replace(/\n/g, '⏎'), () => assert.deepEqual(programs(run), expected));

  it('keeps exact source ranges', () => {
    const text = 'FROM debian\nRUN --mount=type=cache,target=/x \\\n    DEBIAN_FRONTEND=noninteractive apt-get update\n';
    const ins = parseInstructions(parseDockerfile(text)).stages[0].instructions[0] as RunInstruction;
    const [inv] = runInvocations(ins);
    assert.equal(text.slice(inv.nameRange.start, inv.nameRange.end), 'apt-get');
    assert.equal(text.slice(inv.range.start, inv.range.end), 'DEBIAN_FRONTEND=noninteractive apt-get update');
  });
  it('a non-POSIX SHELL is not analysed', () => {
    const ins = parseInstructions(parseDockerfile('FROM x\nRUN apt-get update\n')).stages[0].instructions[0] as RunInstruction;
    assert.deepEqual(runInvocations(ins, ['powershell', '-command']), []);
  });
});

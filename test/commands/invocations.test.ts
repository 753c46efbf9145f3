import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { fastPathReader, loadShellParser, readScript, runInvocations, shellForm } from '../../src/commands/index.js';
import { parseInstructions, type RunInstruction } from '../../src/instructions/index.js';
import { parseDockerfile } from '../../src/syntax/index.js';

function programs(run: string, shell?: string[]): string[] {
  const text = `FROM debian\n${run}\n`;
  const ins = parseInstructions(parseDockerfile(text)).stages[0].instructions[0] as RunInstruction;
  return runInvocations(ins, shell).map((i) => [i.program, ...i.args].join(' '));
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

/** Every SHELL form BuildKit accepts ends in a program that reads the script: a POSIX shell is analysed, another one is not. */
describe('SHELL forms', () => {
  before(loadShellParser);
  const run = 'RUN apt-get update && apt-get install -y gcc';
  const analysed = ['apt-get update', 'apt-get install -y gcc'];
  const cases: Array<[string[], string[], { program: string; posix: boolean; assignments?: Record<string, string> }]> = [
    [['/bin/sh', '-c'], analysed, { program: 'sh', posix: true }],
    [['/usr/bin/env', 'bash', '-c'], analysed, { program: 'bash', posix: true }],
    [['env', 'bash', '-c'], analysed, { program: 'bash', posix: true }],
    [['/usr/bin/env', '-i', 'PATH=/usr/bin:/bin', 'bash', '-c'], analysed, { program: 'bash', posix: true, assignments: { PATH: '/usr/bin:/bin' } }],
    [['/usr/bin/env', '-u', 'HOME', '--', 'bash', '-c'], analysed, { program: 'bash', posix: true }],
    [['/usr/bin/env', '-S', 'bash -eo pipefail', '-c'], analysed, { program: 'bash', posix: true }],
    [['/usr/bin/env', '--split-string=bash -e', '-c'], analysed, { program: 'bash', posix: true }],
    [['/bin/bash', '-o', 'pipefail', '-c'], analysed, { program: 'bash', posix: true }],
    [['/bin/bash', '-euxo', 'pipefail', '-c'], analysed, { program: 'bash', posix: true }],
    [['sh', '-eux', '-c'], analysed, { program: 'sh', posix: true }],
    [['/bin/ash', '-eo', 'pipefail', '-c'], analysed, { program: 'ash', posix: true }],
    [['conda', 'run', '-n', 'app', '/bin/bash', '-c'], analysed, { program: 'bash', posix: true }],
    [['conda', 'run', '--no-capture-output', '-p', '/opt/env', 'bash', '-c'], analysed, { program: 'bash', posix: true }],
    [['micromamba', 'run', '-n', 'base', '/bin/bash', '-c'], analysed, { program: 'bash', posix: true }],
    [['/usr/bin/env', 'DEBIAN_FRONTEND=noninteractive', 'bash', '-c'], analysed, { program: 'bash', posix: true, assignments: { DEBIAN_FRONTEND: 'noninteractive' } }],
    [['pwsh', '-Command'], [], { program: 'pwsh', posix: false }],
    [['powershell', '-Command', '$ErrorActionPreference = \'Stop\';'], [], { program: 'powershell', posix: false }],
    [['cmd', '/S', '/C'], [], { program: 'cmd', posix: false }],
  ];
  for (const [shell, expected, form] of cases) {
    it(JSON.stringify(shell), () => {
      assert.deepEqual(programs(run, shell), expected);
      const got = shellForm(shell);
      assert.equal(got.program, form.program);
      assert.equal(got.posix, form.posix);
      assert.deepEqual(got.assignments, form.assignments ?? {});
    });
  }
  it('variables an env SHELL sets reach every command (a command\'s own prefix wins)', () => {
    const text = 'FROM debian\nRUN pip install a && PIP_NO_CACHE_DIR= pip install b\n';
    const ins = parseInstructions(parseDockerfile(text)).stages[0].instructions[0] as RunInstruction;
    const invs = runInvocations(ins, ['/usr/bin/env', 'PIP_NO_CACHE_DIR=1', 'bash', '-c']);
    assert.deepEqual(invs.map((i) => i.assignments), [{ PIP_NO_CACHE_DIR: '1' }, { PIP_NO_CACHE_DIR: '' }]);
  });
});

describe('scripts read once per process', () => {
  before(loadShellParser);

  it('a script read again gives the same commands, from the first reading', () => {
    const script = 'if [ -n "$(ls)" ]; then apt-get update; fi && pip install x';
    const first = readScript(script);
    assert.ok(first.length >= 2);
    assert.equal(readScript(script), first);
    assert.deepEqual(readScript(` ${script}`).map((c) => c.words.map((w) => w.value)), first.map((c) => c.words.map((w) => w.value)), 'another text is read on its own');
  });

  it('the fast path takes a script tree-sitter has read from memory, so the parser is not needed for it again', () => {
    const script = 'for p in a b; do apt-get install -y "$p"; done # read by tree-sitter only';
    const fast = fastPathReader();
    assert.deepEqual(fast.read(`${script} 1`), []);
    assert.equal(fast.neededParser(), true, 'a script the fast path cannot read needs the parser');
    const read = readScript(`${script} 2`);
    const again = fastPathReader();
    assert.equal(again.read(`${script} 2`), read);
    assert.equal(again.neededParser(), false);
  });
});

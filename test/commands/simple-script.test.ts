/**
 * The fast path for simple scripts must say exactly what tree-sitter-bash
 * says, or nothing. Checked on every script in our corpora (RUN lines,
 * heredoc scripts and quoted strings such as `sh -c '…'`) and on generated
 * scripts built from the tokens where the two could differ.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadShellParser } from '../../src/commands/index.js';
import { parseSimpleScript } from '../../src/commands/simple-script.js';
import { treeSitterCommands } from '../../src/commands/tree-sitter-commands.js';
import { parseInstructions } from '../../src/instructions/index.js';
import { parseDockerfile } from '../../src/syntax/index.js';
import { CONFORMANCE, CORPUS, ORACLE, REPO_ROOT } from '../helpers/paths.js';

function dockerfiles(): string[] {
  const inDir = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('Dockerfile')).map((n) => join(dir, n));
  const testfiles = join(CONFORMANCE, 'parser/testfiles');
  return [
    ...inDir(CORPUS),
    ...inDir(ORACLE),
    ...readdirSync(testfiles).map((n) => join(testfiles, n, 'Dockerfile')),
    join(REPO_ROOT, 'examples/seed/Dockerfile'),
  ];
}

/** RUN scripts and heredoc bodies, then every quoted string inside them (nested scripts). */
function scriptsOf(path: string): string[] {
  let instructions;
  try {
    instructions = parseInstructions(parseDockerfile(readFileSync(path, 'utf8'), path));
  } catch {
    return []; // the negative conformance files
  }
  const scripts: string[] = [];
  for (const stage of instructions.stages) {
    for (const ins of stage.instructions) {
      if (ins.kind !== 'run' || ins.json) continue;
      scripts.push(ins.shellText.text, ...ins.heredocs.map((h) => h.content));
    }
  }
  const nested = scripts.flatMap((s) => treeSitterCommands(s).flatMap((c) => c.words.filter((w) => w.kind === 'string' || w.kind === 'raw_string').map((w) => w.value)));
  return [...scripts, ...nested];
}

/** Deterministic: the same scripts on every run. */
function generatedScripts(count: number): string[] {
  const tokens = [
    'apt-get', 'install', '-y', '--no-install-recommends', 'x=1.2', 'A=b', 'A=', 'A="q r"', "B='s t'", 'a,b', 'x:y', '@a', '%a', '^a', '+a',
    'a=b=c', '--a=b', '5', '-5', '0', '""', "''", '"q s"', "'r s'", 'a"b"c', "a'b'", '"a"\'b\'', 'done', 'in', 'if', 'time', 'export',
    'then', 'fi', 'do', '2>&1', '>f', '>> f', '<f', '2>/dev/null', '> /x/y', '1>&2', '&&', '||', ';', '|', '\n', '&&\n', ';;', '&',
    '|&', '#c', '$x', '`x`', '(', ')', '{', '}', '[', ']', '!', '~/x', '*.deb', 'a\\b', '\t', '<<EOF', '<(x)', 'a==b', 'A+=b', '"a=b"',
  ];
  let seed = 12345;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const length = 1 + random(10);
    for (let k = 0; k < length; k++) parts.push(tokens[random(tokens.length)] + [' ', ' ', '', '  '][random(4)]);
    out.push(parts.join(''));
  }
  return out;
}

function agreesWithTreeSitter(script: string): boolean {
  const simple = parseSimpleScript(script);
  if (simple === undefined) return false;
  assert.deepEqual(simple, treeSitterCommands(script), `script: ${JSON.stringify(script)}`);
  return true;
}

describe('simple scripts', () => {
  before(loadShellParser);

  it('reads words, quotes, assignments and trailing redirections', () => {
    assert.deepEqual(parseSimpleScript(`A="x y" apt-get -y install 'a b' c"d" 2>&1 >log`), [
      {
        assignments: { A: 'x y' },
        words: [
          { value: 'apt-get', literal: true, kind: 'word', start: 8, end: 15 },
          { value: '-y', literal: true, kind: 'word', start: 16, end: 18 },
          { value: 'install', literal: true, kind: 'word', start: 19, end: 26 },
          { value: 'a b', literal: true, kind: 'raw_string', start: 27, end: 32 },
          { value: 'cd', literal: true, kind: 'concatenation', start: 33, end: 37 },
        ],
        start: 0,
        end: 37,
      },
    ]);
  });

  const notSimple = [
    'echo $HOME', 'echo `date`', 'a & b', 'a &&', 'if true; then a; fi', '[ -f x ] && a', '(cd x && make)', '{ a; }', '# comment',
    'a <<EOF', 'diff <(a) b', 'export A=b', 'echo "$x"', 'echo a\\ b', 'echo *.deb', 'A+=b c', 'a |& b', 'a;; b', '> f',
  ];
  for (const script of notSimple) {
    it(`leaves ${JSON.stringify(script)} to tree-sitter`, () => assert.equal(parseSimpleScript(script), undefined));
  }

  it('agrees with tree-sitter on every script in the corpora', () => {
    const scripts = dockerfiles().flatMap(scriptsOf);
    const simple = scripts.filter(agreesWithTreeSitter).length;
    // Not vacuous: most real RUN scripts are simple (measured: more than a third).
    assert.ok(scripts.length > 1000 && simple > scripts.length / 3, `${simple} of ${scripts.length} scripts were simple`);
  });

  it('agrees with tree-sitter on 20,000 generated scripts', () => {
    const scripts = generatedScripts(20_000);
    const simple = scripts.filter(agreesWithTreeSitter).length;
    assert.ok(simple > 2_000, `${simple} of ${scripts.length} generated scripts were simple`);
  });
});

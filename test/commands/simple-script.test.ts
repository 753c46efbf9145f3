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
import { generateScript, MULTIBYTE } from '../fuzz/generate.js';
import { CONFORMANCE, CORPUS, itWithShared, ORACLE, REPO_ROOT } from '../helpers/paths.js';
import { fuzzSeed, random } from '../helpers/random.js';

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

/** Tokens where the fast path and tree-sitter could differ; about one script in eight comes out simple. */
const ANY_TOKENS = [
    'apt-get', 'install', '-y', '--no-install-recommends', 'x=1.2', 'A=b', 'A=', 'A="q r"', "B='s t'", 'a,b', 'x:y', '@a', '%a', '^a', '+a',
    'a=b=c', '--a=b', '5', '-5', '0', '""', "''", '"q s"', "'r s'", 'a"b"c', "a'b'", '"a"\'b\'', 'done', 'in', 'if', 'time', 'export',
    'then', 'fi', 'do', '2>&1', '>f', '>> f', '<f', '2>/dev/null', '> /x/y', '1>&2', '&&', '||', ';', '|', '\n', '&&\n', ';;', '&',
    '|&', '#c', '$x', '`x`', '(', ')', '{', '}', '[', ']', '!', '~/x', '*.deb', 'a\\b', '\t', '<<EOF', '<(x)', 'a==b', 'A+=b', '"a=b"',
    '$X', '${Y}', '"a $X b"', '"${Y}"', 'a$X', '$X/b', '${X}c', 'A=$X', 'B=${Y}z', '# c\n', 'a#b', '#', '*', '/x/*', 'a?b', '~', '\\\n',
    '$1', '$@', '${X:-y}', '$(x)', '"$"', '"x$"', "'$X'", '"\\$X"', '$', '${', '"$X', 'x\\', '>$X', '2>>${LOG}',
];
/** Only tokens the fast path accepts, so that most generated scripts are simple. */
const SIMPLE_TOKENS = [
  'apt-get', 'install', '-y', 'x=1.2', 'A=b', 'A="q r"', '"q s"', "'r s'", 'a"b"c', '5', '-5', '$X', '${Y}', '"a $X b"', 'a$X', '${X}c',
  '2>&1', '>f', '> $X', '&&', '||', ';', '|', '\n', '# c\n', '\\\n', '/x/*', '~/x', 'a,b', '--a=b', 'B=${Y}z', 'sh', '-c',
];

/** Scripts of `count` tokens, drawn from `seed` (a fresh one each run: it is in the test's name). */
function generatedScripts(count: number, tokens: string[], seed: number): string[] {
  const rand = random(seed);
  const at = (n: number) => Math.floor(rand() * n);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const length = 1 + at(10);
    for (let k = 0; k < length; k++) parts.push(tokens[at(tokens.length)] + [' ', ' ', '', '  '][at(4)]);
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

  it('reads $NAME and ${NAME} as non-literal, and skips comments and line continuations', () => {
    assert.deepEqual(parseSimpleScript('# set up\napt-get install \\\n  "$PKG" x${V} # why\n'), [
      {
        assignments: {},
        words: [
          { value: 'apt-get', literal: true, kind: 'word', start: 9, end: 16 },
          { value: 'install', literal: true, kind: 'word', start: 17, end: 24 },
          { value: '$PKG', literal: false, kind: 'string', start: 29, end: 35 },
          { value: 'x${V}', literal: false, kind: 'concatenation', start: 36, end: 41 },
        ],
        start: 9,
        end: 41,
      },
    ]);
  });

  const notSimple = [
    'echo ${X:-y}', 'echo $1', 'echo `date`', 'a & b', 'a &&', 'if true; then a; fi', '[ -f x ] && a', '(cd x && make)', '{ a; }',
    'a <<EOF', 'diff <(a) b', 'export A=b', 'echo "\\$x"', 'echo a\\ b', 'echo {a,b}', 'A+=b c', 'a |& b', 'a;; b', '> f',
    // tree-sitter-bash's quirks ($A-$B.x is two words to it, a@b in command position an error), and a#b
    'echo $A-$B.x', 'a@b c', 'a?b c', 'A= b', 'echo a#b',
    // more of them, found by the seeded fuzzing: a word glued to a redirection, descriptors other than 1 and 2, a
    // redirection after a line continuation, names such as 9: or a+:9, ==, assignments alone or with odd values,
    // a line that is only a continuation, text on both sides of an expansion after a quote
    'x -y2>&1', 'x -51>&2', 'make 0>x', 'make\\\n 2>&1', 'A=1 9: x', 'x;a+:9', 'x == y', 'A=1 B=2\nx', '_=?x', 'c;_=:@_ pip',
    "x \\\n \\\n y", "~/x\n\\\n  sh", "x 'b'Ab$X/b", 'x 0>=+ rm',
  ];
  for (const script of notSimple) {
    it(`leaves ${JSON.stringify(script)} to tree-sitter`, () => assert.equal(parseSimpleScript(script), undefined));
  }

  itWithShared('agrees with tree-sitter on every script in the corpora', () => {
    const scripts = dockerfiles().flatMap(scriptsOf);
    const simple = scripts.filter(agreesWithTreeSitter).length;
    // Not vacuous: most real RUN scripts are simple (measured: 757 of 1,164).
    assert.ok(scripts.length > 1000 && simple > scripts.length / 2, `${simple} of ${scripts.length} scripts were simple`);
  });

  const seed = fuzzSeed();
  // Simple tokens with multibyte text: offsets must agree where UTF-16 units and code points part ways.
  const MULTIBYTE_TOKENS = [...SIMPLE_TOKENS, ...MULTIBYTE, ...MULTIBYTE.map((t) => `"${t} $X"`), ...MULTIBYTE.map((t) => `'${t}'`), ...MULTIBYTE.map((t) => `a${t}b`)];
  const generated: Array<[string, number, string[], number]> = [
    // Not vacuous: enough scripts come out simple to compare (measured: about 800, 850, 120 and 270 per run; the
    // multibyte set gave 56 to 110 over seeds 1-300, median 82, so its floor is 40).
    ['any tokens', 20_000, ANY_TOKENS, 500],
    ['simple tokens', 10_000, SIMPLE_TOKENS, 500],
    ['simple tokens and multibyte text', 5_000, MULTIBYTE_TOKENS, 40],
  ];
  for (const [name, count, tokens, atLeastSimple] of generated) {
    it(`agrees with tree-sitter on ${count} generated scripts of ${name} (seed ${seed})`, () => {
      const scripts = generatedScripts(count, tokens, seed);
      const simple = scripts.filter(agreesWithTreeSitter).length;
      assert.ok(simple > atLeastSimple, `${simple} of ${scripts.length} generated scripts were simple (seed ${seed})`);
    });
  }
  it(`agrees with tree-sitter on 5,000 scripts with words of random characters (seed ${seed})`, () => {
    // Beyond any token list: words of letters, digits, punctuation, quotes, escapes and multibyte text.
    const rand = random(seed ^ 0x5eed);
    const scripts = Array.from({ length: 5_000 }, () => generateScript(rand, 0.5));
    const simple = scripts.filter(agreesWithTreeSitter).length;
    assert.ok(simple > 150, `${simple} of ${scripts.length} scripts were simple (seed ${seed})`);
  });
});

/**
 * BuildKit's own parser and lexer test data, compared the way BuildKit's Go
 * tests compare them (see ../shared/conformance/buildkit/README.md).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { dumpInstructions, parseDockerfile, processWord, processWords, envFromRecord } from '../../src/syntax/index.js';
import { CONFORMANCE, describeWithShared } from '../helpers/paths.js';

const parserDir = join(CONFORMANCE, 'parser');

describeWithShared('BuildKit parser test files (AST dump)', () => {
  const cases = readdirSync(join(parserDir, 'testfiles')).sort();
  it('has the 33 cases', () => assert.equal(cases.length, 33));
  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(parserDir, 'testfiles', name, 'Dockerfile'), 'utf8');
      const expected = readFileSync(join(parserDir, 'testfiles', name, 'result'), 'utf8');
      const parsed = parseDockerfile(text);
      assert.equal(dumpInstructions(parsed.instructions) + '\n', expected);
    });
  }
});

describeWithShared('BuildKit parser negative files', () => {
  const cases = readdirSync(join(parserDir, 'testfiles-negative')).sort();
  it('has the 4 cases', () => assert.equal(cases.length, 4));
  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(parserDir, 'testfiles-negative', name, 'Dockerfile'), 'utf8');
      assert.throws(() => parseDockerfile(text));
    });
  }
});

describeWithShared('BuildKit testfile-line (line numbers)', () => {
  it('reports the lines BuildKit reports', () => {
    const parsed = parseDockerfile(readFileSync(join(parserDir, 'testfile-line', 'Dockerfile'), 'utf8'));
    const lines = parsed.instructions.map((n) => [n.startLine, n.endLine]);
    assert.deepEqual(lines, [[5, 5], [11, 12], [17, 31]]);
  });
});

describeWithShared('BuildKit envVarTest (ProcessWord)', () => {
  const env = envFromRecord({ PWD: '/home', SHELL: 'bash', KOREAN: '한국어', NULL: '' });
  const lines = readFileSync(join(CONFORMANCE, 'shell', 'envVarTest'), 'utf8').split('\n');
  let n = 0;
  for (const raw of lines) {
    if (raw.startsWith('#')) continue;
    const line = raw.trim();
    if (!line) continue;
    const parts = line.split('|');
    assert.equal(parts.length, 3, `bad test line: ${line}`);
    const [platform, input, expected] = parts.map((p) => p.trim());
    if (platform === 'W') continue; // Windows-only cases
    n++;
    it(`${n}: ${input}`, () => {
      if (expected === 'error') assert.throws(() => processWord(input, env));
      else assert.equal(processWord(input, env).result, expected);
    });
  }
});

describeWithShared('BuildKit wordsTest (ProcessWords)', () => {
  const lines = readFileSync(join(CONFORMANCE, 'shell', 'wordsTest'), 'utf8').split('\n');
  const envs = new Map<string, string>();
  let n = 0;
  for (const raw of lines) {
    if (raw.startsWith('#') || raw === '') continue;
    if (raw.startsWith('ENV ')) {
      const entry = raw.slice(3).replace(/^ +/, '');
      const eq = entry.indexOf('=');
      envs.set(entry.slice(0, eq), entry.slice(eq + 1));
      continue;
    }
    const parts = raw.split('|');
    assert.equal(parts.length, 2, `bad test line: ${raw}`);
    const input = parts[0].trim();
    const expected = parts[1].replace(/^ +/, '');
    const env = envFromRecord(new Map(envs));
    n++;
    it(`${n}: ${input}`, () => {
      if (expected === 'error') assert.throws(() => processWords(input, env));
      else assert.deepEqual(processWords(input, env), expected.split(','));
    });
  }
});

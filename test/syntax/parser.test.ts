import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseInstructions, type RunInstruction } from '../../src/instructions/index.js';
import { AnalysisLimitError, emptyEnv, parseDockerfile, processWord } from '../../src/syntax/index.js';
import { MAX_EXPANSION_DEPTH } from '../../src/syntax/word-lexer.js';

const slice = (text: string, r: { start: number; end: number }) => text.slice(r.start, r.end);

describe('heredocs', () => {
  it('<<EOF, <<-EOF (tabs stripped from the terminator), quoted terminators, several per instruction', () => {
    const text = 'FROM x\nRUN <<EOF cat <<-"END" 3<<\'X\'\nline $A\nEOF\n\tbody\n\tEND\nfd\nX\n';
    const [, run] = parseDockerfile(text).instructions;
    assert.deepEqual(run.heredocs.map((h) => [h.name, h.chomp, h.expand, h.fileDescriptor, h.content]), [
      ['EOF', false, true, 0, 'line $A\n'],
      ['END', true, false, 0, '\tbody\n'],
      ['X', false, false, 3, 'fd\n'],
    ]);
    assert.equal(slice(text, run.heredocs[0].contentRange), 'line $A\n');
    assert.equal(run.endLine, 8);
  });
  it('not in JSON form, nor without << on the line', () => {
    const [, run] = parseDockerfile('FROM x\nRUN ["echo", "<<EOF"]\n').instructions;
    assert.equal(run.heredocs.length, 0);
  });
  it('Docker 20.10: no heredocs unless # syntax= selects a newer frontend', () => {
    assert.equal(parseDockerfile('FROM x\nRUN <<EOF\necho\nEOF\n', 'D', { heredocs: false }).instructions.length, 4);
    assert.equal(parseDockerfile('# syntax=docker/dockerfile:1\nFROM x\nRUN <<EOF\necho\nEOF\n', 'D', { heredocs: false }).instructions.length, 2);
  });
});

describe('source ranges', () => {
  it('flags, mount fields and values keep their place across continuations and quotes', () => {
    const text = 'FROM x\nRUN --network=host \\\n  --mount="type=cache,target=/var/cache/apt" \\\n  apt-get update\n';
    const df = parseInstructions(parseDockerfile(text));
    const run = df.stages[0].instructions[0] as RunInstruction;
    assert.equal(slice(text, run.node.flags[0].range), '--network=host');
    assert.equal(slice(text, run.mounts[0].word.range), '--mount="type=cache,target=/var/cache/apt"');
    const target = run.mounts[0].fields[1];
    assert.equal(slice(text, target.field.range), 'target=/var/cache/apt');
    assert.equal(slice(text, target.value!.range), '/var/cache/apt');
    assert.equal(run.shellText.text, 'apt-get update');
    assert.equal(slice(text, run.shellText.range), 'apt-get update');
    assert.equal(run.node.startLine, 2);
    assert.equal(run.node.endLine, 4);
  });
  it('CRLF, BOM and the backtick escape', () => {
    const text = '\ufeff# escape=`\r\nFROM x\r\nRUN echo a `\r\n  b\r\n';
    const p = parseDockerfile(text);
    assert.equal(p.escapeToken, '`');
    assert.equal(p.instructions[1].rest.text, 'echo a   b');
    assert.equal(slice(text, p.instructions[1].rest.range), 'echo a `\r\n  b');
  });
});

describe('word lexer limits', () => {
  const nested = (depth: number) => {
    let s = 'x';
    for (let i = 0; i < depth; i++) s = `\${A${i}:-${s}}`;
    return s;
  };
  it(`follows \${…} nested ${MAX_EXPANSION_DEPTH} levels deep, and stops with AnalysisLimitError beyond`, () => {
    assert.equal(processWord(nested(MAX_EXPANSION_DEPTH - 1), emptyEnv).result, 'x');
    assert.throws(() => processWord(nested(MAX_EXPANSION_DEPTH + 1), emptyEnv), AnalysisLimitError);
    assert.throws(() => processWord(`"${nested(5000)}"`, emptyEnv), AnalysisLimitError);
  });
});

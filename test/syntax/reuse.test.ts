/** Nodes reused from an earlier parse (the language server's documents) are the nodes a fresh parse makes, where the text now is. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { InstructionReuse, parseDockerfile, type InstructionNode, type MappedText } from '../../src/syntax/index.js';

/** Everything a node says, positions included, in plain values (a MappedText by its text and each character's offset). */
function plain(node: InstructionNode): unknown {
  const text = (t: MappedText) => ({ text: t.text, offsets: Array.from({ length: t.length + 1 }, (_, i) => t.sourceOffset(i)) });
  return {
    keyword: node.keyword,
    keywordRange: node.keywordRange,
    flags: node.flags.map((f) => ({ text: text(f.text), range: f.range })),
    args: node.args,
    json: node.json,
    rest: text(node.rest),
    line: text(node.line),
    heredocs: node.heredocs,
    onbuild: node.onbuild && plain(node.onbuild),
    range: node.range,
    startLine: node.startLine,
    endLine: node.endLine,
  };
}

const BASE = [
  '# syntax=docker/dockerfile:1',
  'FROM debian AS build',
  'RUN --mount=type=cache,target=/var/cache/apt \\',
  '    # a comment inside the continuation',
  '    apt-get update && apt-get install -y "curl" \\',
  '      git',
  'ONBUILD RUN --mount=type=cache,target=/root/.cache/pip pip install x',
  'RUN <<EOF bash',
  'echo "$HOME"',
  'EOF',
  'COPY --from=build ["/a b", "/c"]',
  '',
].join('\n');

function parseBoth(text: string, reuse: InstructionReuse) {
  const fresh = parseDockerfile(text).instructions.map(plain);
  const reused = parseDockerfile(text, 'Dockerfile', { reuse }).instructions.map(plain);
  return { fresh, reused };
}

describe('InstructionReuse', () => {
  it('an edit parses only the instruction it changed; the others are moved to where their text now is', () => {
    const reuse = new InstructionReuse();
    parseDockerfile(BASE, 'Dockerfile', { reuse });
    assert.equal(reuse.parsed, 5);
    const edited = BASE.replace('FROM debian AS build', 'FROM debian:bookworm AS build');
    const { fresh, reused } = parseBoth(edited, reuse);
    assert.deepStrictEqual(reused, fresh);
    assert.equal(reuse.parsed, 1);
    assert.equal(reuse.reused, 4);
  });

  it('a parse stopped by a half-typed heredoc keeps what came after it for the next parse', () => {
    const reuse = new InstructionReuse();
    parseDockerfile(BASE, 'Dockerfile', { reuse });
    const broken = BASE.replace('FROM debian AS build\n', 'FROM debian AS build\nRUN <<X\n');
    assert.throws(() => parseDockerfile(broken, 'Dockerfile', { reuse }), /unterminated heredoc/);
    const typed = BASE.replace('FROM debian AS build\n', 'FROM debian AS build\nRUN <<X\nX\n');
    const { fresh, reused } = parseBoth(typed, reuse);
    assert.deepStrictEqual(reused, fresh);
    // The new RUN's line was parsed before its heredoc failed; the instructions after it come from the parse before.
    assert.equal(reuse.parsed, 0);
    assert.equal(reuse.reused, 6);
  });

  it('the escape token is part of what decides a node', () => {
    const reuse = new InstructionReuse();
    const body = 'FROM debian\nRUN echo a \\\n  b\nRUN echo c `\n  d\n';
    parseDockerfile(body, 'Dockerfile', { reuse });
    const { fresh, reused } = parseBoth('# escape=`\n' + body, reuse);
    assert.deepStrictEqual(reused, fresh);
    assert.equal(reuse.reused, 0);
  });
});

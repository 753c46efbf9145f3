/** Positions for people and machines count Unicode code points; LSP asks for UTF-16 units. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SourceFile } from '../../src/syntax/index.js';

describe('SourceFile positions', () => {
  const text = 'FROM a\nRUN echo "日本語" 😀x && true\r\nEND';
  const file = new SourceFile('Dockerfile', text);

  it('columns are code points: a character outside the BMP is one column', () => {
    assert.deepEqual(file.positionAt(text.indexOf('日')), { line: 2, column: 11 });
    assert.deepEqual(file.positionAt(text.indexOf('😀')), { line: 2, column: 16 });
    assert.deepEqual(file.positionAt(text.indexOf('x &&')), { line: 2, column: 17 });
    assert.deepEqual(file.positionAt(text.indexOf('x &&'), 'utf16'), { line: 2, column: 18 });
    assert.deepEqual(file.positionAt(text.indexOf('END')), { line: 3, column: 1 });
  });

  it('offsetAt inverts positionAt, in both units, at every offset', () => {
    for (let offset = 0; offset <= text.length; offset++) {
      if (text.charCodeAt(offset - 1) >= 0xd800 && text.charCodeAt(offset - 1) <= 0xdbff) continue; // inside a pair
      if (text[offset - 1] === '\r') continue; // inside a line ending
      for (const unit of ['codePoint', 'utf16'] as const) assert.equal(file.offsetAt(file.positionAt(offset, unit), unit), offset, `${unit} ${offset}`);
    }
  });

  it('a byte-order mark is not a column', () => {
    const bom = new SourceFile('Dockerfile', '\ufeffFROM a\n');
    assert.deepEqual(bom.positionAt(1), { line: 1, column: 1 });
    assert.equal(bom.offsetAt({ line: 1, column: 1 }), 1);
  });

  it('lineRange and lineText leave out \\n and \\r\\n', () => {
    assert.equal(file.lineText(2), 'RUN echo "日本語" 😀x && true');
    assert.equal(file.lineText(3), 'END');
    const r = file.lineRange(2);
    assert.equal(text.slice(r.end, r.end + 2), '\r\n');
  });
});

/** What the text report echoes of a Dockerfile cannot drive the terminal, and stays short. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lintText, prepare } from '../../src/engine/index.js';
import { escapeControls, MAX_SNIPPET_WIDTH, snippetOf, textReport } from '../../src/report/index.js';
import { SourceFile } from '../../src/syntax/index.js';

const at = (text: string, needle: string, length = needle.length) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + length });

describe('text for a terminal', () => {
  it('escapes controls, bidirectional overrides and raw bytes; keeps printable text', () => {
    assert.equal(escapeControls('a\x1b[31mb\x07\u202e\udce9 日本 😀'), 'a\\x1b[31mb\\x07\\u{202e}\\xe9 日本 😀');
    assert.equal(escapeControls('line\nnext\r'), 'line\\nnext\\r');
  });

  it('puts the caret under wide characters by display width', () => {
    const text = 'RUN echo "日本語" && apt-get update\n';
    const s = snippetOf(new SourceFile('D', text), at(text, 'apt-get'));
    assert.equal(s.text, 'RUN echo "日本語" && apt-get update');
    // `RUN echo "日本語" && ` is 18 code points, 21 columns wide.
    assert.equal(s.caretAt, 21);
    assert.equal(s.caretWidth, 7);
  });

  it('cuts a huge line to a window around the caret, with ellipses', () => {
    const text = 'RUN ' + 'x'.repeat(2_000_000) + ' apt-get ' + 'y'.repeat(2_000_000) + '\n';
    const s = snippetOf(new SourceFile('D', text), at(text, 'apt-get'));
    assert.ok(s.text.startsWith('…') && s.text.endsWith('…'), s.text.slice(0, 20));
    assert.ok(s.text.length <= MAX_SNIPPET_WIDTH + 2);
    assert.equal(s.text.slice(s.caretAt, s.caretAt + 7), 'apt-get');
  });

  it('shows a control character as its escape, with the caret after it', () => {
    const text = 'RUN echo \x1b[2J && apt-get update\n';
    const s = snippetOf(new SourceFile('D', text), at(text, 'apt-get'));
    assert.equal(s.text, 'RUN echo \\x1b[2J && apt-get update');
    assert.equal(s.text.slice(s.caretAt, s.caretAt + 7), 'apt-get');
  });

  it('colours carets by severity: warnings yellow, errors red', async () => {
    await prepare();
    const text = 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt install -y x\n';
    const report = textReport([lintText(text, 'Dockerfile')], { color: true });
    assert.match(report, /\x1b\[33mwarning\x1b\[0m/);
    assert.match(report, /\x1b\[33m {4}\^+\x1b\[0m/);
    assert.doesNotMatch(report, /\x1b\[31m {4}\^/);
  });
});

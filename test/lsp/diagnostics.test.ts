/** LSP diagnostics from mountlint's: severities one to one, related places in other Dockerfiles (bake/compose) at their own URIs. */
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toLspDiagnostic } from '../../src/lsp/diagnostics.js';
import { SourceFile } from '../../src/syntax/index.js';

describe('toLspDiagnostic', () => {
  const doc = TextDocument.create('file:///w/api/Dockerfile', 'dockerfile', 3, 'FROM a\nRUN --mount=type=cache,target=/x apt-get update\n');
  it('maps error, warning and info to Error, Warning and Information', () => {
    for (const [severity, lsp] of [['error', 1], ['warning', 2], ['info', 3]] as const) {
      assert.equal(toLspDiagnostic({ ruleId: 'cache-race', messageId: 'test', severity, message: 'm', range: { start: 7, end: 10 }, related: [] }, doc).severity, lsp);
    }
  });
  it('gives a related place in another Dockerfile that file\'s URI and positions (UTF-16)', () => {
    const other = new SourceFile('other/Dockerfile', 'FROM b\n# 🐳\nRUN --mount=type=cache,target=/x apt-get update\n');
    const at = other.text.indexOf('--mount');
    const d = toLspDiagnostic({ ruleId: 'cache-race', messageId: 'test', severity: 'error', message: 'm', range: { start: 11, end: 40 }, related: [{ range: { start: at, end: at + 7 }, message: 'the other mount', file: other }, { range: { start: 0, end: 4 }, message: 'here' }] }, doc, { index: 0, version: 3 });
    assert.deepEqual(d.relatedInformation, [
      { location: { uri: pathToFileURL(resolve('other/Dockerfile')).href, range: { start: { line: 2, character: 4 }, end: { line: 2, character: 11 } } }, message: 'the other mount' },
      { location: { uri: doc.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } } }, message: 'here' },
    ]);
    assert.deepEqual(d.data, { index: 0, version: 3 });
  });
});

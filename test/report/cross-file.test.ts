/**
 * Findings of a bake or compose build span files: a diagnostic in one
 * Dockerfile, its related location and fix edits in another. Every report
 * lists the diagnostic under its own file and names the other file.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { LintResult } from '../../src/engine/index.js';
import { diagnosticsByFile, jsonReport, textReport } from '../../src/report/index.js';
import { SourceFile } from '../../src/syntax/index.js';

const api = new SourceFile('api/Dockerfile', 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y a\n');
const worker = new SourceFile('worker/Dockerfile', 'FROM debian\n\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y b\n');
const mount = (s: SourceFile) => ({ start: s.text.indexOf('--mount'), end: s.text.indexOf(' apt-get') });

/** The bake file was linted; the finding lives in worker/Dockerfile and points at api/Dockerfile. */
const bakeResult: LintResult = {
  source: new SourceFile('docker-bake.hcl', 'group "default" {}\n'),
  diagnostics: [
    {
      ruleId: 'cache-race',
      messageId: 'test',
      severity: 'error',
      message: 'race',
      file: worker,
      range: mount(worker),
      related: [{ range: mount(api), message: 'the other mount', file: api }],
      fix: { description: 'lock both', applicability: 'safe', strategy: 'locked', edits: [{ range: { start: mount(worker).end, end: mount(worker).end }, text: ',sharing=locked' }, { range: { start: mount(api).end, end: mount(api).end }, text: ',sharing=locked', file: api }] },
    },
  ],
};

describe('reports of findings that span files', () => {
  it('groups diagnostics under the file they are in', () => {
    const grouped = diagnosticsByFile([bakeResult]);
    assert.deepEqual(grouped.map((g) => [g.source.path, g.diagnostics.length]), [['docker-bake.hcl', 0], ['worker/Dockerfile', 1]]);
  });

  it('text: the diagnostic at its file and line, the related note at the other file', () => {
    const text = textReport([bakeResult], { color: false });
    assert.match(text, /^worker\/Dockerfile:3:5: error: race \[cache-race\]$/m);
    assert.match(text, /^ {2}3 \| RUN --mount=type=cache/m);
    assert.match(text, /^ {2}api\/Dockerfile:2:5: note: the other mount$/m);
    assert.match(text, /1 problem \(1 error, 0 warnings\) in 1 file\./);
  });

  it('json: related locations and edits in another file carry its path', () => {
    const json = JSON.parse(jsonReport([bakeResult]));
    const file = json.files.find((f: { path: string }) => f.path === 'worker/Dockerfile');
    const d = file.diagnostics[0];
    assert.deepEqual([d.line, d.column], [3, 5]);
    assert.deepEqual(d.related[0], { path: 'api/Dockerfile', line: 2, column: 5, endLine: 2, endColumn: 45, message: 'the other mount' });
    assert.equal(d.fix.edits[0].path, undefined, 'an edit in the diagnostic\'s own file has no path');
    assert.deepEqual([d.fix.edits[1].path, d.fix.edits[1].line, d.fix.edits[1].column], ['api/Dockerfile', 2, 45]);
  });
});

/** The JSON report is written as a stream, with the layout JSON.stringify(…, null, 2) gives. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lintText, prepare, type LintResult } from '../../src/engine/index.js';
import { jsonReport, jsonReporter } from '../../src/report/index.js';
import { SourceFile } from '../../src/syntax/index.js';

describe('JSON report', () => {
  it('is exactly JSON.stringify(report, null, 2), for files with and without findings, and failures', async () => {
    await prepare();
    const race = 'FROM debian AS a\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y x\nFROM debian AS b\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y y\nFROM scratch\nCOPY --from=a /a /a\nCOPY --from=b /b /b\n';
    const results = [lintText(race, 'a/Dockerfile'), lintText('FROM scratch\n', 'b/Dockerfile')];
    const chunks: string[] = [];
    const r = jsonReporter((s) => chunks.push(s));
    r.file(results[0], { fixed: false, error: 'not written: the file is read-only (mode 0444)' });
    r.file(results[1]);
    r.failure('c/Dockerfile', 'permission denied');
    r.end();
    const parsed = JSON.parse(chunks.join(''));
    assert.equal(chunks.join(''), JSON.stringify(parsed, null, 2) + '\n');
    assert.deepEqual(parsed.files.map((f: { path: string }) => f.path), ['a/Dockerfile', 'b/Dockerfile', 'c/Dockerfile']);
    assert.equal(parsed.files[0].error, 'not written: the file is read-only (mode 0444)');
    assert.ok(parsed.files[0].diagnostics.length > 0);
    assert.deepEqual(parsed.files[2], { path: 'c/Dockerfile', error: 'permission denied', diagnostics: [] });
    assert.equal(jsonReport([]), '{\n  "files": []\n}\n');
  });

  it('writes a report far larger than one string may be, piece by piece', () => {
    // 2,000 diagnostics, each with a 300,000-character message: 600 MB of JSON,
    // beyond V8's longest string (2^29 - 24 characters), which JSON.stringify hit.
    const source = new SourceFile('Dockerfile', 'FROM scratch\n');
    const message = 'm'.repeat(300_000);
    const result: LintResult = {
      source,
      diagnostics: Array.from({ length: 2000 }, () => ({ ruleId: 'syntax', messageId: 'test', severity: 'error' as const, message, range: { start: 0, end: 4 }, related: [] })),
    };
    let total = 0;
    let largest = 0;
    const r = jsonReporter((s) => {
      total += s.length;
      largest = Math.max(largest, s.length);
    });
    r.file(result);
    r.end();
    assert.ok(total > 2 ** 29, `${total} characters`);
    assert.ok(largest < 400_000, `largest piece ${largest}`);
  });
});

/**
 * Every finding on every shared file — the 77 real-world Dockerfiles, the oracle's
 * cases and BuildKit's conformance Dockerfiles — as a snapshot in the repository:
 * rule, message id, severity, range, message, and each fix with its edits. A change to any
 * finding fails here until it is reviewed and written with `UPDATE_SNAPSHOTS=1 npm test`
 * (then `git diff test/snapshots` is the review). The snapshots hold our output,
 * not the shared files.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, it } from 'node:test';
import { lintText, prepare, type LintResult } from '../src/engine/index.js';
import { CONFORMANCE, CORPUS, describeWithShared, ORACLE, REPO_ROOT } from './helpers/paths.js';

const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

function dockerfiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? dockerfiles(p) : /Dockerfile$/.test(n) ? [p] : [];
    });
}

/** One line a finding, then one a fix: what a reviewer reads in the diff. */
function render(result: LintResult): string {
  const at = (offset: number) => {
    const p = result.source.positionAt(offset);
    return `${p.line}:${p.column}`;
  };
  const lines: string[] = [];
  for (const d of result.diagnostics) {
    lines.push(`  ${at(d.range.start)}-${at(d.range.end)} ${d.severity} ${d.ruleId}/${d.messageId}: ${d.message}`);
    for (const fix of [d.fix, ...(d.suggestions ?? []).filter((s) => s !== d.fix)]) {
      if (!fix) continue;
      const edits = fix.edits.map((e) => `${e.file ? `${e.file}@` : ''}${at(e.range.start)}-${at(e.range.end)} ${JSON.stringify(e.text)}`).join(', ');
      lines.push(`    ${fix === d.fix ? 'fix' : 'or'} ${fix.strategy ?? '-'} (${fix.applicability}): ${edits}`);
    }
  }
  return lines.join('\n');
}

const SETS: Array<{ name: string; dir: string; options?: { platforms?: string[] } }> = [
  { name: 'real-world', dir: CORPUS },
  { name: 'real-world-two-platforms', dir: CORPUS, options: { platforms: ['linux/amd64', 'linux/arm64'] } },
  { name: 'oracle', dir: ORACLE },
  { name: 'conformance', dir: CONFORMANCE },
];

describeWithShared('snapshots of every finding on the shared files', () => {
  before(prepare);
  for (const set of SETS) {
    it(`${set.name} (test/snapshots/${set.name}.txt)`, () => {
      const text = dockerfiles(set.dir)
        .map((path) => {
          const result = lintText(readFileSync(path, 'utf8'), path, set.options ?? {});
          return `${relative(set.dir, path)}\n${render(result)}`.trimEnd();
        })
        .join('\n') + '\n';
      const file = join(REPO_ROOT, 'test/snapshots', `${set.name}.txt`);
      if (UPDATE) writeFileSync(file, text);
      assert.ok(existsSync(file), `no snapshot ${file}: write it with UPDATE_SNAPSHOTS=1 npm test`);
      // Compared line by line, so that a failure shows the lines that changed.
      assert.deepEqual(text.split('\n'), readFileSync(file, 'utf8').split('\n'), 'findings changed: review, then UPDATE_SNAPSHOTS=1 npm test');
    });
  }
});

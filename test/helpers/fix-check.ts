/**
 * The fix contract, checked the same way for table cases, the corpus and the
 * oracle files: `--fix` (with unsafe fixes, for a strategy) converges — a
 * second run changes nothing — and creates no finding that was not there
 * before, from any rule.
 */
import { strict as assert } from 'node:assert';
import { fixText, lintText, type LintOptions } from '../../src/engine/index.js';
import type { Diagnostic } from '../../src/rules/index.js';

/** A finding on a step BuildKit merges with N others counts N + 1 times: a fix may separate them, and each then has it. */
const MERGED = / \(this step runs once: BuildKit merges it with the identical step on line ([\d, ]+)\)/;

/** A finding, recognisable across edits: rule, severity and message, with the merge note, line numbers and counts left out. */
function key(d: Diagnostic): string {
  return `${d.ruleId} ${d.severity} ${d.message.replace(MERGED, '').replace(/\d+/g, '#')}`;
}

/** Findings in `after` that `before` did not have (as a multiset of keys). */
export function newFindings(before: Diagnostic[], after: Diagnostic[]): Diagnostic[] {
  const left = new Map<string, number>();
  for (const d of before) left.set(key(d), (left.get(key(d)) ?? 0) + 1 + (MERGED.exec(d.message)?.[1].split(',').length ?? 0));
  return after.filter((d) => {
    const n = left.get(key(d)) ?? 0;
    if (n === 0) return true;
    left.set(key(d), n - 1);
    return false;
  });
}

export function assertFixIsClean(code: string, path: string, options: LintOptions): void {
  const before = lintText(code, path, options).diagnostics;
  const fixed = fixText(code, path, options);
  const again = fixText(fixed.output, path, options);
  assert.equal(again.output, fixed.output, `--fix ${describe(options)} does not converge:\n${fixed.output}`);
  const created = newFindings(before, fixed.result.diagnostics);
  assert.deepEqual(
    created.map((d) => `${d.ruleId}: ${d.message}`),
    [],
    `--fix ${describe(options)} created findings in:\n${fixed.output}`,
  );
}

function describe(options: LintOptions): string {
  return [options.fixStrategy && `--fix-strategy ${options.fixStrategy}`, options.unsafeFixes && '--unsafe-fixes'].filter(Boolean).join(' ');
}

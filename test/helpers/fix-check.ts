/**
 * The fix contract, checked the same way for table cases, the corpus and the
 * oracle files: `--fix` (with unsafe fixes, for a strategy) converges — a
 * second run changes nothing — and creates no finding that was not there
 * before, from any rule.
 */
import { strict as assert } from 'node:assert';
import { fixText, lintText, type LintOptions, type LintResult } from '../../src/engine/index.js';
import type { Diagnostic } from '../../src/rules/index.js';

/** A finding on a step BuildKit merges with N others counts N + 1 times: a fix may separate them, and each then has it. */
const MERGED = / \(this step runs once: BuildKit merges it with the identical step on line ([\d, ]+)\)/;

/** A finding, recognisable across edits: rule, severity and message, with the merge note, line numbers and counts left out. */
function key(d: Diagnostic): string {
  return `${d.ruleId} ${d.severity} ${d.message.replace(MERGED, '').replace(/\d+/g, '#')}`;
}

/**
 * Findings in `after` that `before` did not have (as a multiset of keys).
 * With the texts, a finding whose message changed on text the fix did not
 * touch (same rule and severity on the same words: its advice now says less,
 * because the fix did part of it) is the finding that was there, not a new one.
 */
export function newFindings(before: Diagnostic[], after: Diagnostic[], texts?: { before: string; after: string }): Diagnostic[] {
  const left = new Map<string, number>();
  for (const d of before) left.set(key(d), (left.get(key(d)) ?? 0) + 1 + (MERGED.exec(d.message)?.[1].split(',').length ?? 0));
  const unmatched = after.filter((d) => {
    const n = left.get(key(d)) ?? 0;
    if (n === 0) return true;
    left.set(key(d), n - 1);
    return false;
  });
  if (!texts) return unmatched;
  const spot = (d: Diagnostic, text: string) => `${d.ruleId} ${d.severity} ${text.slice(d.range.start, d.range.end)}`;
  return unmatched.filter((d) => {
    const same = before.find((b) => (left.get(key(b)) ?? 0) > 0 && spot(b, texts.before) === spot(d, texts.after));
    if (same) left.set(key(same), left.get(key(same))! - 1);
    return !same;
  });
}

export function assertFixIsClean(code: string, path: string, options: LintOptions): void {
  const problem = fixProblem(code, path, options);
  if (problem) assert.deepEqual(problem.created, [], problem.message);
}

/**
 * What breaks the fix contract for `code`, or undefined: a second --fix
 * that changes the file again, or findings the fix created. `first`: the
 * lint result of `code` with `options`, and `fixed` what --fix made of it,
 * when the caller has them.
 */
export function fixProblem(code: string, path: string, options: LintOptions, first?: LintResult, fixed = fixText(code, path, options, first)): { message: string; created: string[] } | undefined {
  const before = (first ?? lintText(code, path, options)).diagnostics;
  const again = fixText(fixed.output, path, options);
  if (again.output !== fixed.output) return { message: `--fix ${describe(options)} does not converge:\n${fixed.output}`, created: ['(a second --fix changes the file)'] };
  const created = newFindings(before, fixed.result.diagnostics, { before: code, after: fixed.output }).map((d) => `${d.ruleId}: ${d.message}`);
  return created.length ? { message: `--fix ${describe(options)} created findings in:\n${fixed.output}`, created } : undefined;
}

export function describe(options: LintOptions): string {
  return [options.fixStrategy && `--fix-strategy ${options.fixStrategy}`, options.unsafeFixes && '--unsafe-fixes'].filter(Boolean).join(' ');
}

/**
 * The one order and identity of findings, wherever results are put together:
 * a file's own run, the builds of a bake or compose request, and the same
 * Dockerfile built by several requests.
 */
import type { Diagnostic } from '../rules/index.js';

const RANK = { error: 0, warning: 1, info: 2 };

/** By place in the file, then errors first, then rule and message (so that equal runs print equal output). */
export function orderFindings(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) => a.range.start - b.range.start || RANK[a.severity] - RANK[b.severity] || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message));
}

/** The same finding seen from two builds of one file is one finding. */
export function findingKey(d: Diagnostic): string {
  return `${d.ruleId}\0${d.range.start}\0${d.range.end}\0${d.file?.path ?? ''}\0${d.message}`;
}

/** Adds to `into` the findings of `more` it does not have yet (in place). */
export function addNewFindings(into: Diagnostic[], more: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set(into.map(findingKey));
  for (const d of more) if (!seen.has(findingKey(d))) into.push(d);
  return into;
}

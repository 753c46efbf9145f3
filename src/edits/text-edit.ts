import type { Range, SourceFile } from '../syntax/index.js';

/** Replace source[range.start, range.end) with `text`. An empty range inserts. */
export interface TextEdit {
  range: Range;
  text: string;
  /**
   * The file the edit applies to, when it is not the file of the diagnostic
   * that carries it (a fix for a race between two Dockerfiles of one bake
   * build edits both). applyEdits ignores it: callers pass one file's edits.
   */
  file?: SourceFile;
}

/**
 * Applies non-overlapping edits; identical duplicates count once. Edits that
 * overlap an earlier one are skipped and returned, so the caller can apply
 * them in another pass on the new text.
 */
export function applyEdits(text: string, edits: TextEdit[]): { output: string; applied: TextEdit[]; skipped: TextEdit[] } {
  const { output, applied, skipped } = applyFixes(text, edits.map((e) => [e]));
  return { output, applied: applied.flat(), skipped: skipped.flat() };
}

/**
 * Applies fixes, each all or nothing: a fix whose edits would touch another
 * fix's (overlap, or insert at the same point) is skipped whole, never half
 * applied ("set sharing=locked on 2 mounts" must not land on one), and
 * returned, so the caller can offer it again on the new text. Fixes are taken
 * in order; an edit identical to one already taken counts once.
 */
export function applyFixes(text: string, fixes: TextEdit[][]): { output: string; applied: TextEdit[][]; skipped: TextEdit[][] } {
  const taken: TextEdit[] = []; // sorted by start; no two conflict
  const applied: TextEdit[][] = [];
  const skipped: TextEdit[][] = [];
  for (const fix of fixes) {
    const own = dedupe(fix).sort(byPosition);
    const fits = own.every((e, i) => (i === 0 || !conflict(own[i - 1], e)) && placeFor(taken, e) !== undefined);
    if (!fits) {
      skipped.push(fix);
      continue;
    }
    for (const e of own) {
      const at = placeFor(taken, e)!;
      if (at >= 0) taken.splice(at, 0, e);
    }
    applied.push(fix);
  }
  let output = '';
  let at = 0;
  for (const e of taken) {
    output += text.slice(at, e.range.start) + e.text;
    at = e.range.end;
  }
  output += text.slice(at);
  return { output, applied, skipped };
}

const byPosition = (a: TextEdit, b: TextEdit) => a.range.start - b.range.start || a.range.end - b.range.end;

const same = (a: TextEdit, b: TextEdit) => a.range.start === b.range.start && a.range.end === b.range.end && a.text === b.text;

/** Two edits interfere when their ranges overlap or both start at one point (which goes first?). */
function conflict(a: TextEdit, b: TextEdit): boolean {
  if (same(a, b)) return false;
  return a.range.start === b.range.start || (a.range.start < b.range.end && b.range.start < a.range.end);
}

/** Where `e` goes in `taken`: its index, -1 when an identical edit is there already, undefined on a conflict. */
function placeFor(taken: TextEdit[], e: TextEdit): number | undefined {
  let lo = 0;
  let hi = taken.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (taken[mid].range.start < e.range.start) lo = mid + 1;
    else hi = mid;
  }
  // Taken edits have distinct starts and do not overlap: only the neighbours can interfere.
  if (lo < taken.length && same(taken[lo], e)) return -1;
  if (lo > 0 && conflict(taken[lo - 1], e)) return undefined;
  if (lo < taken.length && conflict(taken[lo], e)) return undefined;
  return lo;
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.range.start}:${e.range.end}:${e.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

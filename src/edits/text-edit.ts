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
  const sorted = dedupe(edits).sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const applied: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of sorted) {
    // Two insertions at one point, or an edit inside another, would interfere.
    if (e.range.start < lastEnd || (applied.length && e.range.start === lastEnd && e.range.start === applied[applied.length - 1].range.start)) {
      skipped.push(e);
      continue;
    }
    applied.push(e);
    lastEnd = e.range.end;
  }
  let output = '';
  let at = 0;
  for (const e of applied) {
    output += text.slice(at, e.range.start) + e.text;
    at = e.range.end;
  }
  output += text.slice(at);
  return { output, applied, skipped };
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

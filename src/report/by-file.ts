/**
 * Diagnostics grouped by the file they are in. A diagnostic usually belongs
 * to the file that was linted; a bake or compose build reports findings in
 * every Dockerfile it builds (Diagnostic.file). Every report lists them under
 * their own file, in the order the files first appear.
 */
import type { LintResult } from '../engine/index.js';
import type { Diagnostic } from '../rules/index.js';
import type { SourceFile } from '../syntax/index.js';

export interface FileDiagnostics {
  source: SourceFile;
  diagnostics: Diagnostic[];
}

export function diagnosticsByFile(results: LintResult[]): FileDiagnostics[] {
  const files = new Map<SourceFile, Diagnostic[]>();
  const byPath = new Map<string, SourceFile>();
  const entry = (source: SourceFile) => {
    // One entry per path: two results may hold separate SourceFile objects for one file.
    const known = byPath.get(source.path) ?? source;
    byPath.set(source.path, known);
    let list = files.get(known);
    if (!list) files.set(known, (list = []));
    return list;
  };
  for (const result of results) {
    entry(result.source);
    for (const d of result.diagnostics) entry(d.file ?? result.source).push(d);
  }
  return [...files].map(([source, diagnostics]) => ({ source, diagnostics }));
}

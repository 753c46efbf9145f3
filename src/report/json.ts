/** The machine-readable report: `{"files":[{"path","diagnostics":[…]}]}`, 1-based positions. */
import type { LintResult } from '../engine/index.js';
import type { Diagnostic, Fix } from '../rules/index.js';
import type { Range, SourceFile } from '../syntax/index.js';
import { diagnosticsByFile, type FileDiagnostics } from './by-file.js';
import { locate } from './locate.js';

export function jsonReport(results: LintResult[]): string {
  return JSON.stringify({ files: diagnosticsByFile(results).map(jsonFile) }, null, 2) + '\n';
}

function jsonFile({ source, diagnostics }: FileDiagnostics) {
  return {
    path: source.path,
    diagnostics: diagnostics.map((d: Diagnostic) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      ...locate(source, d.range),
      related: d.related.map((r) => ({ ...place(source, r.file, r.range), message: r.message })),
      ...(d.fix ? { fix: jsonFix(d.fix, source) } : {}),
      ...(d.suggestions?.length ? { suggestions: d.suggestions.map((f) => jsonFix(f, source)) } : {}),
    })),
  };
}

/** Position in `file`, with its `path` when that is another file than the diagnostic's (a bake or compose build). */
function place(own: SourceFile, file: SourceFile | undefined, range: Range) {
  return file && file.path !== own.path ? { path: file.path, ...locate(file, range) } : locate(own, range);
}

function jsonFix(fix: Fix, source: SourceFile) {
  return {
    description: fix.description,
    applicability: fix.applicability,
    ...(fix.strategy ? { strategy: fix.strategy } : {}),
    edits: fix.edits.map((e) => ({ ...place(source, e.file, e.range), text: e.text })),
  };
}

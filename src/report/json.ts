/** The machine-readable report: `{"files":[{"path","diagnostics":[…]}]}`, 1-based positions. */
import type { LintResult } from '../engine/index.js';
import type { Diagnostic, Fix } from '../rules/index.js';
import { locate } from './locate.js';

export function jsonReport(results: LintResult[]): string {
  return JSON.stringify({ files: results.map(jsonFile) }, null, 2) + '\n';
}

function jsonFile(result: LintResult) {
  const source = result.source;
  return {
    path: source.path,
    diagnostics: result.diagnostics.map((d: Diagnostic) => ({
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      ...locate(source, d.range),
      related: d.related.map((r) => ({ ...locate(source, r.range), message: r.message })),
      ...(d.fix ? { fix: jsonFix(d.fix, result) } : {}),
      ...(d.suggestions?.length ? { suggestions: d.suggestions.map((f) => jsonFix(f, result)) } : {}),
    })),
  };
}

function jsonFix(fix: Fix, result: LintResult) {
  return {
    description: fix.description,
    applicability: fix.applicability,
    ...(fix.strategy ? { strategy: fix.strategy } : {}),
    edits: fix.edits.map((e) => ({ ...locate(result.source, e.range), text: e.text })),
  };
}
